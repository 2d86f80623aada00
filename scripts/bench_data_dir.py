#!/usr/bin/env python3
"""What `--data-dir` costs (issue 10): StartExecution requests/s and transitions/s of a 10-Pass
STANDARD machine (history kept), in memory and with a data directory, measured alternately in
one run; then how long a server takes to start on the directory it left (N executions kept).
A benchmark, not a test.

    swift build -c release --product steplocal
    python3 scripts/bench_data_dir.py .build/release/steplocal [N] [rounds]

The client is Python over keep-alive HTTP (scripts/steplocal_load.py) on the same 2 cores as the
server, so absolute figures are the client's as much as the server's; the ratio is the point."""
import json, os, shutil, subprocess, sys, tempfile, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from steplocal_load import ROLE, Client, free_port, run_parallel, start_server, wait_until_none_running

binary = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 2
states = {f"P{i}": {"Type": "Pass", "Next": f"P{i + 1}"} for i in range(10)}
states["P9"].pop("Next")
states["P9"]["End"] = True
definition = json.dumps({"StartAt": "P0", "States": states})


def measure(data_dir):
    args = ["--data-dir", data_dir] if data_dir else []
    proc, port = start_server(binary, *args)
    try:
        client = Client(port)
        machine = client.call("CreateStateMachine", {"name": "ten-pass", "roleArn": ROLE, "definition": definition})["stateMachineArn"]
        body = {"stateMachineArn": machine, "input": '{"order": 1}'}
        run_parallel(port, (body for _ in range(1000)))  # warm-up
        wait_until_none_running(port, machine)
        began = time.perf_counter()
        run_parallel(port, (body for _ in range(count)))
        accepted = time.perf_counter() - began
        wait_until_none_running(port, machine)
        finished = time.perf_counter() - began
        return count / accepted, count * 10 / finished
    finally:
        proc.terminate()
        proc.wait()


results = {"memory": [], "data-dir": []}
directory = None
for round_number in range(rounds):
    for mode in ("memory", "data-dir"):
        if mode == "data-dir":
            if directory:
                shutil.rmtree(directory)
            directory = tempfile.mkdtemp(prefix="steplocal-bench-data-")
        starts, transitions = measure(directory if mode == "data-dir" else None)
        results[mode].append((starts, transitions))
        print(f"round {round_number + 1} {mode:>8}: StartExecution {starts:8.0f} req/s, "
              f"{transitions:9.0f} transitions/s (10-Pass STANDARD, {count:,} executions)", flush=True)
for mode, figures in results.items():
    starts = sorted(f[0] for f in figures)
    transitions = sorted(f[1] for f in figures)
    print(f"{mode:>8}: StartExecution {starts[0]:.0f}-{starts[-1]:.0f} req/s, transitions {transitions[0]:.0f}-{transitions[-1]:.0f}/s")
ratio_starts = [d[0] / m[0] for m, d in zip(results["memory"], results["data-dir"])]
ratio_transitions = [d[1] / m[1] for m, d in zip(results["memory"], results["data-dir"])]
print(f"data-dir / memory: StartExecution {min(ratio_starts):.2f}-{max(ratio_starts):.2f}, "
      f"transitions {min(ratio_transitions):.2f}-{max(ratio_transitions):.2f}")

# Start-up on the directory the last data-dir round left: every execution is read back.
size = sum(os.path.getsize(os.path.join(directory, f)) for f in os.listdir(directory))
port = free_port()
began = time.perf_counter()
proc = subprocess.Popen([binary, "serve", "--port", str(port), "--log-level", "error", "--data-dir", directory])
import http.client
while True:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        conn.request("GET", "/health")
        if conn.getresponse().status == 200:
            break
    except OSError:
        time.sleep(0.01)
print(f"start-up on a data directory of {count + 1000:,} executions ({size / 1e6:.0f} MB): {time.perf_counter() - began:.2f} s to the first answer")
proc.terminate()
proc.wait()
shutil.rmtree(directory)
