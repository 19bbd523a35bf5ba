"""One entity's bad input or a bug while handling it never takes other findings along."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hostile_helpers import run_cli

from ddb_guard.enrich.schedule import analyze

PLAN = """resource "aws_dynamodb_table" "{name}" {{
  name         = "{name}"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  point_in_time_recovery {{
    enabled = true
  }}
}}

resource "aws_backup_plan" "{name}" {{
  name = "{name}"
  rule {{
    rule_name         = "daily"
    target_vault_name = "main"
    schedule          = "{schedule}"
    lifecycle {{
      delete_after = 35
    }}
  }}
}}

resource "aws_backup_selection" "{name}" {{
  name         = "{name}"
  plan_id      = aws_backup_plan.{name}.id
  iam_role_arn = "arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole"
  resources    = [aws_dynamodb_table.{name}.arn]
}}
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "main.tf").write_text(
        PLAN.format(name="bad", schedule="cron(0 5 ? * \u00b2 *)")
    )
    (tmp_path / "good").mkdir()
    (tmp_path / "good" / "main.tf").write_text(
        PLAN.format(name="good", schedule="cron(0 5 ? * * *)")
    )
    return tmp_path


@pytest.mark.parametrize(
    "text", ["cron(0 5 ? * \u00b2 *)", "cron(\u00b9 5 * * ? *)", "rate(\u00b2 days)"]
)
def test_a_superscript_digit_is_an_invalid_schedule(text: str):
    assert not analyze(text, None).valid


def _rules(result) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in json.loads(result.stdout)["findings"]:
        out.setdefault(f["rule_id"], []).append(f["path"])
    return out


def test_a_bad_schedule_is_bkp005_and_other_plans_keep_their_findings(repo: Path):
    result = run_cli(repo, "scan", "--format", "json", ".")
    rules = _rules(result)
    assert "good/main.tf" in rules["BKP001"]
    assert "bad/main.tf" in rules["BKP005"]
    assert "internal error" not in result.output


def test_a_bug_in_one_entity_is_contained_reported_and_exits_2(repo: Path, monkeypatch):
    from ddb_guard.enrich import schedule

    real = schedule.analyze

    def broken(text, *args, **kwargs):
        if "\u00b2" in text:
            raise ZeroDivisionError("injected")
        return real(text, *args, **kwargs)

    monkeypatch.setattr(schedule, "analyze", broken)
    result = run_cli(repo, "scan", "--format", "json", ".")
    assert result.exit_code == 2
    assert "good/main.tf" in _rules(result)["BKP001"]
    notices = json.loads(result.stdout)["notices"]
    assert any("internal error (ZeroDivisionError: injected)" in n["message"] for n in notices)


def test_a_bug_in_a_rule_check_is_contained(repo: Path, monkeypatch):
    from ddb_guard.engine import run

    real = run.check

    def broken(rule, entity, base):
        if entity.address == "aws_dynamodb_table.bad":
            raise KeyError("injected")
        return real(rule, entity, base)

    monkeypatch.setattr(run, "check", broken)
    result = run_cli(repo, "scan", "--format", "json", ".")
    assert result.exit_code == 2
    assert "good/main.tf" in _rules(result)["BKP001"]
