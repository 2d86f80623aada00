"""Real integrations (issue 13): Task calls forwarded to real endpoints, signed with SigV4.

moto's server stands in for DynamoDB, SQS and SNS (`python3 -m moto.server` on a free loopback port,
started and stopped by a fixture here); a small Lambda-compatible invoke endpoint written below
(`POST /2015-03-31/functions/NAME/invocations`, what `sam local start-lambda` serves) stands in for
Lambda. StepLocal is started with `--endpoint dynamodb=... --endpoint sqs=... --endpoint sns=...` and
`LAMBDA_ENDPOINT` (Step Functions Local's variable), plus a mock config, to show that a mock for a
state still wins. Every check reads the services back with boto3, as a user would.
"""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

import boto3
import pytest

from conftest import ACCOUNT, REGION, ROLE_ARN, free_port, unique, wait_for_status
from test_scenarios_mocks import ConfiguredServer

MOTO_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


# ---------------------------------------------------------------------------------------------
# The stand-in services
# ---------------------------------------------------------------------------------------------

class Moto:
    """moto's server on a free loopback port (`python3 -m moto.server`)."""

    def __init__(self):
        try:
            import moto.server  # noqa: F401
        except ImportError:
            # A missing real service is a failure, never a silent pass.
            pytest.fail("moto[server] is not installed: `pip install 'moto[server]'` (.ci/run installs it)")
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while True:
            try:
                self.moto_api("GET", "/moto-api/")
                return
            except OSError:
                assert self.proc.poll() is None, f"moto exited with {self.proc.returncode}"
                assert time.monotonic() < deadline, "moto did not answer within 30 s"
                time.sleep(0.1)

    def moto_api(self, method, path, body=None):
        conn = http.client.HTTPConnection("127.0.0.1", int(self.url.rsplit(":", 1)[1]), timeout=5)
        conn.request(method, path, body=body)
        answer = conn.getresponse().read()
        conn.close()
        return answer

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture(scope="module")
def moto_endpoint():
    """One moto for the module; stopped afterwards."""
    moto = Moto()
    yield moto.url
    moto.stop()


class LambdaStandIn(BaseHTTPRequestHandler):
    """Lambda's Invoke as `sam local start-lambda` serves it. Functions: `echo` returns its payload,
    `fail` raises (a function error), `slow` takes 3 s, `token` keeps the payload (a task token) for
    the test; any other name is not found. Every request is kept, headers included."""

    requests: list[dict] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        parts = self.path.split("?")[0].split("/")
        name = unquote(parts[3]) if len(parts) > 4 and parts[1:3] == ["2015-03-31", "functions"] else ""
        name = name.split(":function:")[-1].split(":")[0]  # a function ARN (the legacy resource) names it last
        LambdaStandIn.requests.append({"path": self.path, "headers": dict(self.headers), "body": body.decode()})
        if name == "echo":
            return self.answer(200, body or b"{}", {"X-Amz-Executed-Version": "$LATEST"})
        if name == "slow":
            time.sleep(3)
            return self.answer(200, b"{}")
        if name == "token":
            return self.answer(200, b"null", {"X-Amz-Executed-Version": "$LATEST"})
        if name == "fail":
            payload = json.dumps({"errorMessage": "boom", "errorType": "CustomError", "stackTrace": []}, separators=(",", ":"))
            return self.answer(200, payload.encode(), {"X-Amz-Function-Error": "Unhandled", "X-Amz-Executed-Version": "$LATEST"})
        message = f"Function not found: arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}"
        return self.answer(404, json.dumps({"Type": "User", "Message": message}).encode(),
                           {"x-amzn-ErrorType": "ResourceNotFoundException"})

    def answer(self, status, body, headers=None):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amzn-RequestId", "lambda-request-1")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass  # the caller gave up (a Task timeout)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def lambda_endpoint():
    server = ThreadingHTTPServer(("127.0.0.1", 0), LambdaStandIn)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def aws(moto_endpoint):
    """boto3 clients for the services moto plays."""
    def client(name):
        return boto3.client(name, endpoint_url=moto_endpoint, region_name=REGION, **MOTO_CREDENTIALS)
    return {name: client(name) for name in ("dynamodb", "sqs", "sns", "secretsmanager")}


MOCK_CONFIG = {
    "StateMachines": {"RealPutGet": {"TestCases": {"MockedPut": {"Put": "PutAnswer"}}}},
    # A putItem result as DynamoDB shapes it (mocks are checked against the service's model).
    "MockedResponses": {"PutAnswer": {"0": {"Return": {"ConsumedCapacity": {"TableName": "mocked", "CapacityUnits": 1}}}}},
}


@pytest.fixture(scope="module")
def sfn(server, moto_endpoint, lambda_endpoint, tmp_path_factory):
    """A StepLocal whose DynamoDB, SQS and SNS are moto and whose Lambda is the stand-in."""
    mocks = tmp_path_factory.mktemp("real-endpoints") / "mocks.json"
    mocks.write_text(json.dumps(MOCK_CONFIG))
    args = ["--mock-config", str(mocks)]
    for service in ("dynamodb", "sqs", "sns", "secretsmanager"):
        args += ["--endpoint", f"{service}={moto_endpoint}"]
    env = {"LAMBDA_ENDPOINT": lambda_endpoint, **{k.upper(): v for k, v in MOTO_CREDENTIALS.items()}}
    srv = ConfiguredServer(server.binary, tmp_path_factory.mktemp("real-endpoints-server") / "steplocal.log", args, env)
    srv.start()
    client = boto3.client("stepfunctions", endpoint_url=srv.endpoint, region_name=REGION, **MOTO_CREDENTIALS)
    yield client
    crashed = not srv.alive()
    srv.stop()
    assert not crashed, f"steplocal died: {srv.tail()}"


def run(sfn, definition, input=None, name="RealEndpoints", test_case=None, timeout=20.0):
    # A mock config names its state machine: a test case runs on a machine of exactly that name.
    machine = name if test_case else unique(name)
    arn = sfn.create_state_machine(name=machine, definition=json.dumps(definition), roleArn=ROLE_ARN)["stateMachineArn"]
    if test_case:
        arn += "#" + test_case
    execution = sfn.start_execution(stateMachineArn=arn, input=json.dumps(input or {}))["executionArn"]
    return wait_for_status(sfn, execution, timeout=timeout)


def output(description):
    return json.loads(description["output"])


@pytest.fixture(scope="module")
def table(aws):
    name = unique("steplocal-items")
    aws["dynamodb"].create_table(TableName=name, KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                                 AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
    return name


PUT_GET = {
    "StartAt": "Put",
    "States": {
        "Put": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
                "Parameters": {"TableName.$": "$.table", "Item": {"id": {"S.$": "$.id"}, "data": {"S": "HelloWorld"}}},
                "ResultPath": "$.put", "Next": "Get"},
        "Get": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
                "Parameters": {"TableName.$": "$.table", "Key": {"id": {"S.$": "$.id"}}},
                "ResultPath": "$.get", "End": True},
    },
}


# ---------------------------------------------------------------------------------------------
# DynamoDB
# ---------------------------------------------------------------------------------------------

def test_a_workflow_writes_then_reads_a_dynamodb_item(sfn, aws, table):
    desc = run(sfn, PUT_GET, {"table": table, "id": "item-1"})
    assert desc["status"] == "SUCCEEDED", desc
    result = output(desc)
    assert result["get"]["Item"] == {"id": {"S": "item-1"}, "data": {"S": "HelloWorld"}}
    metadata = result["put"]["SdkHttpMetadata"]
    assert metadata["HttpStatusCode"] == 200
    assert set(result["put"]) == {"SdkHttpMetadata", "SdkResponseMetadata"}
    assert all(isinstance(v, list) for v in metadata["AllHttpHeaders"].values())
    # And it is really there, read back with boto3.
    item = aws["dynamodb"].get_item(TableName=table, Key={"id": {"S": "item-1"}})["Item"]
    assert item == {"id": {"S": "item-1"}, "data": {"S": "HelloWorld"}}


def test_update_and_delete_item(sfn, aws, table):
    definition = {
        "StartAt": "Update",
        "States": {
            "Update": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:updateItem",
                       "Parameters": {"TableName": table, "Key": {"id": {"S": "item-2"}}, "UpdateExpression": "SET n = :n",
                                      "ExpressionAttributeValues": {":n": {"N": "7"}}, "ReturnValues": "ALL_NEW"},
                       "ResultSelector": {"Attributes.$": "$.Attributes"}, "ResultPath": "$.updated", "Next": "Delete"},
            "Delete": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:deleteItem",
                       "Parameters": {"TableName": table, "Key": {"id": {"S": "item-2"}}, "ReturnValues": "ALL_OLD"},
                       "ResultSelector": {"Attributes.$": "$.Attributes"}, "ResultPath": "$.deleted", "End": True},
        },
    }
    desc = run(sfn, definition)
    assert desc["status"] == "SUCCEEDED", desc
    assert output(desc)["updated"]["Attributes"] == {"id": {"S": "item-2"}, "n": {"N": "7"}}
    assert output(desc)["deleted"]["Attributes"] == {"id": {"S": "item-2"}, "n": {"N": "7"}}
    assert "Item" not in aws["dynamodb"].get_item(TableName=table, Key={"id": {"S": "item-2"}})


def test_a_failed_condition_is_caught_with_aws_error_name(sfn, aws, table):
    aws["dynamodb"].put_item(TableName=table, Item={"id": {"S": "taken"}})
    definition = {
        "StartAt": "PutNew",
        "States": {
            "PutNew": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
                       "Parameters": {"TableName": table, "Item": {"id": {"S": "taken"}}, "ConditionExpression": "attribute_not_exists(id)"},
                       "Catch": [{"ErrorEquals": ["DynamoDB.ConditionalCheckFailedException"], "Next": "AlreadyThere"}], "End": True},
            "AlreadyThere": {"Type": "Pass", "End": True},
        },
    }
    desc = run(sfn, definition)
    assert desc["status"] == "SUCCEEDED", desc
    caught = output(desc)
    assert caught["Error"] == "DynamoDB.ConditionalCheckFailedException"
    assert "(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException; Request ID: " in caught["Cause"]


def test_a_mock_for_the_state_wins_over_the_endpoint(sfn, aws, table):
    desc = run(sfn, PUT_GET, {"table": table, "id": "never-written"}, name="RealPutGet", test_case="MockedPut")
    assert desc["status"] == "SUCCEEDED", desc
    assert output(desc)["put"] == {"ConsumedCapacity": {"TableName": "mocked", "CapacityUnits": 1}}
    # The unmocked Get still went to moto, and the mocked Put never did.
    assert "Item" not in output(desc)["get"]
    assert "Item" not in aws["dynamodb"].get_item(TableName=table, Key={"id": {"S": "never-written"}})


# ---------------------------------------------------------------------------------------------
# SQS
# ---------------------------------------------------------------------------------------------

def test_sqs_send_message_with_a_task_token_waits_for_send_task_success(sfn, aws):
    queue = aws["sqs"].create_queue(QueueName=unique("steplocal-tokens"))["QueueUrl"]
    definition = {
        "StartAt": "Ask",
        "States": {"Ask": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                           "Parameters": {"QueueUrl": queue, "MessageBody": {"question": "approve?", "token.$": "$$.Task.Token"}},
                           "End": True}},
    }
    arn = sfn.create_state_machine(name=unique("Token"), definition=json.dumps(definition), roleArn=ROLE_ARN)["stateMachineArn"]
    execution = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    messages = []
    deadline = time.monotonic() + 15
    while not messages and time.monotonic() < deadline:
        messages = aws["sqs"].receive_message(QueueUrl=queue, WaitTimeSeconds=1).get("Messages", [])
    assert messages, "the message never reached the queue"
    body = json.loads(messages[0]["Body"])
    assert body["question"] == "approve?"
    assert sfn.describe_execution(executionArn=execution)["status"] == "RUNNING"
    sfn.send_task_success(taskToken=body["token"], output=json.dumps({"approved": True}))
    desc = wait_for_status(sfn, execution)
    assert desc["status"] == "SUCCEEDED", desc
    assert output(desc) == {"approved": True}
    events = sfn.get_execution_history(executionArn=execution)["events"]
    submitted = next(e for e in events if e["type"] == "TaskSubmitted")
    assert json.loads(submitted["taskSubmittedEventDetails"]["output"])["MessageId"] == messages[0]["MessageId"]


def test_sqs_send_message_returns_the_message_id(sfn, aws):
    queue = aws["sqs"].create_queue(QueueName=unique("steplocal-plain"))["QueueUrl"]
    definition = {"StartAt": "Send", "States": {"Send": {
        "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
        "Parameters": {"QueueUrl": queue, "MessageBody": "hello"}, "End": True}}}
    desc = run(sfn, definition)
    assert desc["status"] == "SUCCEEDED", desc
    result = output(desc)
    received = aws["sqs"].receive_message(QueueUrl=queue, WaitTimeSeconds=1)["Messages"][0]
    assert result["MessageId"] == received["MessageId"]
    assert result["MD5OfMessageBody"] == received["MD5OfBody"]
    assert received["Body"] == "hello"


def test_a_missing_queue_reaches_catch_with_aws_error_name(sfn, moto_endpoint):
    definition = {
        "StartAt": "Send",
        "States": {
            "Send": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
                     "Parameters": {"QueueUrl": f"{moto_endpoint}/{ACCOUNT}/no-such-queue", "MessageBody": "hello"},
                     "Catch": [{"ErrorEquals": ["SQS.QueueDoesNotExistException"], "Next": "NoQueue"}], "End": True},
            "NoQueue": {"Type": "Pass", "End": True},
        },
    }
    desc = run(sfn, definition)
    assert desc["status"] == "SUCCEEDED", desc
    caught = output(desc)
    assert caught["Error"] == "SQS.QueueDoesNotExistException"
    assert "(Service: AmazonSQS; Status Code: 400; Error Code: AWS.SimpleQueueService.NonExistentQueue; " in caught["Cause"]


# ---------------------------------------------------------------------------------------------
# SNS
# ---------------------------------------------------------------------------------------------

def test_sns_publish_reaches_a_subscribed_queue(sfn, aws):
    topic = aws["sns"].create_topic(Name=unique("steplocal-topic"))["TopicArn"]
    queue = aws["sqs"].create_queue(QueueName=unique("steplocal-sub"))["QueueUrl"]
    queue_arn = aws["sqs"].get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    aws["sns"].subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"})
    definition = {"StartAt": "Publish", "States": {"Publish": {
        "Type": "Task", "Resource": "arn:aws:states:::sns:publish",
        "Parameters": {"TopicArn": topic, "Message": {"hello": "world"}}, "End": True}}}
    desc = run(sfn, definition)
    assert desc["status"] == "SUCCEEDED", desc
    result = output(desc)
    assert result["MessageId"]
    assert result["SdkHttpMetadata"]["HttpStatusCode"] == 200
    received = aws["sqs"].receive_message(QueueUrl=queue, WaitTimeSeconds=2)["Messages"][0]
    assert json.loads(received["Body"]) == {"hello": "world"}


def test_sns_publish_to_a_missing_topic_fails_with_aws_error_name(sfn):
    definition = {"StartAt": "Publish", "States": {"Publish": {
        "Type": "Task", "Resource": "arn:aws:states:::sns:publish",
        "Parameters": {"TopicArn": f"arn:aws:sns:{REGION}:{ACCOUNT}:no-such-topic", "Message": "x"}, "End": True}}}
    desc = run(sfn, definition)
    assert desc["status"] == "FAILED"
    assert desc["error"] == "SNS.NotFoundException"
    assert "(Service: AmazonSNS; Status Code: 404; Error Code: NotFound; " in desc["cause"]


# ---------------------------------------------------------------------------------------------
# Lambda
# ---------------------------------------------------------------------------------------------

def test_lambda_invoke_returns_aws_result_shape_signed_for_lambda(sfn, lambda_endpoint):
    LambdaStandIn.requests.clear()
    definition = {"StartAt": "Invoke", "States": {"Invoke": {
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "echo", "Payload": {"input.$": "$"}}, "End": True}}}
    desc = run(sfn, definition, {"n": 1})
    assert desc["status"] == "SUCCEEDED", desc
    result = output(desc)
    assert list(result) == ["ExecutedVersion", "Payload", "SdkHttpMetadata", "SdkResponseMetadata", "StatusCode"]
    assert result["ExecutedVersion"] == "$LATEST"
    assert result["Payload"] == {"input": {"n": 1}}
    assert result["StatusCode"] == 200
    assert result["SdkResponseMetadata"] == {"RequestId": "lambda-request-1"}
    sent = LambdaStandIn.requests[-1]
    assert sent["path"] == "/2015-03-31/functions/echo/invocations"
    assert f"/{REGION}/lambda/aws4_request" in sent["headers"]["Authorization"]


def test_a_function_error_fails_with_its_error_type_and_payload(sfn):
    definition = {"StartAt": "Invoke", "States": {"Invoke": {
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "fail", "Payload": {}},
        "Catch": [{"ErrorEquals": ["CustomError"], "Next": "Handled"}], "End": True},
        "Handled": {"Type": "Pass", "End": True}}}
    desc = run(sfn, definition)
    assert desc["status"] == "SUCCEEDED", desc
    caught = output(desc)
    assert caught["Error"] == "CustomError"
    assert json.loads(caught["Cause"]) == {"errorMessage": "boom", "errorType": "CustomError", "stackTrace": []}


def test_a_missing_function_is_lambda_resource_not_found(sfn):
    definition = {"StartAt": "Invoke", "States": {"Invoke": {
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "nope"}, "End": True}}}
    desc = run(sfn, definition)
    assert desc["status"] == "FAILED"
    assert desc["error"] == "Lambda.ResourceNotFoundException"
    assert desc["cause"].startswith(f"Function not found: arn:aws:lambda:{REGION}:{ACCOUNT}:function:nope (Service: AWSLambda; Status Code: 404;")


def test_the_legacy_function_arn_resource_returns_the_payload(sfn):
    definition = {"StartAt": "Invoke", "States": {"Invoke": {
        "Type": "Task", "Resource": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:echo", "End": True}}}
    desc = run(sfn, definition, {"legacy": True})
    assert desc["status"] == "SUCCEEDED", desc
    assert output(desc) == {"legacy": True}


def test_lambda_invoke_wait_for_task_token(sfn):
    LambdaStandIn.requests.clear()
    definition = {"StartAt": "Invoke", "States": {"Invoke": {
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
        "Parameters": {"FunctionName": "token", "Payload": {"token.$": "$$.Task.Token"}}, "End": True}}}
    arn = sfn.create_state_machine(name=unique("LambdaToken"), definition=json.dumps(definition), roleArn=ROLE_ARN)["stateMachineArn"]
    execution = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    deadline = time.monotonic() + 15
    while not any("/functions/token/" in r["path"] for r in LambdaStandIn.requests):
        assert time.monotonic() < deadline, "the function was never invoked"
        time.sleep(0.05)
    token = json.loads(next(r for r in LambdaStandIn.requests if "/functions/token/" in r["path"])["body"])["token"]
    sfn.send_task_failure(taskToken=token, error="Rejected", cause="no")
    desc = wait_for_status(sfn, execution)
    assert (desc["status"], desc["error"], desc["cause"]) == ("FAILED", "Rejected", "no")


def test_task_timeout_seconds_is_enforced_on_a_real_call(sfn):
    definition = {"StartAt": "Invoke", "States": {"Invoke": {
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "slow"}, "TimeoutSeconds": 1, "End": True}}}
    started = time.monotonic()
    desc = run(sfn, definition)
    assert desc["status"] == "FAILED"
    assert desc["error"] == "States.Timeout"
    assert time.monotonic() - started < 3


def test_a_service_without_an_endpoint_still_fails_as_unmocked(sfn):
    definition = {"StartAt": "Run", "States": {"Run": {
        "Type": "Task", "Resource": "arn:aws:states:::ecs:runTask", "Parameters": {"TaskDefinition": "t"}, "End": True}}}
    desc = run(sfn, definition)
    assert desc["status"] == "FAILED"
    assert desc["error"] == "States.TaskFailed"
    assert "no mock is configured" in desc["cause"]


# ---------------------------------------------------------------------------------------------
# Signatures checked by moto
# ---------------------------------------------------------------------------------------------

def test_moto_checking_signatures_accepts_ours_and_refuses_a_wrong_secret(server, tmp_path_factory):
    """moto's IAM mode (`/moto-api/reset-auth`) recomputes every request's SigV4 signature with
    botocore and refuses a mismatch: StepLocal's calls pass with the right secret and fail with a wrong one."""
    moto = Moto()
    started = []
    try:
        iam = boto3.client("iam", endpoint_url=moto.url, region_name=REGION, **MOTO_CREDENTIALS)
        iam.create_user(UserName="steplocal")
        iam.put_user_policy(UserName="steplocal", PolicyName="all", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
        key = iam.create_access_key(UserName="steplocal")["AccessKey"]
        dynamodb = boto3.client("dynamodb", endpoint_url=moto.url, region_name=REGION, **MOTO_CREDENTIALS)
        dynamodb.create_table(TableName="signed", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                              AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")

        def steplocal(secret):
            env = {"AWS_ACCESS_KEY_ID": key["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": secret}
            srv = ConfiguredServer(server.binary, tmp_path_factory.mktemp("signed") / "steplocal.log",
                                   ["--endpoint", f"dynamodb={moto.url}"], env)
            srv.start()
            started.append(srv)
            return boto3.client("stepfunctions", endpoint_url=srv.endpoint, region_name=REGION, **MOTO_CREDENTIALS)

        right, wrong = steplocal(key["SecretAccessKey"]), steplocal("not-the-secret")
        moto.moto_api("POST", "/moto-api/reset-auth", b"0")  # from now on every request must be signed by a known key
        desc = run(right, PUT_GET, {"table": "signed", "id": "signed-1"})
        assert desc["status"] == "SUCCEEDED", desc
        assert output(desc)["get"]["Item"]["id"] == {"S": "signed-1"}
        refused = run(wrong, PUT_GET, {"table": "signed", "id": "signed-2"})
        assert refused["status"] == "FAILED"
        assert "SignatureDoesNotMatch" in refused["cause"] or "signature" in refused["cause"].lower(), refused
    finally:
        for srv in started:
            srv.stop()
        moto.stop()


def test_a_bad_endpoint_flag_stops_start_up_with_an_example(server):
    result = subprocess.run([str(server.binary), "serve", "--port", str(free_port()), "--endpoint", "dynamodb"],
                            capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    assert result.returncode != 0
    assert "--endpoint 'dynamodb' is not SERVICE=URL (e.g. --endpoint dynamodb=http://localhost:8000)" in result.stderr


# ---------------------------------------------------------------------------------------------
# aws-sdk integrations (AWS JSON protocol), names as Step Functions gives them (Java SDK v2)
# ---------------------------------------------------------------------------------------------

def test_aws_sdk_dynamodb_speaks_step_functions_names_both_ways(sfn, aws, table):
    """`Bool` and `Ss` in the state machine are DynamoDB's `BOOL` and `SS` on the wire, and back;
    attribute names (map keys) are left alone; the answer carries no SDK metadata."""
    definition = {
        "StartAt": "Put",
        "States": {
            "Put": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:dynamodb:putItem",
                    "Parameters": {"TableName": table, "Item": {"id": {"S": "sdk-1"}, "flag": {"Bool": True}, "tags": {"Ss": ["a", "b"]}}},
                    "ResultPath": "$.put", "Next": "Get"},
            "Get": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:dynamodb:getItem",
                    "Parameters": {"TableName": table, "Key": {"id": {"S": "sdk-1"}}}, "ResultPath": "$.get", "End": True},
        },
    }
    desc = run(sfn, definition)
    assert desc["status"] == "SUCCEEDED", (desc.get("error"), desc.get("cause"))
    result = output(desc)
    assert result["put"] == {}
    assert result["get"]["Item"]["flag"] == {"Bool": True}
    assert sorted(result["get"]["Item"]["tags"]["Ss"]) == ["a", "b"]
    item = aws["dynamodb"].get_item(TableName=table, Key={"id": {"S": "sdk-1"}})["Item"]
    assert item["flag"] == {"BOOL": True} and sorted(item["tags"]["SS"]) == ["a", "b"]


def test_aws_sdk_errors_are_named_after_the_java_sdk(sfn, aws, table):
    aws["dynamodb"].put_item(TableName=table, Item={"id": {"S": "sdk-taken"}})
    definition = {
        "StartAt": "PutNew",
        "States": {
            "PutNew": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:dynamodb:putItem",
                       "Parameters": {"TableName": table, "Item": {"id": {"S": "sdk-taken"}}, "ConditionExpression": "attribute_not_exists(id)"},
                       "Catch": [{"ErrorEquals": ["DynamoDb.ConditionalCheckFailedException"], "Next": "AlreadyThere"}], "End": True},
            "AlreadyThere": {"Type": "Pass", "End": True},
        },
    }
    desc = run(sfn, definition)
    assert desc["status"] == "SUCCEEDED", desc
    caught = output(desc)
    assert caught["Error"] == "DynamoDb.ConditionalCheckFailedException"
    assert "(Service: DynamoDb, Status Code: 400, Request ID: " in caught["Cause"]


def test_aws_sdk_secrets_manager_create_then_list(sfn, aws):
    name = unique("steplocal-secret")
    definition = {
        "StartAt": "Create",
        "States": {
            "Create": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:secretsmanager:createSecret",
                       "Parameters": {"Name": name, "SecretString": "HelloWorld"}, "ResultPath": "$.created", "Next": "Describe"},
            "Describe": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:secretsmanager:describeSecret",
                         "Parameters": {"SecretId.$": "$.created.Arn"}, "ResultSelector": {"Name.$": "$.Name"}, "ResultPath": "$.described", "End": True},
        },
    }
    desc = run(sfn, definition)
    assert desc["status"] == "SUCCEEDED", desc
    result = output(desc)
    assert result["created"]["Name"] == name and result["created"]["Arn"].startswith("arn:aws:secretsmanager:")
    assert result["described"] == {"Name": name}
    assert aws["secretsmanager"].get_secret_value(SecretId=name)["SecretString"] == "HelloWorld"


def test_an_aws_sdk_action_the_model_does_not_have_fails_loudly(sfn):
    definition = {"StartAt": "Nope", "States": {"Nope": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:dynamodb:getItemz",
                                                          "Parameters": {"TableName": "t"}, "End": True}}}
    try:
        desc = run(sfn, definition)
    except Exception as error:  # refused at CreateStateMachine is also loud
        assert "getItemz" in str(error)
        return
    assert desc["status"] == "FAILED", desc


# ---------------------------------------------------------------------------------------------
# ECS (moto) and nested executions at a STEP_FUNCTIONS_ENDPOINT (a second StepLocal)
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def child(server, tmp_path_factory):
    """A second StepLocal: the STEP_FUNCTIONS_ENDPOINT where `parent` starts its nested executions."""
    srv = ConfiguredServer(server.binary, tmp_path_factory.mktemp("child-steplocal") / "steplocal.log")
    srv.start()
    yield {"endpoint": srv.endpoint,
           "sfn": boto3.client("stepfunctions", endpoint_url=srv.endpoint, region_name=REGION, **MOTO_CREDENTIALS)}
    crashed = not srv.alive()
    srv.stop()
    assert not crashed, f"the child steplocal died: {srv.tail()}"


@pytest.fixture(scope="module")
def parent(server, moto_endpoint, child, tmp_path_factory):
    """A StepLocal whose ECS is moto (`--endpoint ecs=`) and whose nested executions run in `child`
    (Step Functions Local's STEP_FUNCTIONS_ENDPOINT)."""
    env = {"STEP_FUNCTIONS_ENDPOINT": child["endpoint"], **{k.upper(): v for k, v in MOTO_CREDENTIALS.items()}}
    srv = ConfiguredServer(server.binary, tmp_path_factory.mktemp("parent-steplocal") / "steplocal.log",
                           ["--endpoint", f"ecs={moto_endpoint}"], env)
    srv.start()
    yield boto3.client("stepfunctions", endpoint_url=srv.endpoint, region_name=REGION, **MOTO_CREDENTIALS)
    crashed = not srv.alive()
    srv.stop()
    assert not crashed, f"the parent steplocal died: {srv.tail()}"


@pytest.fixture(scope="module")
def ecs(moto_endpoint):
    """A cluster and a task definition in moto. moto moves a task one status further each time
    DescribeTasks reads it, so it would stop by itself while StepLocal polls: its state manager is
    told to keep tasks as they are, and the tests stop them with StopTask, as a finished container would."""
    host, port = moto_endpoint.rsplit("/", 1)[1].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    conn.request("POST", "/moto-api/state-manager/set-transition",
                 body=json.dumps({"model_name": "ecs::task", "transition": {"progression": "manual", "times": 1_000_000}}))
    assert conn.getresponse().status == 201
    conn.close()
    client = boto3.client("ecs", endpoint_url=moto_endpoint, region_name=REGION, **MOTO_CREDENTIALS)
    cluster = client.create_cluster(clusterName=unique("steplocal-cluster"))["cluster"]["clusterArn"]
    family = unique("steplocal-job")
    client.register_task_definition(family=family, containerDefinitions=[{"name": "main", "image": "busybox", "memory": 128}])
    return {"client": client, "cluster": cluster, "family": family}


def run_task_definition(ecs, resource, **state):
    return {"StartAt": "Run", "States": {"Run": {
        "Type": "Task", "Resource": resource,
        "Parameters": {"Cluster": ecs["cluster"], "TaskDefinition": ecs["family"], "LaunchType": "FARGATE"},
        "End": True, **state}}}


def start(sfn, definition, input=None, name="Nested"):
    arn = sfn.create_state_machine(name=unique(name), definition=json.dumps(definition), roleArn=ROLE_ARN)["stateMachineArn"]
    return sfn.start_execution(stateMachineArn=arn, input=json.dumps(input or {}))["executionArn"]


def new_task(ecs, known=(), timeout=15.0):
    """The arn of the first task of the cluster that is not in `known`, once RunTask has started it."""
    deadline = time.monotonic() + timeout
    while True:
        fresh = [arn for arn in ecs["client"].list_tasks(cluster=ecs["cluster"])["taskArns"] if arn not in known]
        if fresh:
            return fresh[0]
        assert time.monotonic() < deadline, "RunTask never reached moto"
        time.sleep(0.05)


def ecs_task(ecs, arn):
    return ecs["client"].describe_tasks(cluster=ecs["cluster"], tasks=[arn])["tasks"][0]


def test_ecs_run_task_returns_run_task_answer_with_sdk_metadata(parent, ecs):
    known = ecs["client"].list_tasks(cluster=ecs["cluster"])["taskArns"]
    desc = run(parent, run_task_definition(ecs, "arn:aws:states:::ecs:runTask"))
    assert desc["status"] == "SUCCEEDED", desc
    result = output(desc)
    assert list(result) == ["Failures", "SdkHttpMetadata", "SdkResponseMetadata", "Tasks"]
    assert result["Failures"] == [] and result["SdkHttpMetadata"]["HttpStatusCode"] == 200
    task = result["Tasks"][0]
    assert list(task) == sorted(task), "members are in Step Functions' (alphabetical) order"
    assert task["ClusterArn"] == ecs["cluster"] and task["LastStatus"] == "RUNNING"
    assert task["TaskArn"] == new_task(ecs, known)
    assert "StartedBy" not in task or task["StartedBy"] != "AWS Step Functions", "only .sync names Step Functions as the starter"


def test_ecs_run_task_sync_waits_for_the_task_to_stop_and_returns_its_description(parent, ecs):
    known = ecs["client"].list_tasks(cluster=ecs["cluster"])["taskArns"]
    execution = start(parent, run_task_definition(ecs, "arn:aws:states:::ecs:runTask.sync"))
    task_arn = new_task(ecs, known)
    time.sleep(1)  # a few polls: the task still runs, so the execution waits
    assert parent.describe_execution(executionArn=execution)["status"] == "RUNNING"
    ecs["client"].stop_task(cluster=ecs["cluster"], task=task_arn, reason="the job is done")
    desc = wait_for_status(parent, execution)
    assert desc["status"] == "SUCCEEDED", desc
    result = output(desc)
    assert list(result) == sorted(result) and "SdkHttpMetadata" not in result
    assert (result["TaskArn"], result["ClusterArn"]) == (task_arn, ecs["cluster"])
    assert (result["LastStatus"], result["DesiredStatus"], result["StoppedReason"]) == ("STOPPED", "STOPPED", "the job is done")
    assert result["StartedBy"] == "AWS Step Functions"
    events = parent.get_execution_history(executionArn=execution)["events"]
    submitted = json.loads(next(e for e in events if e["type"] == "TaskSubmitted")["taskSubmittedEventDetails"]["output"])
    assert submitted["Tasks"][0]["TaskArn"] == task_arn and "SdkHttpMetadata" in submitted


def test_stopping_the_execution_stops_its_ecs_task(parent, ecs):
    known = ecs["client"].list_tasks(cluster=ecs["cluster"])["taskArns"]
    execution = start(parent, run_task_definition(ecs, "arn:aws:states:::ecs:runTask.sync"))
    task_arn = new_task(ecs, known)
    parent.stop_execution(executionArn=execution)
    assert wait_for_status(parent, execution)["status"] == "ABORTED"
    deadline = time.monotonic() + 10
    while ecs_task(ecs, task_arn)["lastStatus"] != "STOPPED":
        assert time.monotonic() < deadline, "StopTask never reached moto"
        time.sleep(0.05)
    assert "Step Functions" in ecs_task(ecs, task_arn)["stoppedReason"]


def test_an_ecs_sync_task_times_out_at_its_timeout_seconds_and_is_stopped(parent, ecs):
    known = ecs["client"].list_tasks(cluster=ecs["cluster"])["taskArns"]
    started = time.monotonic()
    desc = run(parent, run_task_definition(ecs, "arn:aws:states:::ecs:runTask.sync", TimeoutSeconds=1))
    assert (desc["status"], desc["error"]) == ("FAILED", "States.Timeout")
    assert time.monotonic() - started < 5
    assert ecs_task(ecs, new_task(ecs, known))["lastStatus"] == "STOPPED"


def test_a_missing_cluster_is_caught_with_aws_error_name(parent, ecs):
    definition = run_task_definition(ecs, "arn:aws:states:::ecs:runTask.sync",
                                     Catch=[{"ErrorEquals": ["ECS.ClusterNotFoundException"], "Next": "NoCluster"}])
    definition["States"]["Run"]["Parameters"]["Cluster"] = "no-such-cluster"
    definition["States"]["NoCluster"] = {"Type": "Pass", "End": True}
    desc = run(parent, definition)
    assert desc["status"] == "SUCCEEDED", desc
    caught = output(desc)
    assert caught["Error"] == "ECS.ClusterNotFoundException"
    assert "(Service: AmazonECS; Status Code: 400; Error Code: ClusterNotFoundException; Request ID: " in caught["Cause"]


CHILD_SUCCEEDS = {"StartAt": "Answer", "States": {"Answer": {"Type": "Pass", "Parameters": {"doubled.$": "States.MathAdd($.n, $.n)"}, "End": True}}}
CHILD_FAILS = {"StartAt": "Fail", "States": {"Fail": {"Type": "Fail", "Error": "ChildError", "Cause": "the child gave up"}}}


def child_machine(child, definition):
    return child["sfn"].create_state_machine(name=unique("Child"), definition=json.dumps(definition), roleArn=ROLE_ARN)["stateMachineArn"]


def nested(resource, machine, input, **state):
    return {"StartAt": "Start", "States": {"Start": {
        "Type": "Task", "Resource": resource, "Parameters": {"StateMachineArn": machine, "Input": input}, "End": True, **state}}}


def test_start_execution_starts_the_child_at_the_step_functions_endpoint(parent, child):
    machine = child_machine(child, CHILD_SUCCEEDS)
    desc = run(parent, nested("arn:aws:states:::states:startExecution", machine, {"n": 2}))
    assert desc["status"] == "SUCCEEDED", desc
    result = output(desc)
    assert list(result) == ["ExecutionArn", "SdkHttpMetadata", "SdkResponseMetadata", "StartDate"]
    assert isinstance(result["StartDate"], int) and result["SdkHttpMetadata"]["HttpStatusCode"] == 200
    # The child ran where the endpoint is, not in the parent.
    finished = wait_for_status(child["sfn"], result["ExecutionArn"])
    assert json.loads(finished["output"]) == {"doubled": 4}
    with pytest.raises(parent.exceptions.ExecutionDoesNotExist):
        parent.describe_execution(executionArn=result["ExecutionArn"])


def test_start_execution_sync_returns_the_description_with_output_as_text(parent, child):
    machine = child_machine(child, CHILD_SUCCEEDS)
    desc = run(parent, nested("arn:aws:states:::states:startExecution.sync", machine, {"n": 3}))
    assert desc["status"] == "SUCCEEDED", desc
    result = output(desc)
    assert list(result) == sorted(result)
    assert (result["Status"], result["StateMachineArn"]) == ("SUCCEEDED", machine)
    assert result["Output"] == '{"doubled":6}' and json.loads(result["Input"]) == {"n": 3}
    assert result["InputDetails"] == {"Included": True} and result["OutputDetails"] == {"Included": True}
    assert isinstance(result["StartDate"], int) and result["StopDate"] >= result["StartDate"]
    assert "SdkHttpMetadata" not in result


def test_start_execution_sync_2_returns_output_as_json(parent, child):
    machine = child_machine(child, CHILD_SUCCEEDS)
    desc = run(parent, nested("arn:aws:states:::states:startExecution.sync:2", machine, {"n": 4}))
    assert desc["status"] == "SUCCEEDED", desc
    result = output(desc)
    assert result["Output"] == {"doubled": 8} and result["Input"] == {"n": 4}


def test_a_failing_child_fails_the_parent_task_with_its_description(parent, child):
    machine = child_machine(child, CHILD_FAILS)
    desc = run(parent, nested("arn:aws:states:::states:startExecution.sync", machine, {"n": 1}))
    assert (desc["status"], desc["error"]) == ("FAILED", "States.TaskFailed")
    cause = json.loads(desc["cause"])
    assert (cause["Status"], cause["Error"], cause["Cause"]) == ("FAILED", "ChildError", "the child gave up")
    assert cause["StateMachineArn"] == machine and "Output" not in cause


def test_a_missing_child_state_machine_is_named_as_step_functions_names_it(parent, child):
    missing = f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:NoSuchChild"
    desc = run(parent, nested("arn:aws:states:::states:startExecution.sync:2", missing, {}))
    assert (desc["status"], desc["error"]) == ("FAILED", "StepFunctions.StateMachineDoesNotExistException")
    assert "(Service: AWSStepFunctions; Status Code: 400; Error Code: StateMachineDoesNotExist; " in desc["cause"]


def test_start_execution_wait_for_task_token_hands_the_token_to_the_child(parent, child):
    machine = child_machine(child, {"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}})
    execution = start(parent, nested("arn:aws:states:::states:startExecution.waitForTaskToken", machine, {"token.$": "$$.Task.Token"}))
    deadline = time.monotonic() + 15
    while not (children := child["sfn"].list_executions(stateMachineArn=machine)["executions"]):
        assert time.monotonic() < deadline, "the child was never started"
        time.sleep(0.05)
    token = json.loads(child["sfn"].describe_execution(executionArn=children[0]["executionArn"])["input"])["token"]
    assert parent.describe_execution(executionArn=execution)["status"] == "RUNNING"
    parent.send_task_success(taskToken=token, output=json.dumps({"approved": True}))
    desc = wait_for_status(parent, execution)
    assert desc["status"] == "SUCCEEDED", desc
    assert output(desc) == {"approved": True}


# ---------------------------------------------------------------------------------------------
# A restart on a data directory does not start submitted work again
# ---------------------------------------------------------------------------------------------

def test_a_restart_follows_submitted_work_instead_of_starting_it_again(server, moto_endpoint, aws, ecs, tmp_path):
    """A `.waitForTaskToken` SQS message that had been sent, and an ECS `.sync` task that had been
    started (their TaskSubmitted written), before `kill -9`: the server started again on its data
    directory sends no second message and starts no second task. It waits for the same token and
    polls the same task, and each execution ends with what that first message and task gave."""
    from test_data_dir import kill9

    env = {k.upper(): v for k, v in MOTO_CREDENTIALS.items()}
    srv = ConfiguredServer(server.binary, tmp_path / "steplocal.log",
                           ["--data-dir", str(tmp_path / "data"), "--endpoint", f"sqs={moto_endpoint}", "--endpoint", f"ecs={moto_endpoint}"], env)
    srv.start()
    try:
        sfn = boto3.client("stepfunctions", endpoint_url=srv.endpoint, region_name=REGION, **MOTO_CREDENTIALS)
        queue = aws["sqs"].create_queue(QueueName=unique("steplocal-restart"))["QueueUrl"]
        ask = {"StartAt": "Ask", "States": {"Ask": {
            "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"QueueUrl": queue, "MessageBody": {"question": "approve?", "token.$": "$$.Task.Token"}}, "End": True}}}
        asking = start(sfn, ask, name="AskAcrossRestart")
        messages = []
        deadline = time.monotonic() + 15
        while not messages:
            assert time.monotonic() < deadline, "the message never reached the queue"
            messages = aws["sqs"].receive_message(QueueUrl=queue, WaitTimeSeconds=1, VisibilityTimeout=0).get("Messages", [])
        known = ecs["client"].list_tasks(cluster=ecs["cluster"])["taskArns"]
        running = start(sfn, run_task_definition(ecs, "arn:aws:states:::ecs:runTask.sync"), name="JobAcrossRestart")
        task_arn = new_task(ecs, known)
        for execution in (asking, running):
            deadline = time.monotonic() + 10
            while "TaskSubmitted" not in [e["type"] for e in sfn.get_execution_history(executionArn=execution)["events"]]:
                assert time.monotonic() < deadline, f"{execution} never recorded TaskSubmitted"
                time.sleep(0.05)
        time.sleep(0.3)  # in the file: progress is written within 20 ms

        kill9(srv)
        srv.start()
        sfn = boto3.client("stepfunctions", endpoint_url=srv.endpoint, region_name=REGION, **MOTO_CREDENTIALS)
        time.sleep(2)  # the resumed Tasks have run their calls again by now, if they make them
        queued = aws["sqs"].get_queue_attributes(QueueUrl=queue, AttributeNames=["ApproximateNumberOfMessages"])
        assert queued["Attributes"]["ApproximateNumberOfMessages"] == "1", "a second message was sent after the restart"
        assert [arn for arn in ecs["client"].list_tasks(cluster=ecs["cluster"])["taskArns"] if arn not in known] == [task_arn], \
            "a second ECS task was started after the restart"

        token = json.loads(messages[0]["Body"])["token"]
        sfn.send_task_success(taskToken=token, output=json.dumps({"approved": True}))
        ecs["client"].stop_task(cluster=ecs["cluster"], task=task_arn, reason="the job is done")
        asked, ran = wait_for_status(sfn, asking), wait_for_status(sfn, running)
        assert asked["status"] == "SUCCEEDED" and output(asked) == {"approved": True}, asked
        assert ran["status"] == "SUCCEEDED" and output(ran)["TaskArn"] == task_arn, ran
        for execution, submitted_id in ((asking, lambda o: o["MessageId"] == messages[0]["MessageId"]),
                                        (running, lambda o: o["Tasks"][0]["TaskArn"] == task_arn)):
            events = sfn.get_execution_history(executionArn=execution)["events"]
            types = [e["type"] for e in events]
            assert types.count("TaskScheduled") == 1 and types.count("TaskSubmitted") == 1, types
            assert [e["id"] for e in events] == list(range(1, len(events) + 1))
            assert submitted_id(json.loads(next(e for e in events if e["type"] == "TaskSubmitted")["taskSubmittedEventDetails"]["output"]))
    finally:
        srv.stop()
