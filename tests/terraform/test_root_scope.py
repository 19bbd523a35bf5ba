"""Terraform addresses are per root module: two directories with the same resource names
do not see each other's references."""

from __future__ import annotations

from pathlib import Path

from ddb_guard.context import ScanContext
from ddb_guard.pipeline import scan

ROOT = """
provider "aws" {{
  region = "us-east-1"
}}

resource "aws_dynamodb_table" "t" {{
  name     = "{name}"
  hash_key = "pk"
  attribute {{
    name = "pk"
    type = "S"
  }}
}}

resource "aws_backup_plan" "p" {{
  name = "p"
  rule {{
    rule_name         = "daily"
    target_vault_name = "main"
    schedule          = "cron(0 5 ? * * *)"
    lifecycle {{
      delete_after = 35
    }}
  }}
}}

resource "aws_backup_selection" "s" {{
  name         = "s"
  plan_id      = aws_backup_plan.p.id
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
  resources    = [{resource}]
}}
"""


def test_each_root_module_is_its_own_namespace(tmp_path: Path) -> None:
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "main.tf").write_text(
        ROOT.format(name="orders", resource="aws_dynamodb_table.t.arn")
    )
    (tmp_path / "volumes").mkdir()
    (tmp_path / "volumes" / "main.tf").write_text(
        ROOT.format(name="scratch", resource='"arn:aws:ec2:us-east-1:1:volume/*"')
    )
    result = scan([tmp_path], ScanContext(root=tmp_path))
    rules = {e.loc.path: e for e in result.model.entities if e.kind == "backup_rule"}
    tables = rules["tables/main.tf"].attrs
    volumes = rules["volumes/main.tf"].attrs
    assert tables["covers_dynamodb"].value is True
    assert tables["covered_tables"].value == ["aws_dynamodb_table.t"]
    assert tables["covered_table_ids"].value == ["tables#aws_dynamodb_table.t"]
    # the other root's selection of its own aws_backup_plan.p does not reach this plan
    assert volumes["covers_dynamodb"].value is False
    assert volumes["covered_tables"].value == []
    bkp001 = [f for f in result.findings if f.rule_id == "BKP001"]
    assert [f.loc.path for f in bkp001] == ["tables/main.tf"]
