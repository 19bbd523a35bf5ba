"""In-template suppressions: ``Metadata: {ddb-guard: {ignore: [{rule, reason}]}}``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ddb_guard.cloudformation.intrinsics import Resolver
from ddb_guard.model import Location, Notice, Suppression

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
        rule_list = rules if isinstance(rules, list) else [rules]
        if not rule_list or not all(isinstance(r, str) and r.strip() for r in rule_list):
            notices.append(_bad(loc, "a ddb-guard ignore entry needs a rule id (e.g. DDB001)"))
            continue
        text = reason if isinstance(reason, str) else str(reason)
        found.extend(Suppression(rule.strip(), text, loc) for rule in rule_list)
    return found, notices


def _bad(loc: Location, message: str) -> Notice:
    return Notice(loc.path, message, loc.line, loc.column, level="warning")
