"""The wire protocol as raw HTTP: AWS JSON 1.0 framing, error shapes, health, and a short fuzz run."""

import http.client
import json
import subprocess
import sys

import pytest

from conftest import REPO, pass_definition


def post(server, target, body, content_type="application/x-amz-json-1.0"):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    headers = {"Content-Type": content_type}
    if target is not None:
        headers["X-Amz-Target"] = target
    conn.request("POST", "/", body=body if isinstance(body, bytes) else body.encode(), headers=headers)
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp, data


def assert_aws_error(resp, data, type_, status=400):
    assert resp.status == status, data
    doc = json.loads(data)
    assert doc["__type"] == type_, doc
    assert isinstance(doc["message"], str)


def test_health(server):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    conn.request("GET", "/health")
    assert conn.getresponse().status == 200


def test_success_response_framing(server):
    resp, data = post(server, "AWSStepFunctions.ListStateMachines", "{}")
    assert resp.status == 200
    assert resp.getheader("Content-Type", "").startswith("application/x-amz-json-1.0")
    assert "stateMachines" in json.loads(data)


def test_request_id_header(server, sfn):
    resp, _ = post(server, "AWSStepFunctions.ListStateMachines", "{}")
    assert resp.getheader("x-amzn-RequestId")
    resp, _ = post(server, "AWSStepFunctions.MakeCoffee", "{}")
    assert resp.getheader("x-amzn-RequestId")
    assert sfn.list_state_machines()["ResponseMetadata"]["RequestId"]


def test_unknown_operation(server):
    resp, data = post(server, "AWSStepFunctions.MakeCoffee", "{}")
    assert_aws_error(resp, data, "UnknownOperationException")


def test_malformed_json_is_serialization_exception(server):
    resp, data = post(server, "AWSStepFunctions.ListStateMachines", "{not json")
    assert_aws_error(resp, data, "SerializationException")


def test_wrong_member_type(server):
    resp, data = post(server, "AWSStepFunctions.ListStateMachines", json.dumps({"maxResults": "ten"}))
    assert resp.status == 400
    assert json.loads(data)["__type"] in {"SerializationException", "ValidationException"}


def test_missing_required_member_message(server):
    resp, data = post(server, "AWSStepFunctions.DescribeStateMachine", "{}")
    assert_aws_error(resp, data, "ValidationException")
    assert json.loads(data)["message"] == (
        "1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: "
        "Member must not be null")


def test_unknown_members_are_ignored(server):
    body = json.dumps({"maxResults": 5, "someFutureMember": {"x": 1}})
    resp, data = post(server, "AWSStepFunctions.ListStateMachines", body)
    assert resp.status == 200, data


def test_sigv4_credential_scope_sets_region(server):
    """The region in the SigV4 credential scope lands in the ARNs, as Step Functions Local does."""
    name = "region-scope-test"
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    auth = ("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/eu-west-3/states/aws4_request, "
            "SignedHeaders=host;x-amz-date, Signature=" + "0" * 64)
    body = json.dumps({"name": name, "definition": pass_definition(),
                       "roleArn": "arn:aws:iam::123456789012:role/x"})
    conn.request("POST", "/", body=body, headers={"Content-Type": "application/x-amz-json-1.0",
                                                 "X-Amz-Target": "AWSStepFunctions.CreateStateMachine",
                                                 "Authorization": auth})
    resp = conn.getresponse()
    doc = json.loads(resp.read())
    assert resp.status == 200, doc
    assert doc["stateMachineArn"] == f"arn:aws:states:eu-west-3:123456789012:stateMachine:{name}"
    conn.request("POST", "/", body=json.dumps({"stateMachineArn": doc["stateMachineArn"]}),
                 headers={"Content-Type": "application/x-amz-json-1.0",
                          "X-Amz-Target": "AWSStepFunctions.DeleteStateMachine", "Authorization": auth})
    assert conn.getresponse().status == 200


def test_fuzz_short_run(server):
    """2,000 malformed requests: every one gets an AWS-shaped 4xx, and the server survives."""
    proc = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "fuzz_requests.py"), "--endpoint", server.endpoint,
         "-n", "2000", "--max-seconds", "240", "--seed", "7"],
        capture_output=True, text=True, timeout=300,
    )
    print(proc.stdout[-3000:])
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert server.alive()
    test_health(server)
