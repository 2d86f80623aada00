"""StartExecution, StartSyncExecution, StopExecution, DescribeExecution, ListExecutions,
GetExecutionHistory, DescribeStateMachineForExecution, RedriveExecution."""

import datetime
import json

import pytest
from botocore.exceptions import ClientError

from conftest import (ACCOUNT, REGION, ROLE_ARN, error_code, fail_definition, http_status, pass_definition, unique,
                      wait_definition, wait_for_status)


def missing_execution_arn(sm_name="nope"):
    return f"arn:aws:states:{REGION}:{ACCOUNT}:execution:{sm_name}:{unique('ex')}"


def test_start_and_describe_succeeded(sfn, res):
    sm_name = unique("run")
    sm = res.machine(name=sm_name, definition=pass_definition({"answer": 42}, n=3))
    name = unique("ex")
    started = sfn.start_execution(stateMachineArn=sm, name=name, input=json.dumps({"in": 1}))
    assert started["executionArn"] == f"arn:aws:states:{REGION}:{ACCOUNT}:execution:{sm_name}:{name}"
    assert isinstance(started["startDate"], datetime.datetime)

    desc = wait_for_status(sfn, started["executionArn"])
    assert desc["status"] == "SUCCEEDED"
    assert desc["executionArn"] == started["executionArn"]
    assert desc["stateMachineArn"] == sm
    assert desc["name"] == name
    assert json.loads(desc["input"]) == {"in": 1}
    assert json.loads(desc["output"]) == {"answer": 42}
    assert desc["inputDetails"] == {"included": True}
    assert desc["outputDetails"] == {"included": True}
    assert desc["startDate"] == started["startDate"]
    assert desc["stopDate"] >= desc["startDate"]
    assert desc["redriveCount"] == 0
    assert desc["redriveStatus"] == "NOT_REDRIVABLE"
    assert desc["redriveStatusReason"] == "Execution is SUCCEEDED and cannot be redriven"


def test_start_without_name_or_input(sfn, res):
    sm = res.machine()
    arn = sfn.start_execution(stateMachineArn=sm)["executionArn"]
    desc = wait_for_status(sfn, arn)
    assert desc["status"] == "SUCCEEDED"
    assert json.loads(desc["input"]) == {}
    # a generated name is a UUID
    assert len(desc["name"]) == 36 and desc["name"].count("-") == 4


def test_failed_execution_reports_error_and_cause(sfn, res):
    sm = res.machine(definition=fail_definition("Boom", "it broke"))
    desc = wait_for_status(sfn, res.start(sm))
    assert desc["status"] == "FAILED"
    assert desc["error"] == "Boom"
    assert desc["cause"] == "it broke"
    assert "output" not in desc


def test_failed_execution_is_redrivable(sfn, res):
    sm = res.machine(definition=fail_definition("Boom", "it broke"))
    desc = wait_for_status(sfn, res.start(sm))
    assert desc["redriveStatus"] == "REDRIVABLE"
    assert "redriveStatusReason" not in desc


def test_start_errors(sfn, sfn_raw, res):
    sm = res.machine()
    with pytest.raises(ClientError) as e:
        sfn.start_execution(stateMachineArn=f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:{unique('nope')}")
    assert error_code(e) == "StateMachineDoesNotExist"
    with pytest.raises(ClientError) as e:
        sfn.start_execution(stateMachineArn="arn:nope")
    assert error_code(e) == "InvalidArn"
    with pytest.raises(ClientError) as e:
        sfn.start_execution(stateMachineArn=sm, input="{not json")
    assert error_code(e) == "InvalidExecutionInput"
    with pytest.raises(ClientError) as e:
        sfn.start_execution(stateMachineArn=sm, name="bad name")
    assert error_code(e) == "InvalidName"
    with pytest.raises(ClientError) as e:
        sfn_raw.start_execution(stateMachineArn=sm, name="x" * 81)
    assert error_code(e) == "ValidationException"


def test_start_is_idempotent_while_running_with_same_input(sfn, res):
    sm = res.machine(definition=wait_definition())
    name = unique("idem")
    first = sfn.start_execution(stateMachineArn=sm, name=name, input='{"a": 1}')
    res.executions.append(first["executionArn"])
    again = sfn.start_execution(stateMachineArn=sm, name=name, input='{"a": 1}')
    assert again["executionArn"] == first["executionArn"]
    assert again["startDate"] == first["startDate"]
    # open execution, different input
    with pytest.raises(ClientError) as e:
        sfn.start_execution(stateMachineArn=sm, name=name, input='{"a": 2}')
    assert error_code(e) == "ExecutionAlreadyExists"
    assert http_status(e) == 400
    # closed execution: already exists whatever the input
    sfn.stop_execution(executionArn=first["executionArn"])
    wait_for_status(sfn, first["executionArn"])
    with pytest.raises(ClientError) as e:
        sfn.start_execution(stateMachineArn=sm, name=name, input='{"a": 1}')
    assert error_code(e) == "ExecutionAlreadyExists"


def test_start_sync_execution_express(sfn, res):
    sm_name = unique("sync")
    sm = res.machine(name=sm_name, definition=pass_definition({"done": True}, n=3), type_="EXPRESS")
    name = unique("sx")
    out = sfn.start_sync_execution(stateMachineArn=sm, name=name, input='{"k": "v"}')
    assert out["executionArn"].startswith(f"arn:aws:states:{REGION}:{ACCOUNT}:express:{sm_name}:{name}:")
    assert out["stateMachineArn"] == sm
    assert out["name"] == name
    assert out["status"] == "SUCCEEDED"
    assert json.loads(out["input"]) == {"k": "v"}
    assert json.loads(out["output"]) == {"done": True}
    assert out["inputDetails"] == {"included": True}
    assert out["outputDetails"] == {"included": True}
    assert isinstance(out["startDate"], datetime.datetime) and out["stopDate"] >= out["startDate"]
    billing = out["billingDetails"]
    assert set(billing) == {"billedMemoryUsedInMB", "billedDurationInMilliseconds"}
    assert billing["billedMemoryUsedInMB"] >= 64
    assert billing["billedDurationInMilliseconds"] >= 100  # AWS bills express in 100 ms units, rounding up


def test_start_sync_execution_failure_is_200_with_status_failed(sfn, res):
    sm = res.machine(definition=fail_definition("E", "C"), type_="EXPRESS")
    out = sfn.start_sync_execution(stateMachineArn=sm)
    assert out["status"] == "FAILED"
    assert out["error"] == "E"
    assert out["cause"] == "C"


def test_start_sync_execution_of_a_long_loop_has_no_history_event_limit(sfn, res):
    # AWS keeps no history of an EXPRESS execution ("Quotas for Express Workflows": history size
    # unlimited), so 15,000 rounds of two states (60,000 events' worth) succeed; STANDARD would
    # fail at 25,000 events.
    definition = {"StartAt": "Start", "States": {
        "Start": {"Type": "Pass", "Result": 0, "ResultPath": "$.n", "Next": "Count"},
        "Count": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)"}, "Next": "Check"},
        "Check": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThanEquals": 15000, "Next": "Done"}],
                  "Default": "Count"},
        "Done": {"Type": "Succeed"}}}
    sm = res.machine(definition=json.dumps(definition), type_="EXPRESS")
    out = sfn.start_sync_execution(stateMachineArn=sm, input="{}")
    assert out["status"] == "SUCCEEDED", out
    assert json.loads(out["output"]) == {"n": 15000}


def test_start_sync_execution_on_standard_is_type_not_supported(sfn, res):
    sm = res.machine()
    with pytest.raises(ClientError) as e:
        sfn.start_sync_execution(stateMachineArn=sm)
    assert error_code(e) == "StateMachineTypeNotSupported"


def test_start_execution_of_express_machine(sfn, res):
    sm_name = unique("exa")
    sm = res.machine(name=sm_name, type_="EXPRESS")
    arn = sfn.start_execution(stateMachineArn=sm, name="e1")["executionArn"]
    assert arn.startswith(f"arn:aws:states:{REGION}:{ACCOUNT}:express:{sm_name}:e1:")
    with pytest.raises(ClientError) as e:
        sfn.list_executions(stateMachineArn=sm)
    assert error_code(e) == "StateMachineTypeNotSupported"


def test_stop_execution(sfn, res):
    sm = res.machine(definition=wait_definition())
    arn = res.start(sm)
    assert sfn.describe_execution(executionArn=arn)["status"] == "RUNNING"
    stopped = sfn.stop_execution(executionArn=arn, error="Halt", cause="stopped by test")
    assert isinstance(stopped["stopDate"], datetime.datetime)
    desc = wait_for_status(sfn, arn)
    assert desc["status"] == "ABORTED"
    assert desc["error"] == "Halt"
    assert desc["cause"] == "stopped by test"
    history = sfn.get_execution_history(executionArn=arn)["events"]
    last = history[-1]
    assert last["type"] == "ExecutionAborted"
    assert last["executionAbortedEventDetails"] == {"error": "Halt", "cause": "stopped by test"}
    with pytest.raises(ClientError) as e:
        sfn.stop_execution(executionArn=missing_execution_arn())
    assert error_code(e) == "ExecutionDoesNotExist"


def test_describe_execution_errors(sfn):
    with pytest.raises(ClientError) as e:
        sfn.describe_execution(executionArn=missing_execution_arn())
    assert error_code(e) == "ExecutionDoesNotExist"
    assert http_status(e) == 400
    with pytest.raises(ClientError) as e:
        sfn.describe_execution(executionArn="not-an-arn")
    assert error_code(e) == "InvalidArn"


def test_list_executions_filter_and_paginate(sfn, res):
    sm = res.machine(definition=wait_definition())
    running = [res.start(sm) for _ in range(3)]
    stopped = running.pop()
    sfn.stop_execution(executionArn=stopped)
    wait_for_status(sfn, stopped)

    everything = sfn.list_executions(stateMachineArn=sm)["executions"]
    assert {e["executionArn"] for e in everything} == set(running) | {stopped}
    starts = [e["startDate"] for e in everything]
    assert starts == sorted(starts, reverse=True)  # newest first
    item = next(e for e in everything if e["executionArn"] == stopped)
    assert item["status"] == "ABORTED" and item["stateMachineArn"] == sm and "stopDate" in item

    only_running = sfn.list_executions(stateMachineArn=sm, statusFilter="RUNNING")["executions"]
    assert {e["executionArn"] for e in only_running} == set(running)
    assert all("stopDate" not in e for e in only_running)

    seen, token = [], None
    for _ in range(10):
        kwargs = {"stateMachineArn": sm, "maxResults": 1}
        if token:
            kwargs["nextToken"] = token
        page = sfn.list_executions(**kwargs)
        assert len(page["executions"]) == 1
        seen.append(page["executions"][0]["executionArn"])
        token = page.get("nextToken")
        if not token:
            break
    assert sorted(seen) == sorted(running + [stopped])


def test_list_executions_errors(sfn, sfn_raw):
    with pytest.raises(ClientError) as e:
        sfn.list_executions(stateMachineArn=f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:{unique('nope')}")
    assert error_code(e) == "StateMachineDoesNotExist"
    with pytest.raises(ClientError) as e:
        sfn_raw.list_executions(stateMachineArn=f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:x", statusFilter="SLEEPING")
    assert error_code(e) == "ValidationException"


def test_get_execution_history(sfn, res):
    sm = res.machine(definition=pass_definition({"r": 1}, n=1))
    arn = res.start(sm, input_='{"i": 1}')
    wait_for_status(sfn, arn)
    events = sfn.get_execution_history(executionArn=arn)["events"]
    assert [e["type"] for e in events] == ["ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]
    assert [e["id"] for e in events] == [1, 2, 3, 4]
    assert [e["previousEventId"] for e in events] == [0, 0, 2, 3]  # the first state names no event, as on AWS
    assert all(isinstance(e["timestamp"], datetime.datetime) for e in events)
    started = events[0]["executionStartedEventDetails"]
    assert json.loads(started["input"]) == {"i": 1}
    assert started["inputDetails"] == {"truncated": False}
    assert started["roleArn"] == ROLE_ARN
    assert events[1]["stateEnteredEventDetails"]["name"] == "P0"
    assert json.loads(events[1]["stateEnteredEventDetails"]["input"]) == {"i": 1}
    assert events[2]["stateExitedEventDetails"]["name"] == "P0"
    assert json.loads(events[2]["stateExitedEventDetails"]["output"]) == {"r": 1}
    assert json.loads(events[3]["executionSucceededEventDetails"]["output"]) == {"r": 1}

    reverse = sfn.get_execution_history(executionArn=arn, reverseOrder=True)["events"]
    assert [e["id"] for e in reverse] == [4, 3, 2, 1]

    page1 = sfn.get_execution_history(executionArn=arn, maxResults=3)
    assert [e["id"] for e in page1["events"]] == [1, 2, 3]
    page2 = sfn.get_execution_history(executionArn=arn, maxResults=3, nextToken=page1["nextToken"])
    assert [e["id"] for e in page2["events"]] == [4]
    assert "nextToken" not in page2

    lean = sfn.get_execution_history(executionArn=arn, includeExecutionData=False)["events"]
    assert "input" not in lean[0]["executionStartedEventDetails"]
    assert "output" not in lean[3]["executionSucceededEventDetails"]

    with pytest.raises(ClientError) as e:
        sfn.get_execution_history(executionArn=missing_execution_arn())
    assert error_code(e) == "ExecutionDoesNotExist"
    with pytest.raises(ClientError) as e:
        sfn.get_execution_history(executionArn=arn, nextToken="never-issued")
    assert error_code(e) == "InvalidToken"


def test_describe_state_machine_for_execution(sfn, res):
    sm_name = unique("dsfe")
    sm = res.machine(name=sm_name, definition=wait_definition())
    arn = res.start(sm)
    sfn.update_state_machine(stateMachineArn=sm, definition=pass_definition())
    got = sfn.describe_state_machine_for_execution(executionArn=arn)
    assert got["stateMachineArn"] == sm
    assert got["name"] == sm_name
    assert got["roleArn"] == ROLE_ARN
    assert isinstance(got["updateDate"], datetime.datetime)
    # the definition the execution runs, not the one updated afterwards
    assert json.loads(got["definition"]) == json.loads(wait_definition())
    with pytest.raises(ClientError) as e:
        sfn.describe_state_machine_for_execution(executionArn=missing_execution_arn())
    assert error_code(e) == "ExecutionDoesNotExist"


def test_redrive_aborted_execution(sfn, res):
    sm = res.machine(definition=wait_definition())
    arn = res.start(sm)
    sfn.stop_execution(executionArn=arn)
    desc = wait_for_status(sfn, arn)
    assert desc["status"] == "ABORTED"
    assert desc["redriveStatus"] == "REDRIVABLE"
    out = sfn.redrive_execution(executionArn=arn)
    assert isinstance(out["redriveDate"], datetime.datetime)
    desc = sfn.describe_execution(executionArn=arn)
    assert desc["status"] == "RUNNING"
    assert desc["redriveCount"] == 1
    assert desc["redriveDate"] == out["redriveDate"]
    types = [e["type"] for e in sfn.get_execution_history(executionArn=arn)["events"]]
    assert "ExecutionRedriven" in types


def test_redrive_continues_from_the_failed_activity_task(sfn, res):
    """A worker fails the task; after the fix, RedriveExecution reruns only that Task state:
    the Pass before it is not entered again, and the history goes on after ExecutionRedriven."""
    act = res.activity()
    definition = {"StartAt": "Prepare", "States": {
        "Prepare": {"Type": "Pass", "Result": {"prepared": True}, "ResultPath": "$.prep", "Next": "Work"},
        "Work": {"Type": "Task", "Resource": act, "End": True}}}
    sm = res.machine(definition=json.dumps(definition))
    arn = res.start(sm, input_='{"order": 7}')

    first = sfn.get_activity_task(activityArn=act, workerName="w")
    assert json.loads(first["input"]) == {"order": 7, "prep": {"prepared": True}}
    sfn.send_task_failure(taskToken=first["taskToken"], error="Worker.Broken", cause="disk full")
    desc = wait_for_status(sfn, arn)
    assert (desc["status"], desc["error"], desc["redriveStatus"], desc["redriveCount"]) == ("FAILED", "Worker.Broken", "REDRIVABLE", 0)

    redriven = sfn.redrive_execution(executionArn=arn)
    second = sfn.get_activity_task(activityArn=act, workerName="w")
    assert json.loads(second["input"]) == {"order": 7, "prep": {"prepared": True}}
    sfn.send_task_success(taskToken=second["taskToken"], output='{"done": true}')
    desc = wait_for_status(sfn, arn)
    assert desc["status"] == "SUCCEEDED"
    assert json.loads(desc["output"]) == {"done": True}
    assert desc["redriveCount"] == 1
    assert desc["redriveDate"] == redriven["redriveDate"]
    assert "error" not in desc
    assert desc["redriveStatus"] == "NOT_REDRIVABLE"
    assert desc["redriveStatusReason"] == "Execution is SUCCEEDED and cannot be redriven"

    events = sfn.get_execution_history(executionArn=arn)["events"]
    types = [e["type"] for e in events]
    at = types.index("ExecutionRedriven")
    assert types[at - 1] == "ExecutionFailed"
    assert events[at]["executionRedrivenEventDetails"] == {"redriveCount": 1}
    assert types.count("PassStateEntered") == 1
    assert types[at + 1:] == ["TaskStateEntered", "ActivityScheduled", "ActivityStarted", "ActivitySucceeded",
                              "TaskStateExited", "ExecutionSucceeded"]
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))

    listed = sfn.list_executions(stateMachineArn=sm, redriveFilter="REDRIVEN")["executions"]
    assert [e["executionArn"] for e in listed] == [arn]
    assert listed[0]["redriveCount"] == 1
    assert sfn.list_executions(stateMachineArn=sm, redriveFilter="NOT_REDRIVEN")["executions"] == []


def test_redrive_errors(sfn, res):
    sm = res.machine()
    arn = res.start(sm)
    wait_for_status(sfn, arn)
    with pytest.raises(ClientError) as e:
        sfn.redrive_execution(executionArn=arn)
    assert error_code(e) == "ExecutionNotRedrivable"
    assert e.value.response["Error"]["Message"] == "Execution is SUCCEEDED and cannot be redriven"
    with pytest.raises(ClientError) as e:
        sfn.redrive_execution(executionArn=missing_execution_arn())
    assert error_code(e) == "ExecutionDoesNotExist"
