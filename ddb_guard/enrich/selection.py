"""Which scanned tables each backup plan covers, from its backup selections.

A selection picks resources the way AWS Backup does:

- ``resources`` (ARNs with ``*`` wildcards, references) and ``tags`` (``selection_tag`` /
  ``ListOfTags``, StringEquals, any one matching) include resources; when both are given a
  resource matching either is included (ListOfTags' OR semantics); when neither is given
  every supported, opted-in resource is included (AWS's documented default);
- ``conditions`` (StringEquals/StringLike/StringNotEquals/StringNotLike, all must match)
  refine that set; ``not_resources`` exclude from it.

Matching is three-valued (True / False / None = cannot be known) and never guesses:
a reference (``aws_dynamodb_table.orders.arn``, CloudFormation ``Orders.Arn``/``Orders``)
names its table; a literal or partly resolved ARN (``${...}`` left by ``!Sub`` counts as
``*``) matches on service, region (when the table's region is known) and ``table/NAME``;
tag keys may be written ``aws:ResourceTag/KEY``.

A plan "covers DynamoDB" when one of its selections includes a scanned table, or names a
DynamoDB ARN, reference or wildcard (tables outside the scan count), or selects everything.
Tags alone cover DynamoDB only through scanned tables that carry them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ddb_guard.enrich.arn import (
    Resource,
    ResourceKind,
    classify,
    excludes_all_dynamodb,
    glob,
    names_dynamodb,
    resource_matches,
)
from ddb_guard.enrich.selection_index import ALL, TableIndex, TagSpec, plain, tag_text, union
from ddb_guard.enums import Level
from ddb_guard.model import CLOUDFORMATION, Entity, Notice, Value

_TAG_PREFIX = "aws:resourcetag/"


@dataclass(slots=True)
class Coverage:
    """What a selection (or all selections of a plan) covers.

    ``covers``: True/False/None (unknown); ``reason``: why unknown or False, or how it
    covers; ``tables``: identities (:attr:`Entity.identity`) of scanned tables definitely
    covered; ``maybe``: scanned tables whose coverage cannot be known; ``selections``:
    selection addresses used.
    """

    covers: bool | None
    reason: str
    tables: list[str] = field(default_factory=list)
    maybe: list[str] = field(default_factory=list)
    selections: list[str] = field(default_factory=list)


# ----------------------------------------------------------------------------- helpers


def _or(values: Iterable[bool | None]) -> bool | None:
    result: bool | None = False
    for v in values:
        if v is True:
            return True
        if v is None:
            result = None
    return result


def _and(values: Iterable[bool | None]) -> bool | None:
    result: bool | None = True
    for v in values:
        if v is False:
            return False
        if v is None:
            result = None
    return result


def _not(v: bool | None) -> bool | None:
    return None if v is None else not v


def _items(x: Any) -> list[Any]:
    """A list attribute as elements: Values (or dicts); an unknown list is one unknown item."""
    if x is None:
        return []
    if isinstance(x, Value):
        if not x.known:
            return [x]
        if x.value is None:
            return []
        inner = x.value if isinstance(x.value, (list, tuple)) else [x.value]
        return [i if isinstance(i, (Value, dict)) else Value(i, x.loc) for i in inner]
    if isinstance(x, (list, tuple)):
        return list(x)
    return [x]


# ----------------------------------------------------------------------------- tags


def _tag_key(key: str) -> str:
    return key[len(_TAG_PREFIX) :] if key.lower().startswith(_TAG_PREFIX) else key


def _field(d: dict[str, Any], *names: str) -> Any:
    for n in names:
        if n in d:
            return d[n]
    return None


def _tag_spec(item: Any) -> tuple[tuple[str, str, str] | None, str | None]:
    """(op, key, value) of a selection tag or condition; op normalised to e.g. stringequals."""
    spec, why = plain(item)
    if why:
        return None, why
    if not isinstance(spec, dict):
        return None, f"tag condition {spec!r} is not a mapping"
    op = _field(spec, "op", "type", "ConditionType") or "STRINGEQUALS"
    key = _field(spec, "key", "ConditionKey", "Key")
    value = _field(spec, "value", "ConditionValue", "Value")
    if not isinstance(key, str) or not isinstance(value, str):
        return None, f"tag condition needs a string key and value, got {key!r}={value!r}"
    return (str(op).replace("_", "").lower(), _tag_key(key), value), None


def _tag_matches(spec: tuple[str, str, str], tags: dict[str, Any]) -> bool:
    op, key, value = spec
    actual_s = tag_text(tags.get(key))
    if op == "stringequals":
        return actual_s == value
    if op == "stringnotequals":
        return actual_s != value
    if op == "stringlike":
        return actual_s is not None and glob(value, actual_s)
    if op == "stringnotlike":
        return actual_s is None or not glob(value, actual_s)
    return False


def _conditions(x: Any) -> list[Any]:
    """Conditions as a list: ``[{op, key, value}]`` or CloudFormation's
    ``{StringEquals: [{ConditionKey, ConditionValue}], ...}``."""
    if isinstance(x, Value) and x.known and isinstance(x.value, dict):
        x = x.value
    if isinstance(x, dict) and not ({"op", "key"} & set(x)):
        out = []
        for op, items in x.items():
            for item in _items(items):
                spec, why = plain(item)
                if why:
                    out.append(Value.unknown_because(why))
                elif isinstance(spec, dict):
                    out.append({**spec, "op": op})
        return out
    return _items(x)


# ----------------------------------------------------------------------------- selections


@dataclass(slots=True)
class _Selection:
    """A selection's parts, read once. ``scope``: where its references are written."""

    scope: str
    resources: list[Resource]
    excluded: list[Resource]
    tag_specs: list[TagSpec]
    cond_specs: list[TagSpec]
    has_tags: bool
    has_conditions: bool

    @property
    def everything(self) -> bool:
        return not self.resources and not self.has_tags


def _parse(sel: Entity) -> _Selection:
    tag_items = _items(sel.attrs.get("tags"))
    cond_items = _conditions(sel.attrs.get("conditions"))
    return _Selection(
        sel.scope,
        [classify(e) for e in _items(sel.attrs.get("resources"))],
        [classify(e) for e in _items(sel.attrs.get("not_resources"))],
        [_tag_spec(t) for t in tag_items],
        [_tag_spec(c) for c in cond_items],
        bool(tag_items),
        bool(cond_items),
    )


def _candidates(s: _Selection, index: TableIndex) -> Sequence[int]:
    """Positions of the tables whose outcome may be True or unknown, in scan order: the
    smallest of the index look-ups of what the selection includes and of each condition
    (a table must pass all of them); every table when none narrows."""
    looked: list[set[int] | None] = []
    if not s.everything:
        looked.append(
            union(
                [
                    *(index.resource(r, s.scope) for r in s.resources),
                    *(index.tag(t) for t in s.tag_specs),
                ]
            )
        )
    looked.extend(index.tag(c) for c in s.cond_specs)
    narrowing = [c for c in looked if c is not ALL]
    if not narrowing:
        return range(len(index))
    return sorted(min(narrowing, key=len))


def _outcome(s: _Selection, i: int, index: TableIndex, reasons: list[str]) -> bool | None:
    """Whether the selection selects table ``i`` (three-valued), as AWS Backup decides."""
    index.ops += 1
    table = index.tables[i]
    names, region = index.names[i], index.regions[i]
    tags, tags_why = index.tags[i]

    def tag_ok(spec: TagSpec) -> bool | None:
        test, why = spec
        if test is None:
            reasons.append(why or "")
            return None
        if tags is None:
            reasons.append(f"tags of {table.address} unknown: {tags_why}")
            return None
        return _tag_matches(test, tags)

    in_res = _or(resource_matches(r, table, s.scope, names, region) for r in s.resources)
    in_tags = _or(tag_ok(t) for t in s.tag_specs)
    if s.everything:
        base: bool | None = True
    elif s.resources and s.has_tags:
        base = _or([in_res, in_tags])
    else:
        base = in_res if s.resources else in_tags
    cond = _and(tag_ok(c) for c in s.cond_specs)
    out = _or(resource_matches(r, table, s.scope, names, region) for r in s.excluded)
    return _and([base, cond, _not(out)])


def _unknown_parts(s: _Selection, *, partial_only: bool = False) -> list[str]:
    """Why the selection's unknown resources (all, or only the partly known ARNs) are."""
    return [
        r.reason
        for r in (*s.resources, *s.excluded)
        if r.reason
        and (
            not r.exact or (not partial_only and r.kind in (ResourceKind.UNKNOWN, ResourceKind.REF))
        )
    ]


def selection_coverage(sel: Entity, tables: Sequence[Entity] | TableIndex) -> Coverage:
    """What one selection covers among ``tables`` (and DynamoDB in general)."""
    index = tables if isinstance(tables, TableIndex) else TableIndex(tables)
    s = _parse(sel)
    covered: list[str] = []
    maybe: list[str] = []
    # a tag or condition that cannot be read is unknown for every table, tested or not
    unread = [why or "" for test, why in (*s.tag_specs, *s.cond_specs) if test is None]
    reasons: list[str] = unread if len(index) else []
    for i in _candidates(s, index):
        selected = _outcome(s, i, index, reasons)
        if selected is True:
            covered.append(index.tables[i].identity)
        elif selected is None:
            maybe.append(index.tables[i].identity)
            reasons.extend(_unknown_parts(s))

    if covered:
        return Coverage(True, "selects scanned tables", covered, maybe, [sel.address])
    generic: bool | None = False
    if s.everything:
        generic = True
    elif s.resources:
        generic = _or(names_dynamodb(r) for r in s.resources)
    if generic is not False and any(excludes_all_dynamodb(r) for r in s.excluded):
        generic = False
    if generic is True:
        how = (
            "selects every supported and opted-in resource (no resources, tags or conditions)"
            if s.everything
            else "names DynamoDB resources outside the scanned files"
        )
        return Coverage(True, how, [], maybe, [sel.address])
    if maybe or generic is None:
        unique = [r for r in dict.fromkeys(reasons or _unknown_parts(s, partial_only=True)) if r]
        why = "; ".join(unique[:3]) or "its resources cannot be resolved"
        return Coverage(None, f"{sel.address}: {why}", [], maybe, [sel.address])
    if s.has_tags or s.has_conditions:
        reason = f"{sel.address}: no scanned table matches its tags or conditions"
    else:
        reason = f"{sel.address}: its resources name no DynamoDB table"
    return Coverage(False, reason, [], [], [sel.address])


def selection_plan_matches(sel: Entity, plan_address: str, scope: str = "") -> bool | None:
    """Whether ``sel`` belongs to the plan at ``plan_address`` in ``scope`` (None: its plan
    is unknown). A known reference names a plan of the selection's own scope only."""
    plan = sel.attrs.get("plan")
    if isinstance(plan, Value) and not plan.known and not plan.refs:
        return None
    if sel.scope != scope:
        return False
    if isinstance(plan, Value):
        if plan.known:
            return plan.value == plan_address
        if plan.refs:
            return any(r == plan_address or r.startswith(plan_address + ".") for r in plan.refs)
        return None
    return plan == plan_address


def plan_keys(sel: Entity) -> list[str] | None:
    """The plan addresses ``sel`` can belong to, in its scope (see
    :func:`selection_plan_matches`); None when its plan is unknown or not a string (it is
    then tested against each plan)."""
    plan = sel.attrs.get("plan")
    if isinstance(plan, Value):
        if plan.known:
            return [plan.value] if isinstance(plan.value, str) else None
        if plan.refs:
            keys = [
                k for r in plan.refs for k in [r] + [r[:i] for i, c in enumerate(r) if c == "."]
            ]
            return list(dict.fromkeys(keys))
        return None
    return [plan] if isinstance(plan, str) else None


def _selection_kind(source: str) -> str:
    return "AWS::Backup::BackupSelection" if source == CLOUDFORMATION else "aws_backup_selection"


class CoverageIndex:
    """The selections of one scan by plan, and its tables indexed: what each plan covers,
    each selection evaluated once."""

    def __init__(self, selections: Sequence[Entity], tables: Sequence[Entity] | TableIndex):
        self.tables = tables if isinstance(tables, TableIndex) else TableIndex(tables)
        self.selections = list(selections)
        self._by_plan: dict[tuple[str, str], list[int]] = {}
        self._other: list[int] = []  # plan unknown or not a string: tested per plan
        for i, sel in enumerate(self.selections):
            keys = plan_keys(sel)
            if keys is None:
                self._other.append(i)
            for key in keys or ():
                self._by_plan.setdefault((sel.scope, key), []).append(i)
        self._cache: dict[int, Coverage] = {}

    @property
    def ops(self) -> int:
        return self.tables.ops

    def _coverage(self, i: int) -> Coverage:
        if i not in self._cache:
            self._cache[i] = selection_coverage(self.selections[i], self.tables)
        return self._cache[i]

    def plan_coverage(self, plan_address: str, source: str, scope: str = "") -> Coverage:
        """What the plan at ``plan_address`` in ``scope`` covers: the union of its
        selections (three-valued)."""
        candidates = sorted({*self._by_plan.get((scope, plan_address), ()), *self._other})
        self.tables.ops += len(candidates)
        matches = [
            (i, selection_plan_matches(self.selections[i], plan_address, scope)) for i in candidates
        ]
        mine = [i for i, m in matches if m is True]
        unsure = [self.selections[i] for i, m in matches if m is None]
        if not mine and not unsure:
            return Coverage(
                None, f"no {_selection_kind(source)} for this plan in the scanned files"
            )
        results = [self._coverage(i) for i in mine]
        tables_out = sorted({t for r in results for t in r.tables})
        maybe = sorted({t for r in results for t in r.maybe} - set(tables_out))
        used = [self.selections[i].address for i in mine]
        if any(r.covers is True for r in results):
            how = "; ".join(dict.fromkeys(r.reason for r in results if r.covers is True))
            return Coverage(True, how, tables_out, maybe, used)
        unknown = [r.reason for r in results if r.covers is None]
        if unsure:
            names = ", ".join(s.address for s in unsure)
            plan_why = next(
                (s.attrs["plan"].unknown for s in unsure if isinstance(s.attrs.get("plan"), Value)),
                None,
            )
            unknown.append(f"the plan of {names} cannot be resolved ({plan_why or 'unknown'})")
        if unknown:
            return Coverage(None, "; ".join(unknown), [], maybe, used)
        return Coverage(False, "; ".join(r.reason for r in results), [], [], used)


def plan_coverage(
    plan_address: str,
    source: str,
    selections: Sequence[Entity],
    tables: Sequence[Entity] | TableIndex,
    scope: str = "",
) -> Coverage:
    """What the plan at ``plan_address`` in ``scope`` covers: the union of its selections
    (three-valued). To ask for many plans, build one :class:`CoverageIndex`."""
    return CoverageIndex(selections, tables).plan_coverage(plan_address, source, scope)


def selection_notices(selections: list[Entity]) -> list[Notice]:
    """Selections with no resources, tags or conditions select *everything*: say so."""
    out = []
    for sel in selections:
        if (
            not _items(sel.attrs.get("resources"))
            and not _items(sel.attrs.get("tags"))
            and not _conditions(sel.attrs.get("conditions"))
        ):
            loc = sel.report_loc or sel.loc
            out.append(
                Notice(
                    loc.path,
                    f"{sel.address} names no resources, tags or conditions: AWS Backup then "
                    "selects every supported and opted-in resource (DynamoDB tables included), "
                    "which can cost far more than intended",
                    loc.line,
                    loc.column,
                    level=Level.WARNING,
                )
            )
    return out


def arn_tables(sel: Entity) -> list[tuple[str, str | None, str]]:
    """Tables a selection names by a literal ARN (``arn:aws:dynamodb:REGION:ACCOUNT:table/NAME``,
    no wildcard in the name): ``(name, region or None, arn)``. They may be outside the scan;
    ``--table-size NAME=GB`` sizes them."""
    out = []
    for elem in _items(sel.attrs.get("resources")):
        res = classify(elem)
        if res.kind != ResourceKind.ARN or not res.dynamodb:
            continue
        resource = res.resource
        if not resource.startswith("table/"):
            continue
        name = resource[len("table/") :]
        if not name or "*" in name or "/" in name:
            continue
        region = res.region if res.region and "*" not in res.region else None
        out.append((name, region, res.text))
    return out
