"""Helpers: run `ddb-guard cost` on a Terraform or CloudFormation text written to tmp_path."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ddb_guard.cli import main

PROVIDER = """
provider "aws" {
  region = "us-east-1"
}
"""


def cost(tmp_path: Path, files: dict[str, str], *args: str, fmt: str = "json") -> Any:
    """Write ``files`` under tmp_path, run `ddb-guard cost` there; JSON data or text."""
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["cost", str(tmp_path), "--format", fmt, *args], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout) if fmt == "json" else result.stdout


@pytest.fixture
def run_cost(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    return lambda files, *args, fmt="json": cost(tmp_path, files, *args, fmt=fmt)
