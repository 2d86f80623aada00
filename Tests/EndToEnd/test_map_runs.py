"""ListMapRuns, DescribeMapRun, UpdateMapRun for a Distributed Map, and ListExecutions by mapRunArn."""

import json
import time

import pytest
from botocore.exceptions import ClientError

from conftest import ACCOUNT, REGION, error_code, unique, wait_for_status


def distributed_map(item_states, max_concurrency=0):
    return json.dumps({
        "StartAt": "M",
        "States": {"M": {
            "Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": max_concurrency,
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                              "StartAt": "I", "States": item_states},
            "End": True,
        }},
    })


def first_map_run(sfn, execution_arn, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = sfn.list_map_runs(executionArn=execution_arn)["mapRuns"]
        if runs:
            return runs[0]
        time.sleep(0.05)
    raise AssertionError("no map run appeared")


def test_map_run_succeeded(sfn, res):
    sm_name = unique("dmap")
    sm = res.machine(name=sm_name, definition=distributed_map({"I": {"Type": "Pass", "End": True}}))
    ex = res.start(sm, input_=json.dumps({"items": [1, 2, 3]}))
    desc = wait_for_status(sfn, ex)
    assert desc["status"] == "SUCCEEDED"
    assert json.loads(desc["output"]) == [1, 2, 3]

    run = first_map_run(sfn, ex)
    assert run["executionArn"] == ex
    assert run["mapRunArn"].startswith(f"arn:aws:states:{REGION}:{ACCOUNT}:mapRun:{sm_name}/M:")
    d = sfn.describe_map_run(mapRunArn=run["mapRunArn"])
    assert d["mapRunArn"] == run["mapRunArn"]
    assert d["executionArn"] == ex
    assert d["status"] == "SUCCEEDED"
    assert d["maxConcurrency"] == 0
    assert d["itemCounts"]["succeeded"] == 3 and d["itemCounts"]["total"] == 3
    assert d["executionCounts"]["succeeded"] == 3 and d["executionCounts"]["total"] == 3
    children = sfn.list_executions(mapRunArn=run["mapRunArn"])["executions"]
    assert len(children) == 3
    assert all(c["status"] == "SUCCEEDED" and c["mapRunArn"] == run["mapRunArn"] for c in children)

    child = sfn.describe_execution(executionArn=children[0]["executionArn"])
    assert child["mapRunArn"] == run["mapRunArn"]
    assert child["stateMachineArn"] == f"{sm}/M"
    assert child["status"] == "SUCCEEDED"
    assert json.loads(child["input"]) in (1, 2, 3)
    assert json.loads(child["output"]) == json.loads(child["input"])
    history = sfn.get_execution_history(executionArn=children[0]["executionArn"])["events"]
    assert [e["type"] for e in history] == ["ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]
    parent_types = [e["type"] for e in sfn.get_execution_history(executionArn=ex)["events"]]
    assert parent_types == ["ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted", "MapRunSucceeded",
                            "MapStateSucceeded", "MapStateExited", "ExecutionSucceeded"]


def test_map_run_with_failed_child_fails_the_parent(sfn, res):
    sm = res.machine(definition=distributed_map({"I": {"Type": "Fail", "Error": "Item.Bad", "Cause": "no"}}, max_concurrency=1))
    ex = res.start(sm, input_=json.dumps({"items": [1, 2]}))
    desc = wait_for_status(sfn, ex)
    assert (desc["status"], desc["error"]) == ("FAILED", "States.ExceedToleratedFailureThreshold")
    run = first_map_run(sfn, ex)
    d = sfn.describe_map_run(mapRunArn=run["mapRunArn"])
    assert d["status"] == "FAILED"
    assert d["executionCounts"]["failed"] == 1 and d["executionCounts"]["pending"] == 1
    failed_child = sfn.list_executions(mapRunArn=run["mapRunArn"], statusFilter="FAILED")["executions"][0]
    child = sfn.describe_execution(executionArn=failed_child["executionArn"])
    assert (child["error"], child["redriveStatus"]) == ("Item.Bad", "REDRIVABLE_BY_MAP_RUN")
    with pytest.raises(ClientError) as e:
        sfn.redrive_execution(executionArn=failed_child["executionArn"])
    assert error_code(e) == "ExecutionNotRedrivable"


def test_redriving_the_parent_redrives_its_map_run(sfn, res):
    """Item 2 fails its first attempt (no Choice rule matches while the child's own
    $$.Execution.RedriveCount is 0) and passes once redriven, which re-enters that Choice."""
    item_states = {
        "I": {"Type": "Choice", "Choices": [{
            "Or": [{"Variable": "$", "NumericEquals": 1}, {"Variable": "$", "NumericEquals": 3},
                   {"Variable": "$$.Execution.RedriveCount", "NumericGreaterThan": 0}], "Next": "Done"}]},
        "Done": {"Type": "Pass", "End": True},
    }
    sm = res.machine(definition=distributed_map(item_states, max_concurrency=1))
    ex = res.start(sm, input_=json.dumps({"items": [1, 2, 3]}))
    assert wait_for_status(sfn, ex)["status"] == "FAILED"
    run = first_map_run(sfn, ex)
    failed_child = sfn.list_executions(mapRunArn=run["mapRunArn"], statusFilter="FAILED")["executions"][0]

    sfn.redrive_execution(executionArn=ex)
    desc = wait_for_status(sfn, ex)
    assert desc["status"] == "SUCCEEDED"
    assert json.loads(desc["output"]) == [1, 2, 3]
    runs = sfn.list_map_runs(executionArn=ex)["mapRuns"]
    assert [r["mapRunArn"] for r in runs] == [run["mapRunArn"]]
    d = sfn.describe_map_run(mapRunArn=run["mapRunArn"])
    assert (d["status"], d["redriveCount"]) == ("SUCCEEDED", 1)
    assert "redriveDate" in d
    assert d["executionCounts"]["succeeded"] == 3
    child = sfn.describe_execution(executionArn=failed_child["executionArn"])
    assert (child["status"], child["redriveCount"]) == ("SUCCEEDED", 1)
    parent_types = [e["type"] for e in sfn.get_execution_history(executionArn=ex)["events"]]
    assert parent_types.count("MapRunStarted") == 1
    assert parent_types.index("MapRunRedriven") > parent_types.index("ExecutionRedriven")


def test_update_running_map_run(sfn, res):
    sm = res.machine(definition=distributed_map({"I": {"Type": "Wait", "Seconds": 300, "End": True}}, max_concurrency=1))
    ex = res.start(sm, input_=json.dumps({"items": [1, 2]}))
    run = first_map_run(sfn, ex)
    sfn.update_map_run(mapRunArn=run["mapRunArn"], maxConcurrency=2, toleratedFailurePercentage=10.0,
                       toleratedFailureCount=1)
    d = sfn.describe_map_run(mapRunArn=run["mapRunArn"])
    assert d["status"] == "RUNNING"
    assert d["maxConcurrency"] == 2
    assert d["toleratedFailurePercentage"] == 10.0
    assert d["toleratedFailureCount"] == 1
    sfn.stop_execution(executionArn=ex)


def test_map_run_errors(sfn, sfn_raw, res):
    sm = res.machine()
    ex = res.start(sm)
    wait_for_status(sfn, ex)
    assert sfn.list_map_runs(executionArn=ex)["mapRuns"] == []
    missing_run = f"arn:aws:states:{REGION}:{ACCOUNT}:mapRun:{unique('sm')}/M:6cc6c9a5-6ed6-4c3b-9a6a-2ff6b1f8b3c4"
    with pytest.raises(ClientError) as e:
        sfn.describe_map_run(mapRunArn=missing_run)
    assert error_code(e) == "ResourceNotFound"
    with pytest.raises(ClientError) as e:
        sfn.update_map_run(mapRunArn=missing_run, maxConcurrency=1)
    assert error_code(e) == "ResourceNotFound"
    with pytest.raises(ClientError) as e:
        sfn.describe_map_run(mapRunArn="not-an-arn")
    assert error_code(e) == "InvalidArn"
    with pytest.raises(ClientError) as e:
        sfn.list_map_runs(executionArn=f"arn:aws:states:{REGION}:{ACCOUNT}:execution:{unique('sm')}:x")
    assert error_code(e) == "ExecutionDoesNotExist"
    with pytest.raises(ClientError) as e:
        sfn_raw.update_map_run(mapRunArn=missing_run, toleratedFailurePercentage=101.0)
    assert error_code(e) == "ValidationException"


def test_list_executions_by_map_run_pages_newest_first(sfn, res):
    """ListExecutions by mapRunArn pages through every child once, newest first, with or without a
    status filter (only the page's children are described)."""
    definition = json.loads(distributed_map(
        {"I": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericGreaterThanEquals": 200, "Next": "Bad"}], "Default": "Ok"},
         "Ok": {"Type": "Pass", "End": True}, "Bad": {"Type": "Fail", "Error": "E"}}))
    definition["States"]["M"]["ToleratedFailurePercentage"] = 100
    sm = res.machine(name=unique("dmap"), definition=json.dumps(definition))
    ex = res.start(sm, input_=json.dumps({"items": list(range(250))}))
    wait_for_status(sfn, ex)
    run = first_map_run(sfn, ex)["mapRunArn"]

    def pages(**filters):
        seen, token = [], None
        while True:
            page = sfn.list_executions(mapRunArn=run, maxResults=100, **({"nextToken": token} if token else {}), **filters)
            seen += page["executions"]
            token = page.get("nextToken")
            if not token:
                return seen

    children = pages()
    assert len(children) == 250 and len({c["executionArn"] for c in children}) == 250
    inputs = [json.loads(sfn.describe_execution(executionArn=c["executionArn"])["input"]) for c in children[:3] + children[-3:]]
    assert inputs == [249, 248, 247, 2, 1, 0]
    failed = pages(statusFilter="FAILED")
    assert len(failed) == 50 and all(c["status"] == "FAILED" for c in failed)
    assert [c["executionArn"] for c in failed] == [c["executionArn"] for c in children[:50]]
