"""Snapshot tests of whole example projects: text and SARIF output, byte for byte.

Regenerate after an intended change, then review the diff:
``DDB_GUARD_UPDATE_SNAPSHOTS=1 pytest tests/test_examples.py``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ddb_guard.context import ScanContext
from ddb_guard.pipeline import scan
from ddb_guard.report import ReportOptions, get_reporter

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p for p in (REPO / "examples").iterdir() if p.is_dir())
SNAPSHOTS = Path(__file__).parent / "snapshots" / "examples"
UPDATE = os.environ.get("DDB_GUARD_UPDATE_SNAPSHOTS") == "1"


def render(example: Path, fmt: str) -> str:
    ctx = ScanContext(root=REPO, env={})
    result = scan([example.relative_to(REPO)], ctx)
    return get_reporter(fmt).render(result, ReportOptions())


def check_snapshot(name: str, actual: str) -> None:
    path = SNAPSHOTS / name
    if UPDATE or not path.exists():
        if not UPDATE:
            pytest.fail(f"no snapshot {path}; run with DDB_GUARD_UPDATE_SNAPSHOTS=1 to create it")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs from its snapshot"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_example_text_snapshot(example: Path, monkeypatch):
    monkeypatch.chdir(REPO)
    check_snapshot(f"{example.name}.txt", render(example, "text"))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_example_sarif_snapshot_and_schema(example: Path, monkeypatch, sarif_validator):
    monkeypatch.chdir(REPO)
    out = render(example, "sarif")
    errors = [e.message for e in sarif_validator.iter_errors(json.loads(out))]
    assert errors == []
    check_snapshot(f"{example.name}.sarif", out)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_example_has_findings_and_no_parse_errors(example: Path, monkeypatch):
    monkeypatch.chdir(REPO)
    result = scan([example.relative_to(REPO)], ScanContext(root=REPO, env={}))
    assert result.active, f"{example.name} should demonstrate findings"
    assert result.parse_errors == []


def test_output_is_byte_identical_across_runs(monkeypatch):
    monkeypatch.chdir(REPO)
    first = [render(e, "sarif") for e in EXAMPLES]
    second = [render(e, "sarif") for e in EXAMPLES]
    assert first == second
