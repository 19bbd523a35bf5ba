"""Run every enabled rule over the model: findings, suppressions, fingerprints, order."""

from __future__ import annotations

import datetime
import hashlib
import posixpath
from collections import defaultdict

from ddb_guard.engine.evaluate import OPTIONS, _compile, base_data, check, entity_data, plain
from ddb_guard.engine.rule import Rule
from ddb_guard.enums import Kind, Level, Outcome
from ddb_guard.model import (
    PARSE_ERROR,
    SUPPRESSION,
    Entity,
    Finding,
    Model,
    Notice,
    Suppression,
    Value,
    contain,
)


def suppression_entities(model: Model, known_ids: set[str]) -> list[Entity]:
    """One entity per in-source suppression, so rules (e.g. a reason is required) can
    check suppressions like anything else."""
    seen: dict[tuple, Entity] = {}
    for e in model.entities:
        for s in e.suppressions:
            key = (s.loc, s.rule)
            if key in seen:
                continue
            owner = e.parent or e.address  # a replica's or backup rule's resource
            seen[key] = Entity(
                kind=SUPPRESSION,
                address=owner,
                resource_type=e.resource_type,
                source=e.source,
                loc=s.loc,
                scope=e.scope,
                attrs={
                    "rule": Value.of(s.rule, s.loc),
                    "reason": Value.of(s.reason.strip(), s.loc),
                    "rule_exists": Value.of(s.rule.upper() in known_ids, s.loc),
                },
            )
    return list(seen.values())


def _suppression_for(
    rule_id: str, entity: Entity, today: datetime.date, model: Model
) -> Suppression | None:
    for s in entity.suppressions:
        if s.rule.upper() == rule_id and _in_force(s, today, model):  # ids: any case
            return s
    return None


def _in_force(s: Suppression, today: datetime.date, model: Model) -> bool:
    """Whether suppression ``s`` still applies on ``today``: one with ``until=DATE`` stops
    on the day after DATE, and a note says it expired. A date that is not ``YYYY-MM-DD``
    suppresses nothing (a warning says why): a gate fails closed."""
    if not s.until:
        return True
    try:
        until = datetime.date.fromisoformat(s.until)
    except ValueError:
        until = None
    if until is None or len(s.until) != 10:
        model.notices.append(
            Notice(
                s.loc.path,
                f"suppression of {s.rule}: until={s.until!r} is not a date (YYYY-MM-DD); "
                "it suppresses nothing",
                s.loc.line,
                s.loc.column,
                level=Level.WARNING,
            )
        )
        return False
    if today <= until:
        return True
    model.notices.append(
        Notice(
            s.loc.path,
            f"suppression of {s.rule} expired on {until.isoformat()}; the finding is "
            "reported again (renew the date or fix the resource)",
            s.loc.line,
            s.loc.column,
            level=Level.NOTE,
        )
    )
    return False


def fingerprint(rule_id: str, path: str, address: str) -> str:
    """Stable across line moves: derived from rule, file and resource, never the line."""
    digest = hashlib.sha256(f"{rule_id}\0{path}\0{address}".encode()).hexdigest()
    return f"{digest[:16]}:1"


def reportable(
    finding: Finding, report_paths: set[str] | None, report_dirs: set[str] = frozenset()
) -> bool:
    """With files named (pre-commit), a finding is reported when any of its locations,
    primary or related (the value's line, a variable default, a tfvars entry, a module
    argument, the resource inside a module), is in one of them, or in the directory of a
    named local module."""
    if report_paths is None or finding.loc.path in report_paths:
        return True
    locations = [finding.loc.path, *(loc.path for loc, _ in finding.related)]
    if any(path in report_paths for path in locations):
        return True
    return bool(report_dirs) and any(posixpath.dirname(p) in report_dirs for p in locations)


def run_rules(
    rules: list[Rule],
    model: Model,
    known_ids: set[str] | None = None,
    today: datetime.date | None = None,
) -> list[Finding]:
    """Evaluate ``rules`` on ``model``; returns sorted, fingerprinted findings
    (suppressed ones included, marked). ``known_ids``: every rule ddb-guard has, enabled or
    not (a suppression of a rule that is not selected is not a mistake); default: ``rules``.
    ``today`` decides which ``until=`` suppressions have expired (default: the UTC date)."""
    today = today or datetime.datetime.now(datetime.timezone.utc).date()
    by_kind: dict[Kind, list[Entity]] = defaultdict(list)
    for e in model.entities:
        by_kind[e.kind].append(e)
    if any(r.on == SUPPRESSION for r in rules):
        known = known_ids if known_ids is not None else {r.id for r in rules}
        by_kind[SUPPRESSION] = suppression_entities(model, known)
    findings: list[Finding] = []
    bases: dict[int, dict] = {}
    for rule in rules:
        for entity in by_kind.get(rule.on, ()):
            try:
                base = bases.get(id(entity))
                if base is None:
                    base = bases[id(entity)] = base_data(entity)
                finding = check(rule, entity, base)
            except Exception as exc:  # a bug: contained to this rule and entity, exit 2
                contain(model, entity, exc, ())
                continue
            if finding is None:
                continue
            if rule.on != PARSE_ERROR and not reportable(
                finding, model.report_paths, model.report_dirs
            ):
                continue
            if rule.on != SUPPRESSION:
                finding.suppression = _suppression_for(rule.id, entity, today, model)
            if rule.properties and finding.outcome == Outcome.FAIL:
                data = entity_data(entity, rule.param_values, base)
                for name, expr in rule.properties.items():
                    try:
                        value = _compile(expr).search(data, options=OPTIONS)
                    except Exception:
                        value = None
                    if value is not None:
                        finding.properties[name] = plain(value)
            findings.append(finding)
    findings.sort(key=Finding.sort_key)
    counts: dict[str, int] = defaultdict(int)
    for f in findings:
        base = fingerprint(f.rule_id, f.loc.path, f.address)
        counts[base] += 1
        n = counts[base]
        f.fingerprint = base if n == 1 else f"{base[:-2]}:{n}"
    return findings
