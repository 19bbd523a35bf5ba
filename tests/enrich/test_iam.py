"""IAM policy evaluation (enrich/iam_policy.py) and the BKP008/BKP009 judgements
(enrich/iam.py) on scanned Terraform and CloudFormation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ddb_guard.config import Config
from ddb_guard.context import ScanContext
from ddb_guard.enrich.iam_policy import (
    Document,
    allowed,
    any_resource,
    dynamodb_table_resource,
    read,
)
from ddb_guard.model import PartialDocument, Value
from ddb_guard.pipeline import scan

TABLE = dynamodb_table_resource(lambda v: False)


def doc(*statements: dict) -> Document:
    return read(json.dumps({"Version": "2012-10-17", "Statement": list(statements)}))


def allow(action, resource="*", **extra) -> dict:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action, resource="*", **extra) -> dict:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


@pytest.mark.parametrize(
    ("action", "verdict"),
    [
        ("dynamodb:CreateBackup", True),
        ("dynamodb:*", True),
        ("*", True),
        ("DynamoDB:createbackup", True),  # actions are case-insensitive
        ("dynamodb:Create*", True),
        ("dynamodb:DescribeTable", False),
        ("s3:*", False),
    ],
)
def test_action_wildcards(action: str, verdict: bool) -> None:
    assert allowed([doc(allow(action))], "dynamodb:CreateBackup", TABLE) is verdict


def test_deny_wins_over_allow_across_documents() -> None:
    docs = [doc(allow("*")), doc(deny("dynamodb:*Backup*"))]
    assert allowed(docs, "dynamodb:CreateBackup", TABLE) is False


def test_conditional_deny_is_unknown_conditional_allow_counts() -> None:
    cond = {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}
    assert (
        allowed([doc(allow("*"), deny("*", Condition=cond))], "dynamodb:CreateBackup", TABLE)
        is None
    )
    assert allowed([doc(allow("*", Condition=cond))], "dynamodb:CreateBackup", TABLE) is True


def test_not_action_and_resources() -> None:
    assert (
        allowed(
            [doc({"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"})],
            "dynamodb:CreateBackup",
            TABLE,
        )
        is True
    )
    backups_only = allow("dynamodb:*", "arn:aws:dynamodb:*:*:table/*/backup/*")
    assert allowed([doc(backups_only)], "dynamodb:CreateBackup", TABLE) is False
    one_table = allow("dynamodb:CreateBackup", "arn:aws:dynamodb:us-east-1:1:table/orders")
    assert allowed([doc(one_table)], "dynamodb:CreateBackup", TABLE) is True


def test_unknown_parts() -> None:
    unknown = Value.unknown_because("depends on var.x")
    assert allowed([read(unknown)], "dynamodb:CreateBackup", TABLE) is None
    partial = Value(PartialDocument({"Statement": [allow("dynamodb:*", unknown)]}), None, "x")
    # an unknown Resource may or may not be a table
    assert allowed([read(partial)], "dynamodb:CreateBackup", TABLE) is None
    table_ref = Value.unknown_because("after apply", refs=("aws_dynamodb_table.t.arn",))
    partial = Value(PartialDocument({"Statement": [allow("dynamodb:*", table_ref)]}), None, "x")
    test = dynamodb_table_resource(lambda v: "aws_dynamodb_table.t.arn" in v.refs)
    assert allowed([read(partial)], "dynamodb:CreateBackup", test) is True
    assert read('{"Statement": [').unknown == "the policy is not valid JSON"


def test_principals() -> None:
    trust = doc(
        {
            "Effect": "Allow",
            "Principal": {"Service": ["backup.amazonaws.com"]},
            "Action": "sts:AssumeRole",
        }
    )

    def backup(kind, ident):
        return kind == "Service" and ident == "backup.amazonaws.com"

    assert allowed([trust], "sts:AssumeRole", any_resource, principal=backup) is True
    other = doc(
        {
            "Effect": "Allow",
            "Principal": {"Service": "ec2.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    )
    assert allowed([other], "sts:AssumeRole", any_resource, principal=backup) is False


# --------------------------------------------------------------------------- scans


def _scan(tmp_path: Path, files: dict[str, str]):
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    return scan([tmp_path], ScanContext(root=tmp_path, env={}), Config())


def _ids(result, rule: str) -> set[tuple[str, str]]:
    return {(f.address, f.outcome) for f in result.findings if f.rule_id == rule}


TF_BASE = """
provider "aws" {
  region = "%(region)s"
}
resource "aws_dynamodb_table" "t" {
  name     = "t"
  hash_key = "pk"
  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.k.arn
  }
}
resource "aws_kms_key" "k" {
  policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:role/admin" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}
resource "aws_backup_vault" "v" {
  name = "v"
}
resource "aws_backup_plan" "p" {
  name = "p"
  rule {
    rule_name         = "r"
    target_vault_name = aws_backup_vault.v.name
    schedule          = "cron(0 5 ? * * *)"
    lifecycle {
      delete_after = 35
    }
  }
}
data "aws_partition" "current" {}
data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["backup.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = ["111122223333"]
    }
  }
}
resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
resource "aws_iam_role_policy_attachment" "r" {
  role       = aws_iam_role.r.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/%(policy)s"
}
resource "aws_backup_selection" "s" {
  name         = "s"
  plan_id      = aws_backup_plan.p.id
  iam_role_arn = aws_iam_role.r.arn
  resources    = [%(resources)s]
}
%(extra)s
"""


def _tf(
    region="us-east-1",
    policy="service-role/AWSBackupServiceRolePolicyForBackup",
    resources="aws_dynamodb_table.t.arn",
    extra="",
) -> str:
    return TF_BASE % {"region": region, "policy": policy, "resources": resources, "extra": extra}


def test_terraform_entities(tmp_path: Path) -> None:
    result = _scan(tmp_path, {"main.tf": _tf(region="cn-north-1")})
    by_kind = {e.kind: e for e in result.model.entities}
    role = by_kind["iam_role"]
    trust = json.loads(role.attrs["trust_policy"].value)
    assert trust["Statement"][0]["Principal"] == {"Service": ["backup.amazonaws.com"]}
    assert trust["Statement"][0]["Condition"] == {
        "StringEquals": {"aws:SourceAccount": ["111122223333"]}
    }
    att = by_kind["iam_attachment"]
    assert att.attrs["policy_arn"].value.startswith("arn:aws-cn:iam::aws:policy/")
    assert by_kind["table"].attrs["kms_key"].refs == ("aws_kms_key.k.arn",)
    sel = by_kind["backup_selection"]
    assert sel.attrs["role_address"].value == "aws_iam_role.r"
    assert sel.attrs["role_error"].value is None


def test_terraform_key_policy_without_root_refuses(tmp_path: Path) -> None:
    assert _ids(_scan(tmp_path, {"main.tf": _tf()}), "BKP009") == {("aws_dynamodb_table.t", "fail")}


def test_key_not_judged_when_no_scanned_selection_backs_the_table_up(tmp_path: Path) -> None:
    other = 'resource "aws_dynamodb_table" "u" {\n  name = "u"\n  hash_key = "pk"\n}'
    result = _scan(tmp_path, {"main.tf": _tf(resources="aws_dynamodb_table.u.arn", extra=other)})
    assert _ids(result, "BKP009") == set()


def test_unknown_managed_policy_is_a_note(tmp_path: Path) -> None:
    result = _scan(
        tmp_path, {"main.tf": _tf(policy="service-role/AWSBackupServiceRolePolicyForRestores")}
    )
    assert _ids(result, "BKP008") == {("aws_backup_selection.s", "unknown")}


@pytest.mark.parametrize(
    ("advanced", "action", "outcome"),
    [
        ("true", "dynamodb:CreateBackup", {("aws_backup_selection.s", "fail")}),
        ("true", "dynamodb:StartAwsBackupJob", set()),
        ("false", "dynamodb:StartAwsBackupJob", {("aws_backup_selection.s", "fail")}),
        ("false", "dynamodb:CreateBackup", set()),
    ],
)
def test_action_needed_follows_advanced_backup(
    tmp_path: Path, advanced: str, action: str, outcome: set
) -> None:
    extra = f"""
resource "aws_backup_region_settings" "s" {{
  resource_type_opt_in_preference = {{ DynamoDB = true }}
  resource_type_management_preference = {{ DynamoDB = {advanced} }}
}}
resource "aws_iam_role_policy" "only" {{
  role   = aws_iam_role.r.id
  policy = jsonencode({{
    Statement = [{{ Effect = "Allow", Action = "{action}", Resource = "*" }}]
  }})
}}
"""
    result = _scan(
        tmp_path,
        {
            "main.tf": _tf(policy="ReadOnlyAccessNotKnown", extra=extra)
            .replace(
                'resource "aws_iam_role_policy_attachment" "r"',
                'resource "aws_iam_role_policy_attachment" "unused"',
            )
            .replace("role       = aws_iam_role.r.name", 'role       = "someone-else"')
        },
    )
    assert _ids(result, "BKP008") == outcome


CFN = """
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: backup.amazonaws.com}
            Action: sts:AssumeRole
  Grant:
    Type: AWS::IAM::RolePolicy
    Properties:
      RoleName: !Ref Role
      PolicyName: backup
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: dynamodb:CreateBackup
            Resource: !Sub arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/*
  Selection:
    Type: AWS::Backup::BackupSelection
    Properties:
      BackupPlanId: !Ref Plan
      BackupSelection:
        SelectionName: s
        IamRoleArn: !GetAtt Role.Arn
        Resources: ["*"]
"""


def test_cloudformation_role_policy_and_templates_apart(tmp_path: Path) -> None:
    result = _scan(tmp_path, {"a.yaml": CFN})
    assert _ids(result, "BKP008") == set()
    # the same logical ids in two templates: each selection sees its own template's role
    (tmp_path / "a.yaml").unlink()
    no_grant = CFN.replace("Action: dynamodb:CreateBackup", "Action: s3:GetObject")
    result = _scan(tmp_path, {"b.yaml": CFN, "c.yaml": no_grant})
    found = {(f.loc.path, f.outcome) for f in result.findings if f.rule_id == "BKP008"}
    assert found == {("c.yaml", "fail")}


def test_vault_lock_unknown_retention_only_matters_with_a_lock(tmp_path: Path) -> None:
    tf = """
variable "days" {
  type = number
}
resource "aws_backup_vault" "open" {
  name = "open"
}
resource "aws_backup_vault" "locked" {
  name = "locked"
}
resource "aws_backup_vault_lock_configuration" "locked" {
  backup_vault_name  = aws_backup_vault.locked.name
  max_retention_days = 30
}
resource "aws_backup_plan" "p" {
  name = "p"
  rule {
    rule_name         = "open"
    target_vault_name = aws_backup_vault.open.name
    lifecycle {
      delete_after = var.days
    }
  }
  rule {
    rule_name         = "locked"
    target_vault_name = aws_backup_vault.locked.name
    lifecycle {
      delete_after = var.days
    }
  }
}
"""
    result = _scan(tmp_path, {"main.tf": tf})
    assert _ids(result, "BKP010") == {("aws_backup_plan.p.rule[locked]", "unknown")}
