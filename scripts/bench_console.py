#!/usr/bin/env python3
"""Console latency benchmark (not a test): how long after the server records a history event the
open execution page shows it, in headless Chromium.

Starts `steplocal serve` (BIN, default .build/release/steplocal), creates a machine of a Wait loop
(WAITS one-second Waits, each followed by a Pass), opens the execution's page before the first Wait
ends, and records with a MutationObserver when each event row appears. The latency of an event is
its appearance (browser clock) minus its timestamp in GetExecutionHistory (server clock; the same
machine). Prints the median, 90th percentile and maximum over the events recorded after the page
was open.

    swift build -c release --product steplocal
    python3 scripts/bench_console.py [BIN] [WAITS]
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import boto3
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

REPO = Path(__file__).resolve().parents[1]
binary = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / ".build" / "release" / "steplocal"
waits = int(sys.argv[2]) if len(sys.argv) > 2 else 20

with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
server = subprocess.Popen([str(binary), "serve", "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
endpoint = f"http://127.0.0.1:{port}"
for _ in range(200):
    try:
        urllib.request.urlopen(endpoint + "/health", timeout=1)
        break
    except OSError:
        time.sleep(0.05)

try:
    sfn = boto3.client("stepfunctions", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    states = {}
    for i in range(waits):
        states[f"Wait{i}"] = {"Type": "Wait", "Seconds": 1, "Next": f"Step{i}"}
        states[f"Step{i}"] = {"Type": "Pass", **({"Next": f"Wait{i + 1}"} if i + 1 < waits else {"End": True})}
    machine = sfn.create_state_machine(name="bench-console", definition=json.dumps({"StartAt": "Wait0", "States": states}),
                                       roleArn="arn:aws:iam::123456789012:role/bench")["stateMachineArn"]
    execution = sfn.start_execution(stateMachineArn=machine)["executionArn"]

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=shutil.which("chromedriver")), options=options)
    driver.get(f"{endpoint}/#/execution/{quote(execution, safe='')}")
    driver.execute_script("""
        window.__seen = {};
        new MutationObserver(() => {
          for (const row of document.querySelectorAll('#events tr.event-row')) {
            const id = row.getAttribute('data-event-id');
            if (!(id in window.__seen)) window.__seen[id] = Date.now() / 1000;
          }
        }).observe(document.getElementById('main'), { childList: true, subtree: true });
        window.__openedAt = Date.now() / 1000;
    """)
    while sfn.describe_execution(executionArn=execution)["status"] == "RUNNING":
        time.sleep(0.2)
    time.sleep(0.5)
    seen = driver.execute_script("return window.__seen")
    opened = driver.execute_script("return window.__openedAt")
    driver.quit()
    history = sfn.get_execution_history(executionArn=execution, maxResults=1000)["events"]
    latencies = [
        (seen[str(e["id"])] - e["timestamp"].timestamp()) * 1000
        for e in history
        if str(e["id"]) in seen and e["timestamp"].timestamp() > opened
    ]
    latencies.sort()
    print(f"console live latency over {len(latencies)} events: median {statistics.median(latencies):.1f} ms, "
          f"p90 {latencies[int(len(latencies) * 0.9) - 1]:.1f} ms, max {latencies[-1]:.1f} ms")
finally:
    server.terminate()
    server.wait()
