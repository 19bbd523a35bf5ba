"""Backup rule messages on real plans: AWS defaults, words for counts, unknown parts named."""

from __future__ import annotations

from pathlib import Path

from ddb_guard.config import Config
from ddb_guard.context import ScanContext
from ddb_guard.pipeline import scan

TF = """\
provider "aws" {
  region = "us-east-1"
}

resource "aws_dynamodb_table" "t" {
  name     = "t"
  hash_key = "pk"
}

resource "aws_backup_plan" "p" {
  name = "p"
%s
}

resource "aws_backup_selection" "s" {
  name         = "s"
  plan_id      = aws_backup_plan.p.id
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
  resources    = [aws_dynamodb_table.t.arn]
}
"""


def _messages(tmp_path: Path, rule: str) -> dict[str, list[str]]:
    (tmp_path / "main.tf").write_text(TF % rule)
    result = scan([tmp_path], ScanContext(root=tmp_path, env={}), Config())
    out: dict[str, list[str]] = {}
    for f in result.findings:
        out.setdefault(f.rule_id, []).append(f.message)
    return out


def test_a_rule_with_only_a_name_gets_bkp001_and_bkp003(tmp_path: Path) -> None:
    found = _messages(
        tmp_path, '  rule {\n    rule_name = "only"\n    target_vault_name = "v"\n  }'
    )
    (bkp001,) = found["BKP001"]
    assert "no schedule written: AWS Backup's default cron(0 5 ? * * *)" in bkp001
    assert "never deletes the copies" in bkp001 and "about 365 full copies" in bkp001
    (bkp003,) = found["BKP003"]
    assert "never deletes" in bkp003 and "grows by" in bkp003
    assert "BKP002" not in found  # daily or more often: BKP001's, not reported twice


def test_one_copy_is_singular(tmp_path: Path) -> None:
    rule = (
        '  rule {\n    rule_name = "yearly"\n    target_vault_name = "v"\n'
        '    schedule = "cron(0 5 1 1 ? *)"\n  }'
    )
    (bkp002,) = _messages(tmp_path, rule)["BKP002"]
    assert "about 1 full copy after a year" in bkp002


def test_copy_action_copies_are_said_and_unknown_ones_named(tmp_path: Path) -> None:
    rule = """\
  rule {
    rule_name         = "hourly"
    target_vault_name = "v"
    schedule          = "cron(0 * ? * * *)"
    lifecycle {
      delete_after = 7
    }
    dynamic "copy_action" {
      for_each = var.dr_vaults
      content {
        destination_vault_arn = copy_action.value
      }
    }
  }"""
    (tmp_path / "variables.tf").write_text('variable "dr_vaults" {}\n')
    (bkp001,) = _messages(tmp_path, rule)["BKP001"]
    assert "about 168 full copies in its vault" in bkp001
    assert "cannot be counted (copy_actions: depends on var.dr_vaults" in bkp001
    assert "about unknown" not in bkp001 and "unknownx" not in bkp001
