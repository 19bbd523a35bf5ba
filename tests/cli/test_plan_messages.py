"""A plan that turns protection off on an existing table says so."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from ddb_guard.cli import main


def table(pitr: bool, protect: bool) -> dict:
    return {
        "name": "orders",
        "hash_key": "pk",
        "point_in_time_recovery": [{"enabled": pitr, "recovery_period_in_days": 35}],
        "deletion_protection_enabled": protect,
    }


def test_plan_turning_protection_off(tmp_path: Path, monkeypatch):
    plan = {
        "format_version": "1.2",
        "terraform_version": "1.9.5",
        "resource_changes": [
            {
                "address": "aws_dynamodb_table.orders",
                "mode": "managed",
                "type": "aws_dynamodb_table",
                "name": "orders",
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "change": {
                    "actions": ["update"],
                    "before": table(True, True),
                    "after": table(False, False),
                    "after_unknown": {},
                },
            }
        ],
    }
    (tmp_path / "plan.json").write_text(json.dumps(plan, indent=2))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["scan", "--format", "json", "plan.json"])
    assert result.exit_code == 1
    messages = {f["rule_id"]: f["message"] for f in json.loads(result.stdout)["findings"]}
    assert messages["DDB001"].startswith("This change turns point-in-time recovery off")
    assert messages["DDB003"].startswith("This change turns deletion protection off")


def test_plan_turning_pitr_off_names_the_window_it_had(tmp_path: Path, monkeypatch):
    """After the change the provider reports recovery_period_in_days = 0: the message
    names the window before the change (here 14 days), never "the last 0 days"."""
    before = table(True, True)
    before["point_in_time_recovery"] = [{"enabled": True, "recovery_period_in_days": 14}]
    after = table(False, True)
    after["point_in_time_recovery"] = [{"enabled": False, "recovery_period_in_days": 0}]
    plan = {
        "format_version": "1.2",
        "terraform_version": "1.9.5",
        "resource_changes": [
            {
                "address": "aws_dynamodb_table.orders",
                "mode": "managed",
                "type": "aws_dynamodb_table",
                "name": "orders",
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "change": {
                    "actions": ["update"],
                    "before": before,
                    "after": after,
                    "after_unknown": {},
                },
            }
        ],
    }
    (tmp_path / "plan.json").write_text(json.dumps(plan, indent=2))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["scan", "--format", "json", "plan.json"])
    messages = {f["rule_id"]: f["message"] for f in json.loads(result.stdout)["findings"]}
    assert "of the last 14 days are deleted" in messages["DDB001"]
    assert "last 0 days" not in messages["DDB001"]
