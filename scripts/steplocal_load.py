"""A small load client for StepLocal's benchmark and soak scripts: starts a server, calls actions
over raw keep-alive HTTP (boto3 is far too slow to start 100,000 executions), and reads the
server's RSS from /proc. Used by scripts/bench_memory.py and scripts/soak.sh; not a test."""
import http.client, json, os, socket, subprocess, threading, time

ROLE = "arn:aws:iam::123456789012:role/any"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(binary, *args):
    """Starts `binary serve` on a free port and returns (process, port) once /health answers."""
    port = free_port()
    proc = subprocess.Popen([binary, "serve", "--port", str(port), "--log-level", "error", *args])
    if not wait_for_health(port):
        proc.kill()
        raise SystemExit("the server did not start")
    return proc, port


def wait_for_health(port, attempts=600):
    """Whether GET /health answered 200 on `port` within `attempts` tries 50 ms apart."""
    for _ in range(attempts):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/health")
            if conn.getresponse().status == 200:
                return True
        except OSError:
            time.sleep(0.05)
    return False


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Client:
    """One keep-alive connection."""

    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def call(self, action, body):
        self.conn.request("POST", "/", json.dumps(body), {
            "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": f"AWSStepFunctions.{action}"})
        response = self.conn.getresponse()
        answer = json.loads(response.read() or b"{}")
        if response.status != 200:
            raise RuntimeError(f"{action}: {response.status} {answer}")
        return answer


def run_parallel(port, bodies, threads=8, action="StartExecution"):
    """Sends `action` once per body from `threads` keep-alive connections; returns how many were sent."""
    lock = threading.Lock()
    items = iter(bodies)
    sent = [0]

    def worker():
        client = Client(port)
        while True:
            with lock:
                body = next(items, None)
            if body is None:
                return
            client.call(action, body)
            with lock:
                sent[0] += 1

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return sent[0]


def wait_until_none_running(port, machine_arn, limit_seconds=600):
    client = Client(port)
    deadline = time.time() + limit_seconds
    while time.time() < deadline:
        page = client.call("ListExecutions", {"stateMachineArn": machine_arn, "statusFilter": "RUNNING", "maxResults": 1})
        if not page["executions"]:
            return
        time.sleep(0.2)
    raise SystemExit("executions still running after the limit")
