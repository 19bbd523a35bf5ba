"""DynamoDB tables, SimpleTables, global tables and their replicas."""

from __future__ import annotations

import json

from ddb_guard.model import Value

TABLES = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Bare:
    Type: AWS::DynamoDB::Table
    Properties:
      KeySchema: []
  Full:
    Type: AWS::DynamoDB::Table
    DeletionPolicy: Retain
    UpdateReplacePolicy: Snapshot
    Properties:
      TableName: orders
      TableClass: STANDARD_INFREQUENT_ACCESS
      DeletionProtectionEnabled: "TRUE"
      PointInTimeRecoverySpecification:
        PointInTimeRecoveryEnabled: "false"
        RecoveryPeriodInDays: "7"
      Tags:
        - Key: backup
          Value: daily
"""


def test_table_defaults(build) -> None:
    b = build(TABLES)
    bare = b.one("Bare")
    assert bare.kind == "table" and bare.resource_type == "AWS::DynamoDB::Table"
    assert (bare.loc.line, bare.loc.column) == (3, 3)
    a = bare.attrs
    assert a["pitr_enabled"] == Value.absent(False)
    assert a["pitr_days"] == Value.absent(35)
    assert a["deletion_protection"] == Value.absent(False)
    assert a["deletion_protection_supported"].value is True
    assert a["deletion_policy"] == Value.absent("Delete")
    assert a["update_replace_policy"] == Value.absent("Delete")
    assert a["table_name"] == Value.absent(None)
    assert a["tags"] == Value.absent({})
    assert a["table_class"] == Value.absent("STANDARD")
    assert a["region"].unknown == "CloudFormation templates do not name a region"
    assert a["arn_hint"].value == "Bare"


def test_table_written_values_and_locations(build) -> None:
    a = build(TABLES).one("Full").attrs
    assert a["pitr_enabled"].value is False and not a["pitr_enabled"].default
    assert (a["pitr_enabled"].loc.line, a["pitr_enabled"].loc.column) == (16, 37)
    assert a["pitr_days"].value == 7
    assert a["deletion_protection"].value is True
    assert a["deletion_policy"].value == "Retain" and a["deletion_policy"].loc.line == 9
    assert a["update_replace_policy"].value == "Snapshot"
    assert a["table_name"].value == "orders" and a["arn_hint"].value == "orders"
    assert a["table_class"].value == "STANDARD_INFREQUENT_ACCESS"
    assert a["tags"].value == {"backup": "daily"} and a["tags"].loc.line == 19


def test_sam_simple_table(build) -> None:
    text = """\
Transform: [AWS::Serverless-2016-10-31]
Resources:
  Simple:
    Type: AWS::Serverless::SimpleTable
    Properties:
      TableName: s
      PointInTimeRecoverySpecification:
        PointInTimeRecoveryEnabled: true
      Tags: {team: x}
"""
    a = build(text).one("Simple").attrs
    assert a["pitr_enabled"].value is True
    assert a["deletion_protection"] == Value.absent(False)
    assert a["deletion_protection_supported"].value is False
    assert a["tags"].value == {"team": "x"}


def test_global_table_and_replicas(build) -> None:
    text = """\
Resources:
  CatalogGlobal:
    Type: AWS::DynamoDB::GlobalTable
    DeletionPolicy: Retain
    Properties:
      TableName: catalog
      Replicas:
        - Region: eu-west-1
          PointInTimeRecoverySpecification:
            PointInTimeRecoveryEnabled: true
          DeletionProtectionEnabled: true
          Tags: [{Key: env, Value: prod}]
        - Region: !Ref Other
"""
    b = build(text)
    table = b.one("CatalogGlobal")
    assert table.attrs["pitr_enabled"] == Value.absent(None)
    assert table.attrs["deletion_protection"] == Value.absent(None)
    assert table.attrs["deletion_policy"].value == "Retain"
    assert table.attrs["tags"].value == {"env": "prod"}
    eu = b.one("CatalogGlobal.Replicas[eu-west-1]")
    assert eu.kind == "replica" and eu.parent == "CatalogGlobal"
    assert (eu.loc.line, eu.loc.column) == (8, 11)
    assert eu.attrs["pitr_enabled"].value is True
    assert eu.attrs["deletion_protection"].value is True
    assert eu.attrs["region"].value == "eu-west-1"
    assert eu.attrs["table_name"].value == "catalog"
    second = b.one("CatalogGlobal.Replicas[1]")
    assert second.attrs["pitr_enabled"] == Value.absent(False)
    assert second.attrs["deletion_protection"] == Value.absent(False)
    assert not second.attrs["region"].known


def test_cdk_json_display_name(build) -> None:
    template = {
        "Resources": {
            "SessionsTableA1B2": {
                "Type": "AWS::DynamoDB::Table",
                "Properties": {
                    "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True}
                },
                "UpdateReplacePolicy": "Retain",
                "DeletionPolicy": "Retain",
                "Metadata": {"aws:cdk:path": "Stack/SessionsTable/Resource"},
            }
        }
    }
    text = json.dumps(template, indent=1)
    t = build(text, "cdk.out/Stack.template.json").one("SessionsTableA1B2")
    assert t.display_name == "Stack/SessionsTable"
    assert t.attrs["pitr_enabled"].value is True
    loc = t.attrs["pitr_enabled"].loc
    line = text.splitlines()[loc.line - 1]
    assert line[loc.column - 1 : loc.end_column - 1] == "true"
    assert '"PointInTimeRecoveryEnabled"' in line
    assert t.loc.line == 3 and t.loc.path == "cdk.out/Stack.template.json"
