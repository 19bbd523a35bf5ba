"""SARIF 2.1.0 for GitHub code scanning.

One run. ``tool.driver.rules`` lists every rule that ran (sorted by id; ``ruleIndex``
indexes it). Results carry a region, the entity address as a logical location, related
locations, ``partialFingerprints.primaryLocationLineHash`` (the engine's fingerprint) and,
when suppressed in source, ``suppressions``. Notices become
``invocations[0].toolExecutionNotifications``. Keys are written in a fixed order and there
are no timestamps or absolute paths, so the same scan gives the same bytes.
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ddb_guard import INFORMATION_URI
from ddb_guard.enums import Level, Outcome
from ddb_guard.report.json import jsonable
from ddb_guard.report.safe import finite, json_safe
from ddb_guard.report.summary import ordered

if TYPE_CHECKING:
    from ddb_guard.engine.rule import Rule
    from ddb_guard.model import Finding, Location, Notice
    from ddb_guard.report import ReportOptions
    from ddb_guard.result import ScanResult

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
TOOL_NAME = "ddb-guard"
SRCROOT = "%SRCROOT%"
_WINDOWS = os.sep == "\\"
MAX_DESCRIPTION = 1024  # GitHub's limit for shortDescription / fullDescription
MAX_NAME = 255
MAX_TAGS = 20
_PROBLEM_SEVERITY = {
    Level.ERROR: "error",
    Level.WARNING: "warning",
    Level.NOTE: "recommendation",
}


def render(result: ScanResult, options: ReportOptions) -> str:
    """The SARIF log as JSON text (indent 2, trailing newline)."""
    doc = log(result, options)
    return json_safe(json.dumps(finite(doc), indent=2, ensure_ascii=False, default=jsonable)) + "\n"


def log(result: ScanResult, options: ReportOptions) -> dict[str, Any]:
    """The SARIF log as plain Python."""
    rules = sorted(result.rules, key=lambda r: r.id)
    index = {r.id: i for i, r in enumerate(rules)}
    descriptors = [_rule(r) for r in rules]
    findings = ordered(result.findings)
    for rid in sorted({f.rule_id for f in findings} - index.keys()):
        # A finding from a rule that is not in result.rules still gets a valid ruleIndex.
        index[rid] = len(descriptors)
        descriptors.append(_placeholder_rule(rid))
    driver = {
        "name": TOOL_NAME,
        "semanticVersion": options.tool_version,
        "version": options.tool_version,
        "informationUri": INFORMATION_URI,
        "rules": descriptors,
    }
    run = {
        "tool": {"driver": driver},
        "invocations": [_invocation(result)],
        "originalUriBaseIds": {
            SRCROOT: {"description": {"text": "The root of the scanned repository."}},
        },
        "results": [_result(f, index[f.rule_id]) for f in findings],
    }
    return {"$schema": SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def _text(text: str, limit: int, *, one_line: bool = False) -> str:
    """``text`` trimmed (to one line if asked) and cut to ``limit`` characters."""
    text = " ".join(text.split()) if one_line else text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _rule(r: Rule) -> dict[str, Any]:
    short = _text(r.short or r.name or r.id, MAX_DESCRIPTION, one_line=True)
    full = _text(str(r.docs.get("what") or "").strip() or short, MAX_DESCRIPTION)
    properties: dict[str, Any] = {
        "tags": list(r.tags)[:MAX_TAGS],
        "precision": r.precision,
        "problem.severity": _PROBLEM_SEVERITY[r.level],
    }
    if r.security_severity:
        properties["security-severity"] = str(r.security_severity)
    descriptor: dict[str, Any] = {"id": r.id}
    name = _text(r.name, MAX_NAME, one_line=True)
    if name and name != r.id:  # SARIF1001: a name equal to the id must be left out
        descriptor["name"] = name
    return {
        **descriptor,
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "help": {"text": r.help_text() or full, "markdown": r.help_markdown()},
        "helpUri": r.help_uri,
        "defaultConfiguration": {"level": r.level},
        "properties": properties,
    }


def _placeholder_rule(rule_id: str) -> dict[str, Any]:
    text = f"ddb-guard rule {rule_id}."
    return {
        "id": rule_id,
        "shortDescription": {"text": text},
        "fullDescription": {"text": text},
        "help": {"text": text},
    }


def outside(path: str) -> bool:
    """Whether a reported path lies outside the repository (absolute, or ``..`` first):
    such a file has no URI under ``%SRCROOT%``, so it is named in text instead."""
    posix = path.replace("\\", "/") if _WINDOWS else path
    return (
        posix.startswith("/")
        or (len(posix) > 2 and posix[1] == ":" and posix[2] == "/")
        or posix == ".."
        or posix.startswith("../")
        or posix.startswith("<")  # a modelled registry module, not a file
    )


def artifact_location(path: str) -> dict[str, Any]:
    """A repo-relative path as a URI reference under ``%SRCROOT%`` (callers keep paths
    outside the repository out: see :func:`outside`). A backslash in a POSIX file name is
    part of the name: percent-encoded, not turned into ``/``."""
    posix = path.replace("\\", "/") if _WINDOWS else path
    if posix.startswith("./"):
        posix = posix[2:]
    return {"uri": quote(posix), "uriBaseId": SRCROOT}


def _region(loc: Location) -> dict[str, int]:
    line = max(1, loc.line)
    return {
        "startLine": line,
        "startColumn": max(1, loc.column),
        "endLine": max(line, loc.end_line),
        "endColumn": max(1, loc.end_column),
    }


def _physical(loc: Location) -> dict[str, Any]:
    return {"artifactLocation": artifact_location(loc.path), "region": _region(loc)}


def _related(i: int, loc: Location, what: str) -> dict[str, Any]:
    if outside(loc.path):  # named, not linked: its URI would escape %SRCROOT%
        return {"id": i, "message": {"text": f"{what} ({loc.path}:{loc.line})"}}
    return {"id": i, "physicalLocation": _physical(loc), "message": {"text": what}}


def _result(f: Finding, rule_index: int) -> dict[str, Any]:
    primary, related, message = f.loc, list(f.related), f.message
    if outside(primary.path):
        # a file outside the repository: locate the result at the first in-repository
        # place it relates to (the module call) and name the outside file in the message
        inside = next((i for i, (loc, _) in enumerate(related) if not outside(loc.path)), None)
        message = f"{message} (in {primary.path}:{primary.line})"
        if inside is not None:
            primary = related.pop(inside)[0]
    location: dict[str, Any] = {}
    if not outside(primary.path):
        location["physicalLocation"] = _physical(primary)
    if f.address:
        location["logicalLocations"] = [{"fullyQualifiedName": f.address, "kind": "resource"}]
    out: dict[str, Any] = {
        "ruleId": f.rule_id,
        "ruleIndex": rule_index,
        "level": f.level,
        "message": {"text": message},
        "locations": [location],
    }
    if related:
        out["relatedLocations"] = [
            _related(i, loc, what) for i, (loc, what) in enumerate(related, start=1)
        ]
    fingerprint = f.fingerprint or _fallback_fingerprint(f)
    out["partialFingerprints"] = {"primaryLocationLineHash": fingerprint}
    properties = dict(f.properties)
    if f.outcome == Outcome.UNKNOWN:
        properties["outcome"] = Outcome.UNKNOWN
    if properties:
        out["properties"] = properties
    if f.suppression is not None:
        suppression: dict[str, Any] = {"kind": "inSource"}
        if f.suppression.reason:
            suppression["justification"] = f.suppression.reason
        out["suppressions"] = [suppression]
    return out


def _fallback_fingerprint(f: Finding) -> str:
    """Line-independent identity for a finding the engine did not fingerprint."""
    import hashlib

    key = "\x00".join((f.rule_id, f.loc.path, f.address, f.kind))
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def _invocation(result: ScanResult) -> dict[str, Any]:
    invocation: dict[str, Any] = {"executionSuccessful": not result.parse_errors}
    notifications = [_notification(n) for n in sorted(result.notices)]
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return invocation


def _notification(n: Notice) -> dict[str, Any]:
    level = n.level
    descriptor = {"id": n.kind}
    if outside(n.path) or not n.path:  # named in the text: no URI escapes %SRCROOT%
        text = f"{n.path}{f':{n.line}' if n.line else ''}: {n.message}" if n.path else n.message
        return {"level": level, "message": {"text": text}, "descriptor": descriptor}
    physical: dict[str, Any] = {"artifactLocation": artifact_location(n.path)}
    if n.line:
        region: dict[str, int] = {"startLine": n.line}
        if n.column:
            region["startColumn"] = n.column
        physical["region"] = region
    return {
        "level": level,
        "message": {"text": n.message},
        "locations": [{"physicalLocation": physical}],
        "descriptor": descriptor,
    }
