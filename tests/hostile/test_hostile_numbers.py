"""Non-finite and out-of-range numbers are rejected where they come in (exit 2, named)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hostile_helpers import TABLE_TF, run_cli

from ddb_guard.report.safe import finite


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "main.tf").write_text(TABLE_TF)
    return tmp_path


def _config(repo: Path, text: str) -> None:
    (repo / ".ddb-guard.toml").write_text(text)


@pytest.mark.parametrize(
    ("setup", "named"),
    [
        (lambda r: None, "--table-size orders="),
        (lambda r: _config(r, '[tables."orders"]\nsize_gb = nan\n'), "size_gb"),
        (lambda r: _config(r, '[tables."orders"]\nsize_gb = 1e300\n'), "size_gb"),
        (lambda r: _config(r, "[pricing.us-east-1]\nbackup_warm = inf\n"), "backup_warm"),
        (lambda r: _config(r, "[rules.BKP002]\nmax_copies = nan\n"), "max_copies"),
        (lambda r: _config(r, "[rules.BKP002]\nmax_copies = -inf\n"), "max_copies"),
    ],
)
@pytest.mark.parametrize("command", ["scan", "cost"])
def test_bad_numbers_exit_2_naming_the_input(repo: Path, setup, named: str, command: str):
    if command == "cost" and named == "max_copies":
        pytest.skip("cost runs no rules")
    setup(repo)
    args = ["--table-size", "orders=" + "9" * 400] if named.startswith("--table-size") else []
    result = run_cli(repo, command, *args, ".")
    assert result.exit_code == 2, result.output
    assert named in result.output
    assert "9" * 100 not in result.output  # the value is shortened


@pytest.mark.parametrize("value", ["1e400", "NaN", "Infinity"])
def test_describe_table_sizes_must_be_finite(repo: Path, value: str):
    (repo / "describe.json").write_text(
        '{"Table": {"TableName": "orders", "TableSizeBytes": ' + value + "}}"
    )
    result = run_cli(repo, "scan", "--table-sizes", "describe.json", "--format", "sarif", ".")
    assert result.exit_code == 2, result.output
    assert "describe.json: TableSizeBytes" in result.output


def test_usage_file_sizes_must_be_finite(repo: Path):
    (repo / "usage.yml").write_text(
        "resource_usage:\n  aws_dynamodb_table.orders:\n    storage_gb: .inf\n"
    )
    result = run_cli(repo, "cost", "--usage-file", "usage.yml", ".")
    assert result.exit_code == 2 and "storage_gb" in result.output


def test_json_reports_never_write_nan():
    doc = finite({"a": [math.nan, 1.5, {"b": math.inf}], "c": -math.inf})
    assert json.loads(json.dumps(doc, allow_nan=False)) == {
        "a": [None, 1.5, {"b": None}],
        "c": None,
    }
