"""CreateActivity, DescribeActivity, ListActivities, DeleteActivity, GetActivityTask,
SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat."""

import datetime
import json
import time

import pytest
from botocore.exceptions import ClientError

from conftest import ACCOUNT, REGION, error_code, unique, wait_for_status


def activity_definition(activity_arn):
    return json.dumps({"StartAt": "Work", "States": {"Work": {"Type": "Task", "Resource": activity_arn, "End": True}}})



def wait_until_scheduled(sfn, execution_arn, timeout=10.0):
    """Fail fast (instead of a 60 s GetActivityTask long poll) when the activity is never scheduled."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        types = [e["type"] for e in sfn.get_execution_history(executionArn=execution_arn)["events"]]
        if "ActivityScheduled" in types:
            return
        status = sfn.describe_execution(executionArn=execution_arn)["status"]
        assert status == "RUNNING", f"execution ended {status} before scheduling the activity: {types}"
        time.sleep(0.05)
    raise AssertionError(f"activity not scheduled within {timeout}s")


def test_activity_crud(sfn, res):
    name = unique("act")
    arn = res.activity(name=name)
    assert arn == f"arn:aws:states:{REGION}:{ACCOUNT}:activity:{name}"
    # same name, same configuration: idempotent
    assert sfn.create_activity(name=name)["activityArn"] == arn

    desc = sfn.describe_activity(activityArn=arn)
    assert desc["activityArn"] == arn
    assert desc["name"] == name
    assert isinstance(desc["creationDate"], datetime.datetime)

    listed = sfn.list_activities()["activities"]
    item = next(a for a in listed if a["activityArn"] == arn)
    assert item == {"activityArn": arn, "name": name, "creationDate": desc["creationDate"]}

    sfn.delete_activity(activityArn=arn)
    with pytest.raises(ClientError) as e:
        sfn.describe_activity(activityArn=arn)
    assert error_code(e) == "ActivityDoesNotExist"


def test_activity_errors(sfn):
    with pytest.raises(ClientError) as e:
        sfn.create_activity(name="bad name")
    assert error_code(e) == "InvalidName"
    with pytest.raises(ClientError) as e:
        sfn.describe_activity(activityArn="not-an-arn")
    assert error_code(e) == "InvalidArn"
    missing = f"arn:aws:states:{REGION}:{ACCOUNT}:activity:{unique('missing')}"
    with pytest.raises(ClientError) as e:
        sfn.describe_activity(activityArn=missing)
    assert error_code(e) == "ActivityDoesNotExist"
    with pytest.raises(ClientError) as e:
        sfn.get_activity_task(activityArn=missing)
    assert error_code(e) == "ActivityDoesNotExist"
    with pytest.raises(ClientError) as e:
        sfn.list_activities(nextToken="never-issued")
    assert error_code(e) == "InvalidToken"


def test_activity_worker_success(sfn, res):
    act = res.activity()
    sm = res.machine(definition=activity_definition(act))
    ex = res.start(sm, input_='{"job": 7}')
    wait_until_scheduled(sfn, ex)
    task = sfn.get_activity_task(activityArn=act, workerName="worker-1")
    assert json.loads(task["input"]) == {"job": 7}
    token = task["taskToken"]
    assert token
    sfn.send_task_heartbeat(taskToken=token)
    sfn.send_task_success(taskToken=token, output='{"done": 7}')
    desc = wait_for_status(sfn, ex)
    assert desc["status"] == "SUCCEEDED"
    assert json.loads(desc["output"]) == {"done": 7}
    types = [e["type"] for e in sfn.get_execution_history(executionArn=ex)["events"]]
    assert types == ["ExecutionStarted", "TaskStateEntered", "ActivityScheduled", "ActivityStarted",
                     "ActivitySucceeded", "TaskStateExited", "ExecutionSucceeded"]
    # the task is closed: its token no longer answers
    with pytest.raises(ClientError) as e:
        sfn.send_task_success(taskToken=token, output="{}")
    assert error_code(e) in {"TaskTimedOut", "TaskDoesNotExist"}  # AWS documents both for a closed task


def test_activity_worker_failure(sfn, res):
    act = res.activity()
    sm = res.machine(definition=activity_definition(act))
    ex = res.start(sm)
    wait_until_scheduled(sfn, ex)
    token = sfn.get_activity_task(activityArn=act)["taskToken"]
    sfn.send_task_failure(taskToken=token, error="WorkerError", cause="disk full")
    desc = wait_for_status(sfn, ex)
    assert desc["status"] == "FAILED"
    assert desc["error"] == "WorkerError"
    assert desc["cause"] == "disk full"


def test_send_task_unknown_tokens(sfn, sfn_raw):
    for call in (lambda t: sfn.send_task_success(taskToken=t, output="{}"),
                 lambda t: sfn.send_task_failure(taskToken=t),
                 lambda t: sfn.send_task_heartbeat(taskToken=t)):
        with pytest.raises(ClientError) as e:
            call("this-token-was-never-issued")
        # AWS answers InvalidToken for a token it cannot decode
        assert error_code(e) in {"InvalidToken", "TaskDoesNotExist"}
    with pytest.raises(ClientError) as e:
        sfn_raw.send_task_heartbeat(taskToken="")
    assert error_code(e) == "ValidationException"


def test_send_task_bad_output(sfn, res):
    act = res.activity()
    sm = res.machine(definition=activity_definition(act))
    ex = res.start(sm)
    wait_until_scheduled(sfn, ex)
    token = sfn.get_activity_task(activityArn=act)["taskToken"]
    with pytest.raises(ClientError) as e:
        sfn.send_task_success(taskToken=token, output="{not json")
    assert error_code(e) == "InvalidOutput"
