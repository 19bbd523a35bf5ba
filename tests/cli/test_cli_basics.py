"""CLI surface that needs no scanned input: version, rules, explain, validate-rules, errors."""

from __future__ import annotations

import json

from click.testing import CliRunner

from ddb_guard import __version__
from ddb_guard.cli import main


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0 and __version__ in result.output


def test_rules_table_lists_every_rule_file():
    result = invoke("rules")
    assert result.exit_code == 0
    for rid in ("DDB001", "DDB002", "DDB003", "DDB004", "DDB005", "DDB006", "SUP001"):
        assert rid in result.output


def test_rules_json():
    doc = json.loads(invoke("rules", "--format", "json").output)
    ddb002 = next(r for r in doc if r["id"] == "DDB002")
    assert ddb002["params"] == {"min_days": 35} and ddb002["level"] == "warning"


def test_explain_shows_docs_sections():
    result = invoke("explain", "DDB001")
    assert result.exit_code == 0
    for heading in (
        "## What it does",
        "## Why it matters",
        "## How to fix it",
        "```hcl",
        "```yaml",
    ):
        assert heading in result.output


def test_explain_by_name_and_unknown():
    assert invoke("explain", "dynamodb-pitr-disabled").exit_code == 0
    result = invoke("explain", "DDB999")
    assert result.exit_code == 2 and "no rule 'DDB999'" in result.output


def test_validate_rules_shipped_rules_are_valid():
    result = invoke("validate-rules")
    assert result.exit_code == 0, result.output


def test_validate_rules_reports_problems(tmp_path):
    bad = tmp_path / "ABC123.yaml"
    bad.write_text("id: ABC124\nname: Bad Name\nseverity: fatal\n")
    result = invoke("validate-rules", str(bad))
    assert result.exit_code == 1
    assert "severity" in result.output and "name" in result.output


def test_bad_config_exits_2_with_file_and_key(tmp_path, monkeypatch):
    (tmp_path / ".ddb-guard.toml").write_text('fail_on = "error"\n')
    monkeypatch.chdir(tmp_path)
    result = invoke("scan", ".")
    assert result.exit_code == 2
    assert ".ddb-guard.toml: fail_on: unknown key" in result.output


def test_bad_var_option_exits_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("scan", "--var", "novalue", ".")
    assert result.exit_code == 2 and "expected NAME=VALUE" in result.output
