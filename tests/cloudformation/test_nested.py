"""Nested stacks: parent Parameters flow into local child templates, judged once."""

from __future__ import annotations

from pathlib import Path

from ddb_guard.config import Config
from ddb_guard.context import ScanContext
from ddb_guard.pipeline import scan

PARENT = """\
Resources:
  Tables:
    Type: {kind}
    Properties:
      {prop}: {url}
      Parameters:
        EnablePitr: "false"
"""
CHILD = """\
Parameters:
  EnablePitr: {Type: String, Default: "true"}
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      PointInTimeRecoverySpecification:
        PointInTimeRecoveryEnabled: !Ref EnablePitr
"""


def _scan(root: Path, *paths: str):
    ctx = ScanContext(root=root, env={})
    result = scan([root / p for p in paths] or [root], ctx, Config())
    return [f for f in result.findings if f.rule_id == "DDB001"], result


def _write(root: Path, parent: str) -> None:
    (root / "stacks").mkdir()
    (root / "stacks" / "child.yaml").write_text(CHILD)
    (root / "parent.yaml").write_text(parent)


def test_parent_parameter_turns_child_pitr_off_reported_once_in_the_child(tmp_path) -> None:
    _write(
        tmp_path,
        PARENT.format(
            kind="AWS::CloudFormation::Stack", prop="TemplateURL", url="stacks/child.yaml"
        ),
    )
    findings, _ = _scan(tmp_path)  # parent and child both scanned: one finding
    (finding,) = findings
    assert finding.level == "error" and finding.outcome == "fail"
    assert (finding.loc.path, finding.loc.line) == ("stacks/child.yaml", 8)
    assert finding.address == "Table"
    related = {(loc.path, loc.line) for loc, _ in finding.related}
    assert ("parent.yaml", 7) in related  # EnablePitr: "false"


def test_sam_application_with_a_local_location(tmp_path) -> None:
    _write(
        tmp_path,
        PARENT.format(
            kind="AWS::Serverless::Application", prop="Location", url="./stacks/child.yaml"
        ),
    )
    findings, _ = _scan(tmp_path, "parent.yaml")
    assert [(f.loc.path, f.level) for f in findings] == [("stacks/child.yaml", "error")]


def test_child_scanned_without_its_parent_keeps_its_defaults(tmp_path) -> None:
    _write(
        tmp_path,
        PARENT.format(
            kind="AWS::CloudFormation::Stack", prop="TemplateURL", url="stacks/child.yaml"
        ),
    )
    findings, result = _scan(tmp_path, "stacks/child.yaml")
    assert findings == []
    (table,) = result.model.of_kind("table")
    assert table.via == "" and table.attrs["pitr_enabled"].value is True


def test_two_instantiations_are_two_sets_of_resources(tmp_path) -> None:
    parent = PARENT.format(
        kind="AWS::CloudFormation::Stack", prop="TemplateURL", url="stacks/child.yaml"
    )
    parent += (
        parent.replace("Resources:\n", "").replace("Tables:", "More:").replace('"false"', '"true"')
    )
    _write(tmp_path, parent)
    _, result = _scan(tmp_path)
    tables = {t.display_name: t.attrs["pitr_enabled"].value for t in result.model.of_kind("table")}
    assert tables == {"Tables/Table": False, "More/Table": True}
    assert len({t.identity for t in result.model.of_kind("table")}) == 2


def test_remote_or_missing_templates_are_notices(tmp_path) -> None:
    (tmp_path / "parent.yaml").write_text(
        PARENT.format(kind="AWS::CloudFormation::Stack", prop="TemplateURL", url="missing.yaml")
        + PARENT.replace("Resources:\n", "")
        .replace("Tables:", "Remote:")
        .format(kind="AWS::CloudFormation::Stack", prop="TemplateURL", url="https://x/c.yaml")
    )
    _, result = _scan(tmp_path)
    messages = [n.message for n in result.notices]
    assert any("missing.yaml not found" in m for m in messages)
    assert any("https://x/c.yaml is not on disk" in m for m in messages)


def test_a_template_that_deploys_itself_stops(tmp_path) -> None:
    (tmp_path / "loop.yaml").write_text(
        PARENT.format(kind="AWS::CloudFormation::Stack", prop="TemplateURL", url="loop.yaml")
    )
    _, result = _scan(tmp_path)
    assert any("includes itself" in n.message for n in result.notices)


def test_cdk_nested_stack_template_from_asset_metadata(tmp_path) -> None:
    parent = """\
{"Resources": {"Nested": {
  "Type": "AWS::CloudFormation::Stack",
  "Properties": {
    "TemplateURL": {"Fn::Join": ["", ["https://s3.", {"Ref": "AWS::URLSuffix"}, "/x.json"]]},
    "Parameters": {"EnablePitr": "false"}
  },
  "Metadata": {"aws:asset:path": "ShopNested.nested.template.json",
               "aws:asset:property": "TemplateURL"}
}}}
"""
    (tmp_path / "Shop.template.json").write_text(parent)
    (tmp_path / "ShopNested.nested.template.json").write_text(
        '{"Parameters": {"EnablePitr": {"Type": "String", "Default": "true"}},'
        ' "Resources": {"Table": {"Type": "AWS::DynamoDB::Table", "Properties":'
        ' {"PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled":'
        ' {"Ref": "EnablePitr"}}}}}}'
    )
    findings, _ = _scan(tmp_path)
    assert [f.loc.path for f in findings] == ["ShopNested.nested.template.json"]
