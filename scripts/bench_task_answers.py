#!/usr/bin/env python3
"""What a durable task answer costs (issue 10): with `--data-dir`, SendTaskSuccess answers only
once the answer is in the file. Starts N executions that each wait for a task token (then wait
1,000 s, so none ends), collects the tokens, then times N SendTaskSuccess calls one after the
other, on each binary given, alternately, R rounds. With --heartbeat, N SendTaskHeartbeat calls
instead (a beat is written before it answers too). A benchmark, not a test.

    swift build -c release --product steplocal
    python3 scripts/bench_task_answers.py [--heartbeat] BIN [BASE_BIN] [N] [R]"""
import json, os, shutil, sys, tempfile, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from steplocal_load import ROLE, Client, start_server

heartbeat = "--heartbeat" in sys.argv
arguments = [arg for arg in sys.argv[1:] if arg != "--heartbeat"]
binaries = [arg for arg in arguments[:2] if not arg.isdigit()]
numbers = [int(arg) for arg in arguments if arg.isdigit()]
action = "SendTaskHeartbeat" if heartbeat else "SendTaskSuccess"
count = numbers[0] if numbers else 1000
rounds = numbers[1] if len(numbers) > 1 else 3
definition = json.dumps({"StartAt": "Ask", "States": {
    "Ask": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}}, "Next": "Hold"},
    "Hold": {"Type": "Wait", "Seconds": 1000, "End": True}}})


def measure(binary):
    directory = tempfile.mkdtemp(prefix="steplocal-answers-")
    proc, port = start_server(binary, "--data-dir", directory)
    try:
        client = Client(port)
        machine = client.call("CreateStateMachine", {"name": "answered", "roleArn": ROLE, "definition": definition})["stateMachineArn"]
        executions = [client.call("StartExecution", {"stateMachineArn": machine, "input": "{}"})["executionArn"] for _ in range(count)]
        tokens = []
        deadline = time.monotonic() + 60
        for arn in executions:
            while True:
                scheduled = [e for e in client.call("GetExecutionHistory", {"executionArn": arn})["events"] if e["type"] == "TaskScheduled"]
                if scheduled:
                    tokens.append(json.loads(scheduled[0]["taskScheduledEventDetails"]["parameters"])["MessageBody"]["token"])
                    break
                assert time.monotonic() < deadline, f"{arn} never scheduled its task"
                time.sleep(0.01)
        started = time.monotonic()
        for token in tokens:
            client.call(action, {"taskToken": token} if heartbeat else {"taskToken": token, "output": "{}"})
        return (time.monotonic() - started) / len(tokens)
    finally:
        proc.terminate()
        proc.wait()
        shutil.rmtree(directory)


results = {binary: [] for binary in binaries}
for _ in range(rounds):
    for binary in binaries:
        results[binary].append(measure(binary))
for binary, times in results.items():
    ordered = sorted(times)
    print(f"{binary}: {action} with --data-dir, median {ordered[len(ordered) // 2] * 1e6:.0f} us "
          f"({', '.join(f'{t * 1e6:.0f}' for t in times)}), {count} calls one after the other")
