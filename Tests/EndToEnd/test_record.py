"""`steplocal record`: executions exported with the AWS CLI become scenario files that pass at once.

Every case of the order workflows (JSONPath and JSONata, nine each) is run through `serve --scenarios` (its
Tasks answered by the case's mocks), exported as a user would (`aws stepfunctions
get-execution-history` and `describe-state-machine-for-execution`), recorded, and the recordings
are replayed together by `steplocal test`: each must end as the original did, with the same Task
answers, in a run that uses none of the original mocks.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import REGION, ACCOUNT, wait_for_status
from test_scenarios_mocks import scenario_cases, scenario_server, start_server  # noqa: F401 (fixtures)

ORDER_MACHINES = ("OrderProcessing", "OrderProcessingJSONata")


def aws_cli(endpoint, *args) -> str:
    env = dict(os.environ, AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY="secret", AWS_DEFAULT_REGION=REGION, AWS_PAGER="")
    proc = subprocess.run([sys.executable, "-m", "awscli", "stepfunctions", "--endpoint-url", endpoint, "--output", "json", *args],
                          capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_recorded_order_workflow_executions_replay_with_steplocal_test(scenario_server, server, tmp_path):
    sfn = scenario_server
    endpoint = sfn.meta.endpoint_url
    recorded = []
    for param in scenario_cases():
        machine, case = param.values
        if machine not in ORDER_MACHINES:
            continue
        arn = f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:{machine}#{case['name']}"
        execution = sfn.start_execution(stateMachineArn=arn, input=json.dumps(case.get("input", {})))["executionArn"]
        original = wait_for_status(sfn, execution)
        folder = tmp_path / f"{machine}-{len(recorded)}"
        folder.mkdir()
        (folder / "history.json").write_text(aws_cli(endpoint, "get-execution-history", "--execution-arn", execution))
        (folder / "machine.json").write_text(aws_cli(endpoint, "describe-state-machine-for-execution", "--execution-arn", execution))
        (folder / "execution.json").write_text(aws_cli(endpoint, "describe-execution", "--execution-arn", execution))
        scenario = tmp_path / f"recorded-{len(recorded)}.json"
        proc = subprocess.run([str(server.binary), "record", "--history", str(folder / "history.json"),
                               "--definition", str(folder / "machine.json"), "--execution", str(folder / "execution.json"),
                               "--case", case["name"], "-o", str(scenario)], capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr
        document = json.loads(scenario.read_text())
        expect = document["cases"][0]["expect"]
        assert expect["status"] == original["status"]
        if original["status"] == "SUCCEEDED":
            assert expect["output"] == json.loads(original["output"])
        else:
            assert expect.get("error") == original.get("error") and expect.get("cause") == original.get("cause")
        assert "mockConfig" not in document["cases"][0]
        recorded.append(scenario)
    assert len(recorded) == 18  # nine cases for each of the two order workflows

    replay = subprocess.run([str(server.binary), "test", *map(str, recorded)], capture_output=True, text=True, timeout=120)
    assert replay.returncode == 0, replay.stdout + replay.stderr
    assert "18 passed, 0 failed" in replay.stdout, replay.stdout


def test_recording_a_running_execution_is_refused_with_a_reason(server, sfn, res, tmp_path):
    arn = res.machine(json.dumps({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 600, "End": True}}}))
    execution = res.start(arn)
    history = sfn.get_execution_history(executionArn=execution)["events"]
    (tmp_path / "history.json").write_text(json.dumps({"events": history}, default=str))
    (tmp_path / "machine.json").write_text(json.dumps({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 600, "End": True}}}))
    proc = subprocess.run([str(server.binary), "record", "--history", str(tmp_path / "history.json"), "--definition", str(tmp_path / "machine.json")],
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 1
    assert "has not ended" in proc.stderr


def test_recording_live_from_the_endpoint_equals_recording_the_exported_files(scenario_server, server, tmp_path):
    """`record --endpoint URL --execution-arn ARN` reads the execution where it ran (signed
    DescribeExecution, DescribeStateMachineForExecution, GetExecutionHistory) and writes the same
    scenario as recording the AWS CLI's exports; the recording passes `steplocal test`."""
    sfn = scenario_server
    endpoint = sfn.meta.endpoint_url
    machine, case = next(p.values for p in scenario_cases() if p.values[0] == "OrderProcessing" and "transient" in p.values[1]["name"])
    arn = f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:{machine}#{case['name']}"
    execution = sfn.start_execution(stateMachineArn=arn, input=json.dumps(case.get("input", {})))["executionArn"]
    assert wait_for_status(sfn, execution)["status"] == "SUCCEEDED"
    for name, args in (("history", ("get-execution-history",)), ("machine", ("describe-state-machine-for-execution",)),
                       ("execution", ("describe-execution",))):
        (tmp_path / f"{name}.json").write_text(aws_cli(endpoint, *args, "--execution-arn", execution))
    env = dict(os.environ, AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY="secret")
    live = subprocess.run([str(server.binary), "record", "--endpoint", endpoint, "--execution-arn", execution, "-o", str(tmp_path / "live.json")],
                          capture_output=True, text=True, timeout=60, env=env)
    assert live.returncode == 0, live.stderr
    files = subprocess.run([str(server.binary), "record", "--history", str(tmp_path / "history.json"), "--definition", str(tmp_path / "machine.json"),
                            "--execution", str(tmp_path / "execution.json"), "-o", str(tmp_path / "files.json")],
                           capture_output=True, text=True, timeout=60)
    assert files.returncode == 0, files.stderr
    assert json.loads((tmp_path / "live.json").read_text()) == json.loads((tmp_path / "files.json").read_text())
    replay = subprocess.run([str(server.binary), "test", str(tmp_path / "live.json")], capture_output=True, text=True, timeout=60)
    assert replay.returncode == 0 and "1 passed, 0 failed" in replay.stdout, replay.stdout + replay.stderr


def test_recording_live_an_execution_that_does_not_exist_names_the_service_error(server, tmp_path):
    missing = f"arn:aws:states:{REGION}:{ACCOUNT}:execution:NoSuchMachine:nothing"
    proc = subprocess.run([str(server.binary), "record", "--endpoint", server.endpoint, "--execution-arn", missing],
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 1
    assert "DescribeExecution: ExecutionDoesNotExist" in proc.stderr, proc.stderr


def test_recording_live_needs_both_endpoint_and_execution_arn(server):
    proc = subprocess.run([str(server.binary), "record", "--endpoint", server.endpoint], capture_output=True, text=True, timeout=30)
    assert proc.returncode != 0
    assert "--endpoint and --execution-arn go together" in proc.stderr
