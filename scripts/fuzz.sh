#!/usr/bin/env bash
# Coverage-guided fuzzing with libFuzzer (Tests/Fuzz/steplocal-fuzz): the JSON parser, JSONata,
# JSONPath and definition loading, each for SECONDS (default 60), starting from the committed
# seed corpus in Tests/Fuzz/corpus/<target>. Inputs libFuzzer finds go to a scratch corpus, never
# into the repository; a crash leaves its input in .build-fuzz/crashes/ and fails the script.
#   bash scripts/fuzz.sh [SECONDS] [TARGET...]
# Replay a saved input without libFuzzer:
#   STEPLOCAL_FUZZ_TARGET=jsonata swift run steplocal-fuzz .build-fuzz/crashes/crash-...
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(json jsonata jsonpath definition)

for target in "${targets[@]}"; do
    [ -d "Tests/Fuzz/corpus/$target" ] || { echo "fuzz: no seed corpus Tests/Fuzz/corpus/$target"; exit 2; }
done

scratch=.build-fuzz
swift build --product steplocal-fuzz --scratch-path "$scratch" \
    -Xswiftc -sanitize=fuzzer -Xswiftc -DSTEPLOCAL_LIBFUZZER -Xswiftc -use-ld=lld
binary="$(swift build --product steplocal-fuzz --scratch-path "$scratch" --show-bin-path)/steplocal-fuzz"

mkdir -p "$scratch/crashes"
failed=0
passed=0
for target in "${targets[@]}"; do
    corpus="$scratch/corpus/$target"
    mkdir -p "$corpus"
    echo "=== fuzz $target for ${seconds}s"
    # -timeout: one input may not take 10 s (our evaluations stop at 0.05 s here);
    # -rss_limit_mb: nor grow the process past 4 GiB; -max_len: inputs up to 128 KiB.
    if STEPLOCAL_FUZZ_TARGET="$target" "$binary" "$corpus" "Tests/Fuzz/corpus/$target" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=131072 \
        -artifact_prefix="$scratch/crashes/$target-" -print_final_stats=1 2>"$scratch/$target.log"; then
        passed=$((passed + 1))
        grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$scratch/$target.log" | sed "s/^/  $target /"
    else
        failed=$((failed + 1))
        echo "fuzz $target FAILED; last lines of $scratch/$target.log:"
        tail -40 "$scratch/$target.log"
    fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
