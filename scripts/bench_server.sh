#!/usr/bin/env bash
# Benchmark (not a test) of `steplocal serve`, loopback only, bounded in time:
#   1. start-up time to the first answered GET /health (median of STARTS starts), and idle RSS (from /proc);
#   2. StartSyncExecution requests/s of a 3-Pass EXPRESS state machine, with wrk, ROUNDS times;
#   3. in the same run, the ceiling: a bare Hummingbird handler that reads the same request and answers a
#      fixed body of the same size as the real answer (`steplocal-ceiling --response-bytes N`, built
#      beside BIN by `swift build -c release --product steplocal-ceiling`, or BARE_BIN=<executable
#      taking --port>), measured alternately with 2.
#      in each round, so load from elsewhere on the machine weighs on both alike;
#   and prints the ratios against the issue's targets (>= 75 % of the ceiling since issue 16, < 20 ms since issue 16, < 40 MB).
#
# usage: scripts/bench_server.sh [BIN]     (default: a release build in .build-release, built if missing)
#   env: DURATION=10s THREADS=2 CONNECTIONS=16 ROUNDS=3 STARTS=5 BARE_BIN=...
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-16}
ROUNDS=${ROUNDS:-3}
STARTS=${STARTS:-5}
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

# --- steplocal: start-up (median of STARTS cold starts), idle RSS ---
STARTUPS=()
for _ in $(seq "$STARTS"); do
    SPORT=$(free_port)
    read -r SPID SMS < <(start_and_time "$SPORT" "$BIN" serve --port "$SPORT")
    STARTUPS+=("$SMS")
    kill "$SPID"; wait "$SPID" 2>/dev/null || true
done
PORT=$(free_port)
read -r PID LAST_MS < <(start_and_time "$PORT" "$BIN" serve --port "$PORT")
PIDS+=("$PID")
STARTUPS+=("$LAST_MS")
STARTUP_MS=$(printf '%s\n' "${STARTUPS[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
sleep 1
IDLE_RSS=$(rss_mb "$PID")
echo "start-up to first answered request: median ${STARTUP_MS} ms of ${#STARTUPS[@]} starts (${STARTUPS[*]}) (target < 20 ms, issue 16)"
echo "idle RSS after start-up: ${IDLE_RSS} MB (target < 40 MB)"

DEF='{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Next\":\"B\"},\"B\":{\"Type\":\"Pass\",\"Next\":\"C\"},\"C\":{\"Type\":\"Pass\",\"End\":true}}}'
SM=$(call "$PORT" CreateStateMachine "{\"name\":\"bench3pass\",\"type\":\"EXPRESS\",\"roleArn\":\"arn:aws:iam::123456789012:role/bench\",\"definition\":\"$DEF\"}" \
     | python3 -c 'import json,sys; print(json.load(sys.stdin)["stateMachineArn"])')
printf '{"stateMachineArn":"%s","input":"{\\"hello\\":\\"world\\",\\"n\\":1}"}' "$SM" >"$WORK/body.json"
call "$PORT" StartSyncExecution "$(cat "$WORK/body.json")" >"$WORK/answer.json"
ANSWER_BYTES=$(wc -c <"$WORK/answer.json")
echo "sample answer (${ANSWER_BYTES} bytes): $(head -c 300 "$WORK/answer.json")"

# --- the ceiling: a bare Hummingbird handler, same request, same answer size, started beside it ---
CEIL_CMD=()
if [ -n "${BARE_BIN:-}" ]; then
    CEIL_CMD=("$BARE_BIN")
elif [ -x "$(dirname "$BIN")/steplocal-ceiling" ]; then
    CEIL_CMD=("$(dirname "$BIN")/steplocal-ceiling" --response-bytes "$ANSWER_BYTES")
fi
CPORT=""
if [ ${#CEIL_CMD[@]} -gt 0 ]; then
    CPORT=$(free_port)
    read -r CPID _ < <(start_and_time "$CPORT" "${CEIL_CMD[@]}" --port "$CPORT")
    PIDS+=("$CPID")
    # Like for like: the ceiling must answer as many bytes as StepLocal's real answer.
    CEIL_BYTES=$(call "$CPORT" StartSyncExecution "$(cat "$WORK/body.json")" | wc -c)
    if [ "$CEIL_BYTES" != "$ANSWER_BYTES" ]; then
        echo "ceiling answers $CEIL_BYTES bytes where StepLocal answers $ANSWER_BYTES: not like for like" >&2
        exit 1
    fi
else
    echo "ceiling: NOT MEASURED: no steplocal-ceiling beside $BIN (swift build -c release --product steplocal-ceiling) and no BARE_BIN" >&2
    exit 1
fi

# --- ROUNDS alternating wrk runs (StartSyncExecution, then the ceiling), so load from elsewhere hits both alike ---
RATES=(); CEILS=()
for round in $(seq "$ROUNDS"); do
    echo "round $round: StartSyncExecution, 3-Pass EXPRESS:"
    RATES+=("$(wrk_rps "$PORT" "$WORK/body.json")")
    echo "  => ${RATES[-1]} req/s; RSS $(rss_mb "$PID") MB"
    if [ -n "$CPORT" ]; then
        echo "round $round: ceiling (bare Hummingbird handler, same request, ${ANSWER_BYTES}-byte answer):"
        CEILS+=("$(wrk_rps "$CPORT" "$WORK/body.json")")
        echo "  => ${CEILS[-1]} req/s"
    fi
done
python3 - "${RATES[*]}" "${CEILS[*]:-}" <<'PY'
import statistics, sys
rates = [float(x) for x in sys.argv[1].split()]
ceils = [float(x) for x in sys.argv[2].split()] if len(sys.argv) > 2 and sys.argv[2].strip() else []
print(f"StartSyncExecution: median {statistics.median(rates):.0f} req/s over {len(rates)} rounds ({', '.join(f'{r:.0f}' for r in rates)})")
if ceils:
    print(f"ceiling: median {statistics.median(ceils):.0f} req/s ({', '.join(f'{c:.0f}' for c in ceils)})")
    per_round = [r / c for r, c in zip(rates, ceils)]
    print(f"ratio StartSyncExecution / ceiling: {statistics.median(rates) / statistics.median(ceils):.1%} of medians; "
          f"per round {', '.join(f'{x:.1%}' for x in per_round)} (target >= 75 %, issue 16)")
PY

python3 - "$STARTUP_MS" "$IDLE_RSS" <<'PY'
import sys
startup, rss = float(sys.argv[1]), float(sys.argv[2])
print(f"ratio start-up / target: {startup / 20:.2f} (<= 1 meets < 20 ms)")
print(f"ratio idle RSS / target: {rss / 40:.2f} (<= 1 meets < 40 MB)")
PY
