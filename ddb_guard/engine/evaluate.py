"""Three-valued evaluation of rule conditions (JMESPath) over model entities.

A leaf is a JMESPath expression. The fields it reads from the entity are found from the
expression's own AST (``jmespath.compile(...).parsed``); if any of them reaches an
unknown :class:`Value`, the leaf is *unknown* and names what could not be resolved.
``all``/``any``/``not`` combine leaves with Kleene logic, so a known-false conjunct
decides a rule even when another input is unknown. Nothing is ever guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from typing import Any

from ddb_guard.engine.functions import OPTIONS
from ddb_guard.engine.rule import Rule
from ddb_guard.enums import Level, Outcome
from ddb_guard.model import Entity, Finding, Location, Value

_SPECIAL = ("address", "kind", "resource_type", "source", "display_name", "parent")
# every field of the JMESPath data besides the entity's attributes
DATA_FIELDS = frozenset((*_SPECIAL, "label", "defaults", "params", "conditional", "unknown"))
Path_ = tuple[str, ...]


@lru_cache(maxsize=512)
def _compile(expr: str) -> Any:
    import jmespath

    return jmespath.compile(expr)


@lru_cache(maxsize=512)
def root_paths(expr: str) -> tuple[Path_, ...]:
    """The field paths an expression reads from the root of its data, in order."""
    return _analyze(expr)[0]


@lru_cache(maxsize=512)
def _analyze(expr: str) -> tuple[tuple[Path_, ...], bool]:
    """(root paths, whether they are all it reads); an expression that reads the root
    itself (``@``) depends on everything, so its results cannot be memoized."""
    out: list[Path_] = []
    _collect(_compile(expr).parsed, out)
    seen: dict[Path_, None] = {}
    for p in out:
        seen.setdefault(p, None)
    return tuple(p for p in seen if p != ("@",)), ("@",) not in seen


def _chain(node: dict) -> Path_ | None:
    t = node["type"]
    if t == "field":
        return (node["value"],)
    if t == "subexpression":
        parts: list[str] = []
        for child in node["children"]:
            sub = _chain(child)
            if sub is None:
                return None
            parts.extend(sub)
        return tuple(parts)
    return None


def _collect(node: dict, out: list[Path_]) -> None:
    t = node["type"]
    chain = _chain(node)
    if chain is not None:
        out.append(chain)
        return
    children = node.get("children", [])
    if t in (
        "subexpression",
        "projection",
        "value_projection",
        "filter_projection",
        "flatten",
        "index_expression",
        "pipe",
    ):
        # only the left-hand side is evaluated against the root; the rest sees elements
        if children:
            _collect(children[0], out)
        if t == "filter_projection" and len(children) > 2:
            return
        return
    if t in ("current", "identity"):
        out.append(("@",))  # the whole root
        return
    if t in ("literal", "expref", "index", "slice"):
        return
    for child in children:
        if isinstance(child, dict):
            _collect(child, out)


def plain(obj: Any) -> Any:
    """Model data -> JSON-like data for JMESPath (unknown -> null)."""
    if isinstance(obj, Value):
        return plain(obj.value) if obj.unknown is None else None
    if isinstance(obj, dict):
        return {str(k): plain(v) for k, v in obj.items() if not isinstance(v, Location)}
    if isinstance(obj, (list, tuple)):
        return [plain(v) for v in obj]
    if isinstance(obj, (Location, Enum)):
        return str(obj)  # a StrEnum member as its plain string (JMESPath types by class)
    return obj


def entity_data(
    entity: Entity, params: dict[str, Any], base: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The JMESPath data of an entity for a rule with ``params``. ``base`` (from
    :func:`base_data`) lets a caller convert an entity once for every rule."""
    return {**(base if base is not None else base_data(entity)), "params": params}


def base_data(entity: Entity) -> dict[str, Any]:
    """An entity as plain data, without rule parameters."""
    data = {k: plain(v) for k, v in entity.attrs.items()}
    for k in _SPECIAL:
        data[k] = plain(getattr(entity, k))
    shown = entity.display_name
    # a display name that starts with the address already names it ("T (stage prod)")
    data["label"] = (
        f"{shown} ({entity.address})"
        if shown and not shown.startswith(entity.address)
        else shown or entity.address
    )
    data["defaults"] = sorted(
        k for k, v in entity.attrs.items() if isinstance(v, Value) and v.default
    )
    # whether the entity exists depends on inputs (its values are judged "when created")
    data["conditional"] = entity.exists is not None
    # why each top-level attribute that is unknown is unknown, for messages: {unknown.region}
    data["unknown"] = {
        k: v.unknown for k, v in entity.attrs.items() if isinstance(v, Value) and v.unknown
    }
    return data


def resolve(entity: Entity, path: Path_) -> Value | None:
    """The model Value at ``path`` (None when the path does not exist); the first unknown
    Value met on the way is returned as is."""
    head = path[0]
    if head in _SPECIAL or head in ("params", "defaults"):
        return None
    cur: Any = entity.attrs.get(head)
    last: Value | None = cur if isinstance(cur, Value) else None
    for key in path[1:]:
        if isinstance(cur, Value):
            if cur.unknown is not None:
                return cur
            last = cur
            cur = cur.value
        if isinstance(cur, dict):
            cur = cur.get(key)
        else:
            return last if isinstance(last, Value) and last.unknown is not None else None
    if isinstance(cur, Value):
        return cur
    if last is not None and last.unknown is not None:
        return last
    if last is not None and cur is not None:
        return Value(value=cur, loc=last.loc, default=last.default, trace=last.trace)
    return None


def truthy(value: Any) -> bool:
    """JMESPath truthiness: false, null, "", [] and {} are false; 0 is true."""
    return not (value is None or value is False or value == "" or value == [] or value == {})


@dataclass(slots=True)
class Decision:
    """The outcome of a condition and the values that decided it."""

    state: Outcome
    decisive: list[Value] = field(default_factory=list)  # values read by deciding leaves
    unknowns: list[tuple[str, Value]] = field(default_factory=list)  # (field path, value)


def evaluate(cond: Any, entity: Entity, data: dict[str, Any]) -> Decision:
    """Evaluate a condition tree (string | {all|any|not}) to pass/fail/unknown."""
    if isinstance(cond, str):
        return _leaf(cond, entity, data)
    if isinstance(cond, dict) and len(cond) == 1:
        ((op, arg),) = cond.items()
        if op == "not":
            inner = evaluate(arg, entity, data)
            flipped = {
                Outcome.PASS: Outcome.FAIL,
                Outcome.FAIL: Outcome.PASS,
                Outcome.UNKNOWN: Outcome.UNKNOWN,
            }[inner.state]
            return Decision(flipped, inner.decisive, inner.unknowns)
        if op in ("all", "any"):
            parts = [evaluate(c, entity, data) for c in arg]
            decider = (
                Outcome.FAIL if op == "any" else Outcome.PASS
            )  # any: one fail decides; all: one pass does
            for p in parts:
                if p.state == decider:
                    return Decision(decider, p.decisive, [])
            unknown = [u for p in parts for u in p.unknowns]
            if unknown:
                return Decision(Outcome.UNKNOWN, [], unknown)
            return Decision(
                Outcome.FAIL if op == "all" else Outcome.PASS,
                [v for p in parts for v in p.decisive],
            )
    raise ValueError(f"bad condition: {cond!r}")


def _leaf(expr: str, entity: Entity, data: dict[str, Any]) -> Decision:
    values: list[Value] = []
    unknowns: list[tuple[str, Value]] = []
    for path in root_paths(expr):
        v = resolve(entity, path)
        if v is None:
            continue
        if v.unknown is not None:
            unknowns.append((".".join(path), v))
        else:
            values.append(v)
    if unknowns:
        return Decision(Outcome.UNKNOWN, [], unknowns)
    return Decision(Outcome.FAIL if _search_truthy(expr, data) else Outcome.PASS, values)


_MEMO: dict[tuple, bool] = {}


def _search_truthy(expr: str, data: dict[str, Any]) -> bool:
    """Truthiness of ``expr`` on ``data``, memoized on the values the expression reads
    (thousands of tables share a handful of distinct inputs per rule)."""
    paths, complete = _analyze(expr)
    key = None
    if complete:
        try:
            key = (expr, *(_freeze(_walk(data, p)) for p in paths))
            hit = _MEMO.get(key)
        except TypeError:  # an unhashable leaf value: evaluate directly
            key = hit = None
        if hit is not None:
            return hit
    try:
        result = truthy(_compile(expr).search(data, options=OPTIONS))
    except Exception:  # a type error inside a JMESPath function: treat as not failing
        result = False
    if key is not None:
        if len(_MEMO) > 100_000:
            _MEMO.clear()
        _MEMO[key] = result
    return result


def _walk(data: Any, path: Path_) -> Any:
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _freeze(value: Any) -> Any:
    """A hashable, type-exact form of plain data (``1``, ``1.0`` and ``True`` differ)."""
    if isinstance(value, dict):
        return ("d", tuple(sorted((k, _freeze(v)) for k, v in value.items())))
    if isinstance(value, list):
        return ("l", tuple(_freeze(v) for v in value))
    return (type(value).__name__, value)


_PLACEHOLDER = re.compile(r"\{([A-Za-z_][\w.]*)(?::([^{}]*))?\}")


def render(template: str, data: dict[str, Any]) -> str:
    """Fill ``{path}`` / ``{path:fmt}`` placeholders from the entity data."""

    def sub(m: re.Match[str]) -> str:
        cur: Any = data
        for key in m.group(1).split("."):
            cur = cur.get(key) if isinstance(cur, dict) else None
        if cur is None:
            return "unknown"
        spec = m.group(2)
        if spec:
            try:
                return format(cur, spec)
            except (TypeError, ValueError):
                return str(cur)
        if isinstance(cur, float) and cur.is_integer():
            return str(int(cur))
        if isinstance(cur, bool):
            return "true" if cur else "false"
        if isinstance(cur, list):
            return ", ".join(str(x) for x in cur)
        return str(cur)

    return _PLACEHOLDER.sub(sub, template)


def describe_unknowns(unknowns: list[tuple[str, Value]]) -> str:
    """``pitr_enabled: depends on var.pitr, which has no default; ...`` (each input once)."""
    reasons: dict[str, None] = {}
    for path, v in unknowns:
        reason = str(v.unknown)
        reasons.setdefault(reason if reason.startswith(path) else f"{path}: {reason}", None)
    return "; ".join(reasons)


def check(rule: Rule, entity: Entity, base: dict[str, Any] | None = None) -> Finding | None:
    """Run one rule on one entity; a Finding for fail/unknown, None for pass."""
    data = entity_data(entity, rule.param_values, base)
    outcome = evaluate(rule.fail, entity, data)
    if outcome.state == Outcome.PASS:
        return None
    if outcome.state == Outcome.FAIL:
        text = next(t for when, t in rule.messages if when is None or _when(when, data))
        message = render(text, data)
        loc, related = _locate(rule, entity, outcome.decisive)
        level = rule.level
    else:
        what = describe_unknowns(outcome.unknowns)
        base = rule.unknown_message or f'Cannot decide "{rule.short}" for {{label}}'
        message = f"{render(base, data)}: {what}."
        loc, related = _locate(rule, entity, [v for _, v in outcome.unknowns])
        level = Level.NOTE
    if entity.exists is not None and str(entity.exists.unknown) not in message:
        message = f"{message.rstrip().rstrip('.')} (when created: {entity.exists.unknown})."
    return Finding(
        rule_id=rule.id,
        level=level,
        message=message,
        loc=loc,
        address=entity.address,
        kind=entity.kind,
        outcome=outcome.state,
        related=related,
    )


def _when(expr: str, data: dict[str, Any]) -> bool:
    return _search_truthy(expr, data)


def _locate(rule: Rule, entity: Entity, values: list[Value]) -> tuple[Location, list]:
    """Primary location and related locations of a finding (see ARCHITECTURE.md)."""
    related = list(entity.related)
    candidates = list(values)
    if rule.locate:
        pinned = resolve(entity, tuple(rule.locate.split(".")))
        if pinned is not None:
            candidates.insert(0, pinned)
    written = next((v for v in candidates if v.loc is not None), None)
    if entity.report_loc is not None:
        # inside a module: report at the outermost call site in the scanned root
        primary = entity.report_loc
        if written is not None:
            outer = [t for t in written.trace if t.path == primary.path]
            if outer:
                primary = outer[0]  # the module argument, not what fed it
            related.insert(0, (written.loc, "value set here, inside the module"))
            # the variables, locals and arguments the value went through
            related.extend((t, "value decided here") for t in written.trace)
        related.append((entity.loc, f"resource {entity.address}"))
        return primary, _dedupe(related, primary)
    if written is not None:
        for t in written.trace:
            related.append((t, "value decided here"))
        return written.loc, _dedupe(related, written.loc)
    return entity.loc, _dedupe(related, entity.loc)


def _dedupe(related: list[tuple[Location, str]], primary: Location) -> list[tuple[Location, str]]:
    out: dict[Location, str] = {}
    for loc, what in related:
        if loc != primary and loc not in out:
            out[loc] = what
    return list(out.items())
