#!/usr/bin/env python3
"""What `--data-dir` costs a Distributed Map (issue 10): the wall time of one execution whose
Distributed Map runs N STANDARD children (a Pass each, MaxConcurrency 100), in memory and with a
data directory, alternately, R rounds. With a data directory the Map Run and every child are
written as children start and end, so a restart continues the run. A benchmark, not a test.

    swift build -c release --product steplocal
    python3 scripts/bench_distributed_map.py .build/release/steplocal [N] [R]
    CHILD_STATES=20 python3 scripts/bench_distributed_map.py ...   # children of 20 Pass states
    INNER_ITEMS=1000 python3 scripts/bench_distributed_map.py BIN 20 4   # children running inline Maps"""
import json, os, shutil, statistics, sys, tempfile, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from steplocal_load import ROLE, Client, start_server

binary = sys.argv[1]
items = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
# CHILD_STATES=K gives each child a chain of K Pass states (1 by default): with a data directory a
# running child's row is rewritten, history and checkpoint, as it goes.
child_states = int(os.environ.get("CHILD_STATES", "1"))
chain = {f"P{i}": {"Type": "Pass", "Next": f"P{i + 1}"} for i in range(child_states)}
chain[f"P{child_states - 1}"] = {"Type": "Pass", "End": True}
# INNER_ITEMS=K instead makes each child run an inline Map of K items (a Pass each) over its own
# item: children that keep a checkpoint for every iteration, with long histories.
inner_items = int(os.environ.get("INNER_ITEMS", "0"))
if inner_items:
    chain = {"P0": {"Type": "Map", "ItemsPath": "$.items", "End": True,
                    "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}}}
definition = json.dumps({"StartAt": "Each", "States": {"Each": {
    "Type": "Map", "End": True, "MaxConcurrency": 100, "ItemProcessor": {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "P0", "States": chain}}}})
map_input = json.dumps([{"items": list(range(inner_items))}] * items if inner_items else list(range(items)))


def measure(data_dir):
    args = ["--data-dir", data_dir] if data_dir else []
    proc, port = start_server(binary, *args)
    try:
        client = Client(port)
        machine = client.call("CreateStateMachine", {"name": "dmap", "roleArn": ROLE, "definition": definition})["stateMachineArn"]
        started = time.monotonic()
        arn = client.call("StartExecution", {"stateMachineArn": machine, "input": map_input})["executionArn"]
        while (status := client.call("DescribeExecution", {"executionArn": arn})["status"]) == "RUNNING":
            time.sleep(0.01)
        assert status == "SUCCEEDED", status
        return time.monotonic() - started
    finally:
        proc.terminate()
        proc.wait()


times = {"memory": [], "data-dir": []}
for _ in range(rounds):
    times["memory"].append(measure(None))
    directory = tempfile.mkdtemp(prefix="steplocal-bench-")
    try:
        times["data-dir"].append(measure(directory))
    finally:
        shutil.rmtree(directory, ignore_errors=True)
for name, values in times.items():
    print(f"{items}-child Distributed Map, {name}: median {statistics.median(values):.2f} s ({', '.join(f'{v:.2f}' for v in values)})")
