#!/usr/bin/env bash
# StepLocal's JSONata evaluator against jsonata-js (the reference implementation) on the
# expressions of ../shared/jsonata-js/expressions.json, over the same input, measured alternately
# in one session: each round runs every expression with steplocal-bench, then (optionally) with a
# previous steplocal-bench, then jsonata-js's own benchmark. Prints each round, then the median
# evaluations/s per expression and the ratios. Everything is pinned to one core.
#
# usage: scripts/bench_jsonata_js.sh [--bench BIN] [--base BIN] [--rounds N] [--runs N] [--js-runs N] [--cpu C]
#   --bench   steplocal-bench to measure (default .build/release/steplocal-bench)
#   --base    a previous steplocal-bench to compare with (run with --quick, 1,000 evaluations,
#             since binaries before STEPLOCAL_BENCH_RUNS cannot be told a count)
#   --rounds  rounds (default 3); --runs evaluations per StepLocal measurement (default 20000);
#   --js-runs evaluations per jsonata-js measurement (default 10000); --cpu core (default 1)
set -euo pipefail
cd "$(dirname "$0")/.."
bench=.build/release/steplocal-bench
base=""
rounds=3
runs=20000
js_runs=10000
cpu=1
while [ $# -gt 0 ]; do
    case "$1" in
        --bench) bench=$2; shift 2 ;;
        --base) base=$2; shift 2 ;;
        --rounds) rounds=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --js-runs) js_runs=$2; shift 2 ;;
        --cpu) cpu=$2; shift 2 ;;
        *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
done
js_dir=../shared/jsonata-js
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mapfile -t exprs < <(node -e 'for (const e of require(process.argv[1])) console.log(e)' "$(realpath "$js_dir/expressions.json")")

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$rounds"); do
    for i in "${!exprs[@]}"; do
        STEPLOCAL_BENCH_RUNS=$runs STEPLOCAL_BENCH_EXPRESSION="${exprs[$i]}" taskset -c "$cpu" "$bench" --jsonata \
            | sed -E 's/.*: ([0-9]+) evaluations.*/\1/' >> "$out/new.$i"
    done
    if [ -n "$base" ]; then
        for i in "${!exprs[@]}"; do
            STEPLOCAL_BENCH_EXPRESSION="${exprs[$i]}" taskset -c "$cpu" "$base" --jsonata --quick \
                | sed -E 's/.*: ([0-9]+) evaluations.*/\1/' >> "$out/base.$i"
        done
    fi
    (cd "$js_dir" && taskset -c "$cpu" node jsonata_js_bench.js . "$js_runs") > "$out/js.round"
    for i in "${!exprs[@]}"; do sed -n "$((i + 1))p" "$out/js.round" | cut -f1 >> "$out/js.$i"; done
    echo "round $r done (load $(cut -d' ' -f1 /proc/loadavg))"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

median() { sort -n "$1" | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
echo
echo "evaluations/s (CPU time), median of $rounds rounds; StepLocal $runs evaluations per measurement${base:+ (base: 1,000)}, jsonata-js $js_runs"
printf '| %-70s | %9s | %9s | %9s | %8s | %8s |\n' "expression" "base" "new" "jsonata-js" "new/base" "new/js"
for i in "${!exprs[@]}"; do
    n=$(median "$out/new.$i"); j=$(median "$out/js.$i")
    if [ -n "$base" ]; then b=$(median "$out/base.$i"); else b=""; fi
    printf '| %-70s | %9s | %9s | %9s | %8s | %8s |\n' "\`${exprs[$i]}\`" "${b:--}" "$n" "$j" \
        "$([ -n "$b" ] && awk -v n="$n" -v b="$b" 'BEGIN {printf "%.1f×", n / b}' || echo -)" \
        "$(awk -v n="$n" -v j="$j" 'BEGIN {printf "%.1f×", n / j}')"
    echo "    rounds: new $(paste -sd' ' "$out/new.$i")${base:+; base $(paste -sd' ' "$out/base.$i")}; js $(paste -sd' ' "$out/js.$i")"
done
