"""Fleet KPIs of backups that will fail (issue 11): selections whose role cannot back up,
rules a vault lock rejects, tables whose only protection is a failing plan."""

from __future__ import annotations

import io
import json
from pathlib import Path

from ddb_guard.commands.cost import run
from ddb_guard.config import Config
from ddb_guard.context import ScanContext
from ddb_guard.enrich import EnrichSettings
from ddb_guard.pipeline import scan

TF = """
provider "aws" {
  region = "us-east-1"
}

resource "aws_dynamodb_table" "orders" {
  name     = "orders"
  hash_key = "pk"
}

resource "aws_dynamodb_table" "users" {
  name     = "users"
  hash_key = "pk"
  point_in_time_recovery {
    enabled = true
  }
}

resource "aws_backup_vault" "locked" {
  name = "locked"
}

resource "aws_backup_vault_lock_configuration" "locked" {
  backup_vault_name  = aws_backup_vault.locked.name
  min_retention_days = 7
  max_retention_days = 100
}

resource "aws_backup_plan" "p" {
  name = "p"
  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.locked.name
    schedule          = "cron(0 5 ? * * *)"
    lifecycle {
      delete_after = %(retention)s
    }
  }
}

resource "aws_iam_role" "backup" {
  name = "backup"
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "%(service)s" }
      Action    = "sts:AssumeRole"
    }]
  })
  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"]
}

resource "aws_backup_selection" "tables" {
  name         = "tables"
  plan_id      = aws_backup_plan.p.id
  iam_role_arn = aws_iam_role.backup.arn
  resources    = [aws_dynamodb_table.orders.arn, aws_dynamodb_table.users.arn]
}
"""


def _kpis(tmp_path: Path, retention: int, service: str) -> dict:
    (tmp_path / "main.tf").write_text(TF % {"retention": retention, "service": service})
    ctx = ScanContext(root=tmp_path, env={})
    result = scan([tmp_path], ctx, Config())
    out = io.StringIO()
    run(result.model, EnrichSettings(this_year=2026), "json", out)
    return json.loads(out.getvalue())["kpis"]


def test_healthy_plan_counts_nothing(tmp_path: Path) -> None:
    k = _kpis(tmp_path, 35, "backup.amazonaws.com")
    assert k["selections_role_cannot_back_up"] == []
    assert k["rules_rejected_by_vault_lock"] == []
    assert k["tables_only_protected_by_failing_plans"] == []
    assert k["failing_protection_share"] == 0


def test_role_without_trust_fails_the_table_without_pitr(tmp_path: Path) -> None:
    k = _kpis(tmp_path, 35, "lambda.amazonaws.com")
    assert k["selections_role_cannot_back_up"] == ["aws_backup_selection.tables"]
    # users has PITR: its protection does not depend on the failing plan
    assert k["tables_only_protected_by_failing_plans"] == ["aws_dynamodb_table.orders"]
    assert k["failing_protection_share"] == 0.5


def test_vault_lock_rejection_counts(tmp_path: Path) -> None:
    k = _kpis(tmp_path, 365, "backup.amazonaws.com")
    assert k["rules_rejected_by_vault_lock"] == ["aws_backup_plan.p.rule[daily]"]
    assert k["tables_only_protected_by_failing_plans"] == ["aws_dynamodb_table.orders"]


def test_text_report_names_the_failing_tables(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(TF % {"retention": 365, "service": "backup.amazonaws.com"})
    result = scan([tmp_path], ScanContext(root=tmp_path, env={}), Config())
    out = io.StringIO()
    run(result.model, EnrichSettings(this_year=2026), "text", out)
    text = out.getvalue()
    assert "Backup rules a vault lock rejects (BKP010): 1" in text
    assert (
        "Tables whose only protection is a plan that will fail: 1 (50%): "
        "aws_dynamodb_table.orders" in text
    )
