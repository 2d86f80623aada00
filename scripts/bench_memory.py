#!/usr/bin/env python3
"""Memory of finished executions (issue 17.3): starts a release server, runs N executions
(default 100,000) of a 10-Pass STANDARD machine (history kept), and reports the server's RSS
growth per 1,000 finished executions and after all of them. A benchmark, not a test.

    swift build -c release --product steplocal --scratch-path .build-release
    python3 scripts/bench_memory.py .build-release/release/steplocal [N] [extra serve flags...]

Each Pass passes its input {"order": 1} on; with BENCH_PAYLOAD=growing each adds a result
instead (`"ResultPath": "$.sN"`), so every event carries a larger payload (the history's JSON
grows from about 2 KB to about 4 KB). With the default --max-executions (100,000) every
execution is kept; pass e.g. `--max-executions 10000` to see RSS stay flat once the oldest
closed ones are evicted."""
import json, os, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from steplocal_load import ROLE, Client, rss_mb, run_parallel, start_server, wait_until_none_running

binary = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
proc, port = start_server(binary, *sys.argv[3:])
try:
    growing = os.environ.get("BENCH_PAYLOAD") == "growing"
    states = {f"P{i}": {"Type": "Pass", "Next": f"P{i + 1}"} for i in range(10)}
    if growing:
        for i, state in enumerate(states.values()):
            state.update({"Result": {"step": i}, "ResultPath": f"$.s{i}"})
    states["P9"].pop("Next")
    states["P9"]["End"] = True
    definition = {"StartAt": "P0", "States": states}
    client = Client(port)
    machine = client.call("CreateStateMachine", {"name": "ten-pass", "roleArn": ROLE, "definition": json.dumps(definition)})["stateMachineArn"]
    # Warm up (allocator arenas, connection buffers) before the baseline.
    run_parallel(port, ({"stateMachineArn": machine, "input": '{"order": 1}'} for _ in range(1000)))
    wait_until_none_running(port, machine)
    base = rss_mb(proc.pid)
    print(f"baseline RSS after 1,000 warm-up executions: {base:.1f} MB", flush=True)
    done, started_at = 0, time.time()
    step = max(1000, count // 10)
    while done < count:
        batch = min(step, count - done)
        run_parallel(port, ({"stateMachineArn": machine, "input": '{"order": 1}'} for _ in range(batch)))
        wait_until_none_running(port, machine)
        done += batch
        rss = rss_mb(proc.pid)
        print(f"{done:>7} finished: RSS {rss:7.1f} MB, {(rss - base) / (done / 1000):.2f} MB per 1,000 "
              f"({done / (time.time() - started_at):.0f} executions/s)", flush=True)
    history = client.call("GetExecutionHistory", {"executionArn": client.call(
        "ListExecutions", {"stateMachineArn": machine, "maxResults": 1})["executions"][0]["executionArn"]})
    print(f"events per execution: {len(history['events'])}; final RSS {rss_mb(proc.pid):.1f} MB")
    # Issue 19.5: ListExecutions per page (100 executions) with all of them kept.
    for label, extra in (("no filter", {}), ("statusFilter SUCCEEDED", {"statusFilter": "SUCCEEDED"})):
        times, token = [], None
        for _ in range(20):
            body = {"stateMachineArn": machine, "maxResults": 100, **extra, **({"nextToken": token} if token else {})}
            begin = time.perf_counter()
            token = client.call("ListExecutions", body).get("nextToken")
            times.append((time.perf_counter() - begin) * 1000)
        times.sort()
        print(f"ListExecutions page of 100 ({label}): median {times[len(times) // 2]:.2f} ms, max {times[-1]:.2f} ms over 20 pages")
finally:
    proc.terminate()
    proc.wait()
