"""Terraform's operators on evaluated operands: unary ``!``/``-``, binary arithmetic,
comparison and logic (``&&``/``||`` decided by one known side), and the conditional
``c ? a : b`` (known when both branches agree although ``c`` is not).

Operands that may not be needed come as thunks, so a short-circuit never evaluates them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ddb_guard.model import Value
from ddb_guard.terraform import functions
from ddb_guard.terraform.budget import Budget
from ddb_guard.terraform.functions import EvalError
from ddb_guard.terraform.scope import first_unknown, join_traces, known

BINARY_OPERATORS = frozenset(
    ("+", "-", "*", "/", "%", ">", ">=", "<", "<=", "==", "!=", "&&", "||")
)


def operator_index(children: Sequence[Any]) -> int:
    """Position of the binary operator among a tree-sitter ``binary_operation``'s children
    (the first one outside parentheses)."""
    depth = 0
    for i, c in enumerate(children):
        t = c.type
        if t == "(":
            depth += 1
        elif t == ")":
            depth -= 1
        elif depth == 0 and not c.is_named and t in BINARY_OPERATORS:
            if i > 0:
                return i
            break
    raise EvalError("malformed operation")


def unary(op: str, val: Value) -> Value:
    """``!val`` or ``-val``."""
    if val.unknown is not None:
        return val
    if op == "!":
        return known(not functions.to_bool(val.value), val.trace)
    return known(-functions.to_number(val.value), val.trace)


def binary(op: str, left: Value, right: Callable[[], Value], budget: Budget) -> Value:
    """``left op right``; ``right`` is evaluated only when the result needs it."""
    if op in ("&&", "||") and left.unknown is None:
        lv = functions.to_bool(left.value)
        if (op == "&&" and not lv) or (op == "||" and lv):
            return known(lv, left.trace)
        rval = right()
        if rval.unknown is not None:
            return rval
        return known(functions.to_bool(rval.value), join_traces(left, rval))
    rval = right()
    if op in ("&&", "||"):
        if rval.unknown is None:
            rv = functions.to_bool(rval.value)
            if (op == "&&" and not rv) or (op == "||" and rv):
                return known(rv, rval.trace)
        return left
    bad = first_unknown(left, rval)
    if bad is not None:
        return bad
    result = functions.binary(op, left.value, rval.value)
    return known(budget.charge(result), join_traces(left, rval))


def conditional(cond: Value, then: Callable[[], Value], otherwise: Callable[[], Value]) -> Value:
    """``cond ? then : otherwise``: the chosen branch, or when ``cond`` is unknown, the
    branches' common value if they agree."""
    if cond.unknown is None:
        chosen = then() if functions.to_bool(cond.value) else otherwise()
        return Value(
            chosen.value, None, chosen.unknown, False, join_traces(cond, chosen), chosen.refs
        )
    a, b = then(), otherwise()
    if a.unknown is None and b.unknown is None and functions.same(a.value, b.value):
        return known(a.value, join_traces(cond, a, b))
    return Value(None, None, cond.unknown, False, join_traces(cond), cond.refs)
