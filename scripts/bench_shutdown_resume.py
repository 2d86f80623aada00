#!/usr/bin/env python3
"""Graceful shutdown and resume with --data-dir (issue 10.6): starts a release server on a fresh
data directory, starts 1,000 executions that Wait 600 s, sends SIGTERM and times the exit, starts
the server again on the directory and counts the executions RUNNING again. Not a test.

    swift build -c release --product steplocal
    python3 scripts/bench_shutdown_resume.py [.build/release/steplocal]
"""
import json, os, signal, sys, tempfile, time, shutil, subprocess
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from steplocal_load import ROLE, Client, run_parallel, start_server
binary = sys.argv[1] if len(sys.argv) > 1 else ".build/release/steplocal"
d = tempfile.mkdtemp()
proc, port = start_server(binary, "--data-dir", d)
c = Client(port)
m = c.call("CreateStateMachine", {"name": "w", "roleArn": ROLE, "definition": json.dumps({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 600, "End": True}}})})["stateMachineArn"]
run_parallel(port, ({"stateMachineArn": m} for _ in range(1000)))
time.sleep(0.5)
t = time.perf_counter(); proc.send_signal(signal.SIGTERM); proc.wait(); print(f"SIGTERM with 1,000 running: exited in {time.perf_counter()-t:.3f} s, code {proc.returncode}")
t = time.perf_counter(); proc, port = start_server(binary, "--data-dir", d); print(f"restart to first answer: {time.perf_counter()-t:.3f} s")
c = Client(port)
running = 0; token = None
while True:
    page = c.call("ListExecutions", {"stateMachineArn": m, "statusFilter": "RUNNING", "maxResults": 1000, **({"nextToken": token} if token else {})})
    running += len(page["executions"]); token = page.get("nextToken")
    if not token: break
print(f"running after restart: {running}")
proc.terminate(); proc.wait(); shutil.rmtree(d)
