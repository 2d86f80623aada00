#!/usr/bin/env python3
"""Benchmark (not a test): heap allocations per StartSyncExecution request of the 3-Pass EXPRESS
machine, the request path's one figure that does not move with the machine's load. Runs
`BIN serve` under heaptrack twice, answering FEW and then MANY requests on one keep-alive
connection, and prints (allocations(MANY) - allocations(FEW)) / (MANY - FEW), which leaves out
start-up, the machine's creation and the warm-up. With `steplocal-ceiling` (the bare Hummingbird
handler, Benchmarks/steplocal-ceiling; any BIN whose name says "ceiling") it prints the ceiling's figure.

    swift build -c release --scratch-path .build-release --product steplocal
    python3 scripts/bench_request_allocations.py BIN [BASE_BIN] [FEW] [MANY]

Needs heaptrack (Debian: heaptrack)."""
import json, os, re, shutil, signal, subprocess, sys, tempfile
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from steplocal_load import Client, free_port, wait_for_health

binaries = [arg for arg in sys.argv[1:] if not arg.isdigit()]
numbers = [int(arg) for arg in sys.argv[1:] if arg.isdigit()]
few, many = (numbers + [200, 2200])[:2] if len(numbers) < 2 else numbers[:2]
if not binaries or not shutil.which("heaptrack"):
    sys.exit(__doc__)

DEFINITION = json.dumps({"StartAt": "A", "States": {
    "A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "C"}, "C": {"Type": "Pass", "End": True}}})


def allocations(binary, requests):
    """Allocation calls heaptrack counted in a server that answered `requests` requests."""
    port = free_port()
    directory = tempfile.mkdtemp(prefix="steplocal-allocations-")
    output = os.path.join(directory, "trace")
    is_ceiling = "ceiling" in os.path.basename(binary)
    arguments = [binary, "--port", str(port)] if is_ceiling else [binary, "serve", "--port", str(port)]
    log = open(os.path.join(directory, "heaptrack.txt"), "w")
    server = subprocess.Popen(["heaptrack", "-o", output, *arguments], stdout=log, stderr=subprocess.STDOUT)
    try:
        assert wait_for_health(port), f"{binary} did not start"
        client = Client(port)
        machine = "arn:aws:states:us-east-1:123456789012:stateMachine:bench3pass"
        if not is_ceiling:
            machine = client.call("CreateStateMachine", {
                "name": "bench3pass", "type": "EXPRESS", "roleArn": "arn:aws:iam::123456789012:role/bench",
                "definition": DEFINITION})["stateMachineArn"]
        body = {"stateMachineArn": machine, "input": json.dumps({"hello": "world", "n": 1})}
        for _ in range(requests):
            answer = client.call("StartSyncExecution", body)
            assert is_ceiling or answer["status"] == "SUCCEEDED", answer
        client.conn.close()
    finally:
        # heaptrack is a script that runs the program as its child: the program is stopped, so
        # that heaptrack prints its totals as it ends.
        program = subprocess.run(["pgrep", "-f", "^" + re.escape(" ".join(arguments)) + "$"], capture_output=True, text=True).stdout.split()
        for pid in program or [str(server.pid)]:
            os.kill(int(pid), signal.SIGTERM)
        server.wait(timeout=60)
    log.close()
    # heaptrack prints its totals when the program ends ("allocations: N").
    printed = open(os.path.join(directory, "heaptrack.txt")).read()
    if os.environ.get("KEEP_TRACE"):
        print(f"trace kept in {directory}", file=sys.stderr)
    else:
        shutil.rmtree(directory)
    match = re.search(r"^\s*allocations:\s*(\d+)", printed, re.MULTILINE)
    assert match, printed[-2000:]
    return int(match.group(1))


for binary in binaries:
    counts = [allocations(binary, few), allocations(binary, many)]
    print(f"{binary}: {(counts[1] - counts[0]) / (many - few):.1f} allocations per request "
          f"({counts[0]} after {few} requests, {counts[1]} after {many})")
