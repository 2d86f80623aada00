#!/usr/bin/env bash
# A 100,000-row CSV through ItemReader + ItemBatcher (100 a batch) + a Pass processor (EXPRESS
# children) + ResultWriter, with `steplocal run --s3-dir`: wall time and peak RSS per run.
# Usage: bash scripts/bench_item_reader.sh [STEPLOCAL_BINARY] [RUNS]
set -euo pipefail
BIN=${1:-.build/release/steplocal}
RUNS=${2:-3}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/data/orders" "$WORK/data/results"
python3 - "$WORK/data/orders/orders.csv" "${ROWS:-100000}" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("orderId,sku,quantity,price\n")
    for i in range(int(sys.argv[2])):
        f.write(f"o-{i},SKU-{i % 977},{1 + i % 5},{(i % 1000) / 10:.2f}\n")
PY
cat > "$WORK/batches.json" <<'JSON'
{"StartAt": "Price", "States": {"Price": {"Type": "Map",
  "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
                 "Parameters": {"Bucket": "orders", "Key": "orders.csv"}},
  "ItemBatcher": {"MaxItemsPerBatch": 100},
  "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
    "StartAt": "Count", "States": {"Count": {"Type": "Pass", "Parameters": {"n.$": "States.ArrayLength($.Items)"}, "End": true}}},
  "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "results", "Prefix": "run"}},
  "End": true}}}
JSON
for _ in $(seq "$RUNS"); do
  rm -rf "$WORK/data/results/"*
  /usr/bin/time -f "wall %e s, peak RSS %M KB" "$BIN" run "$WORK/batches.json" --s3-dir "$WORK/data" 2>&1 >/dev/null | tail -1
done
