"""The forked worker used on large scans gives exactly the result of a sequential scan."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from ddb_guard.context import ScanContext
from ddb_guard.pipeline import scan
from ddb_guard.report import ReportOptions, get_reporter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from benchmark import make_tree


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
@pytest.mark.parametrize("files", [140, 200])
def test_parallel_scan_equals_sequential(tmp_path: Path, monkeypatch, files: int):
    make_tree(tmp_path, files)
    if files == 200:  # templates only: the worker takes half of them
        import shutil

        shutil.rmtree(tmp_path / "terraform")
    monkeypatch.chdir(tmp_path)

    def run(jobs: str) -> str:
        monkeypatch.setenv("DDB_GUARD_JOBS", jobs)
        result = scan([Path(".")], ScanContext(root=tmp_path, env={}))
        return get_reporter("sarif").render(result, ReportOptions())

    from ddb_guard import parallel as par

    started = []
    real = par.Worker

    class Spy(real):
        def __init__(self, job):
            started.append(1)
            super().__init__(job)

    monkeypatch.setattr(par, "Worker", Spy)
    parallel, sequential = run("2"), run("1")
    assert started == [1], "the worker should run exactly once (only for the first scan)"
    assert parallel == sequential
    assert '"ruleId": "DDB001"' in parallel
