"""Reading evaluated Terraform attributes: written value or provider default, Terraform's
string-to-bool conversion, list attributes as lists of Values. Shared by the entity builders
(``to_model`` and ``iam_model``)."""

from __future__ import annotations

from typing import Any

from ddb_guard.model import Value
from ddb_guard.terraform.resource import TfBlock

_TRUE = ("true", "1")
_FALSE = ("false", "0")


def attr(body: TfBlock | None, name: str, default: Any = None) -> Value:
    """The attribute as written, or ``absent(default)``; a written ``null`` is the default."""
    v = body.attrs.get(name) if body is not None else None
    if v is None:
        return Value.absent(default)
    if v.known and v.value is None:
        return Value(value=default, loc=v.loc, default=True, trace=v.trace)
    return v


def to_bool(v: Value) -> Value:
    """Terraform's string -> bool conversion; anything else is kept as it is."""
    if v.known and isinstance(v.value, str):
        s = v.value.strip().lower()
        if s in _TRUE or s in _FALSE:
            return Value(s in _TRUE, v.loc, None, v.default, v.trace, v.refs)
    return v


def flag(body: TfBlock | None, name: str, default: bool = False) -> Value:
    return to_bool(attr(body, name, default))


def values(v: Value) -> list[Value]:
    """A list attribute as a list of Values (an unknown list is one unknown element)."""
    if v.default and v.value is None:
        return []
    if not v.known:
        return [v]
    items = v.value if isinstance(v.value, (list, tuple, set, frozenset)) else [v.value]
    out: list[Value] = []
    for item in items:
        if isinstance(item, Value):
            out.append(item)
        else:
            out.append(Value(item, v.loc, None, v.default, v.trace, v.refs))
    return out
