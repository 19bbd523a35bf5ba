"""The entity spec (ddb_guard/entity_spec.py): one contract for front-ends, the rule
validator, the docs and the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from ddb_guard import entity_spec
from ddb_guard.cloudformation import load_template
from ddb_guard.context import ScanContext
from ddb_guard.engine.validate import validate_rule_files
from ddb_guard.model import KINDS, SUPPRESSION, Entity
from ddb_guard.parse.yaml_loader import load_yaml
from ddb_guard.pipeline import scan

REPO = Path(__file__).resolve().parent.parent

_TYPES = {"bool": bool, "int": int, "str": str, "float": float, "None": type(None)}


def test_every_kind_has_a_spec_and_names_are_unique() -> None:
    assert set(entity_spec.SPEC) == {*KINDS, SUPPRESSION}
    for kind, specs in entity_spec.SPEC.items():
        names = [a.name for a in specs]
        assert len(names) == len(set(names)), kind
        for a in specs:
            assert a.description and a.type, (kind, a.name)
            assert not (a.enriched and (a.optional or a.derived)), (kind, a.name)


@pytest.mark.parametrize(
    "attr",
    [a for specs in entity_spec.SPEC.values() for a in specs if not (a.enriched or a.derived)],
    ids=lambda a: a.name,
)
def test_defaults_have_the_declared_type(attr: entity_spec.AttributeSpec) -> None:
    """A default is of the attribute's type, or null (nothing written: rules read null)."""
    parts = attr.type.split("|")
    kinds = tuple(_TYPES[p] for p in parts if p in _TYPES)
    if len(kinds) < len(parts):  # containers and policy documents
        kinds = (list, dict)
    for value in (attr.default, *(v for _, v in attr.source_defaults)):
        assert value is None or isinstance(value, kinds), (attr.name, value)


def test_mutable_defaults_are_not_shared() -> None:
    one = entity_spec.absent("table", "tags")
    one.value["team"] = "x"
    assert entity_spec.absent("table", "tags").value == {}


def test_unknown_attribute_is_a_key_error_that_names_it() -> None:
    with pytest.raises(KeyError, match="pitr_enabeld"):
        entity_spec.default("table", "pitr_enabeld")


def test_source_defaults() -> None:
    assert entity_spec.default("backup_rule", "start_window", "terraform") == 60
    assert entity_spec.default("backup_rule", "start_window", "cloudformation") is None
    assert entity_spec.default("table", "deletion_policy", "cloudformation") == "Delete"
    assert entity_spec.default("table", "deletion_policy", "terraform") is None


# --- both front-ends take their defaults from the spec ---------------------------------

_BARE_TF = """
resource "aws_dynamodb_table" "t" {
  name     = "t"
  hash_key = "pk"
}
resource "aws_backup_plan" "p" {
  name = "p"
  rule {
    rule_name         = "r"
    target_vault_name = "v"
  }
}
"""

_BARE_CFN = """
Resources:
  T:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: t
  P:
    Type: AWS::Backup::BackupPlan
    Properties:
      BackupPlan:
        BackupPlanName: p
        BackupPlanRule:
          - RuleName: r
            TargetBackupVault: v
  G:
    Type: AWS::DynamoDB::GlobalTable
    Properties:
      TableName: g
      Replicas:
        - Region: eu-west-1
"""


def _absent_match(entities: list[Entity], source: str) -> None:
    """Every attribute a bare resource does not write is the spec's absent default."""
    checked = 0
    for e in entities:
        for name, a in entity_spec.attributes(e.kind).items():
            value = e.attrs.get(name)
            if a.enriched or a.derived or value is None or not getattr(value, "default", False):
                continue
            if (
                name in entity_spec.PER_REPLICA
                and e.kind == "table"
                and e.attrs["protection_per_replica"].value
            ):
                assert value.value is None, (e.address, name)  # judged on the replicas
                continue
            assert value.value == a.default_for(source), (e.address, name, value)
            checked += 1
    assert checked >= 8


def test_terraform_defaults_come_from_the_spec(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(_BARE_TF)
    model = scan([tmp_path], ScanContext(root=tmp_path)).model
    tables = [e for e in model.entities if e.kind == "table"]
    assert tables and tables[0].attrs["protection_per_replica"].value is False
    _absent_match(model.entities, "terraform")
    rule = next(e for e in model.entities if e.kind == "backup_rule")
    assert rule.attrs["start_window"].value == 60 and rule.attrs["start_window"].default


def test_cloudformation_defaults_come_from_the_spec(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(_BARE_CFN)
    data, _ = load_yaml(_BARE_CFN, "t.yaml")
    entities, _ = load_template(path, data, ScanContext(root=tmp_path))
    _absent_match(entities, "cloudformation")
    by = {e.address: e for e in entities}
    assert by["T"].attrs["protection_per_replica"].value is False
    assert by["G"].attrs["protection_per_replica"].value is True
    assert by["G"].attrs["pitr_enabled"].value is None  # judged on G.Replicas[eu-west-1]
    assert by["P.BackupPlanRule[r]"].attrs["start_window"].value is None


@pytest.mark.parametrize("example", ["terraform", "cloudformation", "sam", "serverless", "cdk"])
def test_scanned_entities_have_exactly_the_spec(example: str) -> None:
    """After enrichment every entity has its kind's front-end and enriched attributes, and
    nothing the spec does not list."""
    root = REPO / "examples" / example
    entities = scan([root], ScanContext(root=root)).model.entities
    assert entities
    for e in entities:
        have = set(e.attrs)
        need = entity_spec.front_end_owned(e.kind) | entity_spec.enriched(e.kind)
        assert need <= have, (e.address, need - have)
        assert have <= entity_spec.readable(e.kind), (
            e.address,
            have - entity_spec.readable(e.kind),
        )


# --- the rule validator ------------------------------------------------------------------

_RULE = """id: TST001
name: test-rule
severity: warning
short: a test rule
params:
  min_days: {{default: 35, description: days}}
condition:
  kind: {kind}
  fail: "{fail}"
message: "{message}"
docs:
  what: "Flags a table for the validator tests; nothing in the shipped rules reads this."
  why: "A rule that names an attribute its kind does not have reads null and never fires."
  fix: {{terraform: t}}
  references: ["https://example.com"]
"""


def _problems(tmp_path: Path, fail: str, message: str = "x", kind: str = "table") -> list[str]:
    path = tmp_path / "TST001.yaml"
    path.write_text(_RULE.format(kind=kind, fail=fail, message=message))
    return validate_rule_files([path])


def test_validator_accepts_front_end_enriched_and_data_fields(tmp_path: Path) -> None:
    fail = "pitr_enabled != `true` && size_gb > `1` && source == 'terraform'"
    assert _problems(tmp_path, fail, "{label}: {pitr_days} < {params.min_days}") == []
    assert _problems(tmp_path, "covers_dynamodb == `true`", kind="backup_rule") == []


def test_validator_names_an_attribute_the_kind_does_not_have(tmp_path: Path) -> None:
    (problem,) = _problems(tmp_path, "pitr_enabeld != `true`")
    assert "condition reads 'pitr_enabeld', which a table does not have" in problem
    assert "did you mean 'pitr_enabled'?" in problem
    # an attribute of another kind
    (problem,) = _problems(tmp_path, "covers_dynamodb == `true`")
    assert "'covers_dynamodb', which a table does not have" in problem


def test_validator_checks_messages_and_params(tmp_path: Path) -> None:
    (problem,) = _problems(tmp_path, "pitr_enabled != `true`", "{tabel_name} is off")
    assert "message reads 'tabel_name'" in problem and "'table_name'" in problem
    (problem,) = _problems(tmp_path, "pitr_days < params.min_dayz")
    assert "params.min_dayz, which the rule does not declare (params: min_days)" in problem


def test_validator_explains_a_bare_null(tmp_path: Path) -> None:
    """``x != null`` reads a field called null (JMESPath), which only happens to be missing."""
    (problem,) = _problems(tmp_path, "kms_key != null")
    assert "reads 'null'" in problem and "the literal is written `null`" in problem


# --- the docs -----------------------------------------------------------------------------


def test_architecture_doc_shows_the_spec() -> None:
    text = (REPO / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    start, end = "<!-- entity-spec:start -->\n", "<!-- entity-spec:end -->"
    assert start in text and end in text
    shown = text.split(start, 1)[1].split(end, 1)[0]
    assert shown == entity_spec.markdown_table()
    assert "| table | `protection_per_replica` |" in shown
