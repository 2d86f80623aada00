#!/usr/bin/env python3
"""Generates StepLocalIntegrations' result-shape tables from botocore's service models.

Mocked Task results (mock-config files, scenario `mocks:`, TestState's `mock`) are checked
against the shape the integrated service really returns, so a typo such as `Paylod` is caught
when the file loads. This script turns botocore's `service-2.json.gz` models into compact
tables, one JSON text per table, embedded in Swift string literals (a string literal compiles
in no time, where a large Swift dictionary literal would stall the type checker). The output
is committed; StepLocal never reads botocore at run time.

Two kinds of table are written:

* `optimized`: Step Functions' optimized integrations, keyed `service:action[pattern]`
  (`lambda:invoke`, `dynamodb:getItem`, `states:startExecution.sync:2`, ...), plus the two
  `aws-sdk:s3` actions the brief names (S3 is a rest-xml service, so it has no table of its own).
  `lambda:invoke` is modelled by hand: Step Functions wraps the function's answer as
  `{ExecutedVersion, Payload, SdkHttpMetadata, SdkResponseMetadata, StatusCode}`, with Payload
  any JSON (https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html).
* one table per JSON-protocol service botocore ships (`aws-sdk:SERVICE:action`), keyed by the
  SDK service name Step Functions uses in the ARN (botocore's serviceId, lower-cased, without
  spaces or dashes: `sfn`, `eventbridge`, `cloudwatchlogs`, `acmpca`, ...) and the action in
  camelCase.

Member names are PascalCase throughout, as Step Functions' aws-sdk integrations (and the
optimized ECS and Step Functions integrations) return them, even where the model is camelCase
("Parameters in Step Functions are expressed in PascalCase, even if the native service API is
in camelCase": https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html).
The aws-sdk tables name members exactly as the aws-sdk call path does (the Java SDK v2's getters,
capitalized: DynamoDB's `BOOL`, `SS`, `NULL` are `Bool`, `Ss`, `Nul`), with the same function as
scripts/generate-sdk-operations.py, so a mock is checked under the names a real call returns.
`ecs:runTask.sync` is the stopped task's description (ECS's `Task` shape), as recorded on AWS.

Table encoding (`{"ops": {name: ref}, "shapes": [shape, ...]}`): a ref is either a primitive
code or an index into `shapes`. Codes: "s" string, "i" integer/long, "n" float/double,
"b" boolean, "t" timestamp, "B" blob, "d" document (any JSON). A shape is
["e", [values]] (string enum), ["l", ref] (list), ["m", ref] (map, string keys),
["o", [[member, ref, required], ...]] (structure; required is 0 or 1).

Size: the JSON-protocol services whose output table exceeds SKIP_ABOVE bytes
are left out to keep the generated sources under 2 MB (with botocore 1.43: SageMaker
only); their actions are not validated.

Usage: python3 scripts/generate-result-shapes.py
       (rewrites Sources/StepLocalIntegrations/MockValidation/Generated/)
"""
import glob
import gzip
import json
import os
import re

import functools

import importlib.util

import botocore

_spec = importlib.util.spec_from_file_location(
    "generate_sdk_operations", os.path.join(os.path.dirname(os.path.abspath(__file__)), "generate-sdk-operations.py"))
_sdk = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_sdk)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Sources", "StepLocalIntegrations", "MockValidation", "Generated")
DATA = os.path.join(os.path.dirname(botocore.__file__), "data")
SKIP_ABOVE = 100_000
PRIMITIVES = {
    "string": "s", "integer": "i", "long": "i", "float": "n", "double": "n", "boolean": "b",
    "timestamp": "t", "blob": "B", "document": "d",
}


@functools.lru_cache(maxsize=None)
def load(service):
    path = sorted(glob.glob(os.path.join(DATA, service, "*", "service-2.json.gz")))[-1]
    with gzip.open(path) as f:
        return json.load(f)


def pascal(name):
    return name[:1].upper() + name[1:]


def camel(name):
    return name[:1].lower() + name[1:]


class Table:
    """One encoded table: shapes are added on demand, following the output shapes only."""

    def __init__(self, member_name=None):
        self.shapes = []
        self.index = {}
        self.ops = {}
        # (structure, member) -> the name a state sees; PascalCase unless told otherwise.
        self.member_name = member_name or (lambda structure, member: pascal(member))

    def ref(self, model, name, overrides=None):
        overrides = overrides or {}
        s = model["shapes"][name]
        t = s["type"]
        if t in PRIMITIVES and not (t == "string" and "enum" in s):
            return PRIMITIVES[t]
        key = (id(model), name, json.dumps(overrides, sort_keys=True))
        if key in self.index:
            return self.index[key]
        slot = len(self.shapes)
        self.index[key] = slot
        self.shapes.append(None)
        if t == "string":
            self.shapes[slot] = ["e", s["enum"]]
        elif t == "list":
            self.shapes[slot] = ["l", self.ref(model, s["member"]["shape"])]
        elif t == "map":
            self.shapes[slot] = ["m", self.ref(model, s["value"]["shape"])]
        elif t == "structure":
            required = set(s.get("required", []))
            members = []
            for member, ref in s["members"].items():
                if ref.get("location") == "statusCode" or ref.get("eventstream"):
                    continue
                name_out = self.member_name(name, member)
                code = overrides.get(name_out) or self.ref(model, ref["shape"])
                members.append([name_out, code, 1 if member in required else 0])
            self.shapes[slot] = ["o", members]
        else:
            raise SystemExit(f"unsupported shape type {t} for {name}")
        return slot

    def literal(self, raw):
        """A hand-written shape (the Lambda wrapper)."""
        self.shapes.append(raw)
        return len(self.shapes) - 1

    def text(self):
        return json.dumps({"ops": self.ops, "shapes": self.shapes}, separators=(",", ":"))


def optimized_table():
    t = Table()
    # The Java SDK's response metadata, which the optimized Lambda, DynamoDB, SNS, SQS, ECS and
    # EventBridge integrations add to the service's answer (seen in histories recorded on AWS).
    # Header values are left free-form: one name can carry one value or a list of them.
    http = t.literal(["o", [["AllHttpHeaders", t.literal(["m", "d"]), 0],
                            ["HttpHeaders", t.literal(["m", "d"]), 0], ["HttpStatusCode", "i", 0]]])
    response = t.literal(["o", [["RequestId", "s", 0]]])
    sdk_metadata = [["SdkHttpMetadata", http, 0], ["SdkResponseMetadata", response, 0]]
    # lambda:invoke — Step Functions' wrapper around the function's answer; Payload is any JSON.
    t.ops["lambda:invoke"] = t.literal(["o", [
        ["ExecutedVersion", "s", 0], ["FunctionError", "s", 0], ["LogResult", "s", 0], ["Payload", "d", 0],
        *sdk_metadata, ["StatusCode", "i", 0]]])

    def op(key, service, operation, overrides=None, metadata=True):
        model = load(service)
        root = t.ref(model, model["operations"][operation]["output"]["shape"], overrides)
        if metadata:
            root = t.literal(["o", t.shapes[root][1] + sdk_metadata])
        t.ops[key] = root

    for action in ["GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan"]:
        op("dynamodb:" + camel(action), "dynamodb", action)
    op("sns:publish", "sns", "Publish")
    op("sqs:sendMessage", "sqs", "SendMessage")
    op("ecs:runTask", "ecs", "RunTask")
    t.ops["ecs:runTask.sync"] = t.ref(load("ecs"), "Task")
    op("states:startExecution", "stepfunctions", "StartExecution", metadata=False)
    op("states:startExecution.sync", "stepfunctions", "DescribeExecution", metadata=False)
    # .sync:2 returns the child's Input and Output as JSON, not as JSON text.
    op("states:startExecution.sync:2", "stepfunctions", "DescribeExecution", {"Input": "d", "Output": "d"}, metadata=False)
    op("events:putEvents", "events", "PutEvents")
    # S3 through the aws-sdk integration: the SDK's members; Body (a blob) arrives as text.
    op("aws-sdk:s3:getObject", "s3", "GetObject", metadata=False)
    op("aws-sdk:s3:putObject", "s3", "PutObject", metadata=False)
    return t


def sdk_name(model):
    return re.sub(r"[^a-z0-9]", "", model["metadata"]["serviceId"].lower())


def main():
    tables = {"optimized": optimized_table()}
    skipped = []
    for service in sorted(os.listdir(DATA)):
        if not glob.glob(os.path.join(DATA, service, "*", "service-2.json.gz")):
            continue
        model = load(service)
        if model["metadata"].get("protocol") != "json":
            continue
        t = Table(lambda structure, member, service=service: _sdk.step_functions_name(service, structure, member))
        for name, o in sorted(model["operations"].items()):
            if "output" in o:
                t.ops[camel(name)] = t.ref(model, o["output"]["shape"])
        if len(t.text()) > SKIP_ABOVE:
            skipped.append(f"{sdk_name(model)} ({len(t.text()) // 1000} kB)")
            continue
        tables[sdk_name(model)] = t

    header = (
        "// Generated by scripts/generate-result-shapes.py from botocore "
        f"{botocore.__version__}'s service models. Do not edit by hand.\n"
    )
    letters, total = _sdk.write_table_files(
        OUT, "ResultShapeTables", header, "Encoded tables whose name starts with `{letter}` (format: scripts/generate-result-shapes.py).",
        {name: table.text() for name, table in tables.items()})
    lines = [header, "extension ResultShapeTables {",
             "    /// Every encoded table, by name (`optimized`, or an SDK service name such as `dynamodb`).",
             *_sdk.merged_tables_lines(letters), "",
             "    /// JSON-protocol services left out for size; their aws-sdk actions are not validated.",
             "    static let omittedServices: [String] = [" + ", ".join(json.dumps(s.split(" ")[0]) for s in skipped) + "]",
             "}", ""]
    with open(os.path.join(OUT, "ResultShapeTables+Index.swift"), "w") as f:
        f.write("\n".join(lines))
    print(f"wrote {len(tables)} tables ({total // 1000} kB) to {os.path.relpath(OUT, ROOT)}; omitted: {', '.join(skipped) or 'none'}")


if __name__ == "__main__":
    main()
