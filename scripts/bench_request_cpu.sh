#!/usr/bin/env bash
# Benchmark (not a test): server CPU time per StartSyncExecution request of a 3-Pass EXPRESS
# machine, the request path's steadiest figure on a shared machine. Requests/s move with whatever
# else runs (wrk itself shares the cores); the CPU the server spends per request moves far less.
# For each binary, in alternation: start `BIN serve`, warm up with wrk for 2 s, then count the
# server's CPU time with `perf stat -e task-clock -p PID` while wrk runs 4 s, and divide by the
# requests wrk completed. Prints every round and the median per binary.
#
# usage: scripts/bench_request_cpu.sh BIN [BASE_BIN]     env: ROUNDS=5 INPUT_BYTES=0
#   BASE_BIN  a previous steplocal to alternate with (the figure to compare against)
#   INPUT_BYTES  pad the execution input with a string of this many bytes (0: {"hello":"world","n":1})
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-5}
INPUT_BYTES=${INPUT_BYTES:-0}
[ $# -ge 1 ] || { echo "usage: $0 BIN [BASE_BIN]" >&2; exit 2; }
BINS=("$@")
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v perf >/dev/null || { echo "perf is needed (Debian: linux-perf)" >&2; exit 1; }

WORK=$(mktemp -d)
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
call() {  # call PORT ACTION JSON
    curl -sS -X POST "http://127.0.0.1:$1/" -H "Content-Type: application/x-amz-json-1.0" \
        -H "X-Amz-Target: AWSStepFunctions.$2" -d "$3"
}

# measure BIN: prints microseconds of server CPU per request
measure() {
    local bin=$1 port
    port=$(free_port)
    "$bin" serve --port "$port" >/dev/null 2>&1 &
    SERVER=$!
    for _ in $(seq 100); do curl -s "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.05; done
    local def='{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Next\":\"B\"},\"B\":{\"Type\":\"Pass\",\"Next\":\"C\"},\"C\":{\"Type\":\"Pass\",\"End\":true}}}'
    local sm
    sm=$(call "$port" CreateStateMachine "{\"name\":\"bench3pass\",\"type\":\"EXPRESS\",\"roleArn\":\"arn:aws:iam::123456789012:role/bench\",\"definition\":\"$def\"}" \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["stateMachineArn"])')
    python3 -c 'import json,sys
pad = int(sys.argv[2])
payload = {"hello": "world", "n": 1} if pad == 0 else {"blob": "x" * pad}
print(json.dumps({"stateMachineArn": sys.argv[1], "input": json.dumps(payload)}))' "$sm" "$INPUT_BYTES" >"$WORK/body.json"
    cat >"$WORK/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
wrk.headers["X-Amz-Target"] = "AWSStepFunctions.StartSyncExecution"
local f = io.open("$WORK/body.json", "rb"); wrk.body = f:read("*a"); f:close()
LUA
    wrk -t2 -c16 -d2s -s "$WORK/post.lua" "http://127.0.0.1:$port/" >/dev/null
    perf stat -e task-clock -x, -p "$SERVER" -o "$WORK/stat.txt" -- sleep 5 &
    local stat=$!
    sleep 0.2
    local requests
    requests=$(wrk -t2 -c16 -d4s -s "$WORK/post.lua" "http://127.0.0.1:$port/" | awk '/requests in/ {print $1}')
    wait "$stat"
    kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
    local cpu_ms
    cpu_ms=$(grep task-clock "$WORK/stat.txt" | cut -d, -f1)
    python3 -c "print(f'{$cpu_ms * 1000 / $requests:.1f}')"
}

declare -A RESULTS
for round in $(seq "$ROUNDS"); do
    for bin in "${BINS[@]}"; do
        us=$(measure "$bin")
        RESULTS[$bin]="${RESULTS[$bin]:-} $us"
        echo "round $round: $bin: $us us CPU/request"
    done
done
for bin in "${BINS[@]}"; do
    median=$(printf '%s\n' ${RESULTS[$bin]} | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    echo "median: $bin: $median us CPU/request over $ROUNDS rounds (${RESULTS[$bin]# })"
done
