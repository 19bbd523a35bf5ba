"""The gate around the findings (issue 7): repository-relative paths, configuration found
from the scanned path, case-insensitive rule ids, exit codes and output that always speak,
Terraform's -var/-var-file order, and suppressions as comments in YAML too."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from ddb_guard.cli import main

TABLE_TF = """resource "aws_dynamodb_table" "orders" {
  name     = "orders"
  hash_key = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}
"""

PITR_TF = """variable "pitr" {}

resource "aws_dynamodb_table" "t" {
  name     = "t"
  hash_key = "pk"
  point_in_time_recovery {
    enabled = var.pitr
  }
}
"""

TEMPLATE = """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  # ddb-guard:ignore DDB003 scratch table, recreated by every test run
  Scratch:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
  Other:
    Type: AWS::DynamoDB::Table
    Properties:
      # ddb-guard: ignore ddb001 restored from the event store
      BillingMode: PAY_PER_REQUEST
"""


def run(cwd: Path, monkeypatch, *args: str):
    monkeypatch.chdir(cwd)
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def findings(result) -> list[tuple[str, str]]:
    return [(f["rule_id"], f["address"]) for f in json.loads(result.stdout)["findings"]]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)  # found by walking up; git itself is not run
    (root / "infra").mkdir()
    (root / "infra" / "main.tf").write_text(TABLE_TF)
    return root


# --------------------------------------------------------------------------- paths


def _uris(doc: dict) -> set[tuple[str, str]]:
    return {
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"],
        )
        for r in doc["runs"][0]["results"]
    }


def test_sarif_and_github_paths_are_relative_to_the_repository_root(repo: Path, monkeypatch):
    result = run(repo / "infra", monkeypatch, "scan", ".", "--format", "sarif")
    doc = json.loads(result.stdout)
    assert _uris(doc) == {("infra/main.tf", "%SRCROOT%")}
    assert "%SRCROOT%" in doc["runs"][0]["originalUriBaseIds"]
    github = run(repo / "infra", monkeypatch, "scan", "main.tf", "--format", "github")
    assert "::error file=infra/main.tf,line=1," in github.stdout


def test_root_option_overrides_and_cwd_is_the_root_without_a_repository(
    repo: Path, tmp_path: Path, monkeypatch
):
    result = run(repo / "infra", monkeypatch, "scan", ".", "--format", "sarif", "--root", ".")
    assert _uris(json.loads(result.stdout)) == {("main.tf", "%SRCROOT%")}
    plain = tmp_path / "plain" / "infra"
    plain.mkdir(parents=True)
    (plain / "main.tf").write_text(TABLE_TF)
    result = run(plain.parent, monkeypatch, "scan", "infra", "--format", "sarif")
    assert _uris(json.loads(result.stdout)) == {("infra/main.tf", "%SRCROOT%")}
    missing = run(repo, monkeypatch, "scan", ".", "--root", "nope")
    assert missing.exit_code == 2


# --------------------------------------------------------------------------- configuration


def test_config_is_found_from_the_scanned_path_not_the_working_directory(
    repo: Path, tmp_path: Path, monkeypatch
):
    (repo / ".ddb-guard.toml").write_text('ignore = ["ddb003"]\nexclude = ["infra/legacy/**"]\n')
    (repo / "infra" / "legacy").mkdir()
    (repo / "infra" / "legacy" / "old.tf").write_text(TABLE_TF.replace("orders", "old"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run(elsewhere, monkeypatch, "scan", str(repo / "infra"), "--format", "json")
    assert findings(result) == [("DDB001", "aws_dynamodb_table.orders")]
    # the exclude glob is relative to the config file, and applies to files named
    # one by one (pre-commit names them)
    result = run(
        repo / "infra",
        monkeypatch,
        "scan",
        "legacy/old.tf",
        "main.tf",
        "--format",
        "json",
    )
    assert findings(result) == [("DDB001", "aws_dynamodb_table.orders")]


def test_config_falls_back_to_the_working_directory(tmp_path: Path, monkeypatch):
    (tmp_path / ".ddb-guard.toml").write_text('select = ["DDB003"]\n')
    scanned = tmp_path.parent / f"{tmp_path.name}-scanned"
    scanned.mkdir()
    (scanned / "main.tf").write_text(TABLE_TF)
    result = run(tmp_path, monkeypatch, "scan", str(scanned), "--format", "json")
    assert [rule for rule, _ in findings(result)] == ["DDB003"]


def test_both_config_files_in_one_directory_say_which_wins(repo: Path, monkeypatch):
    (repo / ".ddb-guard.toml").write_text('select = ["DDB001"]\n')
    (repo / "pyproject.toml").write_text('[tool.ddb-guard]\nselect = ["DDB003"]\n')
    result = run(repo, monkeypatch, "scan", "infra", "--format", "json")
    assert [rule for rule, _ in findings(result)] == ["DDB001"]
    assert "[tool.ddb-guard] is not used: .ddb-guard.toml" in result.stderr


# --------------------------------------------------------------------------- rule ids


def test_rule_ids_are_case_insensitive(repo: Path, monkeypatch):
    result = run(repo, monkeypatch, "scan", "infra", "--select", "ddb001", "--format", "json")
    assert [rule for rule, _ in findings(result)] == ["DDB001"]
    (repo / ".ddb-guard.toml").write_text('ignore = ["ddb001"]\n[rules.ddb003]\nlevel = "note"\n')
    doc = json.loads(run(repo, monkeypatch, "scan", "infra", "--format", "json").stdout)
    assert [(f["rule_id"], f["level"]) for f in doc["findings"]] == [("DDB003", "note")]


def test_select_and_ignore_help_says_comma_lists():
    help_text = CliRunner().invoke(main, ["scan", "--help"]).output
    words = re.sub(r"-\s+", "-", " ".join(help_text.split()))  # undo click's wrapping
    assert "--select IDS Run only these rule ids or prefixes, comma-separated" in words
    assert "--ignore IDS Do not run these rule ids or prefixes, comma-separated" in words


# --------------------------------------------------------------------------- suppressions


def test_suppressing_a_rule_that_is_not_selected_is_not_sup001(repo: Path, monkeypatch):
    (repo / "infra" / "main.tf").write_text(
        TABLE_TF.replace('  name     = "orders"', '  # ddb-guard:ignore DDB001 cache\n  name = "o"')
    )
    result = run(repo, monkeypatch, "scan", "infra", "--ignore", "DDB001", "--format", "json")
    assert [rule for rule, _ in findings(result)] == ["DDB003"]
    (repo / ".ddb-guard.toml").write_text('ignore = ["DDB001"]\n')
    result = run(repo, monkeypatch, "scan", "infra", "--format", "json")
    assert [rule for rule, _ in findings(result)] == ["DDB003"]


def test_yaml_comments_suppress_cloudformation_findings(repo: Path, monkeypatch):
    (repo / "template.yaml").write_text(TEMPLATE)
    result = run(repo, monkeypatch, "scan", "template.yaml", "--format", "json")
    doc = json.loads(result.stdout)
    suppressed = {(f["rule_id"], f["address"]) for f in doc["findings"] if f["suppressed"]}
    assert suppressed == {("DDB003", "Scratch"), ("DDB001", "Other")}
    active = {(f["rule_id"], f["address"]) for f in doc["findings"] if not f["suppressed"]}
    assert ("DDB003", "Other") in active and ("DDB001", "Scratch") in active
    assert not any(rule == "SUP001" for rule, _ in active)


# --------------------------------------------------------------------------- exit codes, output


def test_missing_size_and_usage_files_are_errors(repo: Path, monkeypatch):
    for option in ("--table-sizes", "--usage-file"):
        result = run(repo, monkeypatch, "scan", "infra", option, "nofile.json")
        assert result.exit_code == 2, option
        assert f"{option} nofile.json: no such file" in result.stderr


def test_output_file_still_prints_the_summary_and_dash_is_stdout(repo: Path, monkeypatch):
    result = run(repo, monkeypatch, "scan", "infra", "--format", "sarif", "-o", "out.sarif")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "ddb-guard: Found 1 error, 1 warning in 1 file." in result.stderr
    assert json.loads((repo / "out.sarif").read_text())["version"] == "2.1.0"
    result = run(repo, monkeypatch, "scan", "infra", "--format", "json", "-o", "-")
    assert json.loads(result.stdout)["summary"]["error"] == 1
    assert not (repo / "-").exists()
    text = run(repo, monkeypatch, "scan", "infra")  # the text report ends with the summary
    assert "Found 1 error" in text.stdout and "Found" not in text.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--var-file", "on.tfvars", "--var", "pitr=false"), "fail"),
        (("--var", "pitr=false", "--var-file", "on.tfvars"), "pass"),  # the later one wins
        (("--var=pitr=false", "--var-file=on.tfvars"), "pass"),
        (("--var-file", "on.tfvars", "--var-file", "off.tfvars"), "fail"),
        (("--var", "pitr=true", "--var-file", "off.tfvars", "--var", "pitr=true"), "pass"),
    ],
)
def test_var_and_var_file_apply_in_command_line_order(tmp_path: Path, monkeypatch, args, expected):
    (tmp_path / "main.tf").write_text(PITR_TF)
    (tmp_path / "on.tfvars").write_text("pitr = true\n")
    (tmp_path / "off.tfvars").write_text("pitr = false\n")
    result = run(tmp_path, monkeypatch, "scan", "--format", "json", *args, "main.tf")
    ddb001 = [
        f["outcome"] for f in json.loads(result.stdout)["findings"] if f["rule_id"] == "DDB001"
    ]
    assert (ddb001[0] if ddb001 else "pass") == expected


def test_var_for_an_undeclared_variable_is_a_warning(tmp_path: Path, monkeypatch):
    (tmp_path / "main.tf").write_text(PITR_TF)
    result = run(tmp_path, monkeypatch, "scan", "--var", "pirt=true", "--var", "pitr=true", ".")
    assert "no scanned root module declares variable 'pirt'" in result.stdout
    assert "'pitr'" not in result.stdout


# --------------------------------------------------------------------------- pre-commit inputs


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("samconfig.toml", 'version = 0.1\n[default.deploy.parameters]\nstack_name = "app"\n'),
        ("params.json", '[{"ParameterKey": "Env", "ParameterValue": "prod"}]\n'),
        ("prod.json", '{"Parameters": {"Env": "prod"}, "Tags": {}}\n'),
        ("terraform.tfvars", "env = 1\n"),
    ],
)
def test_an_input_file_named_alone_stands_for_its_directory(
    tmp_path: Path, monkeypatch, name, text
):
    app = tmp_path / "app"
    app.mkdir()
    (app / "template.yaml").write_text(TEMPLATE.replace("ddb-guard", "no"))
    (app / "main.tf").write_text(TABLE_TF)
    (app / name).write_text(text)
    result = run(tmp_path, monkeypatch, "scan", f"app/{name}", "--format", "json")
    doc = json.loads(result.stdout)
    where = {f["path"] for f in doc["findings"]}
    assert where == {"app/template.yaml", "app/main.tf"}, doc


def test_a_directory_with_no_iac_fails_closed(tmp_path: Path, monkeypatch):
    """A gate pointed at the wrong directory (no Terraform or CloudFormation file in it, or
    all of them excluded) checked nothing: exit 2 and say so, unless --allow-empty."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "README.md").write_text("# nothing here\n")
    (tmp_path / "package.json").write_text('{"name": "web"}\n')
    result = run(tmp_path, monkeypatch, "scan", "docs", "--format", "sarif")
    assert result.exit_code == 2
    assert "no Terraform or CloudFormation file found in docs" in result.stderr
    assert json.loads(result.stdout)["runs"][0]["results"] == []  # the report stays valid
    assert run(tmp_path, monkeypatch, "scan", "docs", "--allow-empty").exit_code == 0
    # files named one by one (pre-commit) are never "empty": package.json is just not IaC
    assert run(tmp_path, monkeypatch, "scan", "package.json").exit_code == 0
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "main.tf").write_text(TABLE_TF)
    excluded = run(tmp_path, monkeypatch, "scan", "infra", "--exclude", "infra/*.tf")
    assert excluded.exit_code == 2
    found = run(tmp_path, monkeypatch, "scan", "infra", "--format", "json")
    assert found.exit_code == 1 and "nothing was checked" not in found.stderr


def test_json_summary_counts_baselined_findings(tmp_path: Path, monkeypatch):
    (tmp_path / "main.tf").write_text(TABLE_TF)
    assert run(tmp_path, monkeypatch, "scan", "--write-baseline", "b.json").exit_code == 0
    result = run(tmp_path, monkeypatch, "scan", "--baseline", "b.json", "--format", "json")
    summary = json.loads(result.stdout)["summary"]
    assert summary["baselined"] == 2 and summary["error"] == 0
