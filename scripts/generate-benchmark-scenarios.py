#!/usr/bin/env python3
"""Generates N scenario cases (default 1,000) over the order-processing example for timing
`steplocal test`. Usage:
    scripts/generate-benchmark-scenarios.py OUT_DIR [N]
    time .build/release/steplocal test OUT_DIR
Cases cycle through the five example paths (happy, declined, out of stock, transient failures with
retry back-offs, permanent failure caught), ten cases per file."""
import json, os, shutil, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
out = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
os.makedirs(os.path.join(out, "definitions"), exist_ok=True)
shutil.copy(os.path.join(root, "scenarios/definitions/order-processing.asl.json"), os.path.join(out, "definitions"))

def ok(payload): return {"return": {"StatusCode": 200, "Payload": payload}}
stock = {"return": {"Item": {"quantity": {"N": "7"}}}}
happy = {
    "ValidateOrder": ok({"valid": True, "total": 10}), "CheckStock": stock,
    "ChargePayment": ok({"status": "approved", "chargeId": "ch"}), "ShipOrder": {"return": {}},
    "SendConfirmation": {"return": {}}, "RecordAnalytics": {"return": {}}, "RecordOrder": {"return": {}},
    "NotifyFailure": {"return": {}},
}
def case(i):
    order = {"orderId": f"o-{i}", "sku": "S", "quantity": 2}
    kind = i % 5
    if kind == 0:
        return {"name": f"happy {i}", "input": order, "mocks": happy, "expect": {"output": {"status": "approved", "chargeId": "ch"}}}
    if kind == 1:
        m = dict(happy, ChargePayment=ok({"status": "declined", "chargeId": "x"}))
        return {"name": f"declined {i}", "input": order, "mocks": m, "expect": {"error": "PaymentDeclined"}}
    if kind == 2:
        return {"name": f"out of stock {i}", "input": dict(order, quantity=9), "mocks": happy, "expect": {"error": "OutOfStock"}}
    if kind == 3:
        m = dict(happy, ValidateOrder=[{"throw": {"error": "Lambda.ServiceException"}}] * 2 + [ok({"valid": True, "total": 10})])
        return {"name": f"transient {i}", "input": order, "mocks": m, "expect": {"calls": {"ValidateOrder": 3}}}
    m = dict(happy, ChargePayment={"throw": {"error": "Lambda.ServiceException", "cause": "down"}})
    return {"name": f"permanent {i}", "input": order, "mocks": m, "expect": {"error": "OrderFailed", "calls": {"ChargePayment": 5}}}

per_file = 10
for start in range(0, count, per_file):
    cases = [case(i) for i in range(start, min(start + per_file, count))]
    doc = {"name": f"bench {start // per_file}", "stateMachine": "OrderProcessing",
           "definition": "definitions/order-processing.asl.json", "cases": cases}
    with open(os.path.join(out, f"bench-{start // per_file:04d}.json"), "w") as f:
        json.dump(doc, f)
print(f"wrote {count} cases to {out}")
