"""End-to-end fixtures: one `steplocal serve` process per test session, real AWS clients against it.

The binary comes from STEPLOCAL_BIN (default: <repo>/.build/debug/steplocal). Every test talks to the
server only through boto3 / the AWS CLI / plain HTTP on 127.0.0.1, exactly as a user would.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import time
import uuid
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

REPO = Path(__file__).resolve().parents[2]
DEFAULT_BIN = REPO / ".build" / "debug" / "steplocal"
REGION = "us-east-1"
ACCOUNT = "123456789012"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/steplocal-e2e"

# Every action the SDK's service model knows; test_zz_coverage checks each was sent at least once.
ALL_OPERATIONS = frozenset(boto3.client("stepfunctions", region_name=REGION).meta.service_model.operation_names)
CALLED_OPERATIONS: set[str] = set()


# ---------------------------------------------------------------------------------------------
# Definitions used across the suite
# ---------------------------------------------------------------------------------------------

def pass_definition(result=None, n=1) -> str:
    """n chained Pass states; the last one is the end."""
    states = {}
    for i in range(n):
        state = {"Type": "Pass"}
        if result is not None and i == n - 1:
            state["Result"] = result
        if i == n - 1:
            state["End"] = True
        else:
            state["Next"] = f"P{i + 1}"
        states[f"P{i}"] = state
    return json.dumps({"StartAt": "P0", "States": states})


def wait_definition(seconds=300) -> str:
    """A long Wait: executions stay RUNNING until the test stops them."""
    return json.dumps({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": seconds, "End": True}}})


def fail_definition(error="MyError", cause="my cause") -> str:
    return json.dumps({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": error, "Cause": cause}}})


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


# ---------------------------------------------------------------------------------------------
# The server process
# ---------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def health_ok(port: int) -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        conn.request("GET", "/health")
        ok = conn.getresponse().status == 200
        conn.close()
        return ok
    except OSError:
        return False


class Server:
    def __init__(self, binary: Path, log_path: Path):
        self.binary = binary
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.proc: subprocess.Popen | None = None

    def start(self, timeout=30.0):
        env = dict(os.environ, AWS_DEFAULT_REGION=REGION)
        env.pop("AWS_ACCOUNT_ID", None)
        env.pop("WAIT_TIME_SCALE", None)  # Wait states must really wait: tests keep executions RUNNING
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [str(self.binary), "serve", "--port", str(self.port)],
            stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"steplocal exited with {self.proc.returncode} before answering; log:\n{self.tail()}")
            if health_ok(self.port):
                return
            time.sleep(0.05)
        raise RuntimeError(f"steplocal did not answer GET /health within {timeout}s; log:\n{self.tail()}")

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def tail(self, n=4000) -> str:
        try:
            return self.log_path.read_bytes()[-n:].decode("utf-8", "replace")
        except OSError:
            return ""

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM: graceful shutdown through swift-service-lifecycle
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    binary = Path(os.environ.get("STEPLOCAL_BIN", DEFAULT_BIN))
    if "STEPLOCAL_BIN" not in os.environ and not binary.exists():
        # .build/debug is a link SwiftPM does not always create; the triple-named folder is the real one
        found = sorted(REPO.glob(".build/*/debug/steplocal"))
        binary = found[0] if found else binary
    if not binary.exists():
        pytest.fail(f"steplocal binary not found at {binary} (build it with `swift build`, or set STEPLOCAL_BIN)")
    srv = Server(binary, tmp_path_factory.mktemp("server") / "steplocal.log")
    srv.start()
    yield srv
    crashed = not srv.alive()
    srv.stop()
    if crashed:
        pytest.fail(f"steplocal died during the session (exit {srv.proc.returncode}); log tail:\n{srv.tail()}")


def make_client(endpoint: str, **config):
    client = boto3.client(
        "stepfunctions",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
        config=Config(retries={"max_attempts": 1}, read_timeout=70, connect_timeout=5, **config),
    )

    def record(model, **_):
        CALLED_OPERATIONS.add(model.name)

    client.meta.events.register("before-call", record)
    return client


@pytest.fixture(scope="session")
def sfn(server):
    """boto3 client as a user would configure it (host-prefix injection off for StartSyncExecution)."""
    return make_client(server.endpoint, inject_host_prefix=False)


@pytest.fixture(scope="session")
def sfn_raw(server):
    """boto3 client with client-side parameter validation off, to see the server's own validation."""
    return make_client(server.endpoint, inject_host_prefix=False, parameter_validation=False)


# ---------------------------------------------------------------------------------------------
# Resources with clean-up
# ---------------------------------------------------------------------------------------------

class Resources:
    """Creates state machines/activities and stops or deletes whatever a test left behind."""

    def __init__(self, sfn):
        self.sfn = sfn
        self.machines: list[str] = []
        self.activities: list[str] = []
        self.executions: list[str] = []

    def machine(self, definition=None, name=None, type_="STANDARD", **kwargs) -> str:
        resp = self.sfn.create_state_machine(
            name=name or unique("sm"), definition=definition or pass_definition(), roleArn=ROLE_ARN, type=type_, **kwargs
        )
        self.machines.append(resp["stateMachineArn"])
        return resp["stateMachineArn"]

    def activity(self, name=None, **kwargs) -> str:
        arn = self.sfn.create_activity(name=name or unique("act"), **kwargs)["activityArn"]
        self.activities.append(arn)
        return arn

    def start(self, sm_arn, input_="{}", name=None) -> str:
        kwargs = {"stateMachineArn": sm_arn, "input": input_}
        if name:
            kwargs["name"] = name
        arn = self.sfn.start_execution(**kwargs)["executionArn"]
        self.executions.append(arn)
        return arn

    def cleanup(self):
        for arn in self.executions:
            try:
                self.sfn.stop_execution(executionArn=arn)
            except Exception:
                pass
        for arn in self.machines:
            try:
                self.sfn.delete_state_machine(stateMachineArn=arn)
            except Exception:
                pass
        for arn in self.activities:
            try:
                self.sfn.delete_activity(activityArn=arn)
            except Exception:
                pass


@pytest.fixture
def res(sfn):
    r = Resources(sfn)
    yield r
    r.cleanup()


def wait_for_status(sfn, execution_arn, statuses=("SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"), timeout=15.0):
    deadline = time.monotonic() + timeout
    while True:
        desc = sfn.describe_execution(executionArn=execution_arn)
        if desc["status"] in statuses:
            return desc
        if time.monotonic() > deadline:
            raise AssertionError(f"execution still {desc['status']} after {timeout}s: {execution_arn}")
        time.sleep(0.05)


def error_code(excinfo) -> str:
    return excinfo.value.response["Error"]["Code"]


def http_status(excinfo) -> int:
    return excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"]
