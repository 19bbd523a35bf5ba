"""Bad input end to end: a Terraform file or recognisable template that does not parse is a
PARSE001 finding at level error naming the file (the gate fails closed), other problems are
one-line notices, the scan goes on, output stays valid SARIF, --strict turns parse errors
into 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ddb_guard.cli import main

GOOD_TF = """resource "aws_dynamodb_table" "ok" {
  name = "ok"
  hash_key = "pk"
  point_in_time_recovery {
    enabled = true
  }
  deletion_protection_enabled = true
}
"""

BAD_INPUTS = {
    "broken.tf": ('resource "aws_dynamodb_table" "x" {\n  name = \n', "broken.tf:"),
    "broken.yaml": (
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  T: [a, b\n",
        "broken.yaml:",
    ),
    "broken.json": ('{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {', "broken.json:"),
    "empty.tf": ("", None),
    "empty.yaml": ("", None),
}


def scan(tmp_path: Path, *args: str):
    import os

    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        return CliRunner().invoke(main, ["scan", *args], catch_exceptions=False)
    finally:
        os.chdir(old)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "good").mkdir()
    (tmp_path / "good" / "main.tf").write_text(GOOD_TF)
    return tmp_path


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_each_bad_text_input_fails_the_gate_and_scan_goes_on(tree: Path, name: str):
    text, expected = BAD_INPUTS[name]
    (tree / "bad").mkdir()
    (tree / "bad" / name).write_text(text)
    result = scan(tree, "--format", "json", ".")
    doc = json.loads(result.stdout)
    assert doc["summary"]["files"] >= 1  # good/main.tf was still scanned
    failures = [f for f in doc["findings"] if f["path"] == f"bad/{name}"]
    if expected is None:
        assert result.exit_code == 0, result.output
        assert failures == []
        assert all(n.get("kind") != "parse-error" for n in doc["notices"])
    else:
        assert result.exit_code == 1, result.output
        assert [(f["rule_id"], f["level"]) for f in failures] == [("PARSE001", "error")]
        assert failures[0]["line"] >= 1
        assert doc["summary"]["parse_errors"] == 1


def test_broken_yaml_that_is_not_infrastructure_code_is_skipped_not_failed(tree: Path):
    # a Helm template (passed by name, as pre-commit does): a notice, never a failure
    (tree / "chart.yaml").write_text("resources:\n  limits: {{ .Values.limits }\n")
    result = scan(tree, "--format", "json", "chart.yaml", "good")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["findings"] == []
    assert [(n["path"], n["level"], n["kind"]) for n in doc["notices"]] == [
        ("chart.yaml", "warning", "skipped")
    ]


def test_findings_of_the_intact_part_of_a_broken_file_are_still_reported(tree: Path):
    (tree / "main.tf").write_text(
        'resource "aws_dynamodb_table" "intact" {\n  name = "intact"\n}\n\n'
        'resource "aws_dynamodb_table" "broken" {\n  name = = "x"\n}\n'
    )
    result = scan(tree, "main.tf")
    assert result.exit_code == 1
    assert "main.tf:6:" in result.stdout and "PARSE001 [error]" in result.stdout
    assert "main.tf:1:1: DDB001 [error] Table aws_dynamodb_table.intact" in result.stdout
    # --format github agrees with text on the level
    github = scan(tree, "--format", "github", "main.tf").stdout
    assert "::error file=main.tf,line=6," in github and "title=PARSE001 file-not-parsed" in github


def test_parse_error_is_a_sarif_result_at_level_error(tree: Path, sarif_validator):
    (tree / "broken.tf").write_text('resource "aws_dynamodb_table" "x" {\n  name = \n')
    result = scan(tree, "--format", "sarif", "broken.tf")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert list(sarif_validator.iter_errors(doc)) == []
    run = doc["runs"][0]
    [hit] = [r for r in run["results"] if r["ruleId"] == "PARSE001"]
    assert hit["level"] == "error"
    assert hit["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "broken.tf"
    assert "PARSE001" in [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert run["invocations"][0]["executionSuccessful"] is False


def test_parse001_can_be_turned_off_and_then_parse_errors_are_notices(tree: Path):
    (tree / "broken.tf").write_text('resource "aws_dynamodb_table" "x" {\n')
    result = scan(tree, "--ignore", "PARSE001", "--format", "json", ".")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [n["path"] for n in doc["notices"] if n["kind"] == "parse-error"] == ["broken.tf"]


def test_binary_non_utf8_and_huge_files(tree: Path):
    (tree / "bin.tf").write_bytes(b"\x00\x01\x02resource")
    (tree / "latin1.tf").write_bytes(b'# caf\xe9\nresource "aws_dynamodb_table" "t" {}\n')
    (tree / "huge.yaml").write_text(
        "AWSTemplateFormatVersion: '2010-09-09'\n" + "#" * (5 * 1024 * 1024)
    )
    result = scan(tree, "--format", "json", ".")
    doc = json.loads(result.stdout)
    by_path = {n["path"]: n["message"] for n in doc["notices"]}
    by_path.update({f["path"]: f["message"] for f in doc["findings"] if f["rule_id"] == "PARSE001"})
    assert "binary" in by_path["bin.tf"]
    assert "UTF-8" in by_path["latin1.tf"]
    assert "larger than 5 MB" in by_path["huge.yaml"]


def test_alias_bomb_and_deep_nesting(tree: Path, sarif_validator):
    bomb = ["AWSTemplateFormatVersion: '2010-09-09'", "a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        bomb.append(f"{cur}: &{cur} [{', '.join(['*' + prev] * 10)}]")
    bomb.append("Resources: {}")
    (tree / "bomb.yaml").write_text("\n".join(bomb) + "\n")
    (tree / "deep.yaml").write_text(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources: " + "[" * 10000 + "]" * 10000 + "\n"
    )
    result = scan(tree, "--format", "sarif", ".")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert list(sarif_validator.iter_errors(doc)) == []
    failed = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in doc["runs"][0]["results"]
        if r["ruleId"] == "PARSE001"
    }
    assert failed == {"bomb.yaml", "deep.yaml"}
    assert doc["runs"][0]["invocations"][0]["executionSuccessful"] is False


def test_resource_without_type_and_list_properties(tree: Path):
    (tree / "odd.yaml").write_text(
        "AWSTemplateFormatVersion: '2010-09-09'\n"
        "Resources:\n"
        "  NoType:\n"
        "    Properties: {}\n"
        "  ListProps:\n"
        "    Type: AWS::DynamoDB::Table\n"
        "    Properties: [1, 2]\n"
        "  Fine:\n"
        "    Type: AWS::DynamoDB::Table\n"
        "    Properties:\n"
        "      TableName: fine\n"
    )
    result = scan(tree, "--format", "json", "odd.yaml")
    doc = json.loads(result.stdout)
    paths = [n["path"] for n in doc["notices"]]
    assert paths.count("odd.yaml") >= 2
    assert any(f["address"] == "Fine" and f["rule_id"] == "DDB001" for f in doc["findings"])
    assert result.exit_code == 1  # the remaining table still has findings


def test_strict_turns_parse_errors_into_exit_2(tree: Path):
    (tree / "broken.tf").write_text('resource "aws_dynamodb_table" "x" {\n')
    assert scan(tree, ".").exit_code == 1
    assert scan(tree, "--strict", ".").exit_code == 2


def test_missing_path_is_an_error_exit_2(tree: Path):
    result = scan(tree, "--format", "json", "nope.tf", "good")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "ddb-guard: error: no such file or directory: nope.tf" in result.stderr
