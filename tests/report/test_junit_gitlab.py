"""JUnit XML and GitLab code quality reports, and several reports from one scan."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from click.testing import CliRunner
from conftest import make_finding

from ddb_guard.cli import main
from ddb_guard.report import ReportOptions, get_reporter

TF = """resource "aws_dynamodb_table" "open" {
  name     = "open"
  hash_key = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_dynamodb_table" "safe" {
  # ddb-guard:ignore DDB001 scratch data, recreated nightly
  name                        = "safe"
  hash_key                    = "pk"
  deletion_protection_enabled = true
  attribute {
    name = "pk"
    type = "S"
  }
}
"""


def _scan(tmp_path: Path, *args: str):
    (tmp_path / "main.tf").write_text(TF)
    return CliRunner().invoke(
        main,
        ["scan", str(tmp_path), "--root", str(tmp_path), "--select", "DDB001,DDB003", *args],
        catch_exceptions=False,
    )


def test_several_reports_from_one_scan(tmp_path: Path) -> None:
    out = {k: tmp_path / "out" / f"r.{k}" for k in ("sarif", "json", "junit", "gitlab")}
    result = _scan(
        tmp_path,
        *("--sarif-output", str(out["sarif"]), "--json-output", str(out["json"])),
        *("--junit-output", str(out["junit"]), "--gitlab-output", str(out["gitlab"])),
    )
    assert result.exit_code == 1
    assert "DDB001 [error]" in result.stdout  # the text report still goes to stdout
    sarif = json.loads(out["sarif"].read_text())
    assert len(sarif["runs"][0]["results"]) == 3  # two active, one suppressed
    assert len(json.loads(out["json"].read_text())["findings"]) == 3
    assert out["junit"].read_text().startswith("<?xml")
    assert len(json.loads(out["gitlab"].read_text())) == 2


def test_junit_one_testcase_per_rule_and_resource(tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    _scan(tmp_path, "--junit-output", str(junit))
    root = ET.parse(junit).getroot()
    assert root.tag == "testsuites"
    cases = {(c.get("classname"), c.get("name")): c for c in root.iter("testcase")}
    assert set(cases) == {
        ("DDB001", "aws_dynamodb_table.open"),
        ("DDB001", "aws_dynamodb_table.safe"),
        ("DDB003", "aws_dynamodb_table.open"),
        ("DDB003", "aws_dynamodb_table.safe"),
    }
    failure = cases["DDB001", "aws_dynamodb_table.open"].find("failure")
    assert failure is not None and failure.get("type") == "error"
    assert "point-in-time recovery" in failure.get("message")
    assert cases["DDB003", "aws_dynamodb_table.open"].find("failure") is not None
    skipped = cases["DDB001", "aws_dynamodb_table.safe"].find("skipped")
    assert skipped is not None and "scratch data" in skipped.get("message")
    assert list(cases["DDB003", "aws_dynamodb_table.safe"]) == []  # passes
    suite = root.find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("4", "2", "1")
    assert all(c.get("file") == "main.tf" for c in cases.values())


def test_junit_failures_follow_fail_on(tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    _scan(tmp_path, "--junit-output", str(junit), "--fail-on", "error")
    cases = {(c.get("classname"), c.get("name")): c for c in ET.parse(junit).iter("testcase")}
    warned = cases["DDB003", "aws_dynamodb_table.open"]
    assert warned.find("failure") is None  # a warning below --fail-on error passes
    assert "[warning]" in warned.find("system-out").text
    assert cases["DDB001", "aws_dynamodb_table.open"].find("failure") is not None


def test_gitlab_report_has_the_documented_fields(tmp_path: Path) -> None:
    report = tmp_path / "gl-code-quality.json"
    _scan(tmp_path, "--gitlab-output", str(report))
    issues = json.loads(report.read_text())
    assert isinstance(issues, list) and len(issues) == 2
    for issue in issues:
        assert isinstance(issue["description"], str) and issue["description"]
        assert issue["check_name"] in ("DDB001", "DDB003")
        assert issue["description"].startswith(issue["check_name"] + ": ")
        assert isinstance(issue["fingerprint"], str)
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
        assert issue["location"]["path"] == "main.tf"
        assert isinstance(issue["location"]["lines"]["begin"], int)
    assert len({i["fingerprint"] for i in issues}) == 2
    by_rule = {i["check_name"]: i for i in issues}
    assert by_rule["DDB001"]["severity"] == "critical"
    assert by_rule["DDB003"]["severity"] == "major"
    assert by_rule["DDB001"]["location"]["lines"]["begin"] == 1


HOSTILE = "Table x\n::error ::pwned\x1b]8;;http://evil\x07 \u202e"


def test_new_formats_escape_scanned_values(make_result) -> None:
    finding = make_finding(message=HOSTILE, address="aws_dynamodb_table.x\n::warning ::y")
    result = make_result([finding])
    junit = get_reporter("junit").render(result, ReportOptions())
    ET.fromstring(junit.split("\n", 1)[1])  # well-formed XML 1.0: no raw controls
    assert "\x1b" not in junit and "\u202e" not in junit and "\n::error" not in junit
    assert "\\x1b" in junit and "\\n::error" in junit
    gitlab = get_reporter("gitlab").render(result, ReportOptions())
    (issue,) = json.loads(gitlab)
    assert "\n" not in issue["description"] and "\x1b" not in issue["description"]
    assert "\\n::error" in issue["description"]
