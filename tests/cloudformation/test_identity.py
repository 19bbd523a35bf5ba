"""CloudFormation identity: logical ids, Ref and GetAtt are per template."""

from __future__ import annotations

from pathlib import Path

from ddb_guard.config import Config
from ddb_guard.context import ScanContext
from ddb_guard.enrich import EnrichSettings, enrich
from ddb_guard.model import Model
from ddb_guard.pipeline import build_model

TABLES = """\
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties: {TableName: orders}
  BackupPlan:
    Type: AWS::Backup::BackupPlan
    Properties:
      BackupPlan:
        BackupPlanName: tables
        BackupPlanRule:
          - {RuleName: daily, TargetBackupVault: v, ScheduleExpression: cron(0 5 ? * * *)}
  BackupSelection:
    Type: AWS::Backup::BackupSelection
    Properties:
      BackupPlanId: !Ref BackupPlan
      BackupSelection: {SelectionName: s, IamRoleArn: r, Resources: [!GetAtt Table.Arn]}
"""
FILES = """\
Resources:
  Disk:
    Type: AWS::EFS::FileSystem
  BackupPlan:
    Type: AWS::Backup::BackupPlan
    Properties:
      BackupPlan:
        BackupPlanName: files
        BackupPlanRule:
          - {RuleName: daily, TargetBackupVault: v, ScheduleExpression: cron(0 5 ? * * *)}
  BackupSelection:
    Type: AWS::Backup::BackupSelection
    Properties:
      BackupPlanId: !Ref BackupPlan
      BackupSelection: {SelectionName: s, IamRoleArn: r, Resources: [!GetAtt Disk.Arn]}
"""


def _model(tmp_path: Path, files: dict[str, str]) -> Model:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    ctx = ScanContext(root=tmp_path, env={})
    model = build_model([tmp_path], ctx, Config())
    enrich(model, EnrichSettings(root=tmp_path))
    return model


def test_entities_carry_their_template_in_identity_not_in_address(tmp_path: Path) -> None:
    model = _model(tmp_path, {"a.yaml": TABLES, "b.yaml": FILES})
    plans = sorted((e.identity, e.address) for e in model.of_kind("backup_plan"))
    assert plans == [("a.yaml#BackupPlan", "BackupPlan"), ("b.yaml#BackupPlan", "BackupPlan")]
    rule = next(e for e in model.of_kind("backup_rule") if e.scope == "b.yaml")
    assert rule.parent == "BackupPlan" and rule.parent_identity == "b.yaml#BackupPlan"


def test_a_selection_covers_only_its_own_templates_plan(tmp_path: Path) -> None:
    model = _model(tmp_path, {"a.yaml": TABLES, "b.yaml": FILES})
    by_scope = {e.scope: e for e in model.of_kind("backup_rule")}
    assert by_scope["a.yaml"].attrs["covers_dynamodb"].value is True
    assert by_scope["a.yaml"].attrs["covered_tables"].value == ["Table"]
    assert by_scope["a.yaml"].attrs["covered_table_ids"].value == ["a.yaml#Table"]
    assert by_scope["b.yaml"].attrs["covers_dynamodb"].value is False


def test_a_reference_does_not_reach_a_same_named_table_in_another_template(
    tmp_path: Path,
) -> None:
    other = FILES.replace("Disk", "Table").replace("AWS::EFS::FileSystem", "AWS::SQS::Queue")
    model = _model(tmp_path, {"a.yaml": TABLES, "b.yaml": other})
    by_scope = {e.scope: e for e in model.of_kind("backup_rule")}
    assert by_scope["b.yaml"].attrs["covers_dynamodb"].value is False
    assert by_scope["b.yaml"].attrs["covered_tables"].value == []
