"""Runs last (file order): every action of the service model was sent at least once by this session."""

from pathlib import Path

import pytest

from conftest import ALL_OPERATIONS, CALLED_OPERATIONS


def test_all_37_actions_driven(request):
    modules = {item.module.__name__ for item in request.session.items}
    files = {p.stem for p in Path(__file__).parent.glob("test_*.py")}
    if not files <= modules:
        pytest.skip("only meaningful when the whole suite runs")
    assert len(ALL_OPERATIONS) == 37
    missing = sorted(ALL_OPERATIONS - CALLED_OPERATIONS)
    assert not missing, f"actions never called: {missing}"
