"""A few calls through the AWS CLI, as README's examples do (`aws stepfunctions --endpoint-url ...`)."""

import json
import os
import subprocess
import sys

from conftest import ROLE_ARN, pass_definition, unique, wait_for_status


def aws(server, *args, check=True):
    # AWS_DISABLE_HOST_PREFIX_INJECTION: StartSyncExecution would otherwise go to sync-127.0.0.1
    env = dict(os.environ, AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY="secret",
               AWS_DEFAULT_REGION="us-east-1", AWS_PAGER="", AWS_DISABLE_HOST_PREFIX_INJECTION="true")
    # `python -m awscli` is the `aws` command without depending on PATH (pip may put scripts elsewhere)
    proc = subprocess.run([sys.executable, "-m", "awscli", "stepfunctions", "--endpoint-url", server.endpoint,
                           "--output", "json", *args], capture_output=True, text=True, env=env, timeout=60)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def test_cli_round_trip(server, sfn, res):
    name = unique("cli")
    created = json.loads(aws(server, "create-state-machine", "--name", name, "--role-arn", ROLE_ARN,
                             "--definition", pass_definition({"cli": True})).stdout)
    res.machines.append(created["stateMachineArn"])
    listed = json.loads(aws(server, "list-state-machines").stdout)
    assert created["stateMachineArn"] in [m["stateMachineArn"] for m in listed["stateMachines"]]
    started = json.loads(aws(server, "start-execution", "--state-machine-arn", created["stateMachineArn"],
                             "--input", '{"a": 1}').stdout)
    wait_for_status(sfn, started["executionArn"])
    desc = json.loads(aws(server, "describe-execution", "--execution-arn", started["executionArn"]).stdout)
    assert desc["status"] == "SUCCEEDED"
    assert json.loads(desc["output"]) == {"cli": True}


def test_cli_error(server):
    proc = aws(server, "describe-state-machine", "--state-machine-arn",
               "arn:aws:states:us-east-1:123456789012:stateMachine:does-not-exist", check=False)
    assert proc.returncode != 0
    assert "(StateMachineDoesNotExist)" in proc.stderr


def test_cli_start_sync_execution(server, res):
    sm = res.machine(definition=pass_definition({"sync": 1}), type_="EXPRESS")
    out = json.loads(aws(server, "start-sync-execution", "--state-machine-arn", sm, "--input", "{}").stdout)
    assert out["status"] == "SUCCEEDED"
    assert json.loads(out["output"]) == {"sync": 1}


def test_steplocal_graph_colours_a_history_from_the_aws_cli(server, sfn, res, tmp_path):
    """`steplocal graph` draws the definition a user has, coloured by `get-execution-history` output."""
    definition = {
        "StartAt": "Check",
        "States": {
            "Check": {"Type": "Choice", "Choices": [{"Variable": "$.ok", "BooleanEquals": True, "Next": "Fine"}], "Default": "Broken"},
            "Fine": {"Type": "Succeed"},
            "Broken": {"Type": "Fail", "Error": "Boom"},
        },
    }
    arn = res.machine(json.dumps(definition), name=unique("graph"))
    execution = res.start(arn, json.dumps({"ok": True}))
    wait_for_status(sfn, execution)
    (tmp_path / "machine.asl.json").write_text(json.dumps(definition))
    (tmp_path / "history.json").write_text(aws(server, "get-execution-history", "--execution-arn", execution).stdout)
    graph = subprocess.run([str(server.binary), "graph", str(tmp_path / "machine.asl.json"), "--format", "mermaid",
                            "--execution-history", str(tmp_path / "history.json")], capture_output=True, text=True, timeout=30)
    assert graph.returncode == 0, graph.stderr
    assert graph.stdout.startswith("flowchart TD")
    assert '"$.ok == true"' in graph.stdout
    svg = subprocess.run([str(server.binary), "graph", str(tmp_path / "machine.asl.json"),
                          "--execution-history", str(tmp_path / "history.json")], capture_output=True, text=True, timeout=30)
    assert 'data-state="Fine"' in svg.stdout and "sl-status-succeeded" in svg.stdout
    assert 'class="sl-node sl-type-fail sl-status-notReached" data-state="Broken"' in svg.stdout
    broken = subprocess.run([str(server.binary), "graph", str(tmp_path / "history.json")], capture_output=True, text=True, timeout=30)
    assert broken.returncode == 1


def test_steplocal_test_watch_reruns_a_scenario_when_its_files_change(server, tmp_path):
    """`steplocal test --watch`: an edited definition or scenario file runs its scenario again."""
    (tmp_path / "machine.asl.json").write_text(json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 1, "End": True}}}))
    scenario = tmp_path / "watched.yaml"
    scenario.write_text("definition: machine.asl.json\ncases:\n  - name: one\n    expect: { output: 1 }\n")
    import time
    log = open(tmp_path / "watch.log", "wb")
    proc = subprocess.Popen([str(server.binary), "test", "--watch", str(tmp_path)], stdout=log, stderr=subprocess.STDOUT)

    def wait_for(text, count=1, timeout=15):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if (tmp_path / "watch.log").read_text().count(text) >= count:
                return
            time.sleep(0.05)
        raise AssertionError(f"'{text}' x{count} not printed; log:\n{(tmp_path / 'watch.log').read_text()}")

    try:
        wait_for("watching 1 scenario files")
        (tmp_path / "machine.asl.json").write_text(json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 2, "End": True}}}))
        wait_for("0 passed, 1 failed")
        scenario.write_text("definition: machine.asl.json\ncases:\n  - name: one\n    expect: { output: 2 }\n")
        wait_for("1 passed, 0 failed", count=2)
        assert proc.poll() is None, "watch mode exited"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def test_steplocal_test_coverage_of_the_examples_is_complete_and_a_gap_fails_the_threshold(server, tmp_path):
    """CI runs the example scenarios with --min-coverage 100; a suite that misses a path fails it."""
    from conftest import REPO
    full = subprocess.run([str(server.binary), "test", str(REPO / "scenarios"), "--min-coverage", "100",
                           "--coverage-json", str(tmp_path / "coverage.json"), "--coverage-xml", str(tmp_path / "coverage.xml")],
                          capture_output=True, text=True, timeout=120)
    assert full.returncode == 0, full.stdout + full.stderr
    assert "Total: 83/83 items, 100.0%" in full.stdout
    report = json.loads((tmp_path / "coverage.json").read_text())
    assert (report["covered"], report["total"]) == (83, 83)
    import xml.etree.ElementTree as ET
    root = ET.parse(tmp_path / "coverage.xml").getroot()
    assert root.tag == "coverage" and root.get("lines-valid") == "83" and root.get("line-rate") == "1.0"
    assert {p.get("name") for p in root.iter("package")} >= {"OrderProcessing", "OrderProcessingJSONata", "approval"}

    (tmp_path / "machine.asl.json").write_text(json.dumps({
        "StartAt": "Check",
        "States": {
            "Check": {"Type": "Choice", "Choices": [{"Variable": "$.ok", "BooleanEquals": True, "Next": "Fine"}], "Default": "Broken"},
            "Fine": {"Type": "Succeed"},
            "Broken": {"Type": "Fail", "Error": "Boom"},
        },
    }))
    (tmp_path / "gap.yaml").write_text("definition: machine.asl.json\ncases:\n  - name: happy\n    input: { ok: true }\n")
    gap = subprocess.run([str(server.binary), "test", str(tmp_path / "gap.yaml"), "--min-coverage", "90"],
                         capture_output=True, text=True, timeout=60)
    assert gap.returncode == 1, gap.stdout
    assert "1 passed, 0 failed" in gap.stdout
    assert "not covered: Check › Default, Broken" in gap.stdout
    assert "coverage 60.0% is below --min-coverage 90.0%" in gap.stdout
