"""Terraform variable inputs given on the command line and in the environment reach the
evaluator, with terraform's precedence: env < tfvars < --var-file / --var in order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ddb_guard.cli import main

TABLE = """variable "pitr" {}

resource "aws_dynamodb_table" "t" {
  name     = "t"
  hash_key = "pk"
  point_in_time_recovery {
    enabled = var.pitr
  }
}
"""


def outcome(tmp_path: Path, monkeypatch, *args: str, env: dict[str, str] | None = None) -> str:
    (tmp_path / "main.tf").write_text(TABLE)
    monkeypatch.chdir(tmp_path)
    for k, v in (env or {}).items():
        monkeypatch.setenv(k, v)
    result = CliRunner().invoke(main, ["scan", "--format", "json", *args, "main.tf"])
    found = [
        f["outcome"] for f in json.loads(result.stdout)["findings"] if f["rule_id"] == "DDB001"
    ]
    return found[0] if found else "pass"


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        ((), None, "unknown"),
        (("--var", "pitr=true"), None, "pass"),
        (("--var", "pitr=false"), None, "fail"),
        ((), {"TF_VAR_pitr": "true"}, "pass"),
        (("--var", "pitr=false"), {"TF_VAR_pitr": "true"}, "fail"),
        (("--var-file", "on.tfvars"), None, "pass"),
        (("--var-file", "on.tfvars", "--var", "pitr=false"), None, "fail"),
    ],
)
def test_variable_sources(tmp_path: Path, monkeypatch, args, env, expected):
    (tmp_path / "on.tfvars").write_text("pitr = true\n")
    assert outcome(tmp_path, monkeypatch, *args, env=env) == expected


def test_missing_var_file_is_a_usage_error(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "main.tf").write_text(TABLE)
    result = CliRunner().invoke(main, ["scan", "--var-file", "nope.tfvars", "."])
    assert result.exit_code == 2
