"""Terraform built-in functions and value conversions used by the evaluator.

:func:`call` applies a function to evaluated arguments. Values are plain Python (a known
container may hold unknown :class:`Value` elements). Functions not listed in
``FUNCTIONS`` give an unknown value naming the function; type errors raise
:class:`EvalError`, which the evaluator turns into an unknown value (or a ``try``
fallback).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ddb_guard.model import Location, PartialDocument, Value


class EvalError(Exception):
    """An expression that Terraform would reject (or that cannot be evaluated here)."""


def has_unknown(value: Any, depth: int = 0) -> bool:
    """Whether a plain value contains an unknown element."""
    if isinstance(value, Value):
        return True
    if depth > 50:
        return False
    if isinstance(value, list):
        return any(has_unknown(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return any(has_unknown(v, depth + 1) for v in value.values())
    return False


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "map"
    return type(value).__name__


def num_str(value: int | float) -> str:
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 2**53:
            return str(int(value))
        return repr(value)
    return str(value)


def to_str(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return num_str(value)
    raise EvalError(f"cannot convert a {type_name(value)} to a string")


def to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value == "true":
        return True
    if value == "false":
        return False
    raise EvalError(f"cannot convert a {type_name(value)} to a bool")


_INT_RE = re.compile(r"[0-9]+\Z")


def parse_number(text: str) -> int | float:
    """A Terraform number literal: int when it has no fraction/exponent (or is integral)."""
    if _INT_RE.match(text):
        return int(text)
    value = float(text)
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


_NUM_RE = re.compile(r"-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\Z")


def to_number(value: Any) -> int | float:
    if isinstance(value, bool):
        raise EvalError("cannot convert a bool to a number")
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str) and _NUM_RE.match(value.strip()):
        text = value.strip()
        if text.startswith("-"):
            return -parse_number(text[1:])
        return parse_number(text)
    raise EvalError(f"cannot convert {value!r} to a number")


def to_int(value: Any) -> int:
    num = to_number(value)
    if isinstance(num, float):
        if not num.is_integer():
            raise EvalError(f"{num} is not a whole number")
        return int(num)
    return num


def _norm(value: int | float) -> int | float:
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def same(a: Any, b: Any) -> bool:
    """Terraform equality of two known plain values."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


class _Unknown(Exception):
    """Raised inside a function when an unknown element decides the result."""

    def __init__(self, value: Value) -> None:
        super().__init__(value.unknown)
        self.value = value


def _check(value: Any) -> Any:
    """``value`` itself, or raise _Unknown if it contains an unknown element."""
    if isinstance(value, Value):
        raise _Unknown(value)
    if isinstance(value, (list, dict)):
        stack = [value]
        while stack:
            cur = stack.pop()
            for item in cur.values() if isinstance(cur, dict) else cur:
                if isinstance(item, Value):
                    raise _Unknown(item)
                if isinstance(item, (list, dict)):
                    stack.append(item)
    return value


def binary(op: str, a: Any, b: Any) -> Any:
    """A binary operator on two known values."""
    if op in ("==", "!="):
        _check(a)
        _check(b)
        eq = same(a, b)
        return eq if op == "==" else not eq
    x, y = to_number(a), to_number(b)
    if op == "+":
        return _norm(x + y)
    if op == "-":
        return _norm(x - y)
    if op == "*":
        return _norm(x * y)
    if op == "/":
        if y == 0:
            raise EvalError("division by zero")
        return _norm(x / y)
    if op == "%":
        if y == 0:
            raise EvalError("modulo by zero")
        return _norm(x % y)
    if op == ">":
        return x > y
    if op == ">=":
        return x >= y
    if op == "<":
        return x < y
    if op == "<=":
        return x <= y
    raise EvalError(f"unsupported operator {op}")


# --- the functions -----------------------------------------------------------------------


def _coll(value: Any, fn: str) -> Any:
    if not isinstance(value, (list, dict)):
        raise EvalError(f"{fn}(): argument is a {type_name(value)}, not a collection")
    return value


def _list(value: Any, fn: str) -> list[Any]:
    if not isinstance(value, list):
        raise EvalError(f"{fn}(): argument is a {type_name(value)}, not a list")
    return value


def _map(value: Any, fn: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise EvalError(f"{fn}(): argument is a {type_name(value)}, not a map")
    return value


def _merge(*maps: Any) -> Any:
    out: dict[str, Any] = {}
    for m in maps:
        if m is None:
            continue
        out.update(_map(m, "merge"))
    return out


def _lookup(m: Any, key: Any, *default: Any) -> Any:
    m = _map(m, "lookup")
    k = to_str(key)
    if k in m:
        return m[k]
    if default:
        return default[0]
    raise EvalError(f"lookup(): no key {k!r} and no default")


def _coalesce(*vals: Any) -> Any:
    for v in vals:
        if isinstance(v, Value):
            raise _Unknown(v)
        if v is not None and v != "":
            return v
    raise EvalError("coalesce(): no non-null, non-empty argument")


def _contains(coll: Any, item: Any) -> bool:
    _check(item)
    values = _list(coll, "contains") if not isinstance(coll, dict) else list(coll.values())
    undecided = None
    for v in values:
        if isinstance(v, Value) or has_unknown(v):
            undecided = undecided or (v if isinstance(v, Value) else None)
            continue
        if same(v, item):
            return True
    if undecided is not None:
        raise _Unknown(undecided)
    return False


def _concat(*lists: Any) -> list[Any]:
    out: list[Any] = []
    for lst in lists:
        out.extend(_list(lst, "concat"))
    return out


def _format(fmt: Any, *args: Any) -> str:
    fmt = to_str(fmt)
    out: list[str] = []
    i = 0
    argi = 0
    spec_re = re.compile(r"%([-+ #0]*)(\d*)(?:\.(\d+))?([vdfsqtxXeEgGbo%])")
    while i < len(fmt):
        ch = fmt[i]
        if ch != "%":
            out.append(ch)
            i += 1
            continue
        m = spec_re.match(fmt, i)
        if not m:
            raise EvalError("format(): unsupported verb")
        flags, width, prec, verb = m.groups()
        i = m.end()
        if len(width) > 6 or len(prec or "") > 6:  # format("%1000000000s"): 2 GB
            raise EvalError(
                "format(): a width or precision this large exceeds the evaluation budget"
            )
        if verb == "%":
            out.append("%")
            continue
        if argi >= len(args):
            raise EvalError("format(): not enough arguments")
        arg = _check(args[argi])
        argi += 1
        if verb in "sv":
            text = to_str(arg) if not isinstance(arg, (list, dict)) else str(arg)
        elif verb == "q":
            text = '"' + to_str(arg).replace("\\", "\\\\").replace('"', '\\"') + '"'
        elif verb == "t":
            text = "true" if to_bool(arg) else "false"
        elif verb == "d":
            text = str(to_int(arg))
        elif verb in "fFeEgG":
            text = ("%" + (f".{prec}" if prec else "") + verb) % float(to_number(arg))
        elif verb in "xXbo":
            n = to_int(arg)
            text = {"x": f"{n:x}", "X": f"{n:X}", "b": f"{n:b}", "o": f"{n:o}"}[verb]
        else:  # pragma: no cover - the regex limits verbs
            raise EvalError(f"format(): unsupported verb %{verb}")
        if width:
            text = (
                text.ljust(int(width))
                if "-" in flags
                else text.rjust(int(width), "0" if "0" in flags else " ")
            )
        out.append(text)
    return "".join(out)


def _join_fn(sep: Any, *lists: Any) -> str:
    items: list[str] = []
    for lst in lists:
        items.extend(to_str(_check(x)) for x in _list(lst, "join"))
    return to_str(sep).join(items)


def _unique(items: list[Any]) -> list[Any]:
    """Items without repeats (Terraform equality), first occurrence kept; linear for scalars."""
    out: list[Any] = []
    seen: set[tuple[str, Any]] = set()
    for item in items:
        _check(item)
        if isinstance(item, (list, dict)):
            if not any(same(item, o) for o in out):
                out.append(item)
            continue
        key = (type_name(item), item)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _toset(value: Any) -> list[Any]:
    items = _list(value, "toset") if not isinstance(value, dict) else list(value.values())
    out = _unique(items)
    if all(isinstance(x, str) for x in out):
        out.sort()
    return out


def _tolist(value: Any) -> list[Any]:
    return list(_list(value, "tolist"))


def _tomap(value: Any) -> dict[str, Any]:
    return dict(_map(value, "tomap"))


def _flatten(value: Any) -> list[Any]:
    out: list[Any] = []
    stack: list[Any] = [iter(_list(value, "flatten"))]
    while stack:
        for item in stack[-1]:
            if isinstance(item, list):
                stack.append(iter(item))
                break
            out.append(item)
        else:
            stack.pop()
    return out


def _element(lst: Any, idx: Any) -> Any:
    lst = _list(lst, "element")
    if not lst:
        raise EvalError("element(): empty list")
    return lst[to_int(idx) % len(lst)]


def _nums(args: tuple[Any, ...], fn: str) -> list[int | float]:
    if not args:
        raise EvalError(f"{fn}(): needs at least one argument")
    return [to_number(_check(a)) for a in args]


def _replace(s: Any, old: Any, new: Any) -> str:
    s, old, new = to_str(s), to_str(old), to_str(new)
    if len(old) > 1 and old.startswith("/") and old.endswith("/"):
        # Terraform's regular expressions are RE2: linear time, no backreferences. Python's
        # re backtracks ("/(a+)+b/" on 32 a's never ends), so only RE2 itself is used.
        try:
            # lazy: only a regex replace() pays for loading it
            import re2  # type: ignore[import-not-found]  # google-re2
        except ImportError:
            raise _Unknown(
                Value.unknown_because(
                    "replace() with a regular expression is evaluated only with the RE2 "
                    "engine Terraform uses, and google-re2 is not installed"
                )
            ) from None
        try:
            pattern = re2.compile(old[1:-1])
        except Exception as exc:  # re2.error
            raise EvalError(f"replace(): bad regular expression: {exc}") from exc
        return pattern.sub(re.sub(r"\$\{?(\d+)\}?", r"\\\1", new), s)
    return s.replace(old, new)


def _first_unknown(value: Any, depth: int = 0) -> Value | None:
    if isinstance(value, Value):
        return value
    if depth > 50:
        return None
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    for item in items:
        found = _first_unknown(item, depth + 1)
        if found is not None:
            return found
    return None


def _jsonencode(value: Any) -> Any:
    """Terraform's ``jsonencode``: compact JSON text. With an element known only after apply
    the text is unknown, and the Value keeps the known structure (:class:`PartialDocument`)."""
    import json

    first = _first_unknown(value)
    if first is not None:
        return Value(
            PartialDocument(value),
            None,
            f"jsonencode(): {first.unknown}",
            False,
            first.trace,
            first.refs,
        )
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _distinct(value: Any) -> list[Any]:
    return _unique(_list(value, "distinct"))


def _zipmap(keys: Any, values: Any) -> dict[str, Any]:
    ks, vs = _list(keys, "zipmap"), _list(values, "zipmap")
    if len(ks) != len(vs):
        raise EvalError("zipmap(): lists of different lengths")
    return {to_str(_check(k)): v for k, v in zip(ks, vs, strict=True)}


def _tonumber(v: Any) -> Any:
    return None if v is None else to_number(v)


def _tostring(v: Any) -> Any:
    return None if v is None else to_str(v)


def _tobool(v: Any) -> Any:
    return None if v is None else to_bool(v)


def _length(v: Any) -> int:
    if isinstance(v, str):
        return len(v)
    return len(_coll(v, "length"))


def _keys(m: Any) -> list[str]:
    return sorted(_map(m, "keys"))


def _values(m: Any) -> list[Any]:
    m = _map(m, "values")
    return [m[k] for k in sorted(m)]


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "merge": _merge,
    "lookup": _lookup,
    "coalesce": _coalesce,
    "tobool": _tobool,
    "tostring": _tostring,
    "tonumber": _tonumber,
    "length": _length,
    "contains": _contains,
    "concat": _concat,
    "lower": lambda s: to_str(s).lower(),
    "upper": lambda s: to_str(s).upper(),
    "format": _format,
    "join": _join_fn,
    "keys": _keys,
    "values": _values,
    "toset": _toset,
    "tolist": _tolist,
    "tomap": _tomap,
    "flatten": _flatten,
    "element": _element,
    "min": lambda *a: _norm(min(_nums(a, "min"))),
    "max": lambda *a: _norm(max(_nums(a, "max"))),
    "abs": lambda n: abs(to_number(n)),
    "replace": _replace,
    "split": lambda sep, s: to_str(s).split(to_str(sep)) if to_str(sep) else list(to_str(s)),
    "trimspace": lambda s: to_str(s).strip(),
    "startswith": lambda s, p: to_str(s).startswith(to_str(p)),
    "endswith": lambda s, p: to_str(s).endswith(to_str(p)),
    "distinct": _distinct,
    "zipmap": _zipmap,
    "jsonencode": _jsonencode,
}

# Functions whose collection arguments may hold unknown elements: they handle them
# themselves (the others see only fully known arguments).
_PARTIAL = frozenset(
    (
        "merge",
        "lookup",
        "coalesce",
        "length",
        "contains",
        "concat",
        "keys",
        "values",
        "tolist",
        "tomap",
        "flatten",
        "element",
        "zipmap",
        "jsonencode",
    )
)


def _merge_trace(args: list[Value]) -> tuple[Location, ...]:
    out: list[Location] = []
    for a in args:
        for t in a.trace:
            if t not in out:
                out.append(t)
    return tuple(out)


def call(name: str, args: list[Value]) -> Value:
    """Apply built-in ``name`` to evaluated ``args``."""
    fn = FUNCTIONS.get(name)
    if fn is None:
        return Value.unknown_because(f"function {name}() is not evaluated")
    for a in args:
        if a.unknown is not None and name != "coalesce":
            return a
    plain = [a.value if a.unknown is None else a for a in args]
    try:
        if name not in _PARTIAL:
            for p in plain:
                _check(p)
        result = fn(*plain)
    except _Unknown as exc:
        return Value(None, None, exc.value.unknown, False, _merge_trace(args), exc.value.refs)
    except EvalError:
        raise
    except TypeError as exc:
        raise EvalError(f"{name}(): wrong number or type of arguments") from exc
    except (ValueError, OverflowError, IndexError, KeyError) as exc:
        raise EvalError(f"{name}(): {exc}") from exc
    if isinstance(result, Value):
        return result
    return Value(result, None, None, False, _merge_trace(args))
