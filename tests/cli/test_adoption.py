"""Adopting the gate in a repository that already has findings (issue 13): baselines,
suppressions that expire, --exclude, --quiet and --version on every command."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ddb_guard.cli import main
from ddb_guard.config import Config
from ddb_guard.context import ScanContext
from ddb_guard.pipeline import scan

TABLE = """resource "aws_dynamodb_table" "{name}" {{
  {comment}
  name     = "{name}"
  hash_key = "pk"
  attribute {{
    name = "pk"
    type = "S"
  }}
}}
"""


def _table(name: str, comment: str = "") -> str:
    return TABLE.format(name=name, comment=comment)


def _run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_baseline_round_trip_reports_only_new_findings(tmp_path: Path) -> None:
    tf = tmp_path / "main.tf"
    tf.write_text(_table("old"))
    base = tmp_path / "baseline.json"
    wrote = _run("scan", str(tmp_path), "--root", str(tmp_path), "--write-baseline", str(base))
    assert wrote.exit_code == 0, wrote.output
    doc = json.loads(base.read_text())
    assert doc["ddb-guard-baseline"] == 1
    assert {(e["rule_id"], e["address"]) for e in doc["findings"]} == {
        ("DDB001", "aws_dynamodb_table.old"),
        ("DDB003", "aws_dynamodb_table.old"),
    }
    # unrelated edits above the finding keep its fingerprint; a new table is reported
    tf.write_text("# header\n\nlocals {\n  x = 1\n}\n\n" + _table("old") + _table("new"))
    result = _run("scan", str(tmp_path), "--root", str(tmp_path), "--baseline", str(base))
    assert result.exit_code == 1
    assert "aws_dynamodb_table.new" in result.output
    assert "aws_dynamodb_table.old" not in result.output
    assert "(2 baselined)" in result.output
    # everything in the baseline: exit 0 even at --fail-on note
    tf.write_text("\n\n" + _table("old"))
    clean = _run("scan", str(tmp_path), "--root", str(tmp_path), "--baseline", str(base))
    assert clean.exit_code == 0, clean.output
    assert "No problems found in 1 file (2 baselined)." in clean.output


def test_baseline_json_output_omits_baselined(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(_table("old"))
    base = tmp_path / "b.json"
    _run("scan", str(tmp_path), "--root", str(tmp_path), "--write-baseline", str(base))
    (tmp_path / "new.tf").write_text(_table("new"))
    out = _run(
        "scan", str(tmp_path), "--root", str(tmp_path), "--baseline", str(base), "--format", "json"
    )
    doc = json.loads(out.stdout)
    assert {f["address"] for f in doc["findings"]} == {"aws_dynamodb_table.new"}


@pytest.mark.parametrize("content", [None, "not json", '{"findings": []}', "[1]"])
def test_bad_baseline_is_a_usage_error(tmp_path: Path, content: str | None) -> None:
    (tmp_path / "main.tf").write_text(_table("t"))
    base = tmp_path / "b.json"
    if content is not None:
        base.write_text(content)
    result = _run("scan", str(tmp_path), "--baseline", str(base))
    assert result.exit_code == 2
    assert "--baseline" in result.output and "Traceback" not in result.output


def _scan_on(tmp_path: Path, today: datetime.date, comment: str):
    (tmp_path / "main.tf").write_text(_table("t", comment))
    ctx = ScanContext(root=tmp_path, today=today)
    return scan([tmp_path], ctx, Config(select=["DDB001", "SUP001"]))


def test_suppression_with_until_applies_through_that_day(tmp_path: Path) -> None:
    comment = "# ddb-guard:ignore DDB001 until=2027-03-31 migrating to PITR in Q1"
    result = _scan_on(tmp_path, datetime.date(2027, 3, 31), comment)
    (ddb001,) = [f for f in result.findings if f.rule_id == "DDB001"]
    assert ddb001.suppression is not None
    assert ddb001.suppression.until == "2027-03-31"
    assert ddb001.suppression.reason == "migrating to PITR in Q1"
    assert not result.active  # the reason is still a reason: SUP001 stays quiet
    assert not [n for n in result.notices if "expired" in n.message]


def test_expired_suppression_stops_suppressing_and_says_so(tmp_path: Path) -> None:
    comment = "# ddb-guard:ignore DDB001 until=2027-03-31 migrating to PITR in Q1"
    result = _scan_on(tmp_path, datetime.date(2027, 4, 1), comment)
    assert [f.rule_id for f in result.active] == ["DDB001"]
    (note,) = [n for n in result.notices if "expired" in n.message]
    assert note.level == "note" and note.line == 2
    assert "DDB001 expired on 2027-03-31" in note.message


def test_until_that_is_not_a_date_suppresses_nothing(tmp_path: Path) -> None:
    comment = "# ddb-guard:ignore DDB001 until=2027-13-01 typo"
    result = _scan_on(tmp_path, datetime.date(2026, 1, 1), comment)
    assert [f.rule_id for f in result.active] == ["DDB001"]
    assert any("not a date" in n.message and n.level == "warning" for n in result.notices)


def test_until_without_reason_is_sup001(tmp_path: Path) -> None:
    result = _scan_on(
        tmp_path, datetime.date(2026, 1, 1), "# ddb-guard:ignore DDB001 until=2027-03-31"
    )
    assert [f.rule_id for f in result.active] == ["SUP001"]


def test_cloudformation_metadata_until(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(
        """Resources:
  T:
    Type: AWS::DynamoDB::Table
    Metadata:
      ddb-guard:
        ignore:
          - rule: DDB001
            reason: legacy
            until: 2020-01-01
    Properties:
      KeySchema: [{AttributeName: pk, KeyType: HASH}]
      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
      BillingMode: PAY_PER_REQUEST
"""
    )
    ctx = ScanContext(root=tmp_path, today=datetime.date(2026, 1, 1))
    result = scan([tmp_path], ctx, Config(select=["DDB001"]))
    assert [f.rule_id for f in result.active] == ["DDB001"]
    assert any("expired on 2020-01-01" in n.message for n in result.notices)


def test_exclude_is_repeatable_and_relative_to_cwd(tmp_path: Path, monkeypatch) -> None:
    for sub in ("legacy", "vendor", "app"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "main.tf").write_text(_table(sub))
    monkeypatch.chdir(tmp_path)
    result = _run("scan", ".", "--exclude", "legacy", "--exclude", "vendor/*.tf")
    assert "aws_dynamodb_table.app" in result.output
    assert "legacy" not in result.output and "vendor" not in result.output
    assert "in 1 file" in result.output


def test_quiet_prints_findings_and_summary_only(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        _table("t", "# ddb-guard:ignore DDB001 until=2020-01-01 expired long ago")
    )
    loud = _run("scan", str(tmp_path))
    quiet = _run("scan", str(tmp_path), "-q")
    assert "notice" in loud.output
    assert "notice" not in quiet.output
    assert quiet.output.strip().splitlines()[-1].startswith("Found ")
    assert quiet.exit_code == loud.exit_code == 1


@pytest.mark.parametrize(
    "command",
    [
        ["scan"],
        ["cost"],
        ["rules"],
        ["explain"],
        ["validate-rules"],
        ["pricing"],
        ["pricing", "update"],
        [],
    ],
)
def test_version_in_every_help(command: list[str]) -> None:
    assert "--version" in _run(*command, "--help").output
    version = _run(*command, "--version")
    assert version.exit_code == 0 and version.output.startswith("ddb-guard, version ")
