#!/usr/bin/env python3
"""Writes the fuzzers' committed seed corpus (Tests/Fuzz/corpus/<target>/): small valid inputs of
every shape each reader knows, plus the deep-nesting inputs that once overflowed the stack, so
libFuzzer starts from the interesting places instead of rediscovering them. Re-run after changing
the seeds; the output is committed."""
import json, os, sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fuzz", "corpus")
conformance = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "conformance", "pure.jsonl")

def write(target, name, text):
    folder = os.path.join(root, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
        f.write(text)

doc = {"a": [1, 2.5, -3e2, True, False, None, "s\u00e9\n\"q\""], "b": {"c": {"d": [{"e": 1}, {"e": 2}]}}, "items": [{"sku": "x", "price": 12, "qty": 2}, {"sku": "y", "price": 5, "qty": 1}]}
write("json", "document.json", json.dumps(doc))
write("json", "numbers.json", "[0,-0,1e400,1.5E-7,12345678901234567890,0.1]")
write("json", "escapes.json", '"\\u0000\\ud83d\\ude00\\t\\/"')
write("json", "deep-arrays.json", "[" * 20000 + "]" * 20000)
write("json", "deep-objects.json", '{"a":' * 5000 + "1" + "}" * 5000)

jsonata = {
    "path.jsonata": "items[price > 10].{'sku': sku, 'total': price * qty}",
    "functions.jsonata": "$map(items, function($v, $i){ $uppercase($v.sku) & $string($i) })",
    "grouping.jsonata": "items{sku: $sum(price)}^(>$)",
    "regex.jsonata": "$replace('abcabc', /b(c)?/, '$1')",
    "recursion.jsonata": "($f := function($n){ $n <= 1 ? 1 : $n * $f($n - 1) }; $f(10))",
    "transform.jsonata": "$ ~> |items|{'flag': true}, ['qty']|",
    "dates.jsonata": "$fromMillis(0, '[Y0001]-[M01]-[D01]') & $formatNumber(1234.5, '#,##0.00')",
    "long-chain.jsonata": "+".join(["1"] * 5000),
    "deep-parens.jsonata": "(" * 5000 + "1" + ")" * 5000,
    "wrapping-loop.jsonata": "$reduce([1..10000], function($a, $v){ {'a': $a} }, {})",
    "string-doubling.jsonata": "$reduce([1..40], function($a, $v){ $a & $a }, 'x')",
    "catastrophic-regex.jsonata": "$match('" + "a" * 40 + "b', /(.*a){12}$/)",
}
for name, expression in jsonata.items():
    write("jsonata", name, expression + "\n" + json.dumps(doc))

jsonpath = {
    "simple.jsonpath": "$.b.c.d[0].e",
    "filter.jsonpath": "$.items[?(@.price > 10 && @.sku =~ /x.*/)].sku",
    "slices.jsonpath": "$.a[1:-1:2]",
    "deep-scan.jsonpath": "$..e",
    "union.jsonpath": "$['a','b'][0,1]",
    "functions.jsonpath": "$.a.length()",
    "long-path.jsonpath": "$" + ".a" * 5000,
    "deep-filter.jsonpath": "$[?(" + "(" * 5000 + "@.a == 1" + ")" * 5000 + ")]",
    "long-and-chain.jsonpath": "$[?(" + " && ".join(["@.a == 1"] * 2000) + ")]",
    "deep-list.jsonpath": "$[?(@.a in " + "[" * 5000 + "1" + "]" * 5000 + ")]",
}
for name, path in jsonpath.items():
    write("jsonpath", name, path + "\n" + json.dumps(doc))

def nested_parallel(levels):
    d = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
    for _ in range(levels):
        d = {"StartAt": "P", "States": {"P": {"Type": "Parallel", "Branches": [d], "End": True}}}
    return d

write("definition", "nested-parallel-100.asl.json", json.dumps(nested_parallel(100)))
write("definition", "nested-parallel-1000.asl.json", '{"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[' * 1000 + '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}' + "]," + '"End":true}}}' * 1000)
write("definition", "intrinsics.asl.json", json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"x.$": "States.Format('{}', States.Array(States.MathAdd($.a, 1), States.UUID()))"}, "End": True}}}))
count = 0
if os.path.exists(conformance):
    with open(conformance, encoding="utf-8") as f:
        for index, line in enumerate(f):
            case = json.loads(line)
            definition = case.get("definition")
            if isinstance(definition, dict) and index % 10 == 0 and count < 45:
                write("definition", f"conformance-{count:02d}.asl.json", json.dumps(definition))
                count += 1
else:
    sys.exit("missing " + conformance + ": the definition seeds come from the shared conformance corpus")
print("seeds written under", os.path.normpath(root))
