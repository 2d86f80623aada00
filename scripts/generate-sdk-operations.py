#!/usr/bin/env python3
"""Generates the operation tables StepLocal forwards `arn:aws:states:::aws-sdk:SERVICE:action` with.

For every JSON-protocol service botocore ships (AWS JSON 1.0/1.1: DynamoDB, Step Functions,
Secrets Manager, ECS, EventBridge, CloudWatch Logs, KMS, SQS, ...), one table says how to call
it and how to translate between the names a state machine uses and the names on the wire:

* Step Functions' aws-sdk integrations are built on the AWS SDK for Java v2, so a state machine
  names every member as that SDK's getter, capitalized ("Parameters in Step Functions are
  expressed in PascalCase, even if the native service API is in camelCase";
  https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html): the
  leading capitals of a member are one acronym (`SSEDescription` -> `SseDescription`, DynamoDB's
  `BOOL` -> `Bool`, `SS` -> `Ss`), Java keywords and Object methods gain `Value` (`Equals` ->
  `EqualsValue`, as that page says), and DynamoDB's `NULL` is `Nul` (the Java SDK renames it).
  Requests are translated to the wire names and answers back, following the shapes, so map keys
  (DynamoDB attribute names, tags) are never touched.
* Errors are named `JavaService.ExceptionClass` (`DynamoDb.ConditionalCheckFailedException`,
  `SecretsManager.SecretsManagerException` for a code the model does not declare), as recorded on
  AWS; the table lists each service's declared error codes and their Java class names.

Table encoding: {"meta": [endpointPrefix, signingName, targetPrefix, jsonVersion, javaService],
"ops": {action: [Operation, inputRef, outputRef]}, "errors": {code: class}, "shapes": [...]}; a ref
is a primitive code ("s" any scalar, "t" timestamp, "B" blob, "d" document) or an index into
`shapes`: ["l", ref], ["m", ref] (string keys, kept), ["o", [member, ...]] where a member is
[stepFunctionsName, wireName, ref], or [name, ref] when both names are the same.

Size: services whose table exceeds SKIP_ABOVE bytes are left out (their aws-sdk actions fail
loudly, naming the service); with botocore 1.43 that is SageMaker alone.

Usage: python3 scripts/generate-sdk-operations.py
       (rewrites Sources/StepLocalIntegrations/RealEndpoints/AWSSDK/Generated/)
"""
import glob
import gzip
import json
import os
import re

import botocore

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Sources", "StepLocalIntegrations", "RealEndpoints", "AWSSDK", "Generated")
DATA = os.path.join(os.path.dirname(botocore.__file__), "data")
SKIP_ABOVE = 150_000
PRIMITIVES = {"timestamp": "t", "blob": "B", "document": "d"}
# Java keywords and java.lang.Object methods a getter cannot be named after: the SDK appends "Value".
JAVA_RESERVED = {
    "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const", "continue", "default",
    "do", "double", "else", "enum", "extends", "final", "finally", "float", "for", "goto", "if", "implements", "import",
    "instanceof", "int", "interface", "long", "native", "new", "package", "private", "protected", "public", "return",
    "short", "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try",
    "void", "volatile", "while", "true", "false", "equals", "hashcode", "tostring", "getclass", "wait", "notify",
    "notifyall", "clone", "finalize",
}
# Members the Java SDK renames by customization (service, structure, member) -> getter.
CUSTOM = {("dynamodb", "AttributeValue", "NULL"): "nul", ("dynamodbstreams", "AttributeValue", "NULL"): "nul"}


def un_capitalize(name):
    """The Java SDK v2's getter name: the leading run of capitals is lower-cased as one acronym,
    except a capital that starts the next word (`SSEDescription` -> `sseDescription`)."""
    i, out = 0, ""
    while True:
        out += name[i].lower()
        i += 1
        if not (i < len(name) and name[i].isupper() and not (i < len(name) - 1 and name[i + 1].islower())):
            break
    return out + name[i:]


def step_functions_name(service, structure, member):
    getter = CUSTOM.get((service, structure, member)) or un_capitalize(re.sub(r"[^A-Za-z0-9]", "", member))
    if getter.lower() in JAVA_RESERVED:
        getter += "Value"
    return getter[:1].upper() + getter[1:]


def java_service_name(service_id):
    """`DynamoDB` -> `DynamoDb`, `Secrets Manager` -> `SecretsManager`, `SFN` -> `Sfn`: the SDK's
    client prefix, which Step Functions puts before error names."""
    text = re.sub(r"[^A-Za-z0-9]+", " ", service_id)
    text = " ".join(re.split(r"(?<=[a-z])(?=[A-Z]([a-zA-Z]|[0-9]))", text)[::2])
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", text)
    text = re.sub(r"([0-9])([a-zA-Z])", r"\1 \2", text)
    return "".join(w[:1].upper() + w[1:].lower() for w in text.split())


def sdk_name(model):
    return re.sub(r"[^a-z0-9]", "", model["metadata"]["serviceId"].lower())


class Table:
    def __init__(self, model, service):
        self.model, self.service = model, service
        self.shapes, self.index = [], {}

    def ref(self, name):
        shape = self.model["shapes"][name]
        kind = shape["type"]
        if kind in ("structure", "list", "map"):
            if name in self.index:
                return self.index[name]
            self.index[name] = len(self.shapes)
            self.shapes.append(None)
            if kind == "list":
                encoded = ["l", self.ref(shape["member"]["shape"])]
            elif kind == "map":
                encoded = ["m", self.ref(shape["value"]["shape"])]
            else:
                members = []
                for m, v in shape.get("members", {}).items():
                    sfn = step_functions_name(self.service, name, m)
                    members.append([m, self.ref(v["shape"])] if sfn == m else [sfn, m, self.ref(v["shape"])])
                encoded = ["o", members]
            self.shapes[self.index[name]] = encoded
            return self.index[name]
        return PRIMITIVES.get(kind, "s")


def write_table_files(out, type_name, header, letter_doc, texts):
    """Writes `texts` (table name -> encoded JSON text) as `extension TYPE { static let tables_X }`,
    one file per first letter (small enough to open in an editor), after removing every generated
    file in `out`. Returns the letters written and the total size of the texts. Shared with
    scripts/generate-result-shapes.py."""
    os.makedirs(out, exist_ok=True)
    for old in glob.glob(os.path.join(out, "*.swift")):
        os.remove(old)
    groups = {}
    for name in sorted(texts):
        groups.setdefault(name[0], []).append(name)
    total = 0
    for letter, group in sorted(groups.items()):
        lines = [header, f"extension {type_name} {{", f"    /// {letter_doc.format(letter=letter)}",
                 f"    static let tables_{letter}: [String: String] = ["]
        for name in group:
            total += len(texts[name])
            lines.append(f"        {json.dumps(name)}: #\"{texts[name]}\"#,")
        lines += ["    ]", "}", ""]
        with open(os.path.join(out, f"{type_name}+{letter}.swift"), "w") as f:
            f.write("\n".join(lines))
    return sorted(groups), total


def merged_tables_lines(letters):
    """The body of `static let encoded`: every per-letter table merged into one dictionary."""
    return ["    static let encoded: [String: String] = {", "        var all: [String: String] = [:]",
            *[f"        all.merge(tables_{letter}) {{ first, _ in first }}" for letter in letters],
            "        return all", "    }()"]


def main():
    tables, skipped, env_names = {}, [], {}
    for folder in sorted(os.listdir(DATA)):
        paths = sorted(glob.glob(os.path.join(DATA, folder, "*", "service-2.json.gz")))
        if not paths:
            continue
        with gzip.open(paths[-1]) as f:
            model = json.load(f)
        meta = model["metadata"]
        if meta.get("protocol") != "json" or not meta.get("targetPrefix"):
            continue
        name = sdk_name(model)
        t = Table(model, name)
        ops = {}
        for op, o in sorted(model["operations"].items()):
            action = op[:1].lower() + op[1:]
            ops[action] = [op, t.ref(o["input"]["shape"]) if "input" in o else "s", t.ref(o["output"]["shape"]) if "output" in o else "s"]
        errors = {}
        for shape_name, shape in model["shapes"].items():
            if shape.get("exception"):
                code = shape.get("error", {}).get("code", shape_name)
                errors[code] = shape_name if shape_name.endswith("Exception") else shape_name + "Exception"
        java = java_service_name(meta["serviceId"])
        if len(json.dumps(t.shapes, separators=(",", ":"))) > SKIP_ABOVE:
            skipped.append(name)
            continue
        env_names[name] = re.sub(r"[^A-Z0-9]+", "_", meta["serviceId"].upper()).strip("_")
        tables[name] = {
            "meta": [meta["endpointPrefix"], meta.get("signingName", meta["endpointPrefix"]), meta["targetPrefix"],
                     meta.get("jsonVersion", "1.0"), java],
            "ops": ops, "errors": errors, "shapes": t.shapes,
        }
    header = f"// Generated by scripts/generate-sdk-operations.py from botocore {botocore.__version__}'s service models. Do not edit by hand.\n"
    texts = {name: json.dumps(table, separators=(",", ":")) for name, table in tables.items()}
    letters, total = write_table_files(
        OUT, "SDKOperationTables", header, "Encoded tables of the services whose name starts with `{letter}` (format: scripts/generate-sdk-operations.py).",
        texts)
    lines = [header, "extension SDKOperationTables {", "    /// Every encoded table, by the service name aws-sdk resources use (`dynamodb`, `sfn`, ...).",
             *merged_tables_lines(letters), "",
             "    /// The SDKs' endpoint variable per service, `AWS_ENDPOINT_URL_` + this (from the service id).",
             "    static let environmentNames: [String: String] = [",
             *[f"        {json.dumps(n)}: {json.dumps(env_names[n])}," for n in sorted(env_names)],
             "    ]", "",
             "    /// JSON-protocol services left out for size: their aws-sdk actions are refused, naming them.",
             "    static let omittedServices: [String] = [" + ", ".join(json.dumps(s) for s in skipped) + "]", "}", ""]
    with open(os.path.join(OUT, "SDKOperationTables+Index.swift"), "w") as f:
        f.write("\n".join(lines))
    print(f"wrote {len(tables)} services ({total // 1000} kB) to {os.path.relpath(OUT, ROOT)}; omitted: {', '.join(skipped) or 'none'}")


if __name__ == "__main__":
    main()
