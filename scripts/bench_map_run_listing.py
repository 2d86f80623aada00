"""Benchmark (not a test): ListExecutions(mapRunArn) pages over a Distributed Map of N unbatched
children read from a CSV by `steplocal serve --s3-dir`. Usage: python3 scripts/bench_map_run_listing.py BIN [N]"""
import json, os, shutil, socket, subprocess, sys, tempfile, time
import boto3
from botocore.config import Config

binary, rows = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
root = tempfile.mkdtemp()
os.makedirs(f"{root}/data")
with open(f"{root}/data/rows.csv", "w") as f:
    f.write("id,note\n")
    for i in range(rows):
        f.write(f"r-{i},note {i}\n")
s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
server = subprocess.Popen([binary, "serve", "--port", str(port), "--s3-dir", root], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
sfn = boto3.client("stepfunctions", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                   aws_access_key_id="x", aws_secret_access_key="x", config=Config(retries={"max_attempts": 0}))
for _ in range(100):
    try:
        sfn.list_state_machines(); break
    except Exception:
        time.sleep(0.05)
definition = {"StartAt": "M", "States": {"M": {"Type": "Map",
    "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
                   "Parameters": {"Bucket": "data", "Key": "rows.csv"}},
    "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
    "ResultSelector": {"n.$": "States.ArrayLength($)"}, "End": True}}}
arn = sfn.create_state_machine(name="m", definition=json.dumps(definition), roleArn="arn:aws:iam::123456789012:role/r")["stateMachineArn"]
ex = sfn.start_execution(stateMachineArn=arn)["executionArn"]
while sfn.describe_execution(executionArn=ex)["status"] == "RUNNING":
    time.sleep(0.2)
run = sfn.list_map_runs(executionArn=ex)["mapRuns"][0]["mapRunArn"]
times = []
for _ in range(5):
    start = time.perf_counter()
    page = sfn.list_executions(mapRunArn=run, maxResults=100)
    times.append(time.perf_counter() - start)
    assert len(page["executions"]) == 100
times.sort()
print(f"{os.path.basename(binary)}: ListExecutions(mapRunArn) page of 100 over {rows} children: median {times[2]*1000:.0f} ms ({', '.join(f'{t*1000:.0f}' for t in times)})")
server.terminate(); server.wait()
shutil.rmtree(root)
