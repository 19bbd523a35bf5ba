"""Bad input end to end: a one-line notice naming the file, the scan goes on, output stays
valid SARIF, the exit code still says findings/clean, --strict turns parse errors into 2."""

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
def test_each_bad_text_input_is_a_notice_and_scan_goes_on(tree: Path, name: str):
    text, expected = BAD_INPUTS[name]
    (tree / "bad").mkdir()
    (tree / "bad" / name).write_text(text)
    result = scan(tree, "--format", "json", ".")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    notices = [n for n in doc["notices"] if n["path"] == f"bad/{name}"]
    if expected is None:
        assert notices == [] or all(n.get("kind") != "parse-error" for n in notices)
    else:
        assert len(notices) == 1, doc["notices"]
        assert notices[0]["line"] >= 1


def test_binary_non_utf8_and_huge_files(tree: Path):
    (tree / "bin.tf").write_bytes(b"\x00\x01\x02resource")
    (tree / "latin1.tf").write_bytes(b'# caf\xe9\nresource "aws_dynamodb_table" "t" {}\n')
    (tree / "huge.yaml").write_text(
        "AWSTemplateFormatVersion: '2010-09-09'\n" + "#" * (5 * 1024 * 1024)
    )
    result = scan(tree, "--format", "json", ".")
    doc = json.loads(result.stdout)
    by_path = {n["path"]: n["message"] for n in doc["notices"]}
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
    doc = json.loads(result.stdout)
    assert list(sarif_validator.iter_errors(doc)) == []
    notes = doc["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    text = " ".join(n["message"]["text"] for n in notes)
    assert "bomb.yaml" in json.dumps(notes) and "deep.yaml" in json.dumps(notes), text
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
    assert scan(tree, ".").exit_code == 0
    assert scan(tree, "--strict", ".").exit_code == 2


def test_missing_path_is_reported(tree: Path):
    result = scan(tree, "--format", "json", "nope.tf", "good")
    doc = json.loads(result.stdout)
    assert any(n["path"] == "nope.tf" for n in doc["notices"])
