"""Whether a resource or block exists is kept apart from what it is.

``count``/``for_each`` (of resources, module calls and ``dynamic`` blocks) that depend on
inputs make existence unknown, not the values: the instances are still evaluated and
judged "when created". A literal zero stays nothing.
"""

from __future__ import annotations

from pathlib import Path

from tf_helpers import load

from ddb_guard.config import Config
from ddb_guard.context import ScanContext
from ddb_guard.pipeline import scan
from ddb_guard.terraform.to_model import to_entities

TABLE = """
resource "aws_dynamodb_table" "t" {
  name     = "t"
  hash_key = "pk"
  point_in_time_recovery {
    enabled = true
  }
  dynamic "replica" {
    for_each = %s
    content {
      region_name            = "eu-west-1"
      point_in_time_recovery = false
    }
  }
}
"""


def _replicas(tmp_path: Path, for_each: str, pre: str = "", **kw):
    resources, _ = load(tmp_path, {"main.tf": pre + TABLE % for_each}, **kw)
    entities = to_entities(list(resources.values()))
    return [e for e in entities if e.kind == "replica"]


def test_dynamic_block_with_unknown_for_each_keeps_its_values(tmp_path: Path) -> None:
    pre = 'variable "secondary" {\n  type = string\n}\n'
    (rep,) = _replicas(tmp_path, 'var.secondary == "" ? [] : [1]', pre)
    assert rep.attrs["pitr_enabled"].known and rep.attrs["pitr_enabled"].value is False
    assert rep.attrs["region"].value == "eu-west-1"
    assert rep.exists is not None and "var.secondary" in rep.exists.unknown


def test_empty_for_each_from_a_root_default_is_judged_when_created(tmp_path: Path) -> None:
    pre = 'variable "regions" {\n  type    = list(string)\n  default = []\n}\n'
    (rep,) = _replicas(tmp_path, "var.regions", pre)
    assert rep.exists.unknown == "for_each is empty with the default of var.regions"
    assert rep.attrs["pitr_enabled"].value is False


def test_empty_for_each_set_by_tfvars_or_literal_is_nothing(tmp_path: Path) -> None:
    pre = 'variable "regions" {\n  type    = list(string)\n  default = ["x"]\n}\n'
    files_tfvars = {"terraform.tfvars": "regions = []\n"}
    (tmp_path / "a").mkdir()
    from tf_helpers import write

    write(tmp_path / "a", files_tfvars)
    assert _replicas(tmp_path / "a", "var.regions", pre) == []
    (tmp_path / "b").mkdir()
    assert _replicas(tmp_path / "b", "[]") == []


def test_known_for_each_creates_known_replicas(tmp_path: Path) -> None:
    (rep,) = _replicas(tmp_path, '["a"]')
    assert rep.exists is None and rep.address == "aws_dynamodb_table.t.replica[eu-west-1]"


def test_count_from_default_and_literal_zero(tmp_path: Path) -> None:
    files = {
        "main.tf": """
variable "create" {
  type    = bool
  default = false
}
resource "aws_dynamodb_table" "maybe" {
  count    = var.create ? 1 : 0
  name     = "maybe"
  hash_key = "pk"
}
resource "aws_dynamodb_table" "never" {
  count    = 0
  name     = "never"
  hash_key = "pk"
}
"""
    }
    resources, _ = load(tmp_path, files)
    assert set(resources) == {"aws_dynamodb_table.maybe"}
    assert resources["aws_dynamodb_table.maybe"].exists.unknown == (
        "count is 0 with the default of var.create"
    )


def test_default_of_a_called_module_is_the_callers_choice(tmp_path: Path) -> None:
    """Only the scanned root's inputs are inputs: a module call that leaves a child's
    replicas at their default [] creates none, and nobody can change that but its code."""
    child = 'variable "regions" {\n  type    = list(string)\n  default = []\n}\n' + TABLE % (
        "var.regions"
    )
    files = {
        "main.tf": 'module "m" {\n  source = "./m"\n}\n',
        "m/main.tf": child,
    }
    resources, _ = load(tmp_path, files)
    entities = to_entities(list(resources.values()))
    assert [e for e in entities if e.kind == "replica"] == []


def test_module_instantiated_zero_times_by_default(tmp_path: Path) -> None:
    files = {
        "main.tf": """
variable "regions" {
  type    = set(string)
  default = []
}
module "m" {
  source   = "./m"
  for_each = var.regions
}
""",
        "m/main.tf": 'resource "aws_dynamodb_table" "t" {\n  name = "t"\n  hash_key = "pk"\n}\n',
    }
    resources, _ = load(tmp_path, files)
    res = resources["module.m.aws_dynamodb_table.t"]
    assert res.exists.unknown == "for_each is empty with the default of var.regions"


def test_finding_message_says_when_created_at_rule_level(tmp_path: Path) -> None:
    pre = 'variable "secondary" {\n  type = string\n}\n'
    (tmp_path / "main.tf").write_text(pre + TABLE % 'var.secondary == "" ? [] : [1]')
    result = scan([tmp_path], ScanContext(root=tmp_path, env={}), Config())
    (f,) = [f for f in result.findings if f.rule_id == "DDB005"]
    assert f.level == "error" and f.outcome == "fail"
    assert f.address == "aws_dynamodb_table.t.replica[eu-west-1]"
    assert f.message.endswith(
        "(when created: for_each depends on var.secondary, which has no default)."
    )
    assert f.loc.line == 15  # point_in_time_recovery = false


def test_replica_of_an_undeclared_provider_alias_says_which(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'provider "aws" {\n  region = "us-east-1"\n}\n'
        'resource "aws_dynamodb_table" "p" {\n  name = "p"\n}\n'
        'resource "aws_dynamodb_table_replica" "r" {\n  provider = aws.eu\n'
        "  global_table_arn = aws_dynamodb_table.p.arn\n}\n"
    )
    result = scan([tmp_path], ScanContext(root=tmp_path, env={}), Config())
    (f,) = [f for f in result.findings if f.rule_id == "DDB005"]
    assert "in an unknown region (provider aws.eu is not declared in the scanned code)" in (
        f.message
    )
    assert " in unknown " not in f.message


def test_cost_report_marks_rules_created_only_for_some_inputs(monkeypatch) -> None:
    import json

    from click.testing import CliRunner

    from ddb_guard.cli import main

    rules_dir = Path(__file__).resolve().parents[2] / "rules"
    monkeypatch.chdir(rules_dir)
    out = CliRunner().invoke(main, ["cost", "--format", "json", "backup/BKP007.zero_instances"])
    (rule,) = json.loads(out.stdout)["rules"]
    assert rule["created_when"] == "for_each is empty with the default of var.regions"
    text = CliRunner().invoke(main, ["cost", "backup/BKP007.zero_instances"]).stdout
    assert "continuous (when created)" in text


def test_dynamic_backup_rule_with_unknown_for_each(tmp_path: Path) -> None:
    files = {
        "main.tf": """
variable "schedules" {
  type = list(string)
}
resource "aws_backup_plan" "p" {
  name = "p"
  dynamic "rule" {
    for_each = var.schedules
    content {
      rule_name         = "r"
      target_vault_name = "v"
      schedule          = rule.value
      lifecycle {
        delete_after = 400
      }
    }
  }
}
"""
    }
    resources, _ = load(tmp_path, files)
    (rule,) = [e for e in to_entities(list(resources.values())) if e.kind == "backup_rule"]
    assert rule.address == "aws_backup_plan.p.rule[r]"
    assert rule.attrs["delete_after"].value == 400  # what every rule it creates keeps
    assert "rule.value" in rule.attrs["schedule"].unknown  # truly depends on the input
    assert rule.exists.unknown == "for_each depends on var.schedules, which has no default"


def test_only_an_off_default_makes_existence_depend_on_inputs(tmp_path: Path) -> None:
    """A structure that is empty whatever a non-empty default says (here the name) is
    nothing; only a default that switches things off ([], false, 0, "") counts."""
    files = {
        "main.tf": """
variable "name" {
  type    = string
  default = "orders"
}
locals {
  plans  = { p = { name = var.name, tables = {} } }
  tables = merge([for p in local.plans : p.tables]...)
}
resource "aws_dynamodb_table" "t" {
  for_each = local.tables
  name     = each.value
}
"""
    }
    resources, _ = load(tmp_path, files)
    assert resources == {}
