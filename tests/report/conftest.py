"""Hand-built scan results for the reporter tests, and a snapshot helper.

Set ``DDB_GUARD_UPDATE_SNAPSHOTS=1`` to rewrite the files under ``snapshots/``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ddb_guard.engine.rule import Param, Rule
from ddb_guard.model import Finding, Location, Model, Notice, Suppression
from ddb_guard.report import ReportOptions
from ddb_guard.result import ScanResult

SNAPSHOTS = Path(__file__).parent / "snapshots"
VERSION = "9.9.9"  # fixed so snapshots do not change with the package version


def make_rule(rule_id: str = "DDB001", **overrides: Any) -> Rule:
    """A rule with complete docs; override any field."""
    fields: dict[str, Any] = {
        "id": rule_id,
        "name": "dynamodb-pitr-disabled",
        "severity": "error",
        "short": "DynamoDB table without point-in-time recovery",
        "on": "table",
        "fail": "pitr_enabled != `true`",
        "messages": [(None, "Table {address} has no point-in-time recovery.")],
        "docs": {
            "what": "Flags DynamoDB tables whose point-in-time recovery is off.",
            "why": "Without PITR a bad write or delete cannot be rolled back.",
            "fix": {
                "terraform": "point_in_time_recovery {\n  enabled = true\n}",
                "cloudformation": "PointInTimeRecoverySpecification:\n"
                "  PointInTimeRecoveryEnabled: true",
            },
            "references": [
                "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery.html"
            ],
        },
        "path": f"dynamodb/{rule_id}.yaml",
        "tags": ["dynamodb", "backup"],
        "precision": "very-high",
        "security_severity": "7.5",
    }
    fields.update(overrides)
    return Rule(**fields)


def make_finding(
    rule_id: str = "DDB001",
    path: str = "main.tf",
    line: int = 3,
    *,
    level: str = "error",
    message: str = "Table aws_dynamodb_table.orders has no point-in-time recovery.",
    address: str = "aws_dynamodb_table.orders",
    outcome: str = "fail",
    suppressed: str | None = None,
    related: list[tuple[Location, str]] | None = None,
    properties: dict[str, Any] | None = None,
    fingerprint: str | None = None,
) -> Finding:
    """A finding at ``path:line:3-12``; ``suppressed`` is the suppression reason."""
    loc = Location(path, line, 3, line, 12)
    return Finding(
        rule_id=rule_id,
        level=level,
        message=message,
        loc=loc,
        address=address,
        kind="table",
        outcome=outcome,
        related=related or [],
        suppression=Suppression(rule_id, suppressed, Location(path, line - 1, 1))
        if suppressed is not None
        else None,
        properties=properties or {},
        fingerprint=fingerprint if fingerprint is not None else f"{rule_id}:{path}:{address}",
    )


def rules() -> list[Rule]:
    """Three rules, deliberately out of id order."""
    return [
        make_rule(
            "DDB003",
            name="backup-plan-many-copies",
            severity="warning",
            short="Backup rule keeps many full copies",
            security_severity=None,
            tags=["backup", "cost"],
            precision="high",
            params={"max_copies": Param("max_copies", 40, "most copies allowed")},
            docs={
                "what": "Flags backup rules whose schedule and retention keep many full copies.",
                "why": "Every DynamoDB backup is a full copy, billed per GB-month.",
            },
        ),
        make_rule(),
        make_rule(
            "DDB002",
            name="dynamodb-deletion-protection-disabled",
            severity="warning",
            short="DynamoDB table without deletion protection",
            security_severity="5.0",
            docs={
                "what": "Flags DynamoDB tables without deletion protection.",
                "why": "A stray `terraform destroy` or stack deletion drops the table.",
                "fix": {"terraform": "deletion_protection_enabled = true"},
            },
        ),
    ]


def sample_result() -> ScanResult:
    """Findings of every shape: plain, related locations, unknown, suppressed, notices."""
    related = [
        (Location("modules/table/main.tf", 10, 5, 10, 30), "point_in_time_recovery is set here"),
        (Location("stacks/prod.tf", 4, 1, 8, 2), "module call (module.users)"),
    ]
    findings = [
        make_finding(),
        make_finding(
            "DDB002",
            "main.tf",
            3,
            level="warning",
            message="Table aws_dynamodb_table.orders has no deletion protection.",
        ),
        make_finding(
            "DDB001",
            "stacks/prod.tf",
            4,
            address="module.users.aws_dynamodb_table.this",
            message="Table module.users.aws_dynamodb_table.this has no point-in-time recovery.",
            related=related,
        ),
        make_finding(
            "DDB001",
            "stacks/dev.tf",
            7,
            level="note",
            outcome="unknown",
            address="aws_dynamodb_table.dev",
            message="Cannot tell whether aws_dynamodb_table.dev has PITR: "
            "depends on var.pitr, which has no default.",
        ),
        make_finding(
            "DDB003",
            "backup.yaml",
            12,
            level="warning",
            address="Plan.Rules[hourly]",
            message="Backup rule hourly keeps 720 full copies (~$1,234/month).",
            properties={"copies": 720, "monthly_usd": 1234.5},
        ),
        make_finding(
            "DDB002",
            "stacks/dev.tf",
            7,
            level="warning",
            address="aws_dynamodb_table.dev",
            message="Table aws_dynamodb_table.dev has no deletion protection.",
            suppressed="dev table, recreated daily",
        ),
    ]
    notices = [
        Notice(
            "broken.tf",
            "unexpected '}' (expected an attribute or block)",
            5,
            1,
            "error",
            "parse-error",
        ),
        Notice("huge.json", "skipped: larger than 5 MiB", level="note", kind="skipped"),
    ]
    files = ["backup.yaml", "broken.tf", "huge.json", "main.tf", "stacks/dev.tf", "stacks/prod.tf"]
    return ScanResult(findings=findings, notices=notices, rules=rules(), model=Model(), files=files)


@pytest.fixture
def result() -> ScanResult:
    return sample_result()


@pytest.fixture
def options() -> ReportOptions:
    return ReportOptions(tool_version=VERSION)


@pytest.fixture
def snapshot() -> Callable[[str, str], None]:
    """``snapshot(name, text)``: compare with ``snapshots/<name>`` (or rewrite it)."""

    def check(name: str, text: str) -> None:
        path = SNAPSHOTS / name
        if os.environ.get("DDB_GUARD_UPDATE_SNAPSHOTS") == "1":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
            return
        assert path.exists(), f"missing snapshot {path}; run with DDB_GUARD_UPDATE_SNAPSHOTS=1"
        assert text == path.read_bytes().decode("utf-8"), f"{name} differs from snapshot"

    return check


# The factories are handed out as fixtures so tests never import this module by name.


@pytest.fixture(name="make_rule")
def _make_rule_fixture() -> Callable[..., Rule]:
    return make_rule


@pytest.fixture(name="make_finding")
def _make_finding_fixture() -> Callable[..., Finding]:
    return make_finding


@pytest.fixture
def make_result() -> Callable[..., ScanResult]:
    """``make_result(findings=[], notices=[], files=None)`` with the three sample rules."""

    def build(
        findings: list[Finding] | None = None,
        notices: list[Notice] | None = None,
        files: list[str] | None = None,
    ) -> ScanResult:
        findings = findings or []
        if files is None:
            files = sorted({f.loc.path for f in findings} | {n.path for n in notices or []})
        return ScanResult(findings=findings, notices=notices or [], rules=rules(), files=files)

    return build
