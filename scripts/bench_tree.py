"""Synthetic monorepo for ``scripts/benchmark.py --scaling``: Terraform and CloudFormation
files shaped like real repositories, with AWS Backup selections by tag, ARN and wildcard.

Half the files are Terraform (ten per module directory), half CloudFormation templates
(twenty per stack directory). Every file has 1-3 tables and some padding resources; every
5th file has a backup plan with one selection, rotating through three kinds:

- by tag: ``Service = <service>`` (StringEquals);
- by ARN: a name-prefix pattern ``arn:aws:dynamodb:*:*:table/prod-<service>-*`` plus a
  reference to one table, and an EC2 ARN (in templates a partly known one:
  ``!Sub "arn:${AWS::Partition}:ec2:${AWS::Region}:*:instance/${Resource}"``);
- by wildcard: every DynamoDB table, narrowed by a ``StringLike`` condition on
  ``Service = <service>*``.

One central plan selects every table tagged ``backup = daily`` (a tenth of them), as a
platform team's plan does. Each selection reaches a bounded number of tables, so the
work a linear tool does grows with the number of files.
"""

from __future__ import annotations

from pathlib import Path

TF_HEADER = """provider "aws" {
  region = "us-east-1"
}

variable "env" {
  type    = string
  default = "prod"
}

locals {
  service = "{service}"
  tags = {
    Team    = "platform"
    Service = local.service
  }
}
"""

TF_TABLE = """
resource "aws_dynamodb_table" "{name}" {{
  name         = "${{var.env}}-${{local.service}}-{name}"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {{
    name = "pk"
    type = "S"
  }}

  point_in_time_recovery {{
    enabled = {pitr}
  }}

  deletion_protection_enabled = var.env == "prod"

  tags = merge(local.tags, {{ Table = "{name}", backup = "{backup}" }})
}}
"""

TF_PADDING = """
resource "aws_sqs_queue" "{name}" {{
  name                       = "${{var.env}}-${{local.service}}-{name}"
  visibility_timeout_seconds = 60
  message_retention_seconds  = 1209600
  tags                       = local.tags
}}

resource "aws_iam_role" "{name}" {{
  name = "${{var.env}}-${{local.service}}-{name}"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = {{ Service = "lambda.amazonaws.com" }}
    }}]
  }})
  tags = local.tags
}}
"""

TF_PLAN = """
resource "aws_backup_plan" "{name}" {{
  name = "${{var.env}}-${{local.service}}-{name}"

  rule {{
    rule_name         = "daily"
    target_vault_name = "default"
    schedule          = "cron(0 3 ? * * *)"

    lifecycle {{
      delete_after = 14
    }}
  }}
}}

resource "aws_backup_selection" "{name}" {{
  name         = "{name}"
  plan_id      = aws_backup_plan.{name}.id
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
{selection}}}
"""

TF_BY_TAG = """
  selection_tag {{
    type  = "STRINGEQUALS"
    key   = "Service"
    value = "{service}"
  }}
"""

TF_BY_ARN = """
  resources = [
    "arn:aws:dynamodb:*:*:table/prod-{service}-*",
    aws_dynamodb_table.{table}.arn,
    "arn:aws:ec2:us-east-1:123456789012:instance/*",
  ]
"""

TF_BY_WILDCARD = """
  resources = ["arn:aws:dynamodb:*:*:table/*"]

  condition {{
    string_like {{
      key   = "aws:ResourceTag/Service"
      value = "{service}*"
    }}
  }}
"""

TF_CENTRAL = """
resource "aws_backup_plan" "central" {
  name = "central-daily"

  rule {
    rule_name         = "daily"
    target_vault_name = "central"
    schedule          = "cron(0 5 ? * * *)"

    lifecycle {
      delete_after = 35
    }
  }
}

resource "aws_backup_selection" "central" {
  name         = "tagged-daily"
  plan_id      = aws_backup_plan.central.id
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"

  selection_tag {
    type  = "STRINGEQUALS"
    key   = "backup"
    value = "daily"
  }
}
"""

CFN_HEADER = """AWSTemplateFormatVersion: "2010-09-09"
Description: generated benchmark template
Parameters:
  Env:
    Type: String
    Default: prod
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
"""

CFN_TABLE = """  {name}:
    Type: AWS::DynamoDB::Table
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      TableName: !Sub "${{Env}}-{service}-{name}"
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: pk
          AttributeType: S
      KeySchema:
        - AttributeName: pk
          KeyType: HASH
      PointInTimeRecoverySpecification:
        PointInTimeRecoveryEnabled: {pitr}
      DeletionProtectionEnabled: !If [IsProd, true, false]
      Tags:
        - Key: Service
          Value: {service}
        - Key: backup
          Value: {backup}
"""

CFN_PADDING = """  {name}Topic:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: !Sub "${{Env}}-{service}-{name}"
  {name}Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub "${{Env}}-{service}-{name}"
      MessageRetentionPeriod: 1209600
"""

CFN_PLAN = """  {name}Plan:
    Type: AWS::Backup::BackupPlan
    Properties:
      BackupPlan:
        BackupPlanName: !Sub "${{Env}}-{service}-{name}"
        BackupPlanRule:
          - RuleName: daily
            TargetBackupVault: Default
            ScheduleExpression: cron(0 3 ? * * *)
            Lifecycle:
              DeleteAfterDays: 14
  {name}Selection:
    Type: AWS::Backup::BackupSelection
    Properties:
      BackupPlanId: !Ref {name}Plan
      BackupSelection:
        SelectionName: {name}
        IamRoleArn: arn:aws:iam::123456789012:role/backup
{selection}"""

CFN_BY_TAG = """        ListOfTags:
          - ConditionType: STRINGEQUALS
            ConditionKey: Service
            ConditionValue: {service}
"""

CFN_BY_ARN = """        Resources:
          - !Sub "arn:${{AWS::Partition}}:dynamodb:${{AWS::Region}}:*:table/prod-{service}-*"
          - !GetAtt {table}.Arn
          - !Sub "arn:${{AWS::Partition}}:ec2:${{AWS::Region}}:*:instance/${{{instance}}}"
"""

CFN_BY_WILDCARD = """        Resources:
          - "arn:aws:dynamodb:*:*:table/*"
        Conditions:
          StringLike:
            - ConditionKey: aws:ResourceTag/Service
              ConditionValue: {service}*
"""


def _pitr(i: int, j: int) -> str:
    return "true" if (i + j) % 2 else "false"


def _backup(i: int, j: int) -> str:
    return "daily" if (i * 3 + j) % 10 == 0 else "none"


def write_tree(root: Path, files: int) -> tuple[Path, Path]:
    """Write ``files`` files under ``root``; return one .tf file and one template path."""
    half = files // 2
    for i in range(half):
        service = f"svc{i // 10:04d}"
        d = root / "terraform" / service
        d.mkdir(parents=True, exist_ok=True)
        body = [TF_HEADER.replace("{service}", service)] if i % 10 == 0 else []
        names = [f"t{i % 10}_{j}" for j in range(1 + i % 3)]
        body += [
            TF_TABLE.format(name=n, pitr=_pitr(i, j), backup=_backup(i, j))
            for j, n in enumerate(names)
        ]
        body.append(TF_PADDING.format(name=f"worker{i % 10}"))
        if i % 5 == 0:
            kind = (i // 5) % 3
            selection = (TF_BY_TAG, TF_BY_ARN, TF_BY_WILDCARD)[kind]
            body.append(
                TF_PLAN.format(
                    name=f"p{i % 10}",
                    selection=selection.format(service=service, table=names[0]),
                )
            )
        if i == 0:
            body.append(TF_CENTRAL)
        (d / f"main{i % 10}.tf").write_text("".join(body))
    for i in range(files - half):
        service = f"stack{i // 20:04d}"
        d = root / "cloudformation" / service
        d.mkdir(parents=True, exist_ok=True)
        names = [f"S{i}Table{j}" for j in range(1 + i % 3)]
        body = [CFN_HEADER]
        body += [
            CFN_TABLE.format(name=n, service=service, pitr=_pitr(i, j), backup=_backup(i, j))
            for j, n in enumerate(names)
        ]
        body.append(CFN_PADDING.format(name=f"S{i}", service=service))
        if i % 5 == 0:
            kind = (i // 5) % 3
            selection = (CFN_BY_TAG, CFN_BY_ARN, CFN_BY_WILDCARD)[kind]
            body.append(
                CFN_PLAN.format(
                    name=f"S{i}",
                    service=service,
                    selection=selection.format(
                        service=service, table=names[0], instance=f"S{i}Queue"
                    ),
                )
            )
        (d / f"template{i % 20}.yaml").write_text("".join(body))
    return (
        root / "terraform" / "svc0000" / "main1.tf",
        root / "cloudformation" / "stack0000" / "template1.yaml",
    )
