#!/usr/bin/env python3
"""Reliability figures of `steplocal serve` (a measurement, not a test), loopback only, bounded in time:

1. connections: opens HOLD slow connections (headers never finished) to a server with
   `--idle-timeout IDLE` and the default connection cap, and reports how many were held, how many
   refused (503), the server's CPU while holding them, that a served connection still answers,
   and how long until the server closed them all;
2. shutdown: with POLLS GetActivityTask long polls, SYNCS StartSyncExecution calls of a machine
   with a 120 s Wait and RUNNING running executions in flight, the time from SIGTERM to exit, and
   what the clients got.

usage: python3 scripts/reliability.py PATH/TO/steplocal   (env: HOLD=5000 IDLE=30 POLLS=50 SYNCS=10 RUNNING=1000)
"""

from __future__ import annotations

import http.client
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import threading
import time

import boto3
from botocore.config import Config

HOLD, IDLE = int(os.environ.get("HOLD", 5000)), float(os.environ.get("IDLE", 30))
POLLS, SYNCS, RUNNING = int(os.environ.get("POLLS", 50)), int(os.environ.get("SYNCS", 10)), int(os.environ.get("RUNNING", 1000))
ROLE = "arn:aws:iam::123456789012:role/r"
WAIT = json.dumps({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 120, "End": True}}})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(binary: str, *args: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    proc = subprocess.Popen([binary, "serve", "--port", str(port), *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, port
        except OSError:
            time.sleep(0.05)
    raise SystemExit("steplocal did not start")


def cpu_seconds(pid: int) -> float:
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def client(port: int):
    return boto3.client("stepfunctions", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                        aws_access_key_id="a", aws_secret_access_key="s",
                        config=Config(inject_host_prefix=False, retries={"max_attempts": 1}, read_timeout=90,
                                      max_pool_connections=100))


def connections(binary: str) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # this client needs HOLD descriptors too
    proc, port = start(binary, "--idle-timeout", str(IDLE))
    sockets, refused = [], 0
    opened = time.monotonic()
    for _ in range(HOLD):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\n")
        sockets.append(s)
    open_time = time.monotonic() - opened
    time.sleep(1)
    for s in sockets:
        s.setblocking(False)
        try:
            if s.recv(64).startswith(b"HTTP/1.1 503"):
                refused += 1
        except BlockingIOError:
            pass
        except OSError:
            refused += 1
    before = cpu_seconds(proc.pid)
    time.sleep(2)
    cpu = (cpu_seconds(proc.pid) - before) / 2 * 100
    served = sockets[0]  # held since the start: finishing its request gets an answer
    served.setblocking(True)
    served.sendall(b"X-Amz-Target: AWSStepFunctions.ListActivities\r\nContent-Length: 2\r\n\r\n{}")
    answered = served.recv(64).startswith(b"HTTP/1.1 200")
    served.setblocking(False)
    deadline, open_ = time.monotonic() + IDLE + 30, list(sockets)
    while open_ and time.monotonic() < deadline:
        still = []
        for s in open_:
            try:
                if s.recv(4096) != b"":
                    still.append(s)
            except BlockingIOError:
                still.append(s)
            except OSError:
                pass
        open_ = still
        time.sleep(0.1)
    closed_after = time.monotonic() - opened
    print(f"connections: {HOLD} opened in {open_time:.1f} s: {HOLD - refused} held, {refused} refused with 503; server CPU while holding "
          f"{cpu:.0f} %; the first one, finishing its request, answered 200: {answered}; all closed by the server {closed_after:.1f} s after "
          f"opening (idle timeout {IDLE:g} s); {len(open_)} left open")
    for s in sockets:
        s.close()
    proc.terminate()
    proc.wait(timeout=10)


def shutdown(binary: str) -> None:
    proc, port = start(binary)
    sfn = client(port)
    activity = sfn.create_activity(name="a")["activityArn"]
    express = sfn.create_state_machine(name="e", roleArn=ROLE, type="EXPRESS", definition=WAIT)["stateMachineArn"]
    standard = sfn.create_state_machine(name="s", roleArn=ROLE, definition=WAIT)["stateMachineArn"]
    for _ in range(RUNNING):
        sfn.start_execution(stateMachineArn=standard)
    answers: list[str] = []

    def poll():
        answers.append("poll:" + ("task" if "taskToken" in client(port).get_activity_task(activityArn=activity) else "empty"))

    def sync():
        answers.append("sync:" + client(port).start_sync_execution(stateMachineArn=express)["status"])

    threads = [threading.Thread(target=poll) for _ in range(POLLS)] + [threading.Thread(target=sync) for _ in range(SYNCS)]
    for t in threads:
        t.start()
    time.sleep(2)
    sent = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=90)
    exited = time.monotonic() - sent
    for t in threads:
        t.join(timeout=10)
    log = proc.stderr.read().decode()
    dropped = [line for line in log.splitlines() if "dropped" in line]
    print(f"shutdown: SIGTERM with {POLLS} long polls, {SYNCS} sync executions and {RUNNING} running executions "
          f"in flight: exited after {exited:.2f} s; answers: "
          + ", ".join(f"{answers.count(a)} {a}" for a in sorted(set(answers)))
          + f"; log: {dropped[0].split('] ', 1)[-1] if dropped else '(no warning)'}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    connections(sys.argv[1])
    shutdown(sys.argv[1])
