"""Machine-readable JSON: a stable document (sorted keys, indent 2, trailing newline).

Shape::

    {"version": "0.1.0",
     "findings": [{rule_id, level, message, path, line, column, end_line, end_column,
                   address, kind, outcome, fingerprint, suppressed, suppression_reason,
                   related: [{path, line, column, end_line, end_column, message}],
                   properties}],
     "notices": [{path, line, column, level, kind, message}],
     "summary": {error, warning, note, suppressed, baselined, files, parse_errors, skipped,
                 failing}}

Suppressed findings are included with ``suppressed: true``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ddb_guard.enums import Level
from ddb_guard.report.safe import finite, json_safe
from ddb_guard.report.summary import count, failing, ordered

if TYPE_CHECKING:
    from ddb_guard.model import Finding, Location, Notice
    from ddb_guard.report import ReportOptions
    from ddb_guard.result import ScanResult


def render(result: ScanResult, options: ReportOptions) -> str:
    """The JSON document for ``result``."""
    return dumps(document(result, options))


def document(result: ScanResult, options: ReportOptions) -> dict[str, Any]:
    """The JSON document as plain Python (before serialisation)."""
    c = count(result)
    return {
        "version": options.tool_version,
        "findings": [_finding(f) for f in ordered(result.findings)],
        "notices": [_notice(n) for n in sorted(result.notices)],
        "summary": {
            Level.ERROR: c.error,
            Level.WARNING: c.warning,
            Level.NOTE: c.note,
            "suppressed": c.suppressed,
            "baselined": c.baselined,
            "files": c.files,
            "parse_errors": c.parse_errors,
            "skipped": c.skipped,
            "failing": len(failing(result, options.fail_on)),
        },
    }


def dumps(doc: Any) -> str:
    """Serialise deterministically; unknown objects (e.g. sets) become sorted lists or text."""
    return (
        json_safe(
            json.dumps(finite(doc), indent=2, sort_keys=True, ensure_ascii=False, default=jsonable)
        )
        + "\n"
    )


def jsonable(obj: Any) -> Any:
    """``json.dumps`` fallback: sets become sorted lists, anything else its ``str``."""
    if isinstance(obj, (set, frozenset)):
        return sorted(obj, key=str)
    return str(obj)


def _region(loc: Location) -> dict[str, Any]:
    return {
        "path": loc.path,
        "line": loc.line,
        "column": loc.column,
        "end_line": loc.end_line,
        "end_column": loc.end_column,
    }


def _finding(f: Finding) -> dict[str, Any]:
    return {
        "rule_id": f.rule_id,
        "level": f.level,
        "message": f.message,
        **_region(f.loc),
        "address": f.address,
        "kind": f.kind,
        "outcome": f.outcome,
        "fingerprint": f.fingerprint,
        "suppressed": f.suppression is not None,
        "suppression_reason": f.suppression.reason if f.suppression is not None else None,
        "related": [{**_region(loc), "message": what} for loc, what in f.related],
        "properties": f.properties,
    }


def _notice(n: Notice) -> dict[str, Any]:
    return {
        "path": n.path,
        "line": n.line,
        "column": n.column,
        "level": n.level,
        "kind": n.kind,
        "message": n.message,
    }
