"""AWS Backup plans, rules, selections and vaults."""

from __future__ import annotations

from ddb_guard.model import Value

BACKUP = """\
Resources:
  Vault:
    Type: AWS::Backup::BackupVault
    Properties:
      BackupVaultName: main
      LockConfiguration: {MinRetentionDays: 7, MaxRetentionDays: "365"}
  Plan:
    Type: AWS::Backup::BackupPlan
    Properties:
      BackupPlan:
        BackupPlanName: daily
        BackupPlanRule:
          - RuleName: hourly
            TargetBackupVault: !Ref Vault
            ScheduleExpression: cron(0 * ? * * *)
            ScheduleExpressionTimezone: Europe/Paris
            StartWindowMinutes: 60
            CompletionWindowMinutes: "120"
            EnableContinuousBackup: "true"
            Lifecycle:
              MoveToColdStorageAfterDays: 30
              DeleteAfterDays: -5
            CopyActions:
              - DestinationBackupVaultArn: arn:aws:backup:eu-west-1:1:backup-vault:dr
                Lifecycle: {DeleteAfterDays: 90}
          - ScheduleExpression: cron(0 5 ? * * *)
  Selection:
    Type: AWS::Backup::BackupSelection
    Properties:
      BackupPlanId: !GetAtt Plan.BackupPlanId
      BackupSelection:
        SelectionName: tables
        IamRoleArn: arn:aws:iam::1:role/b
        Resources:
          - !GetAtt Orders.Arn
          - !Ref Orders
          - !Sub "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/t"
          - arn:aws:dynamodb:*:*:table/*
        NotResources: [!Sub "arn:aws:dynamodb:us-east-1:${Acct}:table/x"]
        ListOfTags:
          - {ConditionType: STRINGEQUALS, ConditionKey: backup, ConditionValue: daily}
        Conditions:
          StringLike:
            - {ConditionKey: "aws:ResourceTag/env", ConditionValue: "prod*"}
  Orders:
    Type: AWS::DynamoDB::Table
Parameters:
  Acct: {Type: String}
"""


def test_vault(build) -> None:
    v = build(BACKUP).one("Vault")
    assert v.kind == "backup_vault"
    assert v.attrs["vault_name"].value == "main"
    assert v.attrs["lock_min_days"].value == 7 and v.attrs["lock_max_days"].value == 365


def test_plan_and_rules(build) -> None:
    b = build(BACKUP)
    assert b.one("Plan").attrs["plan_name"].value == "daily"
    rule = b.one("Plan.BackupPlanRule[hourly]")
    assert rule.kind == "backup_rule" and rule.parent == "Plan"
    assert (rule.loc.line, rule.loc.column) == (13, 13)
    a = rule.attrs
    assert a["rule_name"].value == "hourly" and a["plan_name"].value == "daily"
    assert a["target_vault"].refs == ("Vault",) and not a["target_vault"].known
    assert a["schedule"].value == "cron(0 * ? * * *)" and a["schedule"].loc.line == 15
    assert a["timezone"].value == "Europe/Paris"
    assert a["start_window"].value == 60 and a["completion_window"].value == 120
    assert a["continuous_backup"].value is True
    assert a["cold_after"].value == 30
    assert a["delete_after"].value == -5  # kept as written: enrichment reports it
    (copy,) = a["copy_actions"]
    assert copy["destination_vault"].value.endswith("backup-vault:dr")
    assert copy["delete_after"].value == 90 and copy["cold_after"] == Value.absent(None)
    assert copy["loc"].line == 24


def test_rule_defaults_and_index_address(build) -> None:
    a = build(BACKUP).one("Plan.BackupPlanRule[1]").attrs
    assert a["timezone"] == Value.absent("Etc/UTC")
    assert a["start_window"] == Value.absent(None)
    assert a["completion_window"] == Value.absent(None)
    assert a["continuous_backup"] == Value.absent(False)
    assert a["cold_after"] == Value.absent(None) and a["delete_after"] == Value.absent(None)
    assert a["copy_actions"] == [] and a["rule_name"] == Value.absent(None)


def test_selection(build) -> None:
    a = build(BACKUP).one("Selection").attrs
    assert a["plan"].value == "Plan"
    assert a["selection_name"].value == "tables"
    getatt, ref, sub, literal = a["resources"]
    assert getatt.refs == ("Orders.Arn",) and not getatt.known
    assert ref.refs == ("Orders",) and not ref.known
    assert sub.value == "arn:*:dynamodb:*:*:table/t"
    assert literal.value == "arn:aws:dynamodb:*:*:table/*" and literal.loc.line == 38
    (not_res,) = a["not_resources"]
    assert not not_res.known and "parameter Acct" in not_res.unknown
    (tag,) = a["tags"]
    assert {k: v.value for k, v in tag.items()} == {
        "type": "STRINGEQUALS",
        "key": "backup",
        "value": "daily",
    }
    (cond,) = a["conditions"]
    assert cond["op"] == "StringLike"
    assert cond["key"].value == "aws:ResourceTag/env" and cond["value"].value == "prod*"


def test_plan_id_forms(build) -> None:
    text = """\
Resources:
  P: {Type: AWS::Backup::BackupPlan, Properties: {BackupPlan: {BackupPlanName: p}}}
  S1: {Type: AWS::Backup::BackupSelection, Properties: {BackupPlanId: !Ref P}}
  S2: {Type: AWS::Backup::BackupSelection, Properties: {BackupPlanId: !ImportValue x}}
  S3: {Type: AWS::Backup::BackupSelection, Properties: {}}
"""
    b = build(text)
    assert b.attr("S1", "plan").value == "P"
    assert "Fn::ImportValue" in b.attr("S2", "plan").unknown
    assert b.attr("S3", "plan") == Value.absent(None)
    assert b.attr("S3", "resources") == [] and b.attr("S3", "conditions") == []
