"""Serverless Framework files, in-template suppressions, and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from ddb_guard.cloudformation import load_template
from ddb_guard.context import ScanContext
from ddb_guard.parse.yaml_loader import load_json, load_yaml

SERVERLESS = """\
service: orders
provider:
  name: aws
  region: eu-west-1
resources:
  Resources:
    OrdersTable:
      Type: AWS::DynamoDB::Table
      Properties:
        TableName: ${self:service}-${sls:stage}-orders
        PointInTimeRecoverySpecification:
          PointInTimeRecoveryEnabled: true
"""


def test_serverless(build) -> None:
    t = build(SERVERLESS, "serverless.yml").one("OrdersTable")
    assert t.attrs["pitr_enabled"].value is True
    assert t.attrs["region"].value == "eu-west-1"
    assert t.attrs["table_name"].value == "orders-dev-orders"  # ${sls:stage}: dev
    assert t.attrs["arn_hint"].value == "orders-dev-orders"
    assert t.display_name == "OrdersTable (stage dev)"


def test_serverless_resources_list_and_region_variable(build) -> None:
    text = """\
service: s
provider: {name: aws, region: "${opt:region, 'us-east-1'}"}
resources:
  - ${file(extra.yml)}
  - Resources:
      T: {Type: AWS::DynamoDB::Table}
"""
    b = build(text, "serverless.yml")
    assert b.one("T").attrs["region"].value == "us-east-1"  # no --region: the fallback
    (missing,) = b.notices
    assert (missing.line, missing.path) == (4, "serverless.yml")
    assert "extra.yml does not exist" in missing.message


SUPPRESSED = """\
Resources:
  G:
    Type: AWS::DynamoDB::GlobalTable
    Metadata:
      ddb-guard:
        ignore:
          - rule: DDB001
            reason: replicas restored from S3 exports
          - rule: [DDB002, DDB003]
          - DDB004
          - {reason: no rule}
    Properties:
      Replicas: [{Region: us-east-1}]
  P:
    Type: AWS::Backup::BackupPlan
    Metadata: {ddb-guard: {ignore: {rule: DDB010, reason: ok}}}
    Properties: {BackupPlan: {BackupPlanName: p, BackupPlanRule: [{RuleName: r}]}}
"""


def test_suppressions_apply_to_children(build) -> None:
    b = build(SUPPRESSED)
    table, replica = b.one("G"), b.one("G.Replicas[us-east-1]")
    rules = [(s.rule, s.reason, s.loc.line) for s in table.suppressions]
    assert rules == [
        ("DDB001", "replicas restored from S3 exports", 7),
        ("DDB002", "", 9),
        ("DDB003", "", 9),
        ("DDB004", "", 10),
        ("", "no rule", 11),  # names no rule: SUP001 reports it
    ]
    assert [s.rule for s in replica.suppressions] == ["DDB001", "DDB002", "DDB003", "DDB004", ""]
    assert b.notices == []
    assert [s.rule for s in b.one("P.BackupPlanRule[r]").suppressions] == ["DDB010"]


def _load(tmp_path: Path, text: str, name: str = "t.yaml"):
    load = load_json if name.endswith(".json") else load_yaml
    data, notice = load(text, name)
    (tmp_path / name).write_text(text)
    return data, notice, load_template(tmp_path / name, data, ScanContext(root=tmp_path))


@pytest.mark.parametrize(
    ("text", "name", "line"),
    [
        ("Resources:\n  T: [\n", "t.yaml", 3),
        ('{"Resources": {"T": }', "t.json", 1),
    ],
)
def test_malformed_is_one_notice(tmp_path: Path, text: str, name: str, line: int) -> None:
    data, notice, _ = _load(tmp_path, text, name)
    assert data is None and notice is not None
    assert notice.kind == "parse-error" and notice.line == line and notice.path == name


@pytest.mark.parametrize("data", [None, ["a"], "text", 3])
def test_non_mapping_template(tmp_path: Path, data: object) -> None:
    entities, notices = load_template(tmp_path / "t.yaml", data, ScanContext(root=tmp_path))
    assert entities == [] and len(notices) == 1 and notices[0].path == "t.yaml"


def test_empty_file(tmp_path: Path) -> None:
    _, notice, (entities, notices) = _load(tmp_path, "")
    assert notice is not None and notice.message == "file is empty"
    assert entities == [] and notices[0].message == "template is empty"


def test_bad_resources_rest_still_analysed(tmp_path: Path) -> None:
    text = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  NoType:
    Properties: {}
  ListProps:
    Type: AWS::DynamoDB::Table
    Properties: [a, b]
  NotAMapping: 3
  Good:
    Type: AWS::DynamoDB::Table
"""
    _, notice, (entities, notices) = _load(tmp_path, text)
    assert notice is None
    assert [e.address for e in entities] == ["Good"]
    assert [(n.line, n.message) for n in notices] == [
        (3, "resource NoType has no Type"),
        (7, "resource ListProps: Properties must be a mapping, found a list"),
        (8, "resource NotAMapping is not a mapping"),
    ]


def test_resources_list(tmp_path: Path) -> None:
    text = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  - Type: AWS::DynamoDB::Table\n'
    _, _, (entities, notices) = _load(tmp_path, text)
    assert entities == []
    assert [(n.line, n.message) for n in notices] == [
        (2, "Resources must be a mapping, found a list")
    ]


def test_pathological_input_never_raises(tmp_path: Path) -> None:
    for text in ("[" * 10_000 + "]" * 10_000, "a: &a [*a]\n"):
        data, notice, (entities, notices) = _load(tmp_path, text)
        assert data is None and notice is not None and entities == [] and len(notices) == 1
    text = """\
Resources:
  T:
    Type: AWS::DynamoDB::Table
    Properties:
      PointInTimeRecoverySpecification: !If [C]
      TableName: !Sub [1, 2, 3]
      Tags: !GetAtt
"""
    _, notice, (entities, _) = _load(tmp_path, text)
    assert notice is None
    (table,) = entities
    assert table.attrs["pitr_enabled"].unknown == "Fn::If needs [condition, then, else]"
    assert table.attrs["table_name"].unknown == "Fn::Sub needs a string"
    assert not table.attrs["tags"].known
