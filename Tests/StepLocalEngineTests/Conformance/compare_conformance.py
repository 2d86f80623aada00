#!/usr/bin/env python3
"""Compares StepLocal engine results with the AWS recordings in ../shared/conformance.

The Swift conformance test runs every case through the engine in-process and writes one JSON
line per case ({"id", "status", "output" (JSON text or null), "error", "cause", "history_types"}).
This script normalises those answers with the corpus's own Normaliser (run_corpus.py), exactly
as it does for a server, and prints one line per failing case and a closing
"N passed, N failed" line per query language and in total.
"""
import json
import sys
from pathlib import Path


def main() -> int:
    corpus_file, results_file, report_file = sys.argv[1], sys.argv[2], sys.argv[3]
    sys.path.insert(0, str(Path(corpus_file).resolve().parent))
    import run_corpus  # the corpus's own normaliser and matcher

    cases = {}
    for line in open(corpus_file):
        case = json.loads(line)
        cases[case["id"]] = case
    totals = {}
    failures = []
    history_totals = {}
    history_failures = []
    for line in open(results_file):
        r = json.loads(line)
        case = cases[r["id"]]
        lang = case.get("query_language", "JSONPath")
        n = run_corpus.Normaliser(case, r["sm_name"], r["exec_name"], "123456789012", "us-east-1", run_corpus.ROLE_ARN)
        exp = case["expected"]
        problems = []
        if r["status"] != exp["status"]:
            problems.append(f"status {r['status']} != {exp['status']}")
        if exp.get("output") is not None or r.get("output") is not None:
            actual = n.output(r.get("output"))
            if exp.get("output") is not None and not run_corpus.matches(exp["output"], actual):
                problems.append(f"output {run_corpus.short(actual)} != {run_corpus.short(exp['output'])}")
        if exp.get("error") is not None and not run_corpus.matches(exp["error"], n.plain(r.get("error"))):
            problems.append(f"error {r.get('error')!r} != {exp['error']!r}")
        if exp.get("cause") is not None and not run_corpus.matches(exp["cause"], n.cause(r.get("cause"))):
            problems.append(f"cause {run_corpus.short(r.get('cause'))!r} != {run_corpus.short(exp['cause'])!r}")
        expected_types = case.get("history_types")
        if expected_types and case.get("execution") != "sync":
            types = r.get("history_types") or []
            if case.get("history_parallel_sorted"):
                same = sorted(run_corpus.parallel_segments_like_snapshot(types)) == sorted(expected_types)
            else:
                same = types == expected_types
            h = history_totals.setdefault(lang, [0, 0])
            if same:
                h[0] += 1
            else:
                h[1] += 1
                history_failures.append(f"HISTORY {r['id']}: expected {run_corpus.short(expected_types, 300)}, got {run_corpus.short(types, 300)}")
        t = totals.setdefault(lang, [0, 0])
        if problems:
            t[1] += 1
            failures.append(f"FAIL {r['id']}: {'; '.join(problems)}")
        else:
            t[0] += 1
    with open(report_file, "w") as out:
        for f in failures:
            out.write(f + "\n")
        for lang, (p, f) in sorted(totals.items()):
            out.write(f"{lang}: {p} passed, {f} failed\n")
        p = sum(t[0] for t in totals.values())
        f = sum(t[1] for t in totals.values())
        out.write(f"conformance: {p} passed, {f} failed\n")
        for line in history_failures:
            out.write(line + "\n")
        for lang, (p, f) in sorted(history_totals.items()):
            out.write(f"history event types {lang}: {p} passed, {f} failed\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
