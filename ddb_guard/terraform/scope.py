"""What every part of the Terraform evaluator shares: the lexical :class:`Scope` (with the
:class:`ModuleContext` it asks), ``.tf.json`` expressions, and the helpers that build and
read :class:`~ddb_guard.model.Value` s (``known``/``unknown``, traces, attribute and index
access, iteration).

Inside the evaluator a known container ``Value`` holds plain Python; an element that is
not known is an unknown ``Value`` stored in the container.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Protocol

from ddb_guard.model import Location, Value
from ddb_guard.terraform import functions
from ddb_guard.terraform.budget import Budget
from ddb_guard.terraform.functions import EvalError, to_str

if TYPE_CHECKING:
    from ddb_guard.terraform.hcl import Attribute

MAX_ITEMS = 10_000  # for-expression / template-for iteration cap


if TYPE_CHECKING:  # a Protocol costs milliseconds of import time; it only documents

    class ModuleContext(Protocol):
        """What the evaluator asks the module instance it evaluates in."""

        path_module: str
        prefix: str  # address prefix, "" or "module.users."

        def var(self, name: str) -> Value: ...
        def local(self, name: str) -> Value: ...
        def resource_ref(self, rtype: str, steps: list[tuple[str, Any]]) -> tuple[Value, int]: ...
        def module_ref(self, steps: list[tuple[str, Any]]) -> tuple[Value, int]: ...
        def data_ref(self, steps: list[tuple[str, Any]]) -> Value | None: ...


class Scope:
    """Lexical scope: the module instance plus bound names (each, count, iterators, for vars),
    and the evaluation budget (the module instance's, else one of its own)."""

    __slots__ = ("budget", "ctx", "names")

    def __init__(
        self,
        ctx: ModuleContext | None,
        names: dict[str, Value] | None = None,
        budget: Budget | None = None,
    ) -> None:
        self.ctx = ctx
        self.names = names or {}
        self.budget = budget or getattr(ctx, "budget", None) or Budget()

    def bind(self, **names: Value) -> Scope:
        return Scope(self.ctx, {**self.names, **names}, self.budget)


class JsonExpr:
    """A ``.tf.json`` expression: a JSON value whose strings are templates."""

    __slots__ = ("loc", "value")

    def __init__(self, value: Any, loc: Location) -> None:
        self.value = value
        self.loc = loc


def unknown(reason: str, *, trace: tuple[Location, ...] = (), refs: tuple[str, ...] = ()) -> Value:
    return Value(None, None, reason, False, trace, refs)


def known(value: Any, trace: tuple[Location, ...] = ()) -> Value:
    return Value(value, None, None, False, trace)


def join_traces(*vals: Value) -> tuple[Location, ...]:
    """The locations that decided ``vals``, each once, in order."""
    out: tuple[Location, ...] = ()
    for v in vals:
        if v.trace:
            out = v.trace if not out else out + tuple(t for t in v.trace if t not in out)
    return out


def first_unknown(*vals: Value) -> Value | None:
    """The first unknown of ``vals`` with the refs of all unknowns, or ``None``."""
    first = None
    refs: tuple[str, ...] = ()
    for v in vals:
        if v.unknown is not None:
            first = first or v
            refs += tuple(r for r in v.refs if r not in refs)
    if first is None:
        return None
    return Value(None, None, first.unknown, False, join_traces(*vals), refs)


def element(container: Value, item: Any) -> Value:
    """Wrap an element of a known container as a Value (unknown elements are Values already)."""
    if isinstance(item, Value):
        return item
    return Value(item, None, None, False, container.trace)


def at(value: Value, loc: Location | None) -> Value:
    """``value`` as written at ``loc`` (the attribute expression)."""
    return Value(value.value, loc, value.unknown, False, value.trace, value.refs)


def get_attr(base: Value, name: str) -> Value:
    if base.unknown is not None:
        return base
    value = base.value
    if isinstance(value, dict):
        if name not in value:
            raise EvalError(f"object has no attribute {name!r}")
        return element(base, value[name])
    if value is None:
        raise EvalError(f"attribute {name!r} of a null value")
    raise EvalError(f"cannot read attribute {name!r} of a {functions.type_name(value)}")


def get_index(base: Value, key: Value) -> Value:
    if base.unknown is not None:
        return base
    if key.unknown is not None:
        return Value(None, None, key.unknown, False, join_traces(base, key), key.refs)
    value, k = base.value, key.value
    if isinstance(value, dict):
        k = to_str(k)
        if k not in value:
            raise EvalError(f"map has no key {k!r}")
        return element(base, value[k])
    if isinstance(value, list):
        idx = functions.to_int(k)
        if not 0 <= idx < len(value):
            raise EvalError(f"index {idx} out of range")
        return element(base, value[idx])
    raise EvalError(f"cannot index a {functions.type_name(value)}")


def iterate(coll: Value) -> Iterator[tuple[Value, Value]]:
    """``(key, element)`` Values of a known map (sorted keys) or list (indexes)."""
    value = coll.value
    if isinstance(value, dict):
        if len(value) > MAX_ITEMS:
            raise EvalError(f"collection has more than {MAX_ITEMS} elements")
        for k in sorted(value):
            yield known(k, coll.trace), element(coll, value[k])
    elif isinstance(value, list):
        if len(value) > MAX_ITEMS:
            raise EvalError(f"collection has more than {MAX_ITEMS} elements")
        for i, item in enumerate(value):
            yield known(i, coll.trace), element(coll, item)
    elif value is None:
        raise EvalError("for expression over a null value")
    else:
        raise EvalError(f"cannot iterate over a {functions.type_name(value)}")


def expr_text(attr: Attribute) -> str:
    """Source text of an attribute expression (``aws.west``), ``${}`` stripped for JSON."""
    if isinstance(attr.expr, JsonExpr):
        value = attr.expr.value
        text = value if isinstance(value, str) else ""
        if text.startswith("${") and text.endswith("}"):
            text = text[2:-1]
        return text.strip()
    if attr.file is None:
        return ""
    return attr.file.text(attr.expr).strip()
