"""Scanned tables indexed once per scan, so a backup selection looks up its candidates
instead of testing every table.

Tables are indexed by address (references), by name (ARN patterns: a sorted list, looked
up by the pattern's literal prefix) and by tag key -> value (``StringEquals`` looks up one
value; ``StringLike`` visits only the values of its key that share the pattern's literal
prefix). Tables whose names or tags are unknown are kept apart: every look-up that could
reach them returns them too, so the exact three-valued test (``selection._outcome``) still
sees every table whose outcome is True or unknown. A look-up never decides an outcome.

``ops`` counts index entries visited and tables tested: the complexity test reads it.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from typing import Any

from ddb_guard.enrich.arn import (
    RefKind,
    Resource,
    ResourceKind,
    base_address,
    glob,
    known_str,
    literal_prefix,
    ref_keys,
)
from ddb_guard.enrich.arn import ref_kind as _ref_kind
from ddb_guard.model import Entity, Value

TagSpec = tuple[tuple[str, str, str] | None, str | None]  # ((op, key, value) | None, why)
ALL = None  # a look-up that may reach every table


def plain(x: Any) -> tuple[Any, str | None]:
    """Strip Values recursively; the second item is the first unknown reason met."""
    if isinstance(x, Value):
        if not x.known:
            return None, x.unknown
        return plain(x.value)
    if isinstance(x, dict):
        out = {}
        for k, v in x.items():
            pv, why = plain(v)
            if why:
                return None, why
            out[k] = pv
        return out, None
    if isinstance(x, (list, tuple)):
        items = []
        for v in x:
            pv, why = plain(v)
            if why:
                return None, why
            items.append(pv)
        return items, None
    return x, None


def tag_text(actual: Any) -> str | None:
    """A tag value as AWS compares it (a string), None when the tag is absent."""
    return actual if isinstance(actual, str) else (None if actual is None else str(actual))


class TableIndex:
    """The tables of one scan, with the per-table facts selections read computed once."""

    def __init__(self, tables: Iterable[Entity]) -> None:
        self.tables: list[Entity] = list(tables)
        self.ops = 0
        self.names: list[list[str]] = []
        self.regions: list[str | None] = []
        self.tags: list[tuple[dict[str, Any] | None, str | None]] = []
        self._by_address: dict[tuple[str, str], list[int]] = {}  # (scope, address)
        named: list[tuple[str, int]] = []
        self._nameless: list[int] = []
        self._by_tag: dict[str, dict[str, list[int]]] = {}
        self._tags_unknown: list[int] = []
        for i, table in enumerate(self.tables):
            names = [n for n in (known_str(table.attrs.get(a)) for a in _NAME_ATTRS) if n]
            self.names.append(names)
            self.regions.append(known_str(table.attrs.get("region")))
            tags = _table_tags(table)
            self.tags.append(tags)
            for address in dict.fromkeys((table.address, base_address(table.address))):
                self._by_address.setdefault((table.scope, address), []).append(i)
            named.extend((n, i) for n in dict.fromkeys(names))
            if not names:
                self._nameless.append(i)
            if tags[0] is None:
                self._tags_unknown.append(i)
                continue
            for key, actual in tags[0].items():
                text = tag_text(actual)
                if text is not None:
                    self._by_tag.setdefault(key, {}).setdefault(text, []).append(i)
        named.sort()
        self._names = [n for n, _ in named]
        self._name_pos = [i for _, i in named]
        self._tag_values: dict[str, list[str]] = {}

    def __len__(self) -> int:
        return len(self.tables)

    # ------------------------------------------------------------------ look-ups

    def by_refs(self, refs: Sequence[str], scope: str) -> set[int]:
        """Tables references written in ``scope`` name (Terraform address or CloudFormation
        logical id of the same template)."""
        out: set[int] = set()
        for ref in refs:
            for key in ref_keys(ref):
                self.ops += 1
                out.update(self._by_address.get((scope, key), ()))
        return out

    def resource(self, res: Resource, scope: str) -> set[int] | None:
        """Tables a ``resources`` element written in ``scope`` may select (``ALL``: any)."""
        self.ops += 1
        if res.kind in (ResourceKind.ALL, ResourceKind.UNKNOWN):
            return ALL
        if res.kind == ResourceKind.OTHER:
            return set()
        if res.kind == ResourceKind.REF:
            if any(_ref_kind(r) == RefKind.UNKNOWN for r in res.refs):
                return ALL
            return self.by_refs(res.refs, scope)
        out = self.by_refs(res.refs, scope) if res.refs else set()
        if res.dynamodb is False:
            return out
        prefix = literal_prefix(res.resource)
        if len(prefix) <= len("table/") and "table/".startswith(prefix):
            return ALL  # every table name may match (``table/*``)
        out.update(self._nameless)  # a table without a known name: unknown for any pattern
        self.ops += len(self._nameless)
        if not prefix.startswith("table/"):
            return out
        prefix = prefix[len("table/") :]
        i = bisect_left(self._names, prefix)
        while i < len(self._names) and self._names[i].startswith(prefix):
            self.ops += 1
            out.add(self._name_pos[i])
            i += 1
        return out

    def tag(self, spec: TagSpec) -> set[int] | None:
        """Tables a tag test (selection tag or condition) may be true or unknown for."""
        self.ops += 1
        s, _ = spec
        if s is None:
            return ALL
        op, key, value = s
        if op in ("stringnotequals", "stringnotlike"):
            return ALL  # true for tables without the key
        if op == "stringlike" and not literal_prefix(value):
            return ALL  # any value of the key may match: no narrowing worth a look-up
        out = set(self._tags_unknown)
        self.ops += len(self._tags_unknown)
        values = self._by_tag.get(key, {})
        if op == "stringequals":
            hit = values.get(value, ())
            self.ops += len(hit)
            out.update(hit)
        elif op == "stringlike":
            for text in self._values_like(key, value):
                out.update(values[text])
                self.ops += len(values[text])
        return out

    def _values_like(self, key: str, pattern: str) -> list[str]:
        ordered = self._tag_values.get(key)
        if ordered is None:
            ordered = self._tag_values[key] = sorted(self._by_tag.get(key, {}))
        prefix = literal_prefix(pattern)
        i = bisect_left(ordered, prefix)
        found = []
        while i < len(ordered) and ordered[i].startswith(prefix):
            self.ops += 1
            if glob(pattern, ordered[i]):
                found.append(ordered[i])
            i += 1
        return found


_NAME_ATTRS = ("table_name", "arn_hint")


def _table_tags(table: Entity) -> tuple[dict[str, Any] | None, str | None]:
    tags = table.attrs.get("tags")
    if tags is None:
        return {}, None
    value, why = plain(tags)
    if why:
        return None, why
    return (value if isinstance(value, dict) else {}), None


def union(parts: Iterable[set[int] | None]) -> set[int] | None:
    out: set[int] = set()
    for p in parts:
        if p is ALL:
            return ALL
        out |= p
    return out
