"""The JSON reporter: a stable, complete document."""

from __future__ import annotations

import json
from dataclasses import replace

from ddb_guard.report import get_reporter

render = get_reporter("json").render

FINDING_KEYS = {
    "rule_id", "level", "message", "path", "line", "column", "end_line", "end_column",
    "address", "kind", "outcome", "fingerprint", "suppressed", "suppression_reason",
    "related", "properties",
}  # fmt: skip


def test_snapshot(result, options, snapshot) -> None:
    snapshot("json.json", render(result, options))


def test_document_is_sorted_indented_and_newline_terminated(result, options) -> None:
    out = render(result, options)
    doc = json.loads(out)
    assert out.endswith("}\n")
    assert out == json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert list(doc) == ["findings", "notices", "summary", "version"]
    assert doc["version"] == "9.9.9"


def test_every_finding_has_the_full_field_set(result, options) -> None:
    doc = json.loads(render(result, options))
    assert len(doc["findings"]) == 6  # suppressed ones included
    for f in doc["findings"]:
        assert set(f) == FINDING_KEYS


def test_suppressed_and_related(result, options) -> None:
    findings = json.loads(render(result, options))["findings"]
    suppressed = [f for f in findings if f["suppressed"]]
    assert [(f["rule_id"], f["suppression_reason"]) for f in suppressed] == [
        ("DDB002", "dev table, recreated daily")
    ]
    with_related = next(f for f in findings if f["related"])
    assert with_related["related"][1] == {
        "path": "stacks/prod.tf", "line": 4, "column": 1, "end_line": 8, "end_column": 2,
        "message": "module call (module.users)",
    }  # fmt: skip


def test_unknown_outcome_and_properties(result, options) -> None:
    findings = json.loads(render(result, options))["findings"]
    unknown = [f for f in findings if f["outcome"] == "unknown"]
    assert [(f["level"], f["address"]) for f in unknown] == [("note", "aws_dynamodb_table.dev")]
    cost = next(f for f in findings if f["rule_id"] == "DDB003")
    assert cost["properties"] == {"copies": 720, "monthly_usd": 1234.5}


def test_summary(result, options) -> None:
    summary = json.loads(render(result, options))["summary"]
    assert summary == {
        "error": 2, "warning": 2, "note": 1, "suppressed": 1, "baselined": 0, "files": 6,
        "parse_errors": 1, "skipped": 1, "failing": 4,
    }  # fmt: skip
    strict = json.loads(render(result, replace(options, fail_on="error")))["summary"]
    assert strict["failing"] == 2


def test_notices(result, options) -> None:
    notices = json.loads(render(result, options))["notices"]
    assert notices[0] == {
        "path": "broken.tf", "line": 5, "column": 1, "level": "error", "kind": "parse-error",
        "message": "unexpected '}' (expected an attribute or block)",
    }  # fmt: skip


def test_non_json_properties_do_not_crash(make_finding, make_result, options) -> None:
    f = make_finding(properties={"regions": {"us-east-1", "eu-west-1"}, "obj": object})
    props = json.loads(render(make_result([f]), options))["findings"][0]["properties"]
    assert props["regions"] == ["eu-west-1", "us-east-1"]
    assert props["obj"] == "<class 'object'>"


def test_empty_result(make_result, options) -> None:
    doc = json.loads(render(make_result(), options))
    assert doc["findings"] == [] and doc["notices"] == []
    assert doc["summary"]["files"] == 0
