"""Discovery as users meet it: one file with its siblings as context, skipped folders,
configured excludes, files named explicitly whatever their extension."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from ddb_guard.cli import main

TABLE = """resource "aws_dynamodb_table" "%s" {
  name     = "%s"
  hash_key = "pk"
  point_in_time_recovery {
    enabled = %s
  }
}
"""

CFN = """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: orders
"""


def scan(cwd: Path, *args: str) -> dict:
    import os

    old = os.getcwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, ["scan", "--format", "json", *args])
    finally:
        os.chdir(old)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def hits(doc: dict, rule: str = "DDB001") -> set[tuple[str, str]]:
    return {(f["path"], f["outcome"]) for f in doc["findings"] if f["rule_id"] == rule}


def test_single_tf_file_reads_siblings_but_reports_only_itself(tmp_path: Path):
    (tmp_path / "main.tf").write_text(TABLE % ("a", "a", "var.pitr"))
    (tmp_path / "variables.tf").write_text('variable "pitr" {\n  default = false\n}\n')
    (tmp_path / "other.tf").write_text(TABLE % ("b", "b", "false"))
    assert hits(scan(tmp_path, "main.tf")) == {("main.tf", "fail")}
    # the variable default in the sibling decides: without it the value is unknown
    (tmp_path / "variables.tf").write_text('variable "pitr" {}\n')
    assert hits(scan(tmp_path, "main.tf")) == {("main.tf", "unknown")}
    assert hits(scan(tmp_path, ".")) == {("main.tf", "unknown"), ("other.tf", "fail")}


def test_tool_and_build_folders_are_skipped(tmp_path: Path):
    for folder in (".terraform/modules/x", "node_modules/pkg", "cdk.out/asset.1234", ".git/x"):
        d = tmp_path / folder
        d.mkdir(parents=True)
        (d / "main.tf").write_text(TABLE % ("t", "t", "false"))
        (d / "t.template.json").write_text(
            json.dumps({"Resources": {"T": {"Type": "AWS::DynamoDB::Table", "Properties": {}}}})
        )
    (tmp_path / "cdk.out" / "Stack.template.json").write_text(
        json.dumps({"Resources": {"T": {"Type": "AWS::DynamoDB::Table", "Properties": {}}}})
    )
    assert hits(scan(tmp_path, ".")) == {("cdk.out/Stack.template.json", "fail")}


def test_configured_excludes(tmp_path: Path):
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "main.tf").write_text(TABLE % ("t", "t", "false"))
    (tmp_path / "stack.yaml").write_text(CFN)
    (tmp_path / ".ddb-guard.toml").write_text('exclude = ["legacy/**"]\n')
    assert hits(scan(tmp_path, ".")) == {("stack.yaml", "fail")}


def test_explicit_file_scanned_whatever_its_name_and_others_ignored(tmp_path: Path):
    (tmp_path / "stack.cfn").write_text(CFN)
    (tmp_path / "package.json").write_text('{"name": "x", "resources": []}')
    (tmp_path / "k8s.yaml").write_text("kind: Pod\nspec:\n  resources: {}\n")
    doc = scan(tmp_path, "stack.cfn", "package.json", "k8s.yaml")
    assert hits(doc) == {("stack.cfn", "fail")}
    assert doc["notices"] == []
