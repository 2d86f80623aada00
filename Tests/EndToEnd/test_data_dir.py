"""`steplocal serve --data-dir`: what a server accepted survives its death, `kill -9` included.

A server is started on a data directory, given work, killed at random moments and started again
on the same directory. Nothing it acknowledged may be lost or doubled: finished executions keep
their status, output and history; running ones continue from the top-level state they were in,
and end with the output and history event types of the same execution run without a crash, with
consecutive event ids. Task tokens handed out before a crash are still answered after it.
"""

from __future__ import annotations

import json
from collections import Counter
import random
import re
import signal
import subprocess
import time

import pytest

from conftest import ROLE_ARN, make_client, unique
from test_scenarios_mocks import ConfiguredServer

TOKEN_DEFINITION = json.dumps({"StartAt": "Ask", "States": {"Ask": {
    "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    "Parameters": {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/q", "MessageBody": {"token.$": "$$.Task.Token", "n.$": "$.n"}},
    "End": True}}})
TOKEN_TYPES = ["ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskSucceeded",
               "TaskStateExited", "ExecutionSucceeded"]
ACTIVITY_TYPES = ["ExecutionStarted", "TaskStateEntered", "ActivityScheduled", "ActivityStarted", "ActivitySucceeded",
                  "TaskStateExited", "ExecutionSucceeded"]


def activity_definition(activity_arn):
    return json.dumps({"StartAt": "Work", "States": {"Work": {"Type": "Task", "Resource": activity_arn, "End": True}}})


def resumed_count(srv):
    """How many running executions a server said it resumed when it started."""
    found = re.search(r"(\d+) of them resumed", srv.tail(100_000))
    assert found, f"no data-directory line in the log:\n{srv.tail()}"
    return int(found.group(1))


def token_of(sfn, arn, timeout=30):
    """The token a waitForTaskToken execution handed out, read from its TaskScheduled event."""
    deadline = time.monotonic() + timeout
    while True:
        for event in history(sfn, arn):
            if event["type"] == "TaskScheduled":
                return json.loads(event["taskScheduledEventDetails"]["parameters"])["MessageBody"]["token"]
        assert time.monotonic() < deadline, f"{arn} never scheduled its task"
        time.sleep(0.05)


def send_success(sfn, token, output, timeout=30):
    """SendTaskSuccess, retried while the resumed task has not registered its token yet."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            sfn.send_task_success(taskToken=token, output=output)
            return
        except sfn.exceptions.TaskDoesNotExist:
            assert time.monotonic() < deadline, "the token was never accepted again"
            time.sleep(0.05)


@pytest.fixture
def data_server(server, tmp_path):
    """Starts servers of the session's binary on one data directory; each start is a new process."""
    started = []
    directory = tmp_path / "data"

    def start(*extra):
        srv = ConfiguredServer(server.binary, tmp_path / f"steplocal-{len(started)}.log", ["--data-dir", str(directory), *extra])
        srv.start()
        started.append(srv)
        return srv, make_client(srv.endpoint, inject_host_prefix=False)

    yield start
    for srv in started:
        srv.stop()


def kill9(srv):
    srv.proc.send_signal(signal.SIGKILL)
    srv.proc.wait(timeout=10)
    srv.log.close()


def wait_closed(sfn, arn, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        described = sfn.describe_execution(executionArn=arn)
        if described["status"] != "RUNNING":
            return described
        assert time.monotonic() < deadline, f"{arn} still RUNNING"
        time.sleep(0.05)


def history(sfn, arn):
    events, token = [], None
    while True:
        page = sfn.get_execution_history(executionArn=arn, maxResults=1000, **({"nextToken": token} if token else {}))
        events += page["events"]
        token = page.get("nextToken")
        if not token:
            return events


# A mixed workload: Pass, Choice, Parallel with a Wait of up to 2 s beside an inline Map whose
# iterations wait 1 s (threads kept inside a kept thread), and a Retry with back-off (1 s) whose
# error a Catch then handles.
WORKLOAD = json.dumps({
    "StartAt": "Prepare",
    "States": {
        "Prepare": {"Type": "Pass", "Parameters": {"n.$": "$.n", "items.$": "States.ArrayRange(1, 3, 1)"}, "Next": "Fan"},
        "Fan": {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "Sleep", "States": {"Sleep": {"Type": "Wait", "SecondsPath": "$.pause", "End": True}}},
                {"StartAt": "Twice", "States": {"Twice": {
                    "Type": "Map", "ItemsPath": "$.items",
                    "ItemProcessor": {"StartAt": "Nap", "States": {
                        "Nap": {"Type": "Wait", "Seconds": 1, "Next": "Double"},
                        "Double": {"Type": "Pass", "Parameters": {"v.$": "States.MathAdd($, $)"}, "End": True}}},
                    "End": True}}},
            ],
            "Parameters": {"pause.$": "$.n", "items.$": "$.items"},
            "ResultSelector": {"doubled.$": "$[1][*].v"},
            "ResultPath": "$.fan",
            "Next": "Decide",
        },
        "Decide": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 1, "Next": "Flaky"}], "Default": "Done"},
        "Flaky": {
            "Type": "Parallel",
            "Branches": [{"StartAt": "Boom", "States": {"Boom": {"Type": "Fail", "Error": "Transient"}}}],
            "Retry": [{"ErrorEquals": ["Transient"], "IntervalSeconds": 1, "MaxAttempts": 1, "BackoffRate": 2}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.caught", "Next": "Done"}],
            "Next": "Done",
        },
        "Done": {"Type": "Pass", "Parameters": {"n.$": "$.n", "doubled.$": "$.fan.doubled"}, "End": True},
    },
})


def expected_output(n):
    return {"n": n, "doubled": [2, 4, 6]}


# A child that waits 1 s, started by `.sync` parents and by a Distributed Map's runs.
CHILD = json.dumps({"StartAt": "Nap", "States": {
    "Nap": {"Type": "Wait", "Seconds": 1, "Next": "Echo"},
    "Echo": {"Type": "Pass", "Parameters": {"n.$": "$.n"}, "End": True}}})


def sync_parent(child_arn):
    return json.dumps({"StartAt": "Run", "States": {"Run": {
        "Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
        "Parameters": {"StateMachineArn": child_arn, "Input": {"n.$": "$.n"}}, "OutputPath": "$.Output", "End": True}}})


def distributed_parent():
    return json.dumps({"StartAt": "Each", "States": {"Each": {
        "Type": "Map", "End": True, "ItemsPath": "$.items", "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "Nap", "States": json.loads(CHILD)["States"]}}}})


def test_kill_9_at_random_moments_loses_and_doubles_nothing(data_server):
    srv, sfn = data_server()
    servers = [srv]
    machine = sfn.create_state_machine(name=unique("crash"), definition=WORKLOAD, roleArn=ROLE_ARN)["stateMachineArn"]
    token_machine = sfn.create_state_machine(name=unique("token"), definition=TOKEN_DEFINITION, roleArn=ROLE_ARN)["stateMachineArn"]
    activity = sfn.create_activity(name=unique("worker"))["activityArn"]
    activity_machine = sfn.create_state_machine(
        name=unique("activity"), definition=activity_definition(activity), roleArn=ROLE_ARN)["stateMachineArn"]
    child_machine = sfn.create_state_machine(name=unique("child"), definition=CHILD, roleArn=ROLE_ARN)["stateMachineArn"]
    sync_machine = sfn.create_state_machine(
        name=unique("sync"), definition=sync_parent(child_machine), roleArn=ROLE_ARN)["stateMachineArn"]
    distributed_machine = sfn.create_state_machine(
        name=unique("dmap"), definition=distributed_parent(), roleArn=ROLE_ARN)["stateMachineArn"]
    rng = random.Random(20261205)
    workload, tokens, activities = {}, {}, {}  # execution ARN -> n
    syncs, distributed = {}, {}  # `.sync` parents and Distributed Map parents: execution ARN -> n
    answered_tokens = 0
    read_before_kills = []  # (execution ARN, its history as read just before a kill)
    for round_number in range(4):
        for i in range(240):
            n = rng.choice([0, 1, 2])
            arn = sfn.start_execution(stateMachineArn=machine, name=f"r{round_number}-{i}", input=json.dumps({"n": n}))["executionArn"]
            workload[arn] = n
        for i in range(5):
            arn = sfn.start_execution(stateMachineArn=token_machine, name=f"t{round_number}-{i}", input=json.dumps({"n": i}))["executionArn"]
            tokens[arn] = i
            arn = sfn.start_execution(stateMachineArn=activity_machine, name=f"a{round_number}-{i}", input=json.dumps({"n": i}))["executionArn"]
            activities[arn] = i
            arn = sfn.start_execution(stateMachineArn=sync_machine, name=f"s{round_number}-{i}", input=json.dumps({"n": i}))["executionArn"]
            syncs[arn] = i
            items = [{"n": i * 10 + k} for k in range(3)]
            arn = sfn.start_execution(
                stateMachineArn=distributed_machine, name=f"d{round_number}-{i}", input=json.dumps({"items": items}))["executionArn"]
            distributed[arn] = i
        # A worker takes one activity task before the kill: its token must still be answerable after it.
        if round_number == 1:
            task = sfn.get_activity_task(activityArn=activity, workerName="before-the-crash")
            held = (task["taskToken"], json.loads(task["input"]))
        # Tokens handed out before a kill, answered after it.
        if round_number == 2:
            pending_tokens = [(token_of(sfn, arn), n) for arn, n in list(tokens.items())[:5]]
        # What a client reads before a kill (written by then: the sleep outlasts the 20 ms in which
        # progress is written) reads the same after it: no event it saw is renumbered or restamped.
        for arn in [*rng.sample(list(workload), 40), *list(tokens)[-5:], *list(activities)[-5:], *list(distributed)[-5:]]:
            read_before_kills.append((arn, history(sfn, arn)))
        time.sleep(rng.uniform(0.05, 1.5))
        kill9(srv)
        srv, sfn = data_server()
        servers.append(srv)
        if round_number == 2:
            for token, n in pending_tokens:
                send_success(sfn, token, json.dumps({"answer": n}))
                answered_tokens += 1

    # Nothing acknowledged was lost, nothing doubled.
    listed = []
    for listing in (machine, token_machine, activity_machine, sync_machine, distributed_machine):
        token = None
        while True:
            page = sfn.list_executions(stateMachineArn=listing, maxResults=1000, **({"nextToken": token} if token else {}))
            listed += [e["executionArn"] for e in page["executions"]]
            token = page.get("nextToken")
            if not token:
                break
    assert sorted(listed) == sorted([*workload, *tokens, *activities, *syncs, *distributed])

    # The work still waiting for the test: the activity task held across a kill, then the rest.
    send_success(sfn, held[0], json.dumps({"answer": held[1]["n"]}))
    remaining = len(activities) - 1
    while remaining:
        task = sfn.get_activity_task(activityArn=activity, workerName="after-the-crashes")
        if task.get("taskToken"):
            sfn.send_task_success(taskToken=task["taskToken"], output=json.dumps({"answer": json.loads(task["input"])["n"]}))
            remaining -= 1
    for arn, n in list(tokens.items())[answered_tokens:]:
        send_success(sfn, token_of(sfn, arn), json.dumps({"answer": n}))

    # Every execution ends as the same execution run without a crash would, history included.
    reference_machine = sfn.create_state_machine(name=unique("reference"), definition=WORKLOAD, roleArn=ROLE_ARN)["stateMachineArn"]
    reference_types = {}
    for n in (0, 1, 2):
        arn = sfn.start_execution(stateMachineArn=reference_machine, input=json.dumps({"n": n}))["executionArn"]
        assert wait_closed(sfn, arn)["status"] == "SUCCEEDED"
        reference_types[n] = Counter(e["type"] for e in history(sfn, arn))
    for arn, n in [*workload.items(), *tokens.items(), *activities.items()]:
        described = wait_closed(sfn, arn)
        assert described["status"] == "SUCCEEDED", described
        assert described.get("redriveCount", 0) == 0
        events = history(sfn, arn)
        assert [e["id"] for e in events] == list(range(1, len(events) + 1)), f"{arn}: event ids have a gap or a repeat"
        types = [e["type"] for e in events]
        if arn in workload:
            assert json.loads(described["output"]) == expected_output(n)
            # (Counted, not in order: a Parallel's branches interleave differently from run to run.)
            assert Counter(types) == reference_types[n], arn
        else:
            assert json.loads(described["output"]) == {"answer": n}
            assert types == (TOKEN_TYPES if arn in tokens else ACTIVITY_TYPES), arn
    # A `.sync` parent run again after a kill found its child instead of starting a second one.
    for arn, n in syncs.items():
        described = wait_closed(sfn, arn)
        assert described["status"] == "SUCCEEDED", described
        assert json.loads(described["output"]) == {"n": n}
        assert [e["id"] for e in history(sfn, arn)] == list(range(1, len(history(sfn, arn)) + 1))
    children = sfn.get_paginator("list_executions").paginate(stateMachineArn=child_machine)
    assert sum(len(page["executions"]) for page in children) == len(syncs), "a .sync child was started twice"
    # A Distributed Map's parent continued its one Map Run, three children and no more.
    for arn, n in distributed.items():
        described = wait_closed(sfn, arn)
        assert described["status"] == "SUCCEEDED", described
        assert json.loads(described["output"]) == [{"n": n * 10 + k} for k in range(3)]
        runs = sfn.list_map_runs(executionArn=arn)["mapRuns"]
        assert len(runs) == 1, f"{arn}: {len(runs)} Map Runs"
        counts = sfn.describe_map_run(mapRunArn=runs[0]["mapRunArn"])["executionCounts"]
        assert (counts["succeeded"], counts["total"]) == (3, 3), counts
        assert len(sfn.list_executions(mapRunArn=runs[0]["mapRunArn"])["executions"]) == 3
        types = [e["type"] for e in history(sfn, arn)]
        assert types.count("MapRunStarted") == 1, (arn, types)
    for arn, before in read_before_kills:
        assert history(sfn, arn)[:len(before)] == before, f"{arn}: an event read before a kill changed after it"
    # The kills hit running executions, or the test proved nothing.
    assert sum(resumed_count(server) for server in servers[1:]) > 0


def test_answers_accepted_just_before_a_kill_9_are_not_lost(data_server):
    """SendTaskSuccess and SendTaskFailure answer once the answer is in the data directory. A
    server killed right after answering, before its tasks recorded the answers, hands them to the
    tasks after the restart: a worker told its answer was accepted does not send it again."""
    srv, sfn = data_server()
    activity = sfn.create_activity(name=unique("answered"))["activityArn"]

    def then_pause(definition):
        # A second's Wait after the task: the execution goes on after the answer instead of
        # ending (an ending is written at once), so the kill comes before its progress is written.
        states = json.loads(definition)
        task = states["States"][states["StartAt"]]
        del task["End"]
        task["Next"] = "Pause"
        states["States"]["Pause"] = {"Type": "Wait", "Seconds": 1, "End": True}
        return json.dumps(states)

    token_machine = sfn.create_state_machine(
        name=unique("token"), definition=then_pause(TOKEN_DEFINITION), roleArn=ROLE_ARN)["stateMachineArn"]
    activity_machine = sfn.create_state_machine(
        name=unique("activity"), definition=then_pause(activity_definition(activity)), roleArn=ROLE_ARN)["stateMachineArn"]
    paused = ["WaitStateEntered", "WaitStateExited"]
    tokens = {sfn.start_execution(stateMachineArn=token_machine, input=json.dumps({"n": n}))["executionArn"]: n for n in range(3)}
    activities = {sfn.start_execution(stateMachineArn=activity_machine, input=json.dumps({"n": n}))["executionArn"]: n for n in range(3)}
    answers = [(token_of(sfn, arn), n) for arn, n in tokens.items()]
    for _ in activities:
        task = sfn.get_activity_task(activityArn=activity, workerName="before-the-crash")
        answers.append((task["taskToken"], json.loads(task["input"])["n"]))
    # The last answer of each kind fails its task; the others succeed. Then at once: kill -9.
    for index, (token, n) in enumerate(answers):
        if n == 2:
            sfn.send_task_failure(taskToken=token, error="Rejected", cause=f"no {n}")
        else:
            sfn.send_task_success(taskToken=token, output=json.dumps({"answer": n}))
    kill9(srv)

    srv, sfn = data_server()
    for arn, n in [*tokens.items(), *activities.items()]:
        described = wait_closed(sfn, arn, timeout=10)
        events = history(sfn, arn)
        types = [e["type"] for e in events]
        assert [e["id"] for e in events] == list(range(1, len(events) + 1)), types
        expected = TOKEN_TYPES if arn in tokens else ACTIVITY_TYPES
        expected = [*expected[:-1], *paused, expected[-1]]
        if n == 2:
            assert (described["status"], described.get("error"), described.get("cause")) == ("FAILED", "Rejected", "no 2"), described
            failed = "TaskFailed" if arn in tokens else "ActivityFailed"
            assert types == [*expected[:expected.index("TaskStateExited") - 1], failed, "ExecutionFailed"], types
        else:
            assert described["status"] == "SUCCEEDED", described
            assert json.loads(described["output"]) == {"answer": n}
            assert types == expected, types
        if arn in activities:
            started = next(e for e in events if e["type"] == "ActivityStarted")
            assert started["activityStartedEventDetails"] == {"workerName": "before-the-crash"}, started


def test_update_map_run_answers_once_the_change_is_durable(data_server):
    """UpdateMapRun changes a running Map Run's settings outside the engine's own progress: with
    a data directory it answers once the change is in the file, so a restart keeps it. (Before,
    it was written with the engine's next progress, within 20 ms: a kill at once lost it.)"""
    srv, sfn = data_server()
    activity = sfn.create_activity(name=unique("held"))["activityArn"]
    machine = sfn.create_state_machine(name=unique("dmap"), roleArn=ROLE_ARN, definition=json.dumps({
        "StartAt": "Each", "States": {"Each": {"Type": "Map", "End": True, "MaxConcurrency": 1, "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "Work", "States": {
                "Work": {"Type": "Task", "Resource": activity, "End": True}}}}}}))["stateMachineArn"]
    arn = sfn.start_execution(stateMachineArn=machine, input="[1, 2, 3]")["executionArn"]
    deadline = time.monotonic() + 30
    while not (runs := sfn.list_map_runs(executionArn=arn)["mapRuns"]):
        assert time.monotonic() < deadline, "the Map Run never started"
        time.sleep(0.05)
    run = runs[0]["mapRunArn"]
    time.sleep(0.3)  # the run and its first child are written
    sfn.update_map_run(mapRunArn=run, toleratedFailureCount=5, toleratedFailurePercentage=40)
    kill9(srv)  # at once: the engine's own progress is written within 20 ms, too late

    srv, sfn = data_server()
    described = sfn.describe_map_run(mapRunArn=run)
    assert (described["maxConcurrency"], described["toleratedFailureCount"], described["toleratedFailurePercentage"]) == (1, 5, 40)
    assert described["status"] == "RUNNING"


def test_redrive_execution_answers_once_the_redrive_is_durable(data_server):
    """A RedriveExecution answered just before a kill -9 is not lost: after the restart the
    execution is running its redrive (redriveCount 1), back in the Wait it was stopped in."""
    srv, sfn = data_server()
    machine = sfn.create_state_machine(name=unique("redrive"), roleArn=ROLE_ARN, definition=json.dumps({
        "StartAt": "Hold", "States": {"Hold": {"Type": "Wait", "Seconds": 100000, "End": True}}}))["stateMachineArn"]
    arn = sfn.start_execution(stateMachineArn=machine, input="{}")["executionArn"]
    deadline = time.monotonic() + 30
    while "WaitStateEntered" not in [e["type"] for e in history(sfn, arn)]:
        assert time.monotonic() < deadline, "the execution never entered its Wait"
        time.sleep(0.05)
    sfn.stop_execution(executionArn=arn, error="Stopped", cause="to redrive it")
    assert wait_closed(sfn, arn)["status"] == "ABORTED"
    sfn.redrive_execution(executionArn=arn)
    kill9(srv)  # at once: the engine's own progress is written within 20 ms, too late

    srv, sfn = data_server()
    described = sfn.describe_execution(executionArn=arn)
    assert (described["status"], described.get("redriveCount")) == ("RUNNING", 1), described
    types = [e["type"] for e in history(sfn, arn)]
    assert types[-3:] == ["ExecutionAborted", "ExecutionRedriven", "WaitStateEntered"], types
    sfn.stop_execution(executionArn=arn)


def test_sigterm_then_start_keeps_everything_and_resumes_running_executions(data_server):
    srv, sfn = data_server()
    quick = sfn.create_state_machine(
        name=unique("quick"), definition=json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}),
        roleArn=ROLE_ARN, tags=[{"key": "team", "value": "orders"}])["stateMachineArn"]
    slow = sfn.create_state_machine(
        name=unique("slow"), definition=json.dumps({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 600, "End": True}}}),
        roleArn=ROLE_ARN)["stateMachineArn"]
    activity = sfn.create_activity(name=unique("act"))["activityArn"]
    done = sfn.start_execution(stateMachineArn=quick, input='{"kept": true}')["executionArn"]
    assert wait_closed(sfn, done)["status"] == "SUCCEEDED"
    running = sfn.start_execution(stateMachineArn=slow)["executionArn"]
    # A thousand more running executions: SIGTERM writes what is pending for all of them and exits.
    others = [sfn.start_execution(stateMachineArn=slow, name=f"held-{n}")["executionArn"] for n in range(1000)]
    before = (sfn.describe_execution(executionArn=done), history(sfn, done))

    started = time.monotonic()
    srv.stop()  # SIGTERM
    took = time.monotonic() - started
    assert srv.proc.returncode == 0
    print(f"SIGTERM to exit with 1,001 running executions: {took * 1000:.0f} ms")
    # The issue asks for under a second; the bound here leaves room for a loaded CI machine.
    assert took < 5

    srv, sfn = data_server()
    assert sfn.describe_activity(activityArn=activity)["activityArn"] == activity
    assert sfn.list_tags_for_resource(resourceArn=quick)["tags"] == [{"key": "team", "value": "orders"}]
    after = (sfn.describe_execution(executionArn=done), history(sfn, done))
    for answer in (before[0], after[0]):
        answer.pop("ResponseMetadata", None)
    assert after == before
    # The running execution continues: still in its Wait, entered once, with the same deadline.
    assert sfn.describe_execution(executionArn=running)["status"] == "RUNNING"
    assert [e["type"] for e in history(sfn, running)] == ["ExecutionStarted", "WaitStateEntered"]
    assert "1001 of them resumed" in srv.tail()
    for arn in others[::100]:
        assert [e["type"] for e in history(sfn, arn)] == ["ExecutionStarted", "WaitStateEntered"]
    pages = sfn.get_paginator("list_executions").paginate(stateMachineArn=slow, statusFilter="RUNNING")
    assert sorted(e["executionArn"] for page in pages for e in page["executions"]) == sorted(others + [running])
    sfn.stop_execution(executionArn=running)


def test_a_second_server_on_the_same_data_directory_is_refused_at_start_up(data_server, server, tmp_path):
    first, sfn = data_server()
    directory = tmp_path / "data"
    proc = subprocess.run([str(server.binary), "serve", "--port", "0", "--data-dir", str(directory)],
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode != 0
    assert f"in use by another StepLocal server (process {first.proc.pid})" in proc.stdout + proc.stderr
    # The first one is untouched and still serves.
    assert sfn.list_state_machines()["stateMachines"] == []


def test_kill_9_inside_a_parallel_runs_again_only_the_branch_that_had_not_finished(data_server):
    """A worker finishes one branch's activity task; the server dies while the other branch waits
    for a task token. After the restart the activity is not scheduled again (its branch is kept,
    its events recorded again), and the waiting branch's token, handed out before the crash, answers."""
    srv, sfn = data_server()
    activity = sfn.create_activity(name=unique("branch"))["activityArn"]
    token_state = json.loads(TOKEN_DEFINITION)["States"]["Ask"]
    machine = sfn.create_state_machine(name=unique("both"), roleArn=ROLE_ARN, definition=json.dumps({
        "StartAt": "Both", "States": {"Both": {"Type": "Parallel", "End": True, "Branches": [
            {"StartAt": "Work", "States": {"Work": {"Type": "Task", "Resource": activity, "Next": "Noted"},
                                           "Noted": {"Type": "Pass", "End": True}}},
            {"StartAt": "Ask", "States": {"Ask": token_state}},
        ]}}}))["stateMachineArn"]
    arn = sfn.start_execution(stateMachineArn=machine, input=json.dumps({"n": 7}))["executionArn"]
    task = sfn.get_activity_task(activityArn=activity, workerName="before-the-crash")
    assert task.get("taskToken")
    sfn.send_task_success(taskToken=task["taskToken"], output=json.dumps({"worked": 1}))
    deadline = time.monotonic() + 30
    while "PassStateExited" not in [e["type"] for e in history(sfn, arn)]:
        assert time.monotonic() < deadline, "the activity branch never finished"
        time.sleep(0.05)
    token = token_of(sfn, arn)
    time.sleep(0.3)  # the store writes progress within 20 ms
    kill9(srv)

    srv, sfn = data_server()
    assert resumed_count(srv) == 1
    send_success(sfn, token, json.dumps({"answered": 2}))
    described = wait_closed(sfn, arn)
    assert described["status"] == "SUCCEEDED"
    # Finished without a worker after the restart: the activity was not scheduled again.
    assert json.loads(described["output"]) == [{"worked": 1}, {"answered": 2}]
    events = history(sfn, arn)
    types = [e["type"] for e in events]
    assert Counter(types) == Counter([
        "ExecutionStarted", "ParallelStateEntered", "ParallelStateStarted",
        "TaskStateEntered", "ActivityScheduled", "ActivityStarted", "ActivitySucceeded", "TaskStateExited",
        "PassStateEntered", "PassStateExited",
        "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskSucceeded", "TaskStateExited",
        "ParallelStateSucceeded", "ParallelStateExited", "ExecutionSucceeded"])
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))
    assert all(0 <= e["previousEventId"] < e["id"] for e in events)
    started = next(e for e in events if e["type"] == "ActivityStarted")
    assert started["activityStartedEventDetails"]["workerName"] == "before-the-crash"


def test_kill_9_inside_a_distributed_map_continues_its_map_run(data_server):
    """Two children of a Distributed Map end; the two others wait for an activity worker when the
    server dies. After the restart the parent continues the same Map Run: the ended children are
    not run again, the waiting ones continue under their ARNs in the Task state they were in (what
    they had recorded up to it is kept, to the millisecond) and a worker finishes them."""
    srv, sfn = data_server()
    activity = sfn.create_activity(name=unique("child"))["activityArn"]
    machine = sfn.create_state_machine(name=unique("dmap"), roleArn=ROLE_ARN, definition=json.dumps({
        "StartAt": "Each", "States": {"Each": {"Type": "Map", "End": True, "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "Kind", "States": {
                "Kind": {"Type": "Choice", "Choices": [{"Variable": "$.slow", "BooleanEquals": True, "Next": "Work"}],
                         "Default": "Done"},
                "Work": {"Type": "Task", "Resource": activity, "Next": "Done"},
                "Done": {"Type": "Pass", "Parameters": {"n.$": "$.n"}, "End": True}}}}}}))["stateMachineArn"]
    items = [{"n": n, "slow": n % 2 == 1} for n in range(4)]
    arn = sfn.start_execution(stateMachineArn=machine, input=json.dumps(items))["executionArn"]
    deadline = time.monotonic() + 30
    while True:
        runs = sfn.list_map_runs(executionArn=arn)["mapRuns"]
        if runs and sfn.describe_map_run(mapRunArn=runs[0]["mapRunArn"])["executionCounts"]["succeeded"] == 2:
            break
        assert time.monotonic() < deadline, "the fast children never ended"
        time.sleep(0.05)
    run = runs[0]["mapRunArn"]
    before = {e["executionArn"]: e["status"] for e in sfn.list_executions(mapRunArn=run)["executions"]}
    assert sorted(before.values()) == ["RUNNING", "RUNNING", "SUCCEEDED", "SUCCEEDED"]
    waiting = {}
    for child in (c for c, status in before.items() if status == "RUNNING"):
        events = history(sfn, child)
        while "ActivityScheduled" not in [e["type"] for e in events]:
            assert time.monotonic() < deadline, "a slow child never scheduled its activity"
            time.sleep(0.05)
            events = history(sfn, child)
        waiting[child] = events
    time.sleep(0.3)  # the store writes progress within 20 ms
    kill9(srv)

    srv, sfn = data_server()
    assert resumed_count(srv) == 1
    for _ in range(2):
        task = sfn.get_activity_task(activityArn=activity, workerName="after-the-crash")
        assert task.get("taskToken"), "a restarted child did not schedule its activity again"
        sfn.send_task_success(taskToken=task["taskToken"], output=task["input"])
    described = wait_closed(sfn, arn)
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == [{"n": n} for n in range(4)]
    assert [r["mapRunArn"] for r in sfn.list_map_runs(executionArn=arn)["mapRuns"]] == [run]
    counts = sfn.describe_map_run(mapRunArn=run)["executionCounts"]
    assert (counts["succeeded"], counts["running"], counts["total"]) == (4, 0, 4)
    after = {e["executionArn"]: e["status"] for e in sfn.list_executions(mapRunArn=run)["executions"]}
    assert sorted(after) == sorted(before) and set(after.values()) == {"SUCCEEDED"}
    for child, events in waiting.items():
        resumed = history(sfn, child)
        types = [e["type"] for e in resumed]
        kept = [e["type"] for e in events].index("TaskStateEntered") + 1
        assert resumed[:kept] == events[:kept], "a waiting child started again instead of continuing"
        assert types.count("ActivityScheduled") == 1 and types.count("ChoiceStateEntered") == 1, types
        assert [e["id"] for e in resumed] == list(range(1, len(resumed) + 1))
    types = [e["type"] for e in history(sfn, arn)]
    assert types.count("MapRunStarted") == 1 and types.count("MapRunSucceeded") == 1


def test_a_restart_keeps_counting_the_mocked_calls_of_a_distributed_maps_children(data_server, tmp_path):
    """Started as arn#TestCase, a Distributed Map's children take the test case's numbered
    responses in turn (one child at a time here). A kill while the second child waits for its
    activity worker must not start the count again: after the restart the third child's call is
    invocation 2, counted from the children's histories, not invocation 0."""
    config = tmp_path / "mocks.json"
    config.write_text(json.dumps({
        "StateMachines": {"Pricing": {"TestCases": {"Priced": {"Price": "PriceEach"}}}},
        "MockedResponses": {"PriceEach": {str(k): {"Return": {"StatusCode": 200, "Payload": {"price": 10 * (k + 1)}}}
                                          for k in range(3)}},
    }))
    srv, sfn = data_server("--mock-config", str(config))
    activity = sfn.create_activity(name=unique("confirm"))["activityArn"]
    machine = sfn.create_state_machine(name="Pricing", roleArn=ROLE_ARN, definition=json.dumps({
        "StartAt": "Each", "States": {"Each": {"Type": "Map", "End": True, "MaxConcurrency": 1, "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "Price", "States": {
                "Price": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                          "Parameters": {"FunctionName": "price", "Payload.$": "$"},
                          "ResultSelector": {"price.$": "$.Payload.price"}, "Next": "Confirm"},
                "Confirm": {"Type": "Task", "Resource": activity, "End": True}}}}}}))["stateMachineArn"]
    arn = sfn.start_execution(stateMachineArn=f"{machine}#Priced", input=json.dumps(["a", "b", "c"]))["executionArn"]
    task = sfn.get_activity_task(activityArn=activity, workerName="before")
    assert json.loads(task["input"]) == {"price": 10}
    sfn.send_task_success(taskToken=task["taskToken"], output=task["input"])
    task = sfn.get_activity_task(activityArn=activity, workerName="before")
    assert json.loads(task["input"]) == {"price": 20}
    time.sleep(0.3)  # the store writes progress within 20 ms
    kill9(srv)

    srv, sfn = data_server("--mock-config", str(config))
    assert resumed_count(srv) == 1
    for expected in (20, 30):
        task = sfn.get_activity_task(activityArn=activity, workerName="after")
        assert json.loads(task["input"]) == {"price": expected}
        sfn.send_task_success(taskToken=task["taskToken"], output=task["input"])
    described = wait_closed(sfn, arn)
    assert described["status"] == "SUCCEEDED", described
    assert json.loads(described["output"]) == [{"price": 10}, {"price": 20}, {"price": 30}]
