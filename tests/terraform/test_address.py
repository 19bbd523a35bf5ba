"""One parsed Terraform address type: module path, type, name, instance key; quoted keys
may hold dots, brackets and escaped quotes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ddb_guard.context import ScanContext
from ddb_guard.enrich.arn import ref_kind
from ddb_guard.pipeline import scan
from ddb_guard.terraform.address import Address, Step, key_text, steps, without_keys

ODD_KEYS = ['"a.b]"', '"x]y.z"', '"q\\"].r"', '"[.]"']


def test_steps_keep_dots_inside_keys() -> None:
    assert [str(s) for s in steps('module.a["x.y"].aws_t.n[0].arn')] == [
        "module",
        'a["x.y"]',
        "aws_t",
        "n[0]",
        "arn",
    ]
    assert steps('aws_t.n["a.b]"]') == [Step("aws_t"), Step("n", '["a.b]"]')]


@pytest.mark.parametrize("key", ODD_KEYS)
def test_quoted_keys_with_brackets_and_dots(key: str) -> None:
    text = f"module.m[{key}].aws_dynamodb_table.t[{key}]"
    addr = Address.parse(text)
    assert addr is not None
    assert (addr.module_names, addr.type, addr.name, addr.key) == (
        ("m",),
        "aws_dynamodb_table",
        "t",
        f"[{key}]",
    )
    assert addr.module_prefix == f"module.m[{key}]."
    assert str(addr) == addr.resource == text
    assert without_keys(text) == "module.m.aws_dynamodb_table.t"
    ref = Address.parse(text + ".arn")
    assert ref is not None and ref.resource == text and ref.rest == (Step("arn"),)


@pytest.mark.parametrize(
    ("address", "prefix"),
    [
        ("aws_dynamodb_table.t", ""),
        ('module.a["k"].module.b.aws_dynamodb_table.t[0]', 'module.a["k"].module.b.'),
    ],
)
def test_module_prefix(address: str, prefix: str) -> None:
    parsed = Address.parse(address)
    assert parsed is not None and parsed.module_prefix == prefix


@pytest.mark.parametrize(
    ("ref", "target"),
    [
        ("aws_backup_plan.p.id", "aws_backup_plan.p"),
        ('aws_backup_plan.p["a"].arn', 'aws_backup_plan.p["a"]'),
        ("module.m.aws_dynamodb_table.t.arn", "module.m.aws_dynamodb_table.t"),
        ("data.aws_dynamodb_table.t.arn", "data.aws_dynamodb_table.t"),
        ('aws_backup_plan.p["a.b]"].arn', 'aws_backup_plan.p["a.b]"]'),
        ("var.plan_id", None),
        ("local.x", None),
        ("module.m.plan_id", None),
        ("each.value", None),
    ],
)
def test_the_resource_a_reference_names(ref: str, target: str | None) -> None:
    parsed = Address.parse(ref)
    assert (parsed.resource if parsed is not None else None) == target


def test_key_text_round_trips_through_the_parser() -> None:
    assert key_text(0) == "[0]" and key_text(True) == '["True"]'
    for key in ("a.b]", 'q"].r', "[.]"):
        parsed = Address.parse(f"aws_x.y{key_text(key)}")
        assert parsed is not None and json.loads(parsed.key[1:-1]) == key


def test_enrichment_reads_keyed_module_references_with_dots() -> None:
    assert ref_kind('module.m["a.b"].aws_dynamodb_table.t.arn') == "dynamodb"
    assert ref_kind("module.m.aws_backup_vault.v.arn") == "other"


TF = """variable "tables" {
  default = ["a.b]"]
}

resource "aws_dynamodb_table" "t" {
  for_each     = toset(var.tables)
  name         = each.key
  hash_key     = "id"
  billing_mode = "PAY_PER_REQUEST"
  attribute {
    name = "id"
    type = "S"
  }
}
"""


def test_a_plan_supersedes_the_configuration_for_keys_with_dots_and_brackets(
    tmp_path: Path,
) -> None:
    (tmp_path / "main.tf").write_text(TF)
    plan = {
        "format_version": "1.2",
        "resource_changes": [
            {
                "address": 'aws_dynamodb_table.t["a.b]"]',
                "mode": "managed",
                "type": "aws_dynamodb_table",
                "name": "t",
                "index": "a.b]",
                "change": {
                    "actions": ["create"],
                    "after": {"name": "a.b]", "hash_key": "id"},
                    "after_unknown": {},
                },
            }
        ],
    }
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    result = scan([tmp_path], ScanContext(root=tmp_path, env={}))
    tables = [e for e in result.model.entities if e.kind == "table"]
    assert [e.address for e in tables] == ['aws_dynamodb_table.t["a.b]"]']
