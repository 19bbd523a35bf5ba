"""GitLab code quality report (``artifacts: reports: codequality``), which merge requests
show inline: a JSON array with, per active finding, ``description``, ``check_name`` (the
rule id), ``fingerprint`` (ddb-guard's, unique in the report), ``severity``
(``info|minor|major|critical|blocker``: error -> critical, warning -> major, note -> info)
and ``location.path`` / ``location.lines.begin``. Suppressed findings are left out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ddb_guard.enums import Level
from ddb_guard.report.json import dumps
from ddb_guard.report.safe import clean
from ddb_guard.report.summary import ordered

if TYPE_CHECKING:
    from ddb_guard.report import ReportOptions
    from ddb_guard.result import ScanResult

SEVERITY = {Level.ERROR: "critical", Level.WARNING: "major", Level.NOTE: "info"}


def render(result: ScanResult, options: ReportOptions) -> str:
    """The code quality report for ``result``."""
    return dumps([_issue(f) for f in ordered(result.active)])


def _issue(f) -> dict[str, Any]:
    return {
        "type": "issue",
        "description": clean(f"{f.rule_id}: {f.message}"),
        "check_name": f.rule_id,
        "fingerprint": f.fingerprint,
        "severity": SEVERITY.get(f.level, "info"),
        "location": {"path": clean(f.loc.path), "lines": {"begin": max(f.loc.line, 1)}},
    }
