"""Issue 12: every pure case of the shared corpus run through the server (boto3), its history read back
with GetExecutionHistory and compared event by event: types in order, the previousEventId chain and
each event's details after the corpus's own normalisation. The comparison is the in-process
conformance test's (Tests/StepLocalEngineTests/Conformance/compare_conformance.py), so both paths
assert the same counts, and the cases that differ must be exactly those listed, each with its reason,
in KnownHistoryDetailDifferences.txt.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import REPO, make_client
from test_scenarios_mocks import ConfiguredServer

CONFORMANCE = REPO.parent / "shared" / "conformance"
# The role the corpus's own runner creates machines with: its normaliser knows it.
ROLE_ARN = "arn:aws:iam::123456789012:role/test"
COMPARE = REPO / "Tests" / "StepLocalEngineTests" / "Conformance" / "compare_conformance.py"
KNOWN = REPO / "Tests" / "StepLocalEngineTests" / "Conformance" / "KnownHistoryDetailDifferences.txt"
# The same counts the in-process test asserts (ConformanceTests.swift).
EXPECTED = [
    "JSONPath: 364 passed, 0 failed", "JSONata: 61 passed, 0 failed", "conformance: 425 passed, 0 failed",
    "history event types JSONPath: 125 passed, 0 failed", "history event types JSONata: 61 passed, 0 failed",
    "history event details JSONPath: 117 passed, 6 failed", "history event details JSONata: 61 passed, 0 failed",
]


def known_differences():
    ids = set()
    for line in KNOWN.read_text().splitlines():
        if line.startswith("#") or not line.strip():
            continue
        case_id, _, reason = line.partition(" | ")
        assert reason.strip(), f"an entry without a reason: {line}"
        ids.add(case_id)
    return ids


def run_case(sfn, index, case):
    """One case through the API, as compare_conformance.py reads results (the in-process runner's shape)."""
    sm_name, exec_name = f"ConformanceDetails{index}-{int(time.time() * 1000) % 100000}", f"conformance-execution-{index}"
    result = {"id": case["id"], "sm_name": sm_name, "exec_name": exec_name}
    machine_type = case.get("type", "STANDARD")
    try:
        arn = sfn.create_state_machine(name=sm_name, definition=json.dumps(case["definition"]), roleArn=ROLE_ARN,
                                       type=machine_type)["stateMachineArn"]
    except sfn.exceptions.InvalidDefinition as error:
        result.update(status="INVALID_DEFINITION", error="InvalidDefinition", cause=error.response["Error"]["Message"])
        return result
    payload = json.dumps(case.get("input", {}))
    if case.get("execution") == "sync":
        desc = sfn.start_sync_execution(stateMachineArn=arn, input=payload, name=exec_name)
        events = []
    else:
        execution = sfn.start_execution(stateMachineArn=arn, input=payload, name=exec_name)["executionArn"]
        deadline = time.monotonic() + 60
        while (desc := sfn.describe_execution(executionArn=execution))["status"] == "RUNNING":
            assert time.monotonic() < deadline, f"{case['id']} still RUNNING after 60 s"
            time.sleep(0.05)
        events, token = [], None
        while True:
            page = sfn.get_execution_history(executionArn=execution, maxResults=1000, **({"nextToken": token} if token else {}))
            events += page["events"]
            token = page.get("nextToken")
            if not token:
                break
    for event in events:
        event["timestamp"] = event["timestamp"].timestamp()
    result.update(status=desc["status"], output=desc.get("output"), error=desc.get("error"), cause=desc.get("cause"),
                  history_types=[e["type"] for e in events], history=events)
    return result


@pytest.fixture(scope="module")
def own_server(server, tmp_path_factory):
    """A server of its own: the 425 state machines made here must not crowd other tests' listings."""
    srv = ConfiguredServer(server.binary, tmp_path_factory.mktemp("details") / "steplocal.log")
    srv.start()
    yield srv
    srv.stop()


def test_histories_through_the_server_match_the_recordings(own_server, tmp_path):
    server = own_server
    corpus = CONFORMANCE / "pure.jsonl"
    if not corpus.exists():
        pytest.fail(f"{corpus} not found (shared/ is expected beside the repository)")
    cases = [json.loads(line) for line in corpus.read_text().splitlines() if line.strip()]
    sfn = make_client(server.endpoint, inject_host_prefix=False)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda pair: run_case(sfn, *pair), enumerate(cases)))
    results_file, report_file = tmp_path / "results.jsonl", tmp_path / "report.txt"
    results_file.write_text("".join(json.dumps(r, default=str) + "\n" for r in results))
    subprocess.run([sys.executable, str(COMPARE), str(corpus), str(results_file), str(report_file)], check=True, timeout=300)
    report = report_file.read_text().splitlines()
    print("\n" + "\n".join(line for line in report if "passed," in line))
    for line in EXPECTED:
        assert line in report, f"missing {line!r}; the report:\n" + "\n".join(report[-40:])
    differing = {line[len("DETAILS "):].split(": ")[0] for line in report if line.startswith("DETAILS ")}
    assert differing == known_differences()
    assert server.alive(), "server died during the run"
