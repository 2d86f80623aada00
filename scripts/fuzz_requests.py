#!/usr/bin/env python3
"""Send malformed AWS JSON 1.0 requests to a running steplocal server and check every answer.

Each request is one of: bad JSON, wrong member types, huge strings, missing required members,
unknown actions, wrong or missing X-Amz-Target, binary garbage. None of them is a valid call, so
each must get an AWS-shaped error: a 4xx status and a JSON object body with a string `__type` and
a string `message`. The server must never crash (connection refused) or hang (no answer within
--timeout seconds).

Loopback only; bounded in count (-n) and time (--max-seconds). Prints one line per failure (up to
--show) and finally 'N passed, N failed'. Exit code 0 only if nothing failed.

  python3 scripts/fuzz_requests.py --endpoint http://127.0.0.1:8083 -n 100000
"""

from __future__ import annotations

import argparse
import http.client
import ipaddress
import json
import random
import socket
import sys
import time
from urllib.parse import urlparse

TARGET_PREFIX = "AWSStepFunctions."
CONTENT_TYPE = "application/x-amz-json-1.0"


def load_model():
    """Operations and their input shapes from botocore's service model, when botocore is installed."""
    try:
        import botocore.session
        return botocore.session.get_session().get_service_model("stepfunctions")
    except Exception:
        return None


FALLBACK_REQUIRED = {
    "CreateStateMachine": ["name", "definition", "roleArn"], "DescribeStateMachine": ["stateMachineArn"],
    "StartExecution": ["stateMachineArn"], "DescribeExecution": ["executionArn"], "StopExecution": ["executionArn"],
    "CreateActivity": ["name"], "SendTaskSuccess": ["taskToken", "output"], "TagResource": ["resourceArn", "tags"],
    "GetExecutionHistory": ["executionArn"], "ValidateStateMachineDefinition": ["definition"], "TestState": ["definition"],
}


class Generator:
    def __init__(self, rng: random.Random):
        self.rng = rng
        model = load_model()
        self.ops: dict[str, dict] = {}  # op -> {member: type_name}, required list
        if model is not None:
            for name in model.operation_names:
                shape = model.operation_model(name).input_shape
                members = {m: s.type_name for m, s in shape.members.items()} if shape else {}
                required = list(shape.required_members) if shape else []
                self.ops[name] = {"members": members, "required": required}
        else:
            for name, req in FALLBACK_REQUIRED.items():
                self.ops[name] = {"members": {m: "string" for m in req}, "required": req}
        # Only operations with required members: an empty body is then always an error.
        self.required_ops = [op for op, info in self.ops.items() if info["required"]]
        self.kinds = [self.bad_json, self.wrong_types, self.huge_strings, self.missing_members,
                      self.unknown_action, self.wrong_target, self.binary_garbage, self.non_object_json]

    def target(self, op):
        return {"X-Amz-Target": TARGET_PREFIX + op, "Content-Type": CONTENT_TYPE}

    def valid_ish_body(self, op):
        body = {}
        for m, t in self.ops[op]["members"].items():
            body[m] = self.value_of(t)
        return body

    def value_of(self, type_name):
        r = self.rng
        return {"string": "x", "integer": 1, "long": 1, "boolean": True, "double": 1.5, "float": 1.5,
                "list": [], "structure": {}, "map": {}, "timestamp": 0, "blob": "AA=="}.get(type_name, "x")

    def wrong_value_for(self, type_name):
        r = self.rng
        choices = {
            "string": [123, 1.5, True, [], {"a": 1}],
            "integer": ["seven", 1.5e300, [], {}, True, -(2 ** 70)],
            "long": ["seven", [], {}, True],
            "boolean": ["yes", 1, [], {}],
            "double": ["x", [], {}],
            "float": ["x", [], {}],
            "list": ["x", 1, {"a": 1}, [1, "x", None, {"k": []}]],
            "structure": ["x", 1, [1, 2], True],
            "map": ["x", 1, [1]],
            "timestamp": ["yesterday", [], {}],
            "blob": [1, [], {}],
        }.get(type_name, [1])
        return r.choice(choices)

    # -- request kinds: each returns (kind, headers, body bytes) --

    def bad_json(self):
        op = self.rng.choice(self.required_ops)
        text = json.dumps(self.valid_ish_body(op))
        r = self.rng.random()
        if r < 0.3 and len(text) > 1:
            text = text[: self.rng.randrange(1, len(text))]  # truncated
        elif r < 0.5:
            text = self.rng.choice(['{"a":}', "{,}", "{'single': 'quotes'}", '{"a" 1}', "[1,2", '{"a":NaN}',
                                    '{"a":1,}', "nul", '{"a":"\\x"}', '{"a":"\\ud800"}', "{}}", '{"a":01}', '"'])
        elif r < 0.65:
            depth = self.rng.choice([100, 1000, 10000, 100000])
            text = "[" * depth + "]" * self.rng.choice([0, depth])  # deep nesting, closed or not
        elif r < 0.8:
            text = text.replace(":", "=", 1) if ":" in text else "{=}"
        else:
            text = text + self.rng.choice(["garbage", "}", ",", "\x00"])
        return "bad_json", self.target(op), text.encode("utf-8", "surrogatepass")

    def non_object_json(self):
        op = self.rng.choice(self.required_ops)
        text = self.rng.choice(["null", "[]", "1", '"str"', "true", "[{}]"])
        return "non_object_json", self.target(op), text.encode()

    def wrong_types(self):
        op = self.rng.choice(self.required_ops)
        info = self.ops[op]
        body = self.valid_ish_body(op)
        for m in info["required"]:
            body[m] = self.wrong_value_for(info["members"].get(m, "string"))
        return "wrong_types", self.target(op), json.dumps(body).encode()

    def huge_strings(self):
        op = self.rng.choice(self.required_ops)
        info = self.ops[op]
        body = {}
        # mostly moderate, now and then past the API's 1 MiB definition / 256 KiB input limits
        size = self.rng.choice([1000, 1000, 1000, 10_000, 10_000, 100_000, 300_000])
        if self.rng.random() < 0.02:
            size = self.rng.choice([1_100_000, 3_000_000])
        ch = self.rng.choice(["a", "é", "\u2603", "\\", '"', "\u0000"])
        for m in info["required"][:-1]:  # the last required member stays missing: always an error
            body[m] = ch * size if info["members"].get(m) == "string" else self.value_of(info["members"].get(m))
        body["unknownMember" + str(self.rng.randrange(100))] = "z" * self.rng.choice([10, 100_000])
        return "huge_strings", self.target(op), json.dumps(body).encode()

    def missing_members(self):
        op = self.rng.choice(self.required_ops)
        info = self.ops[op]
        body = self.valid_ish_body(op)
        for m in self.rng.sample(info["required"], k=self.rng.randint(1, len(info["required"]))):
            body.pop(m, None)
        if self.rng.random() < 0.3:
            body = {}
        return "missing_members", self.target(op), json.dumps(body).encode()

    def unknown_action(self):
        name = self.rng.choice(["FooBar", "ListStateMachine", "listStateMachines", "", "DescribeStateMachine2",
                                "../etc/passwd", "List StateMachines", "A" * 5000, "Create\u00e9Activity"])
        headers = {"X-Amz-Target": TARGET_PREFIX + name, "Content-Type": CONTENT_TYPE}
        return "unknown_action", headers, b"{}"

    def wrong_target(self):
        op = self.rng.choice(self.required_ops)
        variants = [
            {"Content-Type": CONTENT_TYPE},  # no target at all
            {"X-Amz-Target": op, "Content-Type": CONTENT_TYPE},
            {"X-Amz-Target": "AWSLambda." + op, "Content-Type": CONTENT_TYPE},
            {"X-Amz-Target": "AWSStepFunctions", "Content-Type": CONTENT_TYPE},
            {"X-Amz-Target": "AWSStepFunctions..", "Content-Type": CONTENT_TYPE},
            {"X-Amz-Target": "", "Content-Type": CONTENT_TYPE},
        ]
        return "wrong_target", self.rng.choice(variants), b"{}"

    def binary_garbage(self):
        op = self.rng.choice(self.required_ops)
        n = self.rng.choice([1, 16, 1024, 65536])
        body = self.rng.randbytes(n)
        if body[:1] in (b"{", b"["):
            body = b"\xff" + body
        return "binary_garbage", self.target(op), body

    def next(self):
        return self.rng.choice(self.kinds)()


def check(status, body: bytes) -> str | None:
    """None if the answer is an AWS-shaped client error, else what is wrong with it."""
    if not 400 <= status < 500:
        return f"status {status}"
    try:
        doc = json.loads(body)
    except ValueError:
        return f"body is not JSON: {body[:120]!r}"
    if not isinstance(doc, dict):
        return f"body is not an object: {body[:120]!r}"
    if not isinstance(doc.get("__type"), str) or not doc["__type"]:
        return f"no __type: {body[:160]!r}"
    if not isinstance(doc.get("message"), str):
        return f"no message: {body[:160]!r}"
    return None


def loopback_only(host: str):
    try:
        addr = ipaddress.ip_address(socket.gethostbyname(host))
    except (OSError, ValueError):
        sys.exit(f"cannot resolve {host}")
    if not addr.is_loopback:
        sys.exit(f"refusing to fuzz {host} ({addr}): loopback addresses only")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--endpoint", default="http://127.0.0.1:8083")
    ap.add_argument("-n", "--requests", type=int, default=100_000)
    ap.add_argument("--max-seconds", type=float, default=900.0, help="stop sending after this long (default 900)")
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for one answer; longer is a hang")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--show", type=int, default=20, help="print at most this many failures")
    args = ap.parse_args(argv)

    url = urlparse(args.endpoint)
    host, port = url.hostname or "127.0.0.1", url.port or 80
    loopback_only(host)
    gen = Generator(random.Random(args.seed))

    conn = None
    passed = failed = shown = 0
    by_kind: dict[str, list[int]] = {}
    t0 = time.monotonic()
    fatal = None
    for i in range(args.requests):
        if time.monotonic() - t0 > args.max_seconds:
            print(f"time budget of {args.max_seconds}s reached after {i} requests", file=sys.stderr)
            break
        kind, headers, body = gen.next()
        problem = None
        for attempt in (1, 2):
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(host, port, timeout=args.timeout)
                conn.request("POST", "/", body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                problem = check(resp.status, data)
                if resp.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
                break
            except socket.timeout:
                problem = f"no answer within {args.timeout}s (hang)"
                conn.close()
                conn = None
                break
            except (ConnectionError, http.client.HTTPException, OSError) as err:
                # The server may close a keep-alive connection after an error; one retry on a new one.
                if conn is not None:
                    conn.close()
                conn = None
                if attempt == 2:
                    problem = f"connection failed: {err!r}"
                    fatal = problem if isinstance(err, ConnectionRefusedError) else None
        slot = by_kind.setdefault(kind, [0, 0])
        if problem is None:
            passed += 1
            slot[0] += 1
        else:
            failed += 1
            slot[1] += 1
            if shown < args.show:
                shown += 1
                print(f"FAIL #{i} {kind} {headers.get('X-Amz-Target', '<no target>')[:60]} "
                      f"body[:60]={body[:60]!r}: {problem}", flush=True)
        if fatal:
            print(f"server is gone (connection refused) after {i + 1} requests: stopping", file=sys.stderr)
            break
    elapsed = time.monotonic() - t0
    for kind, (p, f) in sorted(by_kind.items()):
        print(f"  {kind:16} {p} passed, {f} failed")
    print(f"{passed + failed} requests in {elapsed:.1f}s ({(passed + failed) / max(elapsed, 1e-9):.0f}/s)")
    print(f"{passed} passed, {failed} failed", flush=True)
    return 0 if failed == 0 and fatal is None else 1


if __name__ == "__main__":
    sys.exit(main())
