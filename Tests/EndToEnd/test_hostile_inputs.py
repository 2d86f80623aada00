"""One request must not take the server down: inputs deeper and larger than every limit get an
AWS-shaped error (or a failed execution with AWS's error name), and the server keeps answering.

Each of these once killed the process with SIGSEGV (stack overflow) or held it for minutes. The
session-wide `server` fixture fails the whole run if the process dies, so a regression here is loud.
"""

import http.client
import json
import time

import pytest

from conftest import ROLE_ARN, pass_definition, unique


def post(server, action, body):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    conn.request("POST", "/", body=data, headers={
        "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": f"AWSStepFunctions.{action}"})
    resp = conn.getresponse()
    payload = resp.read()
    conn.close()
    return resp.status, json.loads(payload) if payload else {}


def still_serving(server):
    """The process is alive and answers an ordinary request."""
    assert server.alive(), server.tail()
    status, doc = post(server, "ListStateMachines", {"maxResults": 1})
    assert status == 200, doc


def create(server, definition, type_="EXPRESS"):
    text = definition if isinstance(definition, str) else json.dumps(definition)
    return post(server, "CreateStateMachine", {
        "name": unique("hostile"), "definition": text, "roleArn": ROLE_ARN, "type": type_})


def run_sync(server, definition, input_="{}"):
    status, doc = create(server, definition)
    assert status == 200, doc
    status, result = post(server, "StartSyncExecution", {"stateMachineArn": doc["stateMachineArn"], "input": input_})
    assert status == 200, result
    post(server, "DeleteStateMachine", {"stateMachineArn": doc["stateMachineArn"]})
    return result


def jsonata_pass(expression):
    return {"QueryLanguage": "JSONata", "StartAt": "P",
            "States": {"P": {"Type": "Pass", "Output": "{% " + expression + " %}", "End": True}}}


def test_request_body_nested_100000_deep(server):
    status, doc = post(server, "ListStateMachines", b"[" * 100_000)
    assert status == 400 and doc["__type"] == "SerializationException", doc
    still_serving(server)


def test_execution_input_nested_100000_deep(server):
    status, doc = create(server, pass_definition())
    status, doc = post(server, "StartSyncExecution", {
        "stateMachineArn": doc["stateMachineArn"], "input": "[" * 100_000 + "]" * 100_000})
    assert status == 400 and doc["__type"] == "InvalidExecutionInput", doc
    still_serving(server)


@pytest.mark.parametrize("expression", [
    "+".join(["1"] * 50_000),
    "(" * 100_000 + "1" + ")" * 100_000,
    "[" * 100_000 + "1" + "]" * 100_000,
    "-" * 100_000 + "1",
], ids=["50000-term-chain", "nested-parentheses", "nested-arrays", "negations"])
def test_jsonata_expressions_too_deep_to_parse(server, expression):
    status, doc = create(server, jsonata_pass(expression))
    assert status == 400 and doc["__type"] == "InvalidDefinition", doc
    assert "too deeply nested" in doc["message"], doc["message"][-300:]
    still_serving(server)


@pytest.mark.parametrize("expression, code", [
    ("$reduce([1..100000], function($a, $v){ {'a': $a} }, {})", "U1002"),
    ("($f := function($n, $acc){ $n = 0 ? $acc : $f($n - 1, [[$acc]]) }; $f(100000, 0))", "U1002"),
    ("$eval($states.input.e)", "D3120: Syntax error in expression passed to function eval: Expression too deeply nested"),
    ("$pad('', 1e9)", "U1003"),
    ("$reduce([1..40], function($a, $v){ $a & $a }, 'x')", "U1003"),
    ("$match('" + "a" * 40 + "b', /(.*a){12}$/)", "U1001"),
    ("($f := function($n){ $f($n + 1) }; $f(0))", "U1001"),
], ids=["reduce-wrapping", "tail-call-wrapping", "eval-50000-terms", "pad-1e9", "string-doubling",
        "catastrophic-regex", "endless-tail-loop"])
def test_jsonata_evaluations_that_would_crash_or_hang_fail_the_execution(server, expression, code):
    result = run_sync(server, jsonata_pass(expression), json.dumps({"e": "+".join(["1"] * 50_000)}))
    assert result["status"] == "FAILED", result
    assert result["error"] == "States.QueryEvaluationError", result
    assert code in result["cause"], result["cause"][-300:]
    still_serving(server)


@pytest.mark.parametrize("field, path", [
    ("ResultPath", "$" + ".a" * 10_000),
    ("InputPath", "$" + ".a" * 10_000),
    ("InputPath", "$[?(" + "(" * 10_000 + "@.a == 1" + ")" * 10_000 + ")]"),
    ("InputPath", "$[?(" + " && ".join(["@.a == 1"] * 10_000) + ")]"),
], ids=["result-path-10000-steps", "input-path-10000-steps", "filter-parentheses", "filter-and-chain"])
def test_jsonpaths_too_deep_are_invalid_definitions(server, field, path):
    status, doc = create(server, {"StartAt": "P", "States": {"P": {"Type": "Pass", field: path, "End": True}}})
    assert status == 400 and doc["__type"] == "InvalidDefinition", doc
    still_serving(server)


def test_parallel_nested_1000_deep_is_an_invalid_definition(server):
    text = '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}'
    for _ in range(1000):
        text = '{"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[' + text + '],"End":true}}}'
    status, doc = create(server, text)
    assert status == 400 and doc["__type"] == "InvalidDefinition", doc
    still_serving(server)


def test_parallel_nested_100_deep_runs(server):
    text = '{"StartAt":"P","States":{"P":{"Type":"Pass","Result":"deep","End":true}}}'
    for _ in range(100):
        text = '{"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[' + text + '],"OutputPath":"$[0]","End":true}}}'
    result = run_sync(server, text)
    assert result["status"] == "SUCCEEDED", result
    assert json.loads(result["output"]) == "deep"


def test_long_evaluations_in_background_executions_do_not_stall_requests(server):
    """Four executions each holding a thread with a 2 s catastrophic regex (more than the cores of
    our machines): requests are still answered at once, since background executions run on threads
    of their own, and each execution fails with the evaluation's timeout."""
    status, doc = create(server, jsonata_pass("$match('" + "a" * 40 + "b', /(.*a){12}$/)"), type_="STANDARD")
    assert status == 200, doc
    arns = []
    for _ in range(4):
        status, started = post(server, "StartExecution", {"stateMachineArn": doc["stateMachineArn"]})
        assert status == 200, started
        arns.append(started["executionArn"])
    slowest = 0.0
    for _ in range(10):
        began = time.monotonic()
        still_serving(server)
        slowest = max(slowest, time.monotonic() - began)
        time.sleep(0.1)
    # Not a speed figure: before, these requests waited for the evaluations (seconds).
    assert slowest < 1.0, f"a request waited {slowest:.2f} s behind the evaluations"
    for arn in arns:
        deadline = time.monotonic() + 30
        while True:
            status, described = post(server, "DescribeExecution", {"executionArn": arn})
            if described.get("status") != "RUNNING" or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert described["status"] == "FAILED", described
        assert described["error"] == "States.QueryEvaluationError"
        assert "U1001" in described["cause"]
