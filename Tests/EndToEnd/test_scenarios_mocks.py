"""Step Functions Local's mock configuration and StepLocal's scenario files, served: `steplocal serve
--mock-config FILE` (or SFN_MOCK_CONFIG) and `steplocal serve --scenarios DIR`, driven through boto3 with
`stateMachineArn#TestCaseName`, as a test suite written for Step Functions Local would drive them.

Each server here is its own process (the session server has no mock configuration) with
WAIT_TIME_SCALE=0, so retry back-offs pass at once.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest
import yaml
from botocore.exceptions import ClientError

from conftest import ACCOUNT, REGION, REPO, ROLE_ARN, Server, error_code, health_ok, make_client, unique, wait_for_status

DOCS_EXAMPLE = REPO / "mocks" / "aws-docs-example"
SCENARIOS = REPO / "scenarios"


class ConfiguredServer(Server):
    """The session's Server, started with extra `serve` arguments and environment variables.
    (conftest's Server takes neither; its stop/tail/alive are reused as they are.)"""

    def __init__(self, binary: Path, log_path: Path, args=(), env=None):
        super().__init__(binary, log_path)
        self.args = list(args)
        self.extra_env = dict(env or {})

    def start(self, timeout=30.0):
        env = dict(os.environ, AWS_DEFAULT_REGION=REGION, **self.extra_env)
        env.pop("AWS_ACCOUNT_ID", None)
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen([str(self.binary), "serve", "--port", str(self.port), *self.args],
                                     stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
        deadline = time.monotonic() + timeout
        while not health_ok(self.port):
            assert self.proc.poll() is None, f"steplocal exited with {self.proc.returncode}; log:\n{self.tail()}"
            assert time.monotonic() < deadline, f"steplocal did not answer GET /health within {timeout}s; log:\n{self.tail()}"
            time.sleep(0.05)


@pytest.fixture(scope="module")
def start_server(server, tmp_path_factory):
    """Starts a configured server (same binary as the session's); all are stopped after the module."""
    started = []

    def start(args=(), env=None):
        srv = ConfiguredServer(server.binary, tmp_path_factory.mktemp("configured") / "steplocal.log", args, env)
        srv.start()
        started.append(srv)
        return make_client(srv.endpoint, inject_host_prefix=False)

    yield start
    for srv in started:
        crashed = not srv.alive()
        srv.stop()
        assert not crashed, f"steplocal died: {srv.tail()}"


def create(sfn, name, definition) -> str:
    return sfn.create_state_machine(name=name, definition=definition, roleArn=ROLE_ARN)["stateMachineArn"]


def history(sfn, execution_arn):
    return sfn.get_execution_history(executionArn=execution_arn)["events"]


# ---------------------------------------------------------------------------------------------
# (a) AWS's documentation example, with its mock configuration file unchanged
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def docs_example(start_server):
    sfn = start_server(["--mock-config", str(DOCS_EXAMPLE / "MockConfigFile.json")], {"WAIT_TIME_SCALE": "0"})
    arn = create(sfn, "LambdaSQSIntegration", (DOCS_EXAMPLE / "LambdaSQSIntegration.asl.json").read_text())
    return sfn, arn


def test_happy_path_returns_the_mocked_sqs_answer_and_records_aws_history(docs_example):
    sfn, arn = docs_example
    started = sfn.start_execution(stateMachineArn=f"{arn}#HappyPath", input='{"order": 1}')
    desc = wait_for_status(sfn, started["executionArn"])
    assert desc["status"] == "SUCCEEDED"
    assert desc["stateMachineArn"] == arn  # the test case is not part of the machine's ARN
    assert json.loads(desc["output"]) == {
        "MD5OfMessageBody": "3bcb6e8e-7h85-4375-b0bc-1a59812c6e51",
        "MessageId": "3bcb6e8e-8b51-4375-b0bc-1a59812c6e51",
    }
    events = history(sfn, started["executionArn"])
    assert [(e["type"], e["id"], e["previousEventId"]) for e in events] == [
        ("ExecutionStarted", 1, 0),
        ("TaskStateEntered", 2, 0),  # AWS chains the first state to no event (recorded)
        ("TaskScheduled", 3, 2),
        ("TaskStarted", 4, 3),
        ("TaskSucceeded", 5, 4),
        ("TaskStateExited", 6, 5),
        ("TaskStateEntered", 7, 6),
        ("TaskScheduled", 8, 7),
        ("TaskStarted", 9, 8),
        ("TaskSucceeded", 10, 9),
        ("TaskStateExited", 11, 10),
        ("ExecutionSucceeded", 12, 11),
    ]
    lambda_scheduled = events[2]["taskScheduledEventDetails"]
    assert (lambda_scheduled["resourceType"], lambda_scheduled["resource"], lambda_scheduled["region"]) == ("lambda", "invoke", REGION)
    assert json.loads(lambda_scheduled["parameters"]) == {"Payload": {"order": 1}, "FunctionName": "HelloWorldFunction"}
    assert json.loads(events[4]["taskSucceededEventDetails"]["output"]) == {
        "StatusCode": 200, "Payload": {"StatusCode": 200, "body": "Hello from Lambda!"}}
    sqs_scheduled = events[7]["taskScheduledEventDetails"]
    assert (sqs_scheduled["resourceType"], sqs_scheduled["resource"]) == ("sqs", "sendMessage")
    # MessageBody.$ is "$": the Lambda state's whole result
    assert json.loads(sqs_scheduled["parameters"])["MessageBody"] == {
        "StatusCode": 200, "Payload": {"StatusCode": 200, "body": "Hello from Lambda!"}}
    assert [e["stateEnteredEventDetails"]["name"] for e in events if e["type"] == "TaskStateEntered"] == ["LambdaState", "SQSState"]


def test_retry_path_consumes_invocations_0_then_1_2_then_3(docs_example):
    sfn, arn = docs_example
    started = sfn.start_execution(stateMachineArn=f"{arn}#RetryPath")
    desc = wait_for_status(sfn, started["executionArn"])
    assert desc["status"] == "SUCCEEDED"
    events = history(sfn, started["executionArn"])
    failures = [(e["taskFailedEventDetails"]["error"], e["taskFailedEventDetails"]["cause"]) for e in events if e["type"] == "TaskFailed"]
    assert failures == [
        ("Lambda.ResourceNotReadyException", "Lambda resource is not ready."),
        ("Lambda.TimeoutException", "Lambda timed out."),
        ("Lambda.TimeoutException", "Lambda timed out."),
    ]
    assert [e["type"] for e in events].count("TaskScheduled") == 5  # four Lambda attempts, one SQS call
    assert json.loads(desc["output"])["MessageId"] == "3bcb6e8e-8b51-4375-b0bc-1a59812c6e51"


def test_hybrid_path_fails_loudly_at_the_unmocked_sqs_state(docs_example):
    sfn, arn = docs_example
    started = sfn.start_execution(stateMachineArn=f"{arn}#HybridPath")
    desc = wait_for_status(sfn, started["executionArn"])
    assert desc["status"] == "FAILED"
    assert desc["error"] == "States.TaskFailed"
    assert "'SQSState'" in desc["cause"] and "no mock is configured" in desc["cause"]
    assert [e["type"] for e in history(sfn, started["executionArn"])].count("TaskSucceeded") == 1  # the mocked Lambda


def test_without_a_test_case_nothing_is_mocked(docs_example):
    sfn, arn = docs_example
    started = sfn.start_execution(stateMachineArn=arn)
    desc = wait_for_status(sfn, started["executionArn"])
    assert desc["status"] == "FAILED"
    assert "'LambdaState'" in desc["cause"]


def test_an_unknown_test_case_is_refused_and_starts_nothing(docs_example):
    # Step Functions Local's own answer is not documented (and could not be observed here); StepLocal
    # refuses the start with a 400 that names the test cases the configuration does define.
    sfn, arn = docs_example
    before = sfn.list_executions(stateMachineArn=arn)["executions"]
    with pytest.raises(ClientError) as excinfo:
        sfn.start_execution(stateMachineArn=f"{arn}#NoSuchCase")
    assert error_code(excinfo) == "ValidationException"
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    message = excinfo.value.response["Error"]["Message"]
    assert "'NoSuchCase'" in message and "'LambdaSQSIntegration'" in message
    assert "HappyPath" in message and "HybridPath" in message and "RetryPath" in message
    assert sfn.list_executions(stateMachineArn=arn)["executions"] == before


def test_a_test_case_of_a_machine_the_configuration_does_not_mention_is_refused(docs_example):
    sfn, _ = docs_example
    other = create(sfn, unique("other"), json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}))
    with pytest.raises(ClientError) as excinfo:
        sfn.start_execution(stateMachineArn=f"{other}#HappyPath")
    assert error_code(excinfo) == "ValidationException"
    assert "defines no test cases" in excinfo.value.response["Error"]["Message"]


def test_sfn_mock_config_environment_variable_works_like_the_flag_and_for_start_sync_execution(start_server):
    sfn = start_server([], {"SFN_MOCK_CONFIG": str(DOCS_EXAMPLE / "MockConfigFile.json"), "WAIT_TIME_SCALE": "0"})
    arn = sfn.create_state_machine(name="LambdaSQSIntegration", definition=(DOCS_EXAMPLE / "LambdaSQSIntegration.asl.json").read_text(),
                                   roleArn=ROLE_ARN, type="EXPRESS")["stateMachineArn"]
    done = sfn.start_sync_execution(stateMachineArn=f"{arn}#RetryPath", input="{}")
    assert done["status"] == "SUCCEEDED"
    assert done["stateMachineArn"] == arn
    assert json.loads(done["output"])["MD5OfMessageBody"] == "3bcb6e8e-7h85-4375-b0bc-1a59812c6e51"
    with pytest.raises(ClientError) as excinfo:
        sfn.start_sync_execution(stateMachineArn=f"{arn}#NoSuchCase", input="{}")
    assert error_code(excinfo) == "ValidationException"


def test_a_mock_config_answers_a_distributed_maps_item_reader_without_any_s3_data(start_server, tmp_path):
    """The test case maps the Map state to a response, as it maps a Task state: its ItemReader
    reads the mocked object text (CSV here) instead of S3; the server has no --s3-dir."""
    config = tmp_path / "reader-mocks.json"
    config.write_text(json.dumps({
        "StateMachines": {"Orders": {"TestCases": {"Csv": {"EachOrder": "OrdersFile"}}}},
        "MockedResponses": {"OrdersFile": {"0": {"Return": "sku,qty\nA-1,2\nB-7,5\n"}}},
    }))
    sfn = start_server(["--mock-config", str(config)])
    arn = create(sfn, "Orders", json.dumps({"StartAt": "EachOrder", "States": {"EachOrder": {
        "Type": "Map", "End": True,
        "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                       "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
                       "Parameters": {"Bucket": "orders", "Key": "today.csv"}},
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                          "StartAt": "Count", "States": {"Count": {"Type": "Pass", "Parameters": {"sku.$": "$.sku"}, "End": True}}}}}}))
    execution = sfn.start_execution(stateMachineArn=f"{arn}#Csv", input="{}")["executionArn"]
    described = wait_for_status(sfn, execution)
    assert described["status"] == "SUCCEEDED", described
    assert json.loads(described["output"]) == [{"sku": "A-1"}, {"sku": "B-7"}]
    # Without the test case the same machine reads S3, which this server does not have.
    plain = sfn.start_execution(stateMachineArn=arn, input="{}")["executionArn"]
    failed = wait_for_status(sfn, plain)
    assert failed["status"] == "FAILED" and failed["error"] == "States.ItemReaderFailed"


def test_a_test_case_answers_the_tasks_of_a_distributed_maps_children(start_server, tmp_path):
    """A Distributed Map's children are executions of their own, yet their Task states are states
    of the machine the test case names: its responses answer them in turn, as they answer an
    inline Map's iterations (one at a time here, so child k takes invocation k)."""
    config = tmp_path / "child-mocks.json"
    config.write_text(json.dumps({
        "StateMachines": {"Pricing": {"TestCases": {"Priced": {"Price": "PriceEach"}}}},
        "MockedResponses": {"PriceEach": {
            "0": {"Return": {"StatusCode": 200, "Payload": {"price": 10}}},
            "1": {"Return": {"StatusCode": 200, "Payload": {"price": 20}}},
            "2": {"Return": {"StatusCode": 200, "Payload": {"price": 30}}}}},
    }))
    sfn = start_server(["--mock-config", str(config)])
    arn = create(sfn, "Pricing", json.dumps({"StartAt": "EachItem", "States": {"EachItem": {
        "Type": "Map", "End": True, "ItemsPath": "$.items", "MaxConcurrency": 1,
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                          "StartAt": "Price", "States": {"Price": {
                              "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                              "Parameters": {"FunctionName": "price", "Payload.$": "$"},
                              "ResultSelector": {"price.$": "$.Payload.price"}, "End": True}}}}}}))
    execution = sfn.start_execution(stateMachineArn=f"{arn}#Priced", input='{"items": ["a", "b", "c"]}')["executionArn"]
    described = wait_for_status(sfn, execution)
    assert described["status"] == "SUCCEEDED", described
    assert json.loads(described["output"]) == [{"price": 10}, {"price": 20}, {"price": 30}]
    # Started without the test case, the children's Tasks have no answer and fail loudly.
    plain = sfn.start_execution(stateMachineArn=arn, input='{"items": ["a"]}')["executionArn"]
    failed = wait_for_status(sfn, plain)
    assert failed["status"] == "FAILED" and failed["error"] == "States.ExceedToleratedFailureThreshold", failed


def test_a_broken_mock_config_stops_start_up_with_its_location(server, tmp_path):
    bad = tmp_path / "MockConfigFile.json"
    bad.write_text(json.dumps({"StateMachines": {"M": {"TestCases": {"C": {"S": "Missing"}}}}, "MockedResponses": {}}))
    proc = subprocess.run([str(server.binary), "serve", "--port", "0", "--mock-config", str(bad)],
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode != 0
    assert "/StateMachines/M/TestCases/C/S" in proc.stderr and "unknown mocked response 'Missing'" in proc.stderr


# ---------------------------------------------------------------------------------------------
# (b) steplocal serve --scenarios: every scenario case, started as arn#case, ends as `steplocal test` expects
# ---------------------------------------------------------------------------------------------

def scenario_cases():
    for path in sorted(SCENARIOS.glob("*.yaml")):
        document = yaml.safe_load(path.read_text())
        definition = document["definition"]
        machine = document.get("stateMachine") or Path(definition).name.removesuffix(".asl.json")
        for case in document["cases"]:
            if case.get("clock", "virtual") == "virtual":
                yield pytest.param(machine, case, id=f"{path.stem}:{case['name']}")


def contains(actual, expected) -> bool:
    """A scenario's `outputContains`: members not mentioned are ignored, at every depth."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(k in actual and contains(actual[k], v) for k, v in expected.items())
    if isinstance(expected, list):
        return isinstance(actual, list) and len(actual) >= len(expected) and all(map(contains, actual, expected))
    return actual == expected


@pytest.fixture(scope="module")
def scenario_server(start_server):
    sfn = start_server(["--scenarios", str(SCENARIOS)], {"WAIT_TIME_SCALE": "0"})
    # A server only schedules activities that exist (steplocal test takes every one as existing).
    sfn.create_activity(name="resize-image")
    wanted = {machine for machine, _ in (p.values for p in scenario_cases())}
    deadline = time.monotonic() + 20
    while True:
        names = {m["name"] for m in sfn.list_state_machines()["stateMachines"]}
        if wanted <= names:
            return sfn
        assert time.monotonic() < deadline, f"scenario state machines missing: {sorted(wanted - names)}"
        time.sleep(0.05)


def test_scenario_state_machines_exist_with_their_definitions(scenario_server):
    sfn = scenario_server
    arn = f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:OrderProcessingJSONata"
    described = sfn.describe_state_machine(stateMachineArn=arn)
    assert described["type"] == "STANDARD"
    assert json.loads(described["definition"]) == json.loads((SCENARIOS / "definitions" / "order-processing-jsonata.asl.json").read_text())


def causally_ordered(names, events):
    """Whether `names` lists every state entered, each after the state its own thread entered
    before it (found by following previousEventId back to the previous StateEntered event)."""
    by_id = {e["id"]: e for e in events}
    entered = [e for e in events if e["type"].endswith("StateEntered")]
    if len(entered) != len(names):
        return False
    predecessor = {}
    for event in entered:
        previous = event.get("previousEventId", 0)
        while previous and not by_id[previous]["type"].endswith("StateEntered"):
            previous = by_id[previous].get("previousEventId", 0)
        predecessor[event["id"]] = previous
    matched = {0}
    for name in names:
        candidates = [e for e in entered if e["id"] not in matched and e["stateEnteredEventDetails"]["name"] == name
                      and predecessor[e["id"]] in matched]
        if not candidates:
            return False
        matched.add(candidates[0]["id"])
    return True


@pytest.mark.parametrize("machine,case", scenario_cases())
def test_scenario_case_served_as_arn_hash_case(scenario_server, machine, case):
    sfn = scenario_server
    arn = f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:{machine}#{case['name']}"
    started = sfn.start_execution(stateMachineArn=arn, input=json.dumps(case.get("input", {})))
    desc = wait_for_status(sfn, started["executionArn"])
    expect = case.get("expect", {})
    status = expect.get("status", "FAILED" if "error" in expect else "SUCCEEDED")
    assert desc["status"] == status, desc
    if "error" in expect:
        assert desc.get("error") == expect["error"]
    if "cause" in expect:
        assert desc.get("cause") == expect["cause"]
    if "output" in expect:
        assert json.loads(desc["output"]) == expect["output"]
    if "outputContains" in expect:
        assert contains(json.loads(desc["output"]), expect["outputContains"])
    if "states" in expect:
        events = history(sfn, started["executionArn"])
        entered = [e["stateEnteredEventDetails"]["name"] for e in events if e["type"].endswith("StateEntered")]
        # Through the server, Parallel branches run concurrently, so their states may interleave
        # (on AWS too); each state must still follow the one its own thread entered before it.
        assert entered == expect["states"] or causally_ordered(expect["states"], events), entered


def test_an_unknown_scenario_case_is_refused(scenario_server):
    with pytest.raises(ClientError) as excinfo:
        scenario_server.start_execution(stateMachineArn=f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:OrderProcessing#no such case")
    assert error_code(excinfo) == "ValidationException"
    assert "happy path" in excinfo.value.response["Error"]["Message"]


# ---------------------------------------------------------------------------------------------
# Mocked child executions: a mocked states:startExecution task answers with the mock, the child never runs
# ---------------------------------------------------------------------------------------------

CHILD_MOCK = {
    "StateMachines": {
        "Parent": {"TestCases": {"MockedChild": {"RunChild": "ChildSucceeded"}, "ChildFails": {"RunChild": "ChildFailed"}}},
    },
    "MockedResponses": {
        # One partial answer shared by the three resource forms below, so the check against the
        # services' output shapes (STRICT by default) is turned off for it.
        "ChildSucceeded": {"FieldValidationMode": "NONE", "0": {"Return": {"Status": "SUCCEEDED", "Output": {"mocked": True}}}},
        "ChildFailed": {"0": {"Throw": {"Error": "States.TaskFailed", "Cause": "the child failed (mocked)"}}},
    },
}


@pytest.fixture(scope="module")
def child_mock_server(start_server, tmp_path_factory):
    config = tmp_path_factory.mktemp("child-mock") / "MockConfigFile.json"
    config.write_text(json.dumps(CHILD_MOCK))
    return start_server(["--mock-config", str(config)], {"WAIT_TIME_SCALE": "0"})


@pytest.mark.parametrize("resource", ["states:startExecution.sync:2", "states:startExecution.sync", "states:startExecution"])
def test_a_mocked_start_execution_task_returns_the_mock_and_starts_no_child(child_mock_server, resource):
    sfn = child_mock_server
    child = create(sfn, unique("child"), json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"real": True}, "End": True}}}))
    parent_definition = json.dumps({"StartAt": "RunChild", "States": {"RunChild": {
        "Type": "Task", "Resource": f"arn:aws:states:::{resource}",
        "Parameters": {"StateMachineArn": child, "Input": {"x": 1}}, "End": True}}})
    parent = create(sfn, "Parent", parent_definition)
    try:
        mocked = wait_for_status(sfn, sfn.start_execution(stateMachineArn=f"{parent}#MockedChild")["executionArn"])
        assert mocked["status"] == "SUCCEEDED"
        assert json.loads(mocked["output"]) == {"Status": "SUCCEEDED", "Output": {"mocked": True}}
        assert sfn.list_executions(stateMachineArn=child)["executions"] == []

        failed = wait_for_status(sfn, sfn.start_execution(stateMachineArn=f"{parent}#ChildFails")["executionArn"])
        assert (failed["status"], failed["error"], failed["cause"]) == ("FAILED", "States.TaskFailed", "the child failed (mocked)")
        assert sfn.list_executions(stateMachineArn=child)["executions"] == []

        # Without a test case the child runs for real in the same server.
        real = wait_for_status(sfn, sfn.start_execution(stateMachineArn=parent)["executionArn"])
        assert real["status"] == "SUCCEEDED"
        children = sfn.list_executions(stateMachineArn=child)["executions"]
        assert len(children) == 1
        output = json.loads(real["output"])
        assert output["ExecutionArn"] == children[0]["executionArn"]
        if resource.endswith(".sync:2"):
            assert output["Output"] == {"real": True}
    finally:
        sfn.delete_state_machine(stateMachineArn=parent)


# ---------------------------------------------------------------------------------------------
# The scenario files themselves
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.name)
def test_scenario_files_follow_the_published_schema(path):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((SCENARIOS / "scenario.schema.json").read_text())
    jsonschema.validate(yaml.safe_load(path.read_text()), schema)


def test_steplocal_test_passes_every_example_scenario(server):
    proc = subprocess.run([str(server.binary), "test", str(SCENARIOS)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    cases = sum(len(yaml.safe_load(p.read_text())["cases"]) for p in SCENARIOS.glob("*.yaml"))
    assert proc.stdout.strip().splitlines()[-1] == f"{cases} passed, 0 failed"


# ---------------------------------------------------------------------------------------------
# (e) Time under WAIT_TIME_SCALE=0: waits pass at once, histories stay in time order
# ---------------------------------------------------------------------------------------------

def test_skipped_waits_keep_histories_in_time_order_and_map_run_children_side_by_side(start_server):
    sfn = start_server([], {"WAIT_TIME_SCALE": "0"})
    branches = [
        {"StartAt": name, "States": {name: {"Type": "Wait", "Seconds": seconds, "Next": f"After{name}"},
                                     f"After{name}": {"Type": "Pass", "End": True}}}
        for name, seconds in (("Long", 100), ("Short", 10), ("Middle", 50))
    ]
    definition = {"StartAt": "Both", "States": {
        "Both": {"Type": "Parallel", "Branches": branches, "ResultPath": None, "Next": "Each"},
        "Each": {"Type": "Map", "ItemsPath": "$.waits", "End": True, "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$", "End": True}}}},
    }}
    arn = create(sfn, unique("instant-time"), json.dumps(definition))
    started = time.monotonic()
    execution = sfn.start_execution(stateMachineArn=arn, input=json.dumps({"waits": [10, 20, 10, 5]}))["executionArn"]
    desc = wait_for_status(sfn, execution)
    assert desc["status"] == "SUCCEEDED", desc
    assert time.monotonic() - started < 10  # 150 s of Waits, skipped
    events = history(sfn, execution)
    stamps = [e["timestamp"] for e in events]
    assert stamps == sorted(stamps), [(e["id"], e["type"], str(e["timestamp"])) for e in events]
    exited = [e["stateExitedEventDetails"]["name"] for e in events if e["type"] == "WaitStateExited"]
    assert exited == ["Short", "Middle", "Long"]
    # The Map Run's four children waited side by side: 20 s, not 45.
    run = sfn.describe_map_run(mapRunArn=sfn.list_map_runs(executionArn=execution)["mapRuns"][0]["mapRunArn"])
    assert 19 <= (run["stopDate"] - run["startDate"]).total_seconds() < 25, run
    assert (desc["stopDate"] - desc["startDate"]).total_seconds() >= 120


def test_an_express_execution_times_out_at_five_minutes_of_skipped_waits(start_server):
    # "Quotas for Express Workflows": five minutes at most, whatever TimeoutSeconds says. Under
    # WAIT_TIME_SCALE=0 the execution's own time counts the waits it skipped.
    sfn = start_server([], {"WAIT_TIME_SCALE": "0"})
    definition = {"TimeoutSeconds": 3600, "StartAt": "First", "States": {
        "First": {"Type": "Wait", "Seconds": 200, "Next": "Second"},
        "Second": {"Type": "Wait", "Seconds": 200, "Next": "Done"},
        "Done": {"Type": "Pass", "End": True}}}
    arn = sfn.create_state_machine(name=unique("express-5min"), definition=json.dumps(definition), roleArn=ROLE_ARN,
                                   type="EXPRESS")["stateMachineArn"]
    started = time.monotonic()
    out = sfn.start_sync_execution(stateMachineArn=arn, input="{}")
    assert time.monotonic() - started < 10
    assert out["status"] == "TIMED_OUT", out
    assert out["error"] == "States.Timeout"
    assert 300 <= (out["stopDate"] - out["startDate"]).total_seconds() < 310
