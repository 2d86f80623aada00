"""AWS's 256 KiB payload quota, seen through the API: a Map whose iterations together return more
than 256 KiB fails the execution with States.DataLimitExceeded, and a Catch naming that error
handles it (States.ALL does not, as AWS's error-handling page says)."""

import json

from conftest import wait_for_status

CAUSE = "The state/task 'Map' returned a result with a size exceeding the maximum number of bytes service limit."


def padded_map(catch=None):
    """A Map whose iterations each return a 1 KiB string."""
    map_state = {
        "Type": "Map", "ItemsPath": "$.items", "End": True,
        "ItemProcessor": {"StartAt": "Pad", "States": {"Pad": {"Type": "Pass", "Result": "x" * 1024, "End": True}}},
    }
    states = {"Map": map_state}
    if catch:
        map_state["Catch"] = [{"ErrorEquals": [catch], "Next": "Handled"}]
        states["Handled"] = {"Type": "Pass", "End": True}
    return json.dumps({"StartAt": "Map", "States": states})


def test_map_result_over_256_kib_fails_the_execution(sfn, res):
    ex = res.start(res.machine(definition=padded_map()), input_=json.dumps({"items": list(range(1000))}))
    desc = wait_for_status(sfn, ex)
    assert desc["status"] == "FAILED"
    assert desc["error"] == "States.DataLimitExceeded"
    assert desc["cause"] == CAUSE
    types = [e["type"] for e in sfn.get_execution_history(executionArn=ex, reverseOrder=True, maxResults=2)["events"]]
    assert types == ["ExecutionFailed", "MapStateFailed"]


def test_map_result_over_256_kib_is_caught_by_name_not_by_states_all(sfn, res):
    items = json.dumps({"items": list(range(1000))})
    caught = wait_for_status(sfn, res.start(res.machine(definition=padded_map("States.DataLimitExceeded")), input_=items))
    assert caught["status"] == "SUCCEEDED"
    assert json.loads(caught["output"]) == {"Error": "States.DataLimitExceeded", "Cause": CAUSE}

    uncaught = wait_for_status(sfn, res.start(res.machine(definition=padded_map("States.ALL")), input_=items))
    assert uncaught["status"] == "FAILED"
    assert uncaught["error"] == "States.DataLimitExceeded"
