"""Serverless Framework variables resolved statically, includes, stages, stack tags; and
non-boolean strings in boolean properties (every CloudFormation flavour)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ddb_guard.cloudformation import load_with_includes
from ddb_guard.cloudformation.serverless.syntax import Variable, split
from ddb_guard.config import Config
from ddb_guard.context import ScanContext
from ddb_guard.parse.yaml_loader import load_yaml
from ddb_guard.pipeline import scan


def _service(tmp_path: Path, text: str, files: dict[str, str] | None = None, stage=None):
    for name, content in (files or {}).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(content)
    path = tmp_path / "serverless.yml"
    path.write_text(text)
    data, notice = load_yaml(text, "serverless.yml")
    assert notice is None, notice
    ctx = ScanContext(root=tmp_path, env={}, serverless_stage=stage)
    entities, notices, included = load_with_includes(path, data, ctx)
    return {e.address: e for e in entities}, notices, included


def _pitr(value: str, custom: str = "", provider: str = "") -> str:
    return f"""\
service: svc
provider:
  name: aws
{provider}
custom:
  x: 1
{custom}
resources:
  Resources:
    T:
      Type: AWS::DynamoDB::Table
      Properties:
        TableName: ${{self:service}}-${{sls:stage}}
        PointInTimeRecoverySpecification:
          PointInTimeRecoveryEnabled: {value}
"""


def test_split_keeps_foreign_variables_and_parses_sources() -> None:
    parts = split("arn:${AWS::Region}:${self:custom.a.${sls:stage}, 'x, y'}-${Foo}")
    assert parts[0] == "arn:${AWS::Region}:"
    var = parts[1]
    assert isinstance(var, Variable)
    assert [(s.type, s.address, s.literal) for s in var.sources] == [
        ("self", "custom.a.${sls:stage}", None),
        ("", None, "x, y"),
    ]
    assert parts[2] == "-${Foo}"
    (file_var,) = split("${file(./a.yml):b.c, false}")
    assert isinstance(file_var, Variable)
    assert [(s.type, s.params, s.address, s.literal) for s in file_var.sources] == [
        ("file", ("./a.yml",), "b.c", None),
        ("", (), None, False),
    ]
    assert split(r"\${self:x}") == ["${self:x}"]


@pytest.mark.parametrize(
    ("stage", "provider", "expected"),
    [
        (None, "", "svc-dev"),  # no --stage, no provider.stage: dev
        (None, "  stage: qa", "svc-qa"),
        ("prod", "  stage: qa", "svc-prod"),  # --stage wins
        (None, "  stage: ${opt:stage, 'test'}", "svc-test"),
    ],
)
def test_stage(tmp_path: Path, stage, provider: str, expected: str) -> None:
    tables, _, _ = _service(tmp_path, _pitr("true", provider=provider), stage=stage)
    assert tables["T"].attrs["table_name"].value == expected
    assert tables["T"].display_name == f"T (stage {expected[4:]})"


def test_stage_keyed_flag_and_its_trace(tmp_path: Path) -> None:
    custom = "  pitr:\n    dev: false\n    prod: true"
    text = _pitr("${self:custom.pitr.${sls:stage}}", custom=custom)
    dev, _, _ = _service(tmp_path, text)
    prod, _, _ = _service(tmp_path, text, stage="prod")
    assert dev["T"].attrs["pitr_enabled"].value is False
    assert prod["T"].attrs["pitr_enabled"].value is True
    value = prod["T"].attrs["pitr_enabled"]
    assert value.loc is not None and value.loc.line == 17  # where the property is written
    assert [(t.path, t.line) for t in value.trace] == [("serverless.yml", 9)]  # prod: true


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("${opt:stage}", "${opt:stage} depends on the --stage option of serverless deploy"),
        ("${env:PITR}", "${env:PITR} depends on an environment variable, read at deploy time"),
        ("${ssm:/p}", "${ssm:/p} depends on an SSM parameter, read at deploy time"),
        ("${sls:instanceId}", "${sls:instanceId} changes on every deploy"),
        ("${self:custom.a}", "${self:custom.b} is part of a cycle of variables"),
        ("${file(flags.js):pitr}", "${file(flags.js):pitr}: ddb-guard does not run .js files"),
        ("${file(none.yml)}", "${file(none.yml)}: none.yml does not exist"),
        ("${foo:bar}", "${foo:bar}: source 'foo' is not read by ddb-guard (a plugin?)"),
    ],
)
def test_unknown_names_the_source(tmp_path: Path, value: str, reason: str) -> None:
    custom = "  a: ${self:custom.b}\n  b: ${self:custom.a}"
    (tmp_path / "flags.js").write_text("module.exports = { pitr: true };\n")
    tables, _, _ = _service(tmp_path, _pitr(value, custom=custom))
    assert tables["T"].attrs["pitr_enabled"].unknown == reason


@pytest.mark.parametrize(
    "value",
    ["${env:PITR, true}", "${ssm:/p, 'true'}", "${aws:region, self:custom.on}", "${opt:x, 1}"],
)
def test_fallbacks(tmp_path: Path, value: str) -> None:
    tables, _, _ = _service(tmp_path, _pitr(value, custom="  on: true"))
    assert tables["T"].attrs["pitr_enabled"].value in (True, "true", 1)


def test_whole_resources_file_and_nested_include(tmp_path: Path) -> None:
    text = """\
service: svc
provider: {name: aws}
resources: ${file(infra/all.yml)}
"""
    files = {
        "infra/all.yml": "Resources:\n  T: ${file(infra/table.yml)}\n",
        "infra/table.yml": "Type: AWS::DynamoDB::Table\nProperties:\n  TableName: t\n",
    }
    tables, notices, included = _service(tmp_path, text, files)
    assert notices == [] and included == ["infra/all.yml", "infra/table.yml"]
    table = tables["T"]
    assert (table.loc.path, table.loc.line) == ("infra/table.yml", 1)
    # the chain of includes, innermost first
    assert [(loc.path, loc.line) for loc, _ in table.related] == [
        ("infra/all.yml", 2),
        ("serverless.yml", 3),
    ]


def test_file_outside_repository_is_not_read(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (tmp_path / "secret.yml").write_text("Type: AWS::DynamoDB::Table\n")
    text = "service: s\nprovider: {name: aws}\nresources:\n  Resources:\n"
    text += "    T: ${file(../secret.yml)}\n"
    tables, notices, included = _service(repo, text)
    assert tables == {} and included == []
    messages = [n.message for n in notices]
    assert any("outside the repository" in m for m in messages)
    assert any(m.startswith("resource T cannot be read statically") for m in messages)


def test_bad_included_file_is_a_notice(tmp_path: Path) -> None:
    text = "service: s\nprovider: {name: aws}\nresources:\n  - ${file(bad.yml)}\n"
    _, notices, _ = _service(tmp_path, text, {"bad.yml": "Resources: [\n"})
    assert [n.path for n in notices] == ["bad.yml", "serverless.yml"]
    assert notices[1].line == 4 and "cannot be read statically" in notices[1].message


def test_fn_sub_keeps_cloudformation_variables(tmp_path: Path) -> None:
    text = """\
service: svc
provider: {name: aws}
resources:
  Resources:
    T:
      Type: AWS::DynamoDB::Table
      Properties:
        TableName: !Sub "${self:service}-${AWS::StackName}"
        Tags: [{Key: app, Value: "${self:service}"}]
"""
    tables, _, _ = _service(tmp_path, text)
    name = tables["T"].attrs["table_name"]
    assert not name.known and "AWS::StackName" in (name.unknown or "")
    assert tables["T"].attrs["tags"].value == {"STAGE": "dev", "app": "svc"}


def test_stack_tags_reach_tables_and_table_tags_win(tmp_path: Path) -> None:
    text = """\
service: svc
provider:
  name: aws
  tags: {fn-only: x}
  stackTags: {team: "${self:custom.team}", app: from-stack, stage: custom}
custom: {team: data}
resources:
  Resources:
    T:
      Type: AWS::DynamoDB::Table
      Properties:
        Tags: [{Key: app, Value: mine}]
    U: {Type: AWS::DynamoDB::Table}
"""
    tables, _, _ = _service(tmp_path, text)
    # STAGE gives way to a stackTags key that differs only in case, as in the Framework
    assert tables["T"].attrs["tags"].value == {"team": "data", "app": "mine", "stage": "custom"}
    assert tables["U"].attrs["tags"].value == {
        "team": "data",
        "app": "from-stack",
        "stage": "custom",
    }


def test_backup_selection_by_stack_tag_covers_the_table(tmp_path: Path) -> None:
    (tmp_path / "serverless.yml").write_text("""\
service: svc
provider:
  name: aws
  stackTags: {backup: daily}
resources:
  Resources:
    T:
      Type: AWS::DynamoDB::Table
      Properties: {TableName: "${self:service}-${sls:stage}-t"}
    Plan:
      Type: AWS::Backup::BackupPlan
      Properties:
        BackupPlan:
          BackupPlanName: p
          BackupPlanRule:
            - RuleName: daily
              TargetBackupVault: v
              ScheduleExpression: cron(0 3 * * ? *)
              Lifecycle: {DeleteAfterDays: 35}
    Sel:
      Type: AWS::Backup::BackupSelection
      Properties:
        BackupPlanId: !Ref Plan
        BackupSelection:
          SelectionName: s
          IamRoleArn: arn:aws:iam::123456789012:role/b
          ListOfTags:
            - {ConditionType: STRINGEQUALS, ConditionKey: backup, ConditionValue: daily}
""")
    result = scan([tmp_path], ScanContext(root=tmp_path, env={}), Config())
    (rule,) = result.model.of_kind("backup_rule")
    assert rule.attrs["covered_tables"].value == ["T"]
    assert "BKP001" in {f.rule_id for f in result.findings}
    (table,) = result.model.of_kind("table")
    assert table.attrs["table_name"].value == "svc-dev-t"


@pytest.mark.parametrize(
    ("template", "rule", "reason"),
    [
        (
            "Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n"
            "      DeletionProtectionEnabled: '${PROTECT}'\n",
            "DDB003",
            "'${PROTECT}' is not a boolean",
        ),
        (
            "Transform: AWS::Serverless-2016-10-31\nResources:\n  T:\n"
            "    Type: AWS::Serverless::SimpleTable\n    Properties:\n"
            "      PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: '{{pitr}}'}\n",
            "DDB001",
            "'{{pitr}}' is not a boolean",
        ),
    ],
)
def test_non_boolean_string_is_unknown_not_false(
    tmp_path: Path, template: str, rule: str, reason: str
) -> None:
    (tmp_path / "t.yaml").write_text(template)
    result = scan([tmp_path], ScanContext(root=tmp_path, env={}), Config())
    (finding,) = [f for f in result.findings if f.rule_id == rule]
    assert finding.outcome == "unknown" and finding.level == "note"
    assert reason in finding.message


def test_service_written_as_code_is_a_notice(tmp_path: Path) -> None:
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "serverless.ts").write_text("export default { service: 'x' };\n")
    both = tmp_path / "both"
    both.mkdir()
    (both / "serverless.ts").write_text("export default {};\n")
    (both / "serverless.yml").write_text("service: s\nprovider: {name: aws}\n")
    result = scan([tmp_path], ScanContext(root=tmp_path, env={}), Config())
    assert [(n.path, n.level) for n in result.notices] == [("api/serverless.ts", "warning")]
    assert "does not run code" in result.notices[0].message


@pytest.mark.parametrize(("stage", "created"), [(None, False), ("prod", True)])
def test_conditions_from_another_fragment(tmp_path: Path, stage, created: bool) -> None:
    text = """\
service: svc
provider: {name: aws}
resources:
  - Conditions:
      IsProd: !Equals ["${sls:stage}", prod]
  - ${file(tables.yml)}
"""
    tables_yml = "Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Condition: IsProd\n"
    tables, notices, _ = _service(tmp_path, text, {"tables.yml": tables_yml}, stage=stage)
    assert notices == []
    assert ("T" in tables) is created


def test_self_reference_cycles_and_blowups_stay_bounded(tmp_path: Path) -> None:
    levels = "\n".join(
        f"  l{i}: {{a: '${{self:custom.l{i - 1}}}', b: '${{self:custom.l{i - 1}}}'}}"
        for i in range(1, 40)
    )
    text = f"""\
service: s
provider: {{name: aws}}
custom:
  l0: {{x: 1}}
{levels}
resources:
  Resources:
    T:
      Type: AWS::DynamoDB::Table
      Properties:
        TableName: ${{self:}}
        Tags: ${{self:custom.l39}}
        PointInTimeRecoverySpecification: ${{self:resources}}
"""
    tables, _, _ = _service(tmp_path, text)
    attrs = tables["T"].attrs
    assert attrs["table_name"].unknown == "a variable here refers to a value holding it"
    assert attrs["pitr_enabled"].unknown == "a variable here refers to a value holding it"
    assert "expands to more than 500,000 values" in repr(attrs["tags"])
