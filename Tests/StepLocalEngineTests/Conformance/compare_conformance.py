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


# Detail members the snapshot library stored parsed when they held a JSON object (or array).
PARSED_MEMBERS = {"input", "output", "parameters", "result", "cause"}


def like_snapshot_text(text, recorded=None):
    """JSON text as the snapshot library stored it: text that starts like an object (`{`) is
    parsed (localstack-snapshot's `_transform_dict_to_parseable_values`); an array of objects
    (`[{`) only where the test added a `JsonStringTransformer`, which the recording shows (it holds
    the text when the test did not); anything else is kept as text."""
    if not isinstance(text, str) or not (text.startswith("{") or text.startswith("[{")):
        return text
    if text.startswith("[") and isinstance(recorded, str):
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


def snapshot_like(event: dict, recorded: dict) -> dict:
    """Our event as the snapshot library stored AWS's `recorded` one (see like_snapshot_text):
    payload members and each assigned variable's JSON text; the timestamp is a placeholder."""
    out = {}
    for key, value in event.items():
        if key == "timestamp":
            out[key] = "timestamp"
        elif isinstance(value, dict):
            details = {}
            recorded_details = recorded.get(key) if isinstance(recorded.get(key), dict) else {}
            for k, v in value.items():
                if k in PARSED_MEMBERS:
                    v = like_snapshot_text(v, recorded_details.get(k))
                elif k == "assignedVariables" and isinstance(v, dict):
                    recorded_variables = recorded_details.get(k) if isinstance(recorded_details.get(k), dict) else {}
                    v = {name: like_snapshot_text(text, recorded_variables.get(name)) for name, text in v.items()}
                details[k] = v
            out[key] = details
        else:
            out[key] = value
    return out


def compare_details(run_corpus, normaliser, expected_events, actual_events):
    """The first event whose details differ after normalisation, or None."""
    if len(expected_events) != len(actual_events):
        return f"{len(actual_events)} events, AWS recorded {len(expected_events)}"
    for expected, actual in zip(expected_events, actual_events):
        shaped = snapshot_like(actual, expected)
        normaliser._walk(shaped)
        normalised = json.loads(normaliser._text(json.dumps(shaped)))
        if not run_corpus.matches(expected, normalised):
            return f"event {expected.get('id')} {expected.get('type')}: expected {run_corpus.short(expected, 400)}, got {run_corpus.short(normalised, 400)}"
    return None


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
    detail_totals = {}
    detail_failures = []
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
        actual_cause = n.cause(r.get("cause"))
        if not isinstance(exp.get("cause"), str):
            # A cause holding a JSON object was stored parsed, as the snapshot library parses
            # every text that starts with "{": ours is compared the same way.
            actual_cause = like_snapshot_text(actual_cause)
        if exp.get("cause") is not None and not run_corpus.matches(exp["cause"], actual_cause):
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
        if case.get("history") and case.get("execution") != "sync" and not case.get("history_parallel_sorted"):
            d = detail_totals.setdefault(lang, [0, 0])
            difference = compare_details(run_corpus, n, case["history"], r.get("history") or [])
            if difference is None:
                d[0] += 1
            else:
                d[1] += 1
                detail_failures.append(f"DETAILS {r['id']}: {difference}")
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
        for line in detail_failures:
            out.write(line + "\n")
        for lang, (p, f) in sorted(detail_totals.items()):
            out.write(f"history event details {lang}: {p} passed, {f} failed\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
