"""The server against hostile or unlucky clients: slow and silent connections, more connections than
it serves, a forged credential scope, hostile scenario files, and SIGTERM with requests in flight.

Each test that needs particular `serve` flags starts its own server process.
"""

from __future__ import annotations

import datetime
import http.client
import json
import re
import signal
import socket
import subprocess
import threading
import time

import pytest

from conftest import ROLE_ARN, free_port, health_ok, make_client, unique
from test_scenarios_mocks import ConfiguredServer


@pytest.fixture
def own_server(server, tmp_path):
    """Starts a server of the session's binary with extra `serve` flags; stopped after the test."""
    started = []

    def start(*args):
        srv = ConfiguredServer(server.binary, tmp_path / f"steplocal-{len(started)}.log", args)
        srv.start()
        started.append(srv)
        return srv

    yield start
    for srv in started:
        srv.stop()


def closed_by_server(sock: socket.socket, within: float) -> bool:
    """True when the server closes `sock` (EOF or reset) within `within` seconds."""
    sock.settimeout(0.2)
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            if sock.recv(4096) == b"":
                return True
        except socket.timeout:
            continue
        except OSError:
            return True
    return False


def list_state_machines_over(sock: socket.socket) -> bytes:
    body = b"{}"
    sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSStepFunctions.ListStateMachines\r\n"
                 b"Content-Type: application/x-amz-json-1.0\r\nContent-Length: 2\r\n\r\n" + body)
    sock.settimeout(5)
    answer = b""
    while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
        chunk = sock.recv(65536)
        if not chunk:
            break
        answer += chunk
    return answer


def test_slowloris_connections_are_closed_after_the_idle_timeout_and_others_still_answered(own_server):
    srv = own_server("--idle-timeout", "1")
    slow_headers = []
    for _ in range(50):
        s = socket.create_connection(("127.0.0.1", srv.port))
        s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\n")  # headers never finished
        slow_headers.append(s)
    slow_body = socket.create_connection(("127.0.0.1", srv.port))
    slow_body.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSStepFunctions.ListStateMachines\r\n"
                      b"Content-Length: 100\r\n\r\n{")
    silent = socket.create_connection(("127.0.0.1", srv.port))
    for _ in range(6):  # keep trickling: each header line and body byte is activity, yet not a request
        time.sleep(0.3)
        for s in [*slow_headers, slow_body]:
            try:
                s.sendall(b"X-Slow: 1\r\n" if s is not slow_body else b" ")
            except OSError:
                pass  # already closed by the server
    assert all(closed_by_server(s, within=3) for s in slow_headers), "a header-trickling connection outlived the timeout"
    assert closed_by_server(slow_body, within=3), "a body-trickling connection outlived the timeout"
    assert closed_by_server(silent, within=3), "a silent connection outlived the timeout"
    sfn = make_client(srv.endpoint, inject_host_prefix=False)
    assert "stateMachines" in sfn.list_state_machines()


def test_a_keep_alive_connection_is_timed_per_request_it_reads(own_server):
    """The read timeout runs from each request's head to its end, however many requests the
    connection carried before: requests arriving whole keep a connection open past the timeout,
    and a later request trickled in is cut as the first would be."""
    srv = own_server("--idle-timeout", "1")
    steady = socket.create_connection(("127.0.0.1", srv.port))
    began = time.monotonic()
    while time.monotonic() - began < 3:  # three timeouts long, a whole request every 0.25 s
        assert b"stateMachines" in list_state_machines_over(steady)
        time.sleep(0.25)
    assert not closed_by_server(steady, within=0.3), "a connection sending whole requests was cut"

    later = socket.create_connection(("127.0.0.1", srv.port))
    assert b"stateMachines" in list_state_machines_over(later)
    time.sleep(0.6)  # past the first request's moment, before its timeout
    cut_after = trickle_until_closed(later, seconds=4)
    assert cut_after is not None, "a trickled second request outlived the timeout"
    assert 0.9 <= cut_after <= 2.5, f"the trickled second request was cut {cut_after:.2f} s after its head"

    # Whole requests at 0 and 0.5 s, nothing being read when the first one's timeout comes (1 s),
    # then a request trickled from 1.3 s: it is cut a timeout after its own head.
    rested = socket.create_connection(("127.0.0.1", srv.port))
    assert b"stateMachines" in list_state_machines_over(rested)
    time.sleep(0.5)
    assert b"stateMachines" in list_state_machines_over(rested)
    time.sleep(0.8)
    cut_after = trickle_until_closed(rested, seconds=4)
    assert cut_after is not None, "a request trickled after a quiet spell outlived the timeout"
    assert 0.9 <= cut_after <= 2.5, f"the request trickled after a quiet spell was cut {cut_after:.2f} s after its head"


def trickle_until_closed(sock: socket.socket, seconds: float) -> float | None:
    """Sends a request head, then a body byte every 0.2 s (activity, so the idle timer never cuts
    it); returns how long after the head the server closed the connection, None if it did not."""
    sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSStepFunctions.ListStateMachines\r\n"
                 b"Content-Length: 100\r\n\r\n{")
    began = time.monotonic()
    sock.settimeout(0.2)
    while time.monotonic() - began < seconds:
        try:
            if sock.recv(4096) == b"":
                return time.monotonic() - began
        except socket.timeout:
            pass
        except OSError:
            return time.monotonic() - began
        try:
            sock.sendall(b" ")
        except OSError:
            return time.monotonic() - began
    return None


def test_requests_being_answered_are_not_cut_by_the_idle_timeout(own_server):
    srv = own_server("--idle-timeout", "1")
    sfn = make_client(srv.endpoint, inject_host_prefix=False)
    arn = sfn.create_state_machine(
        name=unique("wait"), roleArn=ROLE_ARN, type="EXPRESS",
        definition=json.dumps({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3, "End": True}}}))["stateMachineArn"]
    answer = sfn.start_sync_execution(stateMachineArn=arn, input="{}")
    assert answer["status"] == "SUCCEEDED"
    assert answer["stopDate"] - answer["startDate"] >= datetime.timedelta(seconds=2.5)

    # a long poll answered 3 s after it began: the activity task is scheduled after a Wait
    activity = sfn.create_activity(name=unique("act"))["activityArn"]
    machine = sfn.create_state_machine(name=unique("later"), roleArn=ROLE_ARN, definition=json.dumps({
        "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3, "Next": "A"},
                                   "A": {"Type": "Task", "Resource": activity, "End": True}}}))["stateMachineArn"]
    sfn.start_execution(stateMachineArn=machine, input='{"n": 1}')
    began = time.monotonic()
    task = sfn.get_activity_task(activityArn=activity)
    assert json.loads(task["input"]) == {"n": 1} and time.monotonic() - began >= 2.5
    sfn.send_task_success(taskToken=task["taskToken"], output="{}")


def test_connections_beyond_the_cap_are_answered_503_and_closed_while_the_others_are_served(own_server):
    srv = own_server("--max-connections", "5")
    time.sleep(0.5)  # the start-up health check's connection is gone
    held = [socket.create_connection(("127.0.0.1", srv.port)) for _ in range(5)]
    for s in held:  # all five accepted and counted (an answer proves it; a fixed sleep did not on a loaded machine)
        assert list_state_machines_over(s).startswith(b"HTTP/1.1 200")
    refused = socket.create_connection(("127.0.0.1", srv.port))
    answer = list_state_machines_over(refused)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 503"), answer
    assert json.loads(body) == {
        "__type": "ServiceUnavailable",
        "message": "StepLocal is serving its maximum of 5 connections (--max-connections); retry later"}
    assert closed_by_server(refused, within=3)
    refused.close()
    for s in held:  # every connection within the cap is served
        assert list_state_machines_over(s).startswith(b"HTTP/1.1 200"), "a connection within the cap was not served"
    held[0].close()
    time.sleep(0.3)
    assert make_client(srv.endpoint).list_state_machines()["stateMachines"] == []
    for s in held[1:]:
        s.close()


def test_a_credential_scope_with_a_hostile_region_is_refused_as_aws_refuses_it(server, sfn):
    for region in ["us-east-1:evil", "x", "us-east-1;rm"]:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        conn.request("POST", "/", body=json.dumps({"name": unique("act")}), headers={
            "X-Amz-Target": "AWSStepFunctions.CreateActivity", "Content-Type": "application/x-amz-json-1.0",
            "Authorization": f"AWS4-HMAC-SHA256 Credential=AKID/20240101/{region}/states/aws4_request, "
                             "SignedHeaders=host, Signature=0"})
        response = conn.getresponse()
        body = json.loads(response.read())
        conn.close()
        assert response.status == 403, body
        assert body == {"__type": "InvalidSignatureException",
                        "message": f"Credential should be scoped to a valid region, not '{region}'. "}
    assert not [a for a in sfn.list_activities()["activities"] if ":evil" in a["activityArn"]]


def test_serve_refuses_a_region_or_account_that_cannot_appear_in_an_arn(server):
    for flags, problem in [(["--region", "us east"], "not an AWS region name"), (["--account-id", "12"], "not an AWS account id")]:
        proc = subprocess.run([str(server.binary), "serve", "--port", "0", *flags], capture_output=True, text=True, timeout=30)
        assert proc.returncode != 0 and problem in proc.stderr, proc.stderr


def test_sigterm_answers_a_long_poll_and_a_sync_execution_and_exits_at_once(own_server):
    srv = own_server()
    sfn = make_client(srv.endpoint, inject_host_prefix=False)
    activity = sfn.create_activity(name=unique("act"))["activityArn"]
    express = sfn.create_state_machine(
        name=unique("long"), roleArn=ROLE_ARN, type="EXPRESS",
        definition=json.dumps({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 120, "End": True}}}))["stateMachineArn"]
    standard = sfn.create_state_machine(
        name=unique("run"), roleArn=ROLE_ARN,
        definition=json.dumps({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 120, "End": True}}}))["stateMachineArn"]
    for _ in range(3):
        sfn.start_execution(stateMachineArn=standard)
    answers = {}

    def poll():
        answers["poll"] = make_client(srv.endpoint).get_activity_task(activityArn=activity, workerName="w")

    def sync():
        answers["sync"] = make_client(srv.endpoint, inject_host_prefix=False).start_sync_execution(stateMachineArn=express)

    threads = [threading.Thread(target=poll), threading.Thread(target=sync)]
    for t in threads:
        t.start()
    time.sleep(1.0)  # both requests are in flight
    started = time.monotonic()
    srv.proc.send_signal(signal.SIGTERM)
    srv.proc.wait(timeout=10)
    exited_after = time.monotonic() - started
    for t in threads:
        t.join(timeout=5)
    assert exited_after < 3, f"exit took {exited_after:.1f}s"
    assert "taskToken" not in answers["poll"] and "input" not in answers["poll"]
    assert answers["sync"]["status"] == "FAILED"
    assert answers["sync"]["cause"] == "The execution was aborted because StepLocal is shutting down."
    assert "3 running executions are dropped" in srv.tail()


def write(path, text):
    path.write_text(text)
    return path


def test_hostile_scenario_files_are_refused_with_file_and_line_by_test_and_serve(server, tmp_path):
    bomb = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    bomb += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    files = {
        "deep.yaml": ("definition: " + "[" * 10000 + "]" * 10000 + "\n", "deep.yaml:1: /: nests deeper than 256 levels"),
        "bomb.yaml": ("\n".join(bomb) + "\n", "bomb.yaml:6: /: stands for more than 1000000 values"),
    }
    for name, (text, message) in files.items():
        folder = tmp_path / name.split(".")[0]
        folder.mkdir()
        path = write(folder / name, text)
        started = time.monotonic()
        test = subprocess.run([str(server.binary), "test", str(path)], capture_output=True, text=True, timeout=30)
        assert test.returncode == 2 and message in test.stdout + test.stderr, test.stdout + test.stderr
        serve = subprocess.run([str(server.binary), "serve", "--port", "0", "--scenarios", str(folder)],
                               capture_output=True, text=True, timeout=30)
        assert serve.returncode != 0 and message in serve.stderr, serve.stderr
        assert time.monotonic() - started < 20


def test_serve_raises_its_soft_open_file_limit_to_the_hard_one(server):
    hard = int(subprocess.run(["sh", "-c", "ulimit -Hn"], capture_output=True, text=True).stdout.strip() or 0)
    if hard <= 1024:
        pytest.skip(f"the hard open-file limit ({hard}) leaves nothing to raise")
    port = free_port()
    # started with a low soft limit, as many shells set it
    proc = subprocess.Popen(["sh", "-c", f"ulimit -Sn 1024 && exec '{server.binary}' serve --port {port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not health_ok(port):
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.05)
        limits = open(f"/proc/{proc.pid}/limits").read()
        soft = next(line for line in limits.splitlines() if line.startswith("Max open files")).split()[3]
        assert int(soft) == hard
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_a_mock_config_nested_too_deep_stops_start_up_naming_the_file(server, tmp_path):
    deep = tmp_path / "MockConfigFile.json"
    deep.write_text('{"a":' * 10000 + "1" + "}" * 10000)
    proc = subprocess.run([str(server.binary), "serve", "--port", "0", "--mock-config", str(deep)],
                          capture_output=True, text=True, timeout=30)
    # the depth limit is the JSON parser's own; its wording is the parser's
    assert proc.returncode != 0 and f"{deep}: /: not valid JSON:" in proc.stderr and "deeper" in proc.stderr, proc.stderr


UUID_V4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def test_two_servers_started_alike_mint_unrelated_uuid_v4_ids(own_server):
    seen = []
    for srv in (own_server(), own_server()):
        sfn = make_client(srv.endpoint, inject_host_prefix=False)
        ids = [sfn.list_state_machines()["ResponseMetadata"]["RequestId"] for _ in range(3)]
        machine = sfn.create_state_machine(name="same", roleArn=ROLE_ARN, definition=json.dumps(
            {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}))["stateMachineArn"]
        ids.append(sfn.start_execution(stateMachineArn=machine)["executionArn"].rsplit(":", 1)[1])  # a default name
        assert all(UUID_V4.match(i) for i in ids), ids
        seen.append(ids)
    assert len(set(seen[0] + seen[1])) == 8, seen
