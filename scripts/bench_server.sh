#!/usr/bin/env bash
# Benchmark (not a test) of `steplocal serve`, loopback only, bounded in time:
#   1. start-up time to the first answered GET /health, and idle RSS (from /proc) after start-up;
#   2. StartSyncExecution requests/s of a 3-Pass EXPRESS state machine, with wrk;
#   3. in the same run, the ceiling: a bare Hummingbird handler that reads the same request and answers a
#      fixed body of the same size as the real answer (the hidden `steplocal serve --bare
#      --bare-response-bytes N`, or BARE_BIN=<executable taking --port>);
#   and prints the ratios against the issue's targets (>= 50 % of the ceiling, < 50 ms, < 40 MB).
#
# usage: scripts/bench_server.sh [BIN]     (default: a release build in .build-release, built if missing)
#   env: DURATION=10s THREADS=2 CONNECTIONS=16 BARE_BIN=...
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-16}
BIN=${1:-.build-release/release/steplocal}

if [ ! -x "$BIN" ]; then
    echo "building release binary into .build-release ..."
    swift build -c release --static-swift-stdlib --product steplocal --scratch-path .build-release
fi
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_server CMD... : starts it, prints "PID PORT STARTUP_MS" (first answered /health, or any answer)
start_and_time() {
    local port=$1; shift
    python3 - "$port" "$@" <<'PY'
import http.client, subprocess, sys, time
port, cmd = int(sys.argv[1]), sys.argv[2:]
t0 = time.perf_counter()
proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
while True:
    if proc.poll() is not None:
        sys.exit(f"server exited with {proc.returncode}")
    if time.perf_counter() - t0 > 30:
        proc.kill(); sys.exit("no answer within 30 s")
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        c.request("GET", "/health")
        c.getresponse().read()
        break
    except OSError:
        time.sleep(0.0005)
print(proc.pid, f"{(time.perf_counter() - t0) * 1000:.1f}")
PY
}

rss_mb() { awk '/^VmRSS/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }

call() {  # call PORT ACTION JSON
    curl -sS -X POST "http://127.0.0.1:$1/" -H "Content-Type: application/x-amz-json-1.0" \
        -H "X-Amz-Target: AWSStepFunctions.$2" -d "$3"
}

# wrk_rps PORT BODYFILE : requests/s of POST StartSyncExecution with that body
wrk_rps() {
    cat >"$WORK/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
wrk.headers["X-Amz-Target"] = "AWSStepFunctions.StartSyncExecution"
local f = io.open("$2", "rb"); wrk.body = f:read("*a"); f:close()
non2xx = 0
response = function(status, headers, body) if status ~= 200 then non2xx = non2xx + 1 end end
LUA
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$WORK/post.lua" "http://127.0.0.1:$1/" >"$WORK/wrk.txt"
    grep -E "Requests/sec|Latency|99%|Non-2xx" "$WORK/wrk.txt" | sed 's/^/    /' >&2
    awk '/Requests\/sec/ {print $2}' "$WORK/wrk.txt"
}

echo "binary: $BIN ($(du -h "$BIN" | cut -f1)); wrk -t$THREADS -c$CONNECTIONS -d$DURATION; $(nproc) cores"

# --- steplocal: start-up, idle RSS, StartSyncExecution throughput ---
PORT=$(free_port)
read -r PID STARTUP_MS < <(start_and_time "$PORT" "$BIN" serve --port "$PORT")
PIDS+=("$PID")
sleep 1
IDLE_RSS=$(rss_mb "$PID")
echo "start-up to first answered request: ${STARTUP_MS} ms (target < 50 ms)"
echo "idle RSS after start-up: ${IDLE_RSS} MB (target < 40 MB)"

DEF='{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Next\":\"B\"},\"B\":{\"Type\":\"Pass\",\"Next\":\"C\"},\"C\":{\"Type\":\"Pass\",\"End\":true}}}'
SM=$(call "$PORT" CreateStateMachine "{\"name\":\"bench3pass\",\"type\":\"EXPRESS\",\"roleArn\":\"arn:aws:iam::123456789012:role/bench\",\"definition\":\"$DEF\"}" \
     | python3 -c 'import json,sys; print(json.load(sys.stdin)["stateMachineArn"])')
printf '{"stateMachineArn":"%s","input":"{\\"hello\\":\\"world\\",\\"n\\":1}"}' "$SM" >"$WORK/body.json"
call "$PORT" StartSyncExecution "$(cat "$WORK/body.json")" >"$WORK/answer.json"
ANSWER_BYTES=$(wc -c <"$WORK/answer.json")
echo "sample answer (${ANSWER_BYTES} bytes): $(head -c 300 "$WORK/answer.json")"
echo "StartSyncExecution, 3-Pass EXPRESS:"
RPS=$(wrk_rps "$PORT" "$WORK/body.json")
RSS_AFTER=$(rss_mb "$PID")
echo "  => ${RPS} req/s; RSS after load ${RSS_AFTER} MB"
kill "$PID"; wait "$PID" 2>/dev/null || true

# --- the ceiling: a bare Hummingbird handler, same request ---
CEIL_CMD=()
if [ -n "${BARE_BIN:-}" ]; then
    CEIL_CMD=("$BARE_BIN")
elif "$BIN" serve --help-hidden 2>&1 | grep -q -- "--bare"; then
    CEIL_CMD=("$BIN" serve --bare --bare-response-bytes "$ANSWER_BYTES")
fi
if [ ${#CEIL_CMD[@]} -gt 0 ]; then
    CPORT=$(free_port)
    read -r CPID _ < <(start_and_time "$CPORT" "${CEIL_CMD[@]}" --port "$CPORT")
    PIDS+=("$CPID")
    echo "ceiling (bare Hummingbird handler, same request, ${ANSWER_BYTES}-byte answer):"
    CEIL=$(wrk_rps "$CPORT" "$WORK/body.json")
    kill "$CPID"; wait "$CPID" 2>/dev/null || true
    echo "  => ${CEIL} req/s"
    python3 -c "r=$RPS/$CEIL; print(f'ratio StartSyncExecution / ceiling: {r:.1%} (target >= 50 %)')"
else
    echo "ceiling: not measured (no 'serve --bare' in this binary and no BARE_BIN given)"
fi

python3 - "$STARTUP_MS" "$IDLE_RSS" <<'PY'
import sys
startup, rss = float(sys.argv[1]), float(sys.argv[2])
print(f"ratio start-up / target: {startup / 50:.2f} (<= 1 meets < 50 ms)")
print(f"ratio idle RSS / target: {rss / 40:.2f} (<= 1 meets < 40 MB)")
PY
