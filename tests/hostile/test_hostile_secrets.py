"""Sensitive variables and NoEcho parameters are named in every output, never printed."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_helpers import run_cli

SECRET = "s3cr3t-Passw0rd-XYZ"

TF = f"""variable "db_password" {{
  type      = string
  sensitive = true
  default   = "{SECRET}"
}}

resource "aws_dynamodb_table" "t" {{
  name     = "orders-${{var.db_password}}"
  hash_key = "pk"
  tags     = {{ Secret = var.db_password }}
}}
"""

CFN = f"""AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  DbPassword:
    Type: String
    NoEcho: true
    Default: {SECRET}
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: !Sub 'orders-${{DbPassword}}'
      BillingMode: PAY_PER_REQUEST
      KeySchema: [{{AttributeName: pk, KeyType: HASH}}]
      AttributeDefinitions: [{{AttributeName: pk, AttributeType: S}}]
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "main.tf").write_text(TF)
    (tmp_path / "template.yaml").write_text(CFN)
    return tmp_path


@pytest.mark.parametrize(
    "args",
    [
        ("scan", "--format", "text"),
        ("scan", "--format", "github"),
        ("scan", "--format", "sarif"),
        ("scan", "--format", "json"),
        ("cost", "--format", "text"),
        ("cost", "--format", "markdown"),
        ("cost", "--format", "json"),
    ],
)
def test_secret_values_are_never_printed(repo: Path, args: tuple[str, ...]):
    result = run_cli(repo, *args, ".")
    assert SECRET not in result.output
    if args[0] == "cost":  # the table names are printed: the variable is named instead
        assert "var.db_password (sensitive)" in result.output
        assert "parameter DbPassword (NoEcho)" in result.output
