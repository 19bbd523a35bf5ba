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

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ddb_guard.model import CLOUDFORMATION, Entity, Notice, Value

_SUB_RE = re.compile(r"\$\{[^}]*\}")
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


def _plain(x: Any) -> tuple[Any, str | None]:
    """Strip Values recursively; the second item is the first unknown reason met."""
    if isinstance(x, Value):
        if not x.known:
            return None, x.unknown
        return _plain(x.value)
    if isinstance(x, dict):
        out = {}
        for k, v in x.items():
            pv, why = _plain(v)
            if why:
                return None, why
            out[k] = pv
        return out, None
    if isinstance(x, (list, tuple)):
        items = []
        for v in x:
            pv, why = _plain(v)
            if why:
                return None, why
            items.append(pv)
        return items, None
    return x, None


def _glob(pattern: str, text: str) -> bool:
    """AWS ARN wildcard match: ``*`` matches any run of characters."""
    regex = ".*".join(re.escape(p) for p in pattern.split("*"))
    return re.fullmatch(regex, text, flags=re.DOTALL) is not None


def _str(v: Any) -> str | None:
    if isinstance(v, Value):
        return v.value if v.known and isinstance(v.value, str) and v.value else None
    return v if isinstance(v, str) and v else None


def _base_address(address: str) -> str:
    return re.sub(r"\[[^\]]*\]$", "", address)


def _table_region(table: Entity) -> str | None:
    return _str(table.attrs.get("region"))


def _table_names(table: Entity) -> list[str]:
    names = [_str(table.attrs.get("table_name")), _str(table.attrs.get("arn_hint"))]
    return [n for n in names if n]


# ----------------------------------------------------------------------------- resources


@dataclass(slots=True)
class _Resource:
    """One ``resources``/``not_resources`` element, classified once.

    ``kind``: ``all`` (``*``), ``arn`` (pattern), ``ref`` (reference to scanned/other
    resources), ``other`` (not DynamoDB), ``unknown``.
    """

    kind: str
    text: str = ""
    dynamodb: bool | None = False  # does it name DynamoDB at all
    refs: tuple[str, ...] = ()
    reason: str = ""


def _classify(elem: Any) -> _Resource:
    if isinstance(elem, Value) and not elem.known:
        if elem.refs:
            return _Resource("ref", refs=elem.refs, reason=elem.unknown or "")
        return _Resource("unknown", reason=elem.unknown or "unresolved value")
    text = _str(elem)
    if text is None:
        refs = elem.refs if isinstance(elem, Value) else ()
        if refs:
            return _Resource("ref", refs=refs)
        return _Resource("unknown", reason=f"resource {elem!r} is not a string")
    text = _SUB_RE.sub("*", text.strip())
    if text == "*":
        return _Resource("all", text, dynamodb=True)
    if text.startswith("arn:"):
        parts = text.split(":", 5)
        if len(parts) < 6:
            return _Resource("other", text)
        service = parts[2]
        return _Resource("arn", text, dynamodb=_glob(service, "dynamodb"))
    return _Resource("other", text, reason=f"{text!r} is not an ARN")


def _ref_matches(ref: str, table: Entity, scope: str) -> bool:
    """Whether reference ``ref``, written in ``scope``, names ``table`` (Terraform address
    or CloudFormation logical id; a CloudFormation reference names only its own template's
    resources)."""
    if table.scope != scope:
        return False
    for address in {table.address, _base_address(table.address)}:
        if ref == address or ref.startswith(address + ".") or ref.startswith(address + "["):
            return True
    return False


_TF_UNKNOWABLE = ("var", "local", "each", "count", "path", "terraform", "self")


def _ref_kind(ref: str) -> str:
    """``dynamodb`` (a DynamoDB table, scanned or not), ``other`` (another kind of resource)
    or ``unknown`` (a variable, local, module output or CloudFormation ``Ref`` that may be a
    parameter holding an ARN)."""
    parts = ref.split(".")
    i = 0
    while i + 1 < len(parts) and parts[i] == "module":
        i += 2
    if i < len(parts) and parts[i] == "data":
        i += 1
    if i < len(parts) and parts[i].startswith("aws_"):
        return "dynamodb" if parts[i].startswith("aws_dynamodb_table") else "other"
    if i > 0 or parts[0] in _TF_UNKNOWABLE:
        return "unknown"
    # CloudFormation: "X.Arn" is !GetAtt of a template resource (not a scanned table, or it
    # would have matched); "X" is !Ref, which may be a parameter
    return "other" if len(parts) > 1 else "unknown"


def _resource_matches(res: _Resource, table: Entity, scope: str) -> bool | None:
    if res.kind == "all":
        return True
    if res.kind in ("other",):
        return False
    if res.kind == "unknown":
        return None
    if res.kind == "ref":
        if any(_ref_matches(r, table, scope) for r in res.refs):
            return True
        return None if any(_ref_kind(r) == "unknown" for r in res.refs) else False
    # arn pattern
    if not res.dynamodb:
        return False
    parts = res.text.split(":", 5)
    region_pat, resource_pat = parts[3], parts[5]
    region = _table_region(table)
    if region is not None and not _glob(region_pat, region):
        return False
    names = _table_names(table)
    if not names:
        return None
    return any(_glob(resource_pat, f"table/{n}") for n in names)


def _resource_names_dynamodb(res: _Resource) -> bool | None:
    """Whether the element names DynamoDB at all (including tables outside the scan)."""
    if res.kind in ("all", "arn"):
        return res.dynamodb
    if res.kind == "ref":
        kinds = {_ref_kind(r) for r in res.refs}
        return True if "dynamodb" in kinds else (None if "unknown" in kinds else False)
    if res.kind == "unknown":
        return None
    return False


def _excludes_all_dynamodb(res: _Resource) -> bool:
    if res.kind == "all":
        return True
    if res.kind == "arn" and res.dynamodb:
        parts = res.text.split(":", 5)
        return parts[3] == "*" and _glob(parts[5], "table/*") and parts[5].startswith("table/*")
    return False


# ----------------------------------------------------------------------------- tags


def _tag_key(key: str) -> str:
    return key[len(_TAG_PREFIX) :] if key.lower().startswith(_TAG_PREFIX) else key


def _table_tags(table: Entity) -> tuple[dict[str, Any] | None, str | None]:
    tags = table.attrs.get("tags")
    if tags is None:
        return {}, None
    plain, why = _plain(tags)
    if why:
        return None, why
    return (plain if isinstance(plain, dict) else {}), None


def _field(d: dict[str, Any], *names: str) -> Any:
    for n in names:
        if n in d:
            return d[n]
    return None


def _tag_spec(item: Any) -> tuple[tuple[str, str, str] | None, str | None]:
    """(op, key, value) of a selection tag or condition; op normalised to e.g. stringequals."""
    plain, why = _plain(item)
    if why:
        return None, why
    if not isinstance(plain, dict):
        return None, f"tag condition {plain!r} is not a mapping"
    op = _field(plain, "op", "type", "ConditionType") or "STRINGEQUALS"
    key = _field(plain, "key", "ConditionKey", "Key")
    value = _field(plain, "value", "ConditionValue", "Value")
    if not isinstance(key, str) or not isinstance(value, str):
        return None, f"tag condition needs a string key and value, got {key!r}={value!r}"
    return (str(op).replace("_", "").lower(), _tag_key(key), value), None


def _tag_matches(spec: tuple[str, str, str], tags: dict[str, Any]) -> bool:
    op, key, value = spec
    actual = tags.get(key)
    actual_s = actual if isinstance(actual, str) else (None if actual is None else str(actual))
    if op == "stringequals":
        return actual_s == value
    if op == "stringnotequals":
        return actual_s != value
    if op == "stringlike":
        return actual_s is not None and _glob(value, actual_s)
    if op == "stringnotlike":
        return actual_s is None or not _glob(value, actual_s)
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
                plain, why = _plain(item)
                if why:
                    out.append(Value.unknown_because(why))
                elif isinstance(plain, dict):
                    out.append({**plain, "op": op})
        return out
    return _items(x)


# ----------------------------------------------------------------------------- selections


def _selection_name(sel: Entity) -> str:
    return sel.address


def selection_coverage(sel: Entity, tables: list[Entity]) -> Coverage:
    """What one selection covers among ``tables`` (and DynamoDB in general)."""
    resources = [_classify(e) for e in _items(sel.attrs.get("resources"))]
    excluded = [_classify(e) for e in _items(sel.attrs.get("not_resources"))]
    tag_items = _items(sel.attrs.get("tags"))
    cond_items = _conditions(sel.attrs.get("conditions"))
    tag_specs = [_tag_spec(t) for t in tag_items]
    cond_specs = [_tag_spec(c) for c in cond_items]
    everything = not resources and not tag_items

    covered: list[str] = []
    maybe: list[str] = []
    reasons: list[str] = []
    for table in tables:
        tags, tags_why = _table_tags(table)

        def tag_ok(
            spec: tuple[tuple[str, str, str] | None, str | None],
            tags: dict[str, Any] | None = tags,
            w: str | None = tags_why,
            address: str = table.address,
        ) -> bool | None:
            s, why = spec
            if s is None:
                reasons.append(why or "")
                return None
            if tags is None:
                reasons.append(f"tags of {address} unknown: {w}")
                return None
            return _tag_matches(s, tags)

        in_res = _or(_resource_matches(r, table, sel.scope) for r in resources)
        in_tags = _or(tag_ok(s) for s in tag_specs)
        if everything:
            base: bool | None = True
        elif resources and tag_items:
            base = _or([in_res, in_tags])
        else:
            base = in_res if resources else in_tags
        cond = _and(tag_ok(s) for s in cond_specs)
        out = _or(_resource_matches(r, table, sel.scope) for r in excluded)
        selected = _and([base, cond, _not(out)])
        if selected is True:
            covered.append(table.identity)
        elif selected is None:
            maybe.append(table.identity)
            for r in (*resources, *excluded):
                if r.reason and r.kind in ("unknown", "ref"):
                    reasons.append(r.reason)

    if covered:
        return Coverage(True, "selects scanned tables", covered, maybe, [sel.address])
    generic: bool | None = False
    if everything:
        generic = True
    elif resources:
        generic = _or(_resource_names_dynamodb(r) for r in resources)
    if generic is not False and any(_excludes_all_dynamodb(r) for r in excluded):
        generic = False
    if generic is True:
        how = (
            "selects every supported and opted-in resource (no resources, tags or conditions)"
            if everything
            else "names DynamoDB resources outside the scanned files"
        )
        return Coverage(True, how, [], maybe, [sel.address])
    if maybe or generic is None:
        unique = [r for r in dict.fromkeys(reasons) if r]
        why = "; ".join(unique[:3]) or "its resources cannot be resolved"
        return Coverage(None, f"{sel.address}: {why}", [], maybe, [sel.address])
    if tag_items or cond_items:
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


def _selection_kind(source: str) -> str:
    return "AWS::Backup::BackupSelection" if source == CLOUDFORMATION else "aws_backup_selection"


def plan_coverage(
    plan_address: str,
    source: str,
    selections: list[Entity],
    tables: list[Entity],
    scope: str = "",
) -> Coverage:
    """What the plan at ``plan_address`` in ``scope`` covers: the union of its selections
    (three-valued)."""
    matches = [(s, selection_plan_matches(s, plan_address, scope)) for s in selections]
    mine = [s for s, m in matches if m is True]
    unsure = [s for s, m in matches if m is None]
    if not mine and not unsure:
        return Coverage(None, f"no {_selection_kind(source)} for this plan in the scanned files")
    results = [selection_coverage(s, tables) for s in mine]
    tables_out = sorted({t for r in results for t in r.tables})
    maybe = sorted({t for r in results for t in r.maybe} - set(tables_out))
    used = [s.address for s in mine]
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
                    level="warning",
                )
            )
    return out


def arn_tables(sel: Entity) -> list[tuple[str, str | None, str]]:
    """Tables a selection names by a literal ARN (``arn:aws:dynamodb:REGION:ACCOUNT:table/NAME``,
    no wildcard in the name): ``(name, region or None, arn)``. They may be outside the scan;
    ``--table-size NAME=GB`` sizes them."""
    out = []
    for elem in _items(sel.attrs.get("resources")):
        res = _classify(elem)
        if res.kind != "arn" or not res.dynamodb:
            continue
        parts = res.text.split(":", 5)
        resource = parts[5]
        if not resource.startswith("table/"):
            continue
        name = resource[len("table/") :]
        if not name or "*" in name or "/" in name:
            continue
        region = parts[3] if parts[3] and "*" not in parts[3] else None
        out.append((name, region, res.text))
    return out
