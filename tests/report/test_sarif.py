"""The SARIF reporter: schema-valid SARIF 2.1.0 that meets GitHub code scanning's rules."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from sarif_schema import validator

from ddb_guard import INFORMATION_URI
from ddb_guard.model import Location, Notice
from ddb_guard.report import get_reporter
from ddb_guard.report.sarif import artifact_location, outside

render = get_reporter("sarif").render


def sarif(result, options) -> dict[str, Any]:
    return json.loads(render(result, options))


def assert_schema_valid(log: dict[str, Any]) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator().iter_errors(log)]
    assert errors == []


def assert_github_requirements(log: dict[str, Any]) -> None:
    """What GitHub code scanning requires beyond the schema (see its SARIF support page)."""
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "ddb-guard"
    assert isinstance(driver["rules"], list)
    assert isinstance(run["results"], list)
    for rule in driver["rules"]:
        assert rule["id"]
        assert 0 < len(rule["shortDescription"]["text"]) <= 1024
        assert 0 < len(rule["fullDescription"]["text"]) <= 1024
        assert rule["help"]["text"]
        assert len(rule.get("name", "")) <= 255
        assert len(rule.get("properties", {}).get("tags", [])) <= 20
        severity = rule.get("properties", {}).get("security-severity")
        assert severity is None or (isinstance(severity, str) and 0 <= float(severity) <= 10)
    ids = [r["id"] for r in driver["rules"]]
    for res in run["results"]:
        assert res["message"]["text"]
        assert ids[res["ruleIndex"]] == res["ruleId"]
        assert 1 <= len(res["locations"]) <= 10
        assert res["partialFingerprints"]["primaryLocationLineHash"]
        for loc in res["locations"] + res.get("relatedLocations", []):
            physical = loc["physicalLocation"]
            uri = physical["artifactLocation"]["uri"]
            assert not uri.startswith(("/", "file:")) and ":" not in uri
            assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
            region = physical["region"]
            assert {"startLine", "startColumn", "endLine", "endColumn"} <= set(region)
            assert region["endLine"] >= region["startLine"] >= 1


def test_snapshot(result, options, snapshot) -> None:
    snapshot("sarif.sarif", render(result, options))


def test_sample_is_valid(result, options) -> None:
    log = sarif(result, options)
    assert_schema_valid(log)
    assert_github_requirements(log)


@pytest.mark.parametrize(
    "case",
    ["zero-results", "suppressed-only", "unknown-only", "parse-error-only", "related", "no-rules"],
)
def test_variants_are_valid(case: str, make_finding, make_result, options) -> None:
    notices: list[Notice] = []
    findings = []
    if case == "suppressed-only":
        findings = [make_finding(suppressed="accepted risk"), make_finding("DDB002", suppressed="")]
    elif case == "unknown-only":
        findings = [make_finding(level="note", outcome="unknown")]
    elif case == "parse-error-only":
        notices = [Notice("bad.tf", "unexpected end of file", 40, 2, "error", "parse-error")]
    elif case == "related":
        rel = [(Location(f"m{i}.tf", i + 1, 1, i + 1, 8), f"step {i}") for i in range(12)]
        findings = [make_finding(related=rel)]
    res = make_result(findings, notices)
    if case == "no-rules":
        res.rules = []
        res.findings = [make_finding("DDB999")]
    log = sarif(res, options)
    assert_schema_valid(log)
    assert_github_requirements(log)


def test_schema_check_is_not_vacuous(result, options) -> None:
    log = sarif(result, options)
    log["runs"][0]["results"][0]["level"] = "fatal"
    del log["runs"][0]["tool"]["driver"]["name"]
    assert len(list(validator().iter_errors(log))) == 2


def test_driver(result, options) -> None:
    driver = sarif(result, options)["runs"][0]["tool"]["driver"]
    assert {k: driver[k] for k in ("name", "semanticVersion", "version", "informationUri")} == {
        "name": "ddb-guard",
        "semanticVersion": "9.9.9",
        "version": "9.9.9",
        "informationUri": INFORMATION_URI,
    }


def test_rules_are_all_rules_sorted_and_indexed(result, options) -> None:
    run = sarif(result, options)["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["DDB001", "DDB002", "DDB003"]
    assert {(r["ruleId"], r["ruleIndex"]) for r in run["results"]} == {
        ("DDB001", 0),
        ("DDB002", 1),
        ("DDB003", 2),
    }


def test_rule_descriptor(result, options) -> None:
    rule = next(r for r in result.rules if r.id == "DDB001")
    desc = sarif(result, options)["runs"][0]["tool"]["driver"]["rules"][0]
    assert desc == {
        "id": "DDB001",
        "name": "dynamodb-pitr-disabled",
        "shortDescription": {"text": "DynamoDB table without point-in-time recovery"},
        "fullDescription": {"text": "Flags DynamoDB tables whose point-in-time recovery is off."},
        "help": {"text": rule.help_text(), "markdown": rule.help_markdown()},
        "helpUri": f"{INFORMATION_URI}/blob/main/docs/rules/DDB001.md",
        "defaultConfiguration": {"level": "error"},
        "properties": {
            "tags": ["dynamodb", "backup"],
            "precision": "very-high",
            "problem.severity": "error",
            "security-severity": "7.5",
        },
    }


def test_rule_without_security_severity_and_note_level(result, options) -> None:
    result.rules = [r for r in result.rules if r.id == "DDB003"]
    result.rules[0].level = "note"
    result.findings = []
    props = sarif(result, options)["runs"][0]["tool"]["driver"]["rules"][0]["properties"]
    assert "security-severity" not in props
    assert props["problem.severity"] == "recommendation"


def test_long_descriptions_are_cut_to_1024(make_rule, make_result, options) -> None:
    res = make_result()
    res.rules = [make_rule(short="word " * 400, docs={"what": "x" * 5000}, name="n" * 300)]
    log = sarif(res, options)
    desc = log["runs"][0]["tool"]["driver"]["rules"][0]
    assert len(desc["shortDescription"]["text"]) == 1024
    assert len(desc["fullDescription"]["text"]) == 1024
    assert desc["fullDescription"]["text"].endswith("…")
    assert len(desc["name"]) == 255
    assert desc["help"]["text"]  # falls back to the (cut) description when docs are thin
    assert_github_requirements(log)


def test_result_shape(result, options) -> None:
    results = sarif(result, options)["runs"][0]["results"]
    first = next(r for r in results if r["ruleId"] == "DDB001" and r["level"] == "error")
    assert first == {
        "ruleId": "DDB001",
        "ruleIndex": 0,
        "level": "error",
        "message": {"text": "Table aws_dynamodb_table.orders has no point-in-time recovery."},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": "main.tf", "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": 3, "startColumn": 3, "endLine": 3, "endColumn": 12},
                },
                "logicalLocations": [
                    {"fullyQualifiedName": "aws_dynamodb_table.orders", "kind": "resource"}
                ],
            }
        ],
        "partialFingerprints": {
            "primaryLocationLineHash": "DDB001:main.tf:aws_dynamodb_table.orders"
        },
    }


def test_related_locations(result, options) -> None:
    results = sarif(result, options)["runs"][0]["results"]
    res = next(r for r in results if "relatedLocations" in r)
    assert [(r["id"], r["message"]["text"]) for r in res["relatedLocations"]] == [
        (1, "point_in_time_recovery is set here"),
        (2, "module call (module.users)"),
    ]
    assert res["relatedLocations"][1]["physicalLocation"]["region"] == {
        "startLine": 4,
        "startColumn": 1,
        "endLine": 8,
        "endColumn": 2,
    }


def test_suppressed_unknown_and_properties(result, options) -> None:
    results = sarif(result, options)["runs"][0]["results"]
    suppressed = [r for r in results if "suppressions" in r]
    assert [r["suppressions"] for r in suppressed] == [
        [{"kind": "inSource", "justification": "dev table, recreated daily"}]
    ]
    unknown = [r for r in results if r.get("properties", {}).get("outcome") == "unknown"]
    assert [r["level"] for r in unknown] == ["note"]
    cost = next(r for r in results if r["ruleId"] == "DDB003")
    assert cost["properties"] == {"copies": 720, "monthly_usd": 1234.5}


def test_suppression_without_reason_has_no_justification(make_finding, make_result, options):
    res = make_result([make_finding(suppressed="")])
    assert sarif(res, options)["runs"][0]["results"][0]["suppressions"] == [{"kind": "inSource"}]


def test_finding_properties_are_not_mutated(make_finding, make_result, options) -> None:
    f = make_finding(outcome="unknown", properties={"a": 1})
    render(make_result([f]), options)
    assert f.properties == {"a": 1}


def test_invocation_and_notifications(result, options) -> None:
    inv = sarif(result, options)["runs"][0]["invocations"]
    assert inv == [
        {
            "executionSuccessful": False,
            "toolExecutionNotifications": [
                {
                    "level": "error",
                    "message": {"text": "unexpected '}' (expected an attribute or block)"},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {"uri": "broken.tf", "uriBaseId": "%SRCROOT%"},
                                "region": {"startLine": 5, "startColumn": 1},
                            }
                        }
                    ],
                    "descriptor": {"id": "parse-error"},
                },
                {
                    "level": "note",
                    "message": {"text": "skipped: larger than 5 MiB"},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {"uri": "huge.json", "uriBaseId": "%SRCROOT%"}
                            }
                        }
                    ],
                    "descriptor": {"id": "skipped"},
                },
            ],
        }
    ]


def test_clean_run_is_successful_without_notifications(make_result, options) -> None:
    log = sarif(make_result(files=["a.tf"]), options)
    assert log["runs"][0]["invocations"] == [{"executionSuccessful": True}]
    assert log["runs"][0]["results"] == []
    skipped = make_result(notices=[Notice("x.bin", "skipped: binary", kind="skipped")])
    assert sarif(skipped, options)["runs"][0]["invocations"][0]["executionSuccessful"] is True


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("main.tf", {"uri": "main.tf", "uriBaseId": "%SRCROOT%"}),
        ("./stacks/a b.yaml", {"uri": "stacks/a%20b.yaml", "uriBaseId": "%SRCROOT%"}),
        ("weird:name#1.tf", {"uri": "weird%3Aname%231.tf", "uriBaseId": "%SRCROOT%"}),
        # on POSIX a backslash is part of the file name
        ("stacks\\win.tf", {"uri": "stacks%5Cwin.tf", "uriBaseId": "%SRCROOT%"}),
    ],
)
def test_artifact_location(path: str, location: dict[str, str]) -> None:
    assert artifact_location(path) == location


@pytest.mark.parametrize(
    ("path", "out"),
    [
        ("/abs/t.tf", True),
        ("C:/abs/t.tf", True),
        ("../shared/t.tf", True),
        ("..", True),
        ("<registry-module:x>", True),
        ("..hidden/t.tf", False),
        ("stacks/t.tf", False),
    ],
)
def test_outside_the_repository(path: str, out: bool) -> None:
    assert outside(path) is out


def test_missing_fingerprint_gets_a_stable_line_independent_one(
    make_finding, make_result, options
) -> None:
    def hash_at(line: int) -> str:
        res = make_result([make_finding(line=line, fingerprint="")])
        return sarif(res, options)["runs"][0]["results"][0]["partialFingerprints"][
            "primaryLocationLineHash"
        ]

    assert hash_at(3) == hash_at(30)
    assert len(hash_at(3)) == 16


def test_name_equal_to_id_is_left_out(make_rule, make_result, options) -> None:
    res = make_result()
    res.rules = [make_rule(name="DDB001")]
    desc = sarif(res, options)["runs"][0]["tool"]["driver"]["rules"][0]
    assert "name" not in desc  # SARIF1001


def test_unlisted_rule_gets_a_descriptor(make_finding, make_result, options) -> None:
    log = sarif(make_result([make_finding("DDB999")]), options)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["DDB001", "DDB002", "DDB003", "DDB999"]
    assert log["runs"][0]["results"][0]["ruleIndex"] == 3
    assert rules[3] == {
        "id": "DDB999",
        "shortDescription": {"text": "ddb-guard rule DDB999."},
        "fullDescription": {"text": "ddb-guard rule DDB999."},
        "help": {"text": "ddb-guard rule DDB999."},
    }


def test_deterministic_bytes(result, options) -> None:
    first = render(result, options).encode()
    shuffled = replace(result, findings=list(reversed(result.findings)))
    shuffled.rules = list(reversed(result.rules))
    shuffled.notices = list(reversed(result.notices))
    assert render(result, options).encode() == first
    assert render(shuffled, options).encode() == first
    text = first.decode()
    assert text.endswith("}\n")
    assert "/work/" not in text and "file://" not in text


def test_the_shipped_rules_make_valid_sarif(result, options) -> None:
    """Every rule file in rules/ renders into a descriptor GitHub accepts."""
    from ddb_guard.engine.loader import load_rules

    result.rules = load_rules()
    assert len(result.rules) >= 3
    log = sarif(result, options)
    assert_schema_valid(log)
    assert_github_requirements(log)
    ids = [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]]
    assert ids == sorted(r.id for r in result.rules)
