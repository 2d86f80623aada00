#!/usr/bin/env bash
# A 100,000-row CSV through ItemReader + ItemBatcher (100 a batch) + a Pass processor (EXPRESS
# children) + ResultWriter, with `steplocal run --s3-dir`: wall time and peak RSS per run.
# Usage: [ROWS=100000] [BATCH=100] [INPUT=csv] bash scripts/bench_item_reader.sh [STEPLOCAL_BINARY] [RUNS]
# BATCH=0 runs one child per row (no ItemBatcher; each child a plain Pass). INPUT=json reads the
# same rows from a JSON array file (orders.json) instead of the CSV.
set -euo pipefail
BIN=${1:-.build/release/steplocal}
RUNS=${2:-3}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/data/orders" "$WORK/data/results"
INPUT=${INPUT:-csv}
python3 - "$WORK/data/orders" "${ROWS:-100000}" "$INPUT" <<'PY'
import json, sys
folder, rows, kind = sys.argv[1], int(sys.argv[2]), sys.argv[3]
if kind == "json":
    with open(f"{folder}/orders.json", "w") as f:
        f.write("[")
        for i in range(rows):
            row = {"orderId": f"o-{i}", "sku": f"SKU-{i % 977}", "quantity": str(1 + i % 5), "price": f"{(i % 1000) / 10:.2f}"}
            f.write(("," if i else "") + json.dumps(row, separators=(",", ":")))
        f.write("]")
else:
    with open(f"{folder}/orders.csv", "w") as f:
        f.write("orderId,sku,quantity,price\n")
        for i in range(rows):
            f.write(f"o-{i},SKU-{i % 977},{1 + i % 5},{(i % 1000) / 10:.2f}\n")
PY
if [ "$INPUT" = json ]; then
  READER='"ReaderConfig": {"InputType": "JSON"}, "Parameters": {"Bucket": "orders", "Key": "orders.json"}'
else
  READER='"ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"}, "Parameters": {"Bucket": "orders", "Key": "orders.csv"}'
fi
BATCH=${BATCH:-100}
if [ "$BATCH" -gt 0 ]; then
  BATCHER="\"ItemBatcher\": {\"MaxItemsPerBatch\": $BATCH},"
  PROCESSOR='"Count": {"Type": "Pass", "Parameters": {"n.$": "States.ArrayLength($.Items)"}, "End": true}'
else
  BATCHER=""
  PROCESSOR='"Count": {"Type": "Pass", "End": true}'
fi
cat > "$WORK/batches.json" <<JSON
{"StartAt": "Price", "States": {"Price": {"Type": "Map",
  "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", $READER},
  $BATCHER
  "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
    "StartAt": "Count", "States": {$PROCESSOR}},
  "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "results", "Prefix": "run"}},
  "End": true}}}
JSON
for _ in $(seq "$RUNS"); do
  rm -rf "$WORK/data/results/"*
  if ! /usr/bin/time -o "$WORK/time.txt" -f "wall %e s, peak RSS %M KB" "$BIN" run "$WORK/batches.json" --s3-dir "$WORK/data" >"$WORK/out.json"; then
    echo "the run failed: $(cat "$WORK/out.json")" >&2
    exit 1
  fi
  cat "$WORK/time.txt"
done
