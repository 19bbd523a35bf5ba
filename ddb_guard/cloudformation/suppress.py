"""In-template suppressions: ``Metadata: {ddb-guard: {ignore: [{rule, reason}]}}``, and
``# ddb-guard:ignore DDB003 reason`` YAML comments on or above a resource."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ddb_guard.cloudformation.intrinsics import Resolver
from ddb_guard.enums import Level
from ddb_guard.model import Location, Notice, Suppression
from ddb_guard.parse.ignore import NO_RULE, suppression_in, yaml_comment_lines

METADATA_KEY = "ddb-guard"


def suppressions(
    resource: Mapping[str, Any], resolver: Resolver, header: Location
) -> tuple[list[Suppression], list[Notice]]:
    """The suppressions a resource declares, and notices for malformed entries.

    Each ``ignore`` entry is ``{rule: ID | [IDs], reason: text}`` (reason "" when
    missing) or a bare rule id; ``ignore`` may also be a single entry. Each Suppression is
    located at its entry.
    """
    metadata = resource.get("Metadata")
    if not isinstance(metadata, Mapping) or METADATA_KEY not in metadata:
        return [], []
    config = metadata[METADATA_KEY]
    where = resolver.loc_of(metadata, METADATA_KEY) or header
    ignore = config.get("ignore") if isinstance(config, Mapping) else None
    if ignore is None:
        return [], [_bad(where, "Metadata.ddb-guard needs an 'ignore' list")]
    entries = ignore if isinstance(ignore, list) else [ignore]
    container: Any = ignore if isinstance(ignore, list) else config
    found: list[Suppression] = []
    notices: list[Notice] = []
    for i, entry in enumerate(entries):
        loc = (resolver.loc_of(container, i if container is ignore else "ignore")) or where
        if isinstance(entry, str):
            rules: Any = entry
            reason: Any = ""
        elif isinstance(entry, Mapping):
            rules = entry.get("rule")
            reason = entry.get("reason", "")
        else:
            notices.append(_bad(loc, "a ddb-guard ignore entry needs a rule"))
            continue
        text = reason if isinstance(reason, str) else str(reason)
        if rules is None or rules == "" or rules == []:  # SUP001: it suppresses nothing
            found.append(Suppression(NO_RULE, text, loc))
            continue
        rule_list = rules if isinstance(rules, list) else [rules]
        if not all(isinstance(r, str) and r.strip() for r in rule_list):
            notices.append(_bad(loc, "a ddb-guard ignore entry needs a rule id (e.g. DDB001)"))
            continue
        until = entry.get("until", "") if isinstance(entry, Mapping) else ""
        found.extend(
            Suppression(rule.strip().upper(), text, loc, str(until or "")) for rule in rule_list
        )
    return found, notices


def comment_suppressions(
    lines: list[str], path: str, first: int, end: tuple[int, int]
) -> list[Suppression]:
    """``# ddb-guard:ignore DDB003 reason`` comments inside a resource (lines
    ``first`` to ``end``, line and column) or on the comment lines directly above it, as in
    HCL."""
    found: list[Suppression] = []
    for number, comment in yaml_comment_lines(lines, first, *end):
        parsed = suppression_in(comment)
        if parsed is None:
            continue
        column = len(lines[number - 1]) - len(comment) + 1
        loc = Location(path, number, column, number, len(lines[number - 1]) + 1)
        found.extend(Suppression(rule, parsed[1], loc) for rule in parsed[0])
    return found


def _bad(loc: Location, message: str) -> Notice:
    return Notice(loc.path, message, loc.line, loc.column, level=Level.WARNING)
