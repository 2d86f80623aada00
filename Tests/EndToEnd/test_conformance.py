"""The shared conformance corpus (AWS's recorded answers) run against the server through run_corpus.py.

Reports the counts; the pass-rate floor is STEPLOCAL_CONFORMANCE_MIN (a fraction), set from what the
engine achieves so that a regression fails CI. Raise it as the engine improves.
"""

import json
import os
import subprocess
import sys

import pytest

from conftest import REPO

CONFORMANCE = REPO.parent / "shared" / "conformance"
# Exact counts, not floors: a case that starts failing (or passing) must be noticed.
EXPECTED = {"JSONPath": (364, 0), "JSONata": (61, 0)}


def run_corpus(server, tmp_path, query_language):
    corpus = CONFORMANCE / "pure.jsonl"
    if not corpus.exists():
        pytest.fail(f"{corpus} not found (shared/ is expected beside the repository)")
    cases = [line for line in corpus.read_text().splitlines()
             if line.strip() and json.loads(line).get("query_language") == query_language]
    subset = tmp_path / f"pure-{query_language}.jsonl"
    subset.write_text("\n".join(cases) + "\n")
    summary = tmp_path / "summary.json"
    proc = subprocess.run(
        [sys.executable, str(CONFORMANCE / "run_corpus.py"), server.endpoint, str(subset), "--jobs", "4",
         "--timeout", "10", "--max-time", "600", "--history", "--quiet", "--json", str(summary)],
        capture_output=True, text=True, timeout=900,
    )
    if not summary.exists():
        pytest.fail(f"run_corpus.py wrote no summary (exit {proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return json.loads(summary.read_text()), proc


@pytest.mark.parametrize("query_language", ["JSONPath", "JSONata"])
def test_conformance_pure(server, tmp_path, query_language):
    doc, proc = run_corpus(server, tmp_path, query_language)
    passed, failed = doc["passed"], doc["failed"]
    total = passed + failed
    rate = passed / total if total else 0.0
    # Not the 'N passed, N failed' form on purpose: CI reads the last such line as the whole run's result.
    print(f"\nconformance pure.jsonl {query_language}: {passed}/{total} cases pass ({rate:.1%}) in {doc['seconds']}s")
    worst = sorted(((v["failed"], k) for k, v in doc["by_feature"].items() if v["failed"]), reverse=True)[:10]
    if worst:
        print("  most failures by feature: " + ", ".join(f"{k} {n}" for n, k in worst))
    for r in [r for r in doc["results"] if not r["passed"]][:15]:
        print(f"  FAIL {r['id']}: {'; '.join(r['problems'])[:200]}")
    assert server.alive(), "server died during the conformance run"
    assert (passed, failed) == EXPECTED[query_language], f"{passed} passed, {failed} failed"
