"""Account scope: one scan is one account unless the configuration or a CDK manifest says
otherwise; backup selections reach only tables of their own account."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ddb_guard.config import from_mapping, load_config
from ddb_guard.context import ScanContext
from ddb_guard.enrich import EnrichSettings, enrich
from ddb_guard.errors import ConfigError
from ddb_guard.pipeline import build_model

TAGGED_TABLE = """\
resource "aws_dynamodb_table" "orders" {
  name     = "orders"
  hash_key = "pk"
  tags     = { backup = "daily" }
}
"""
TAG_PLAN = """\
resource "aws_backup_plan" "daily" {
  name = "daily"
  rule {
    rule_name         = "daily"
    target_vault_name = "main"
    schedule          = "cron(0 5 ? * * *)"
    lifecycle {
      delete_after = 35
    }
  }
}

resource "aws_backup_selection" "tagged" {
  name         = "tagged"
  plan_id      = aws_backup_plan.daily.id
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
  selection_tag {
    type  = "STRINGEQUALS"
    key   = "backup"
    value = "daily"
  }
}
"""


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _covered(root: Path) -> list[str]:
    config = load_config(None, root)
    ctx = ScanContext(root=root, env={})
    model = build_model([root], ctx, config)
    enrich(model, EnrichSettings(root=root))
    (rule,) = model.of_kind("backup_rule")
    return rule.attrs["covered_tables"].value


def test_one_scan_is_one_account_by_default(tmp_path: Path) -> None:
    _write(tmp_path, {"a/tables.tf": TAGGED_TABLE, "b/backup.tf": TAG_PLAN})
    assert _covered(tmp_path) == ["aws_dynamodb_table.orders"]


def test_a_tag_selection_does_not_reach_another_accounts_tables(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "a/tables.tf": TAGGED_TABLE,
            "b/backup.tf": TAG_PLAN,
            ".ddb-guard.toml": '[accounts]\nprod = ["a/**"]\nshared = ["b"]\n',
        },
    )
    assert _covered(tmp_path) == []


def test_same_account_globs_keep_coverage(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "a/tables.tf": TAGGED_TABLE,
            "b/backup.tf": TAG_PLAN,
            ".ddb-guard.toml": '[accounts]\nprod = ["a/*", "./b/**"]\n',
        },
    )
    assert _covered(tmp_path) == ["aws_dynamodb_table.orders"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (["a/**"], "must be a table of account name"),
        ({"prod": 3}, "accounts.prod: must be a list of strings"),
    ],
)
def test_bad_accounts_config(value, message) -> None:
    with pytest.raises(ConfigError, match=message):
        from_mapping({"accounts": value}, "x.toml")


def test_cdk_manifest_gives_the_stacks_account_and_region(tmp_path: Path) -> None:
    template = {
        "Resources": {
            "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {"TableName": "t"}},
        }
    }
    manifest = {
        "version": "36.0.0",
        "artifacts": {
            "Shop": {
                "type": "aws:cloudformation:stack",
                "environment": "aws://111122223333/eu-west-1",
                "properties": {"templateFile": "Shop.template.json"},
            },
            "Agnostic": {
                "type": "aws:cloudformation:stack",
                "environment": "aws://unknown-account/unknown-region",
                "properties": {"templateFile": "Agnostic.template.json"},
            },
        },
    }
    _write(
        tmp_path,
        {
            "cdk.out/Shop.template.json": json.dumps(template),
            "cdk.out/Agnostic.template.json": json.dumps(template),
            "cdk.out/manifest.json": json.dumps(manifest, indent=1),
        },
    )
    ctx = ScanContext(root=tmp_path, env={})
    model = build_model([tmp_path], ctx, load_config(None, tmp_path))
    tables = {t.scope: t for t in model.of_kind("table")}
    shop = tables["cdk.out/Shop.template.json"]
    assert shop.account == "111122223333"
    assert shop.attrs["region"].value == "eu-west-1"
    assert shop.attrs["region"].loc.path == "cdk.out/manifest.json"
    agnostic = tables["cdk.out/Agnostic.template.json"]
    assert agnostic.account == "" and not agnostic.attrs["region"].known


def test_region_settings_of_another_account_do_not_turn_cold_storage_off(tmp_path: Path) -> None:
    settings = """\
resource "aws_backup_region_settings" "this" {
  resource_type_opt_in_preference     = { "DynamoDB" = true }
  resource_type_management_preference = { "DynamoDB" = false }
}
"""
    plan = TAG_PLAN.replace(
        "delete_after = 35", "cold_storage_after = 30\n      delete_after = 365"
    )
    _write(tmp_path, {"a/tables.tf": TAGGED_TABLE + plan, "b/settings.tf": settings})

    def advanced() -> str:
        model = build_model(
            [tmp_path], ScanContext(root=tmp_path, env={}), load_config(None, tmp_path)
        )
        enrich(model, EnrichSettings(root=tmp_path))
        (rule,) = model.of_kind("backup_rule")
        return rule.attrs["retained"].value["advanced_backup"]

    assert advanced() == "off"  # one account: the settings apply
    (tmp_path / ".ddb-guard.toml").write_text('[accounts]\nprod = ["a"]\nshared = ["b"]\n')
    assert advanced() == "assumed on"
