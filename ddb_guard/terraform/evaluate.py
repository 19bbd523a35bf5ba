"""Partial evaluator: HCL expressions (tree-sitter nodes or ``.tf.json`` values) -> :class:`Value`.

Everything Terraform could know before apply is computed: literals, templates, operators,
conditionals, collections, ``for`` expressions, splats, references to variables, locals,
``each``/``count``/iterators and the built-in functions in
:mod:`ddb_guard.terraform.functions`. Anything else becomes an unknown ``Value`` with a
human reason; evaluation never raises (see :func:`evaluate`).

Inside the evaluator a known container ``Value`` holds plain Python; an element that is
not known is an unknown ``Value`` stored in the container.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Protocol

from ddb_guard.model import Location, Value, join_pieces
from ddb_guard.terraform import functions
from ddb_guard.terraform.budget import Budget, BudgetError
from ddb_guard.terraform.functions import EvalError, has_unknown, parse_number, to_str
from ddb_guard.terraform.hcl import SrcFile, parse_hcl, unescape

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


def _trace(*vals: Value) -> tuple[Location, ...]:
    out: tuple[Location, ...] = ()
    for v in vals:
        if v.trace:
            out = v.trace if not out else out + tuple(t for t in v.trace if t not in out)
    return out


def _first_unknown(*vals: Value) -> Value | None:
    """The first unknown of ``vals`` with the refs of all unknowns, or ``None``."""
    first = None
    refs: tuple[str, ...] = ()
    for v in vals:
        if v.unknown is not None:
            first = first or v
            refs += tuple(r for r in v.refs if r not in refs)
    if first is None:
        return None
    return Value(None, None, first.unknown, False, _trace(*vals), refs)


def element(container: Value, item: Any) -> Value:
    """Wrap an element of a known container as a Value (unknown elements are Values already)."""
    if isinstance(item, Value):
        return item
    return Value(item, None, None, False, container.trace)


def at(value: Value, loc: Location | None) -> Value:
    """``value`` as written at ``loc`` (the attribute expression)."""
    return Value(value.value, loc, value.unknown, False, value.trace, value.refs)


def evaluate(expr: Any, file: SrcFile | None, scope: Scope) -> Value:
    """Evaluate an attribute expression. Never raises: errors become unknown values."""
    try:
        if isinstance(expr, JsonExpr):
            return _ev_json(expr.value, scope)
        return _ev(expr, file, scope)
    except EvalError as exc:
        return unknown(str(exc))
    except functions._Unknown as exc:  # an unknown element decided an operator's result
        return exc.value
    except RecursionError:
        return unknown("expression is nested too deeply to evaluate")
    except Exception as exc:  # defensive: a bug must not stop the scan
        if os.environ.get("DDB_GUARD_DEBUG", "") not in ("", "0"):
            raise
        return unknown(f"could not evaluate ({type(exc).__name__}: {exc})")


# --- tree-sitter expressions -------------------------------------------------------------


def _ev(node: Any, f: SrcFile, sc: Scope) -> Value:
    sc.budget.op()
    t = node.type
    if t == "expression":
        ch = node.children
        if len(ch) == 1 and ch[0].type == "literal_value":
            return _literal(ch[0].children[0], f)
        return _ev_seq(ch, f, sc)
    if t == "literal_value":
        return _literal(node.children[0], f)
    if t == "template_expr":
        return _template(node.children[0], f, sc)
    if t == "collection_value":
        return _collection(node.children[0], f, sc)
    if t == "variable_expr":
        return _ev_seq([node], f, sc)
    if t == "function_call":
        return _call(node, f, sc)
    if t == "conditional":
        return _conditional(node, f, sc)
    if t == "operation":
        op = node.children[0]
        if op.type == "unary_operation":
            return _unary(op, f, sc)
        return _binary(op, f, sc)
    if t == "for_expr":
        return _for(node.children[0], f, sc)
    if t in ("string_lit", "numeric_lit", "bool_lit", "null_lit"):
        return _literal(node, f)
    if t in ("quoted_template", "heredoc_template"):
        return _template(node, f, sc)
    if t == "ERROR" or node.has_error:
        raise EvalError("the expression has a syntax error")
    raise EvalError(f"unsupported expression {t}")


def _literal(node: Any, f: SrcFile) -> Value:
    t = node.type
    if t == "numeric_lit":
        return known(parse_number(f.text(node)))
    if t == "bool_lit":
        return known(node.children[0].type == "true")
    if t == "null_lit":
        return known(None)
    if t == "string_lit":
        ch = node.children
        return known(unescape(f.src[ch[0].end_byte : ch[-1].start_byte].decode("utf-8", "replace")))
    raise EvalError(f"unsupported literal {t}")


def _ev_seq(children: list[Any], f: SrcFile, sc: Scope) -> Value:
    """An expression term followed by postfix operators (get_attr, index, splat)."""
    first = children[0]
    if first.type == "(":
        base = _ev(children[1], f, sc)
        rest = children[3:]
    elif first.type == "variable_expr":
        return _reference(first, children[1:], f, sc)
    else:
        base = _ev(first, f, sc)
        rest = children[1:]
    return _postfix(base, rest, f, sc) if rest else base


def _postfix(base: Value, ops: list[Any], f: SrcFile, sc: Scope) -> Value:
    for i, op in enumerate(ops):
        t = op.type
        if t == "get_attr":
            base = get_attr(base, f.text(op.children[-1]))
        elif t == "index":
            base = get_index(base, _index_key(op, f, sc))
        elif t == "splat":
            return _postfix(_splat(base, op.children[0], f, sc), ops[i + 1 :], f, sc)
        else:
            raise EvalError(f"unsupported operator {t}")
    return base


def _index_key(op: Any, f: SrcFile, sc: Scope) -> Value:
    inner = op.children[0]
    if inner.type == "legacy_index":
        return known(int(f.text(inner)[1:]))
    for child in inner.children:
        if child.type == "expression":
            return _ev(child, f, sc)
    raise EvalError("empty index")


def _splat(base: Value, splat: Any, f: SrcFile, sc: Scope) -> Value:
    if base.unknown is not None:
        return base
    items = base.value
    if items is None:
        items = []
    elif not isinstance(items, list):
        items = [items]
    inner = [c for c in splat.children if c.is_named]
    out = [
        (lambda v: v if v.unknown is not None else v.value)(
            _postfix(element(base, item), inner, f, sc)
        )
        for item in items
    ]
    return known(out, base.trace)


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
        return Value(None, None, key.unknown, False, _trace(base, key), key.refs)
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


def _steps(ops: list[Any], f: SrcFile, sc: Scope) -> tuple[list[tuple[str, Any]], int]:
    """Leading static traversal steps: ("attr", name) / ("index", Value); stops at a splat."""
    steps: list[tuple[str, Any]] = []
    for op in ops:
        if op.type == "get_attr":
            steps.append(("attr", f.text(op.children[-1])))
        elif op.type == "index":
            steps.append(("index", _index_key(op, f, sc)))
        else:
            break
    return steps, len(steps)


def _reference(var: Any, ops: list[Any], f: SrcFile, sc: Scope) -> Value:
    name = f.text(var)
    bound = sc.names.get(name)
    if bound is not None:
        return _postfix(bound, ops, f, sc) if ops else bound
    steps, _ = _steps(ops, f, sc)
    base, used = resolve(name, steps, sc)
    rest = ops[used:]
    return _postfix(base, rest, f, sc) if rest else base


def resolve(name: str, steps: list[tuple[str, Any]], sc: Scope) -> tuple[Value, int]:
    """Resolve a reference ``name`` + leading ``steps``; returns the value and steps used."""
    ctx = sc.ctx
    first = steps[0][1] if steps and steps[0][0] == "attr" else None
    if name in ("var", "local"):
        if first is None:
            raise EvalError(f"{name} must be followed by a name")
        if ctx is None:
            return unknown(f"depends on {name}.{first}, which is not available here"), 1
        return (ctx.var(first) if name == "var" else ctx.local(first)), 1
    if name == "each":
        return unknown(f"each.{first or 'value'} is used outside a for_each"), 1
    if name == "count":
        return unknown("count.index is used outside a counted resource"), 1
    if name == "path":
        if first == "module" and ctx is not None:
            return known(ctx.path_module), 1
        return known("."), 1
    if name == "terraform":
        return unknown(f"depends on terraform.{first} (chosen when Terraform runs)"), 1
    if name == "self":
        return unknown("depends on self (known only after apply)"), len(steps)
    if name == "data":
        resolved = ctx.data_ref(steps) if ctx is not None else None
        if resolved is not None:
            return resolved, 3
        parts = [s[1] for s in steps[:3] if s[0] == "attr"]
        addr = "data." + ".".join(parts[:2])
        prefix = ctx.prefix if ctx is not None else ""
        return unknown(
            f"depends on {addr} (known only after apply)",
            refs=(prefix + "data." + ".".join(parts),),
        ), len(steps)
    if name == "module":
        if ctx is None or first is None:
            return unknown("depends on a module output"), len(steps)
        return ctx.module_ref(steps)
    if first is not None and "_" in name and ctx is not None:
        return ctx.resource_ref(name, steps)
    if ctx is None:
        return unknown(f"depends on {name}, which is not available here"), len(steps)
    return unknown(f"refers to {name}, which is not defined here"), len(steps)


# --- collections, templates, operators ------------------------------------------------------


def _collection(node: Any, f: SrcFile, sc: Scope) -> Value:
    vals: list[Value] = []
    if node.type == "tuple":
        for child in node.children:
            if child.type == "expression":
                vals.append(_ev(child, f, sc))
        items = [v if v.unknown is not None else v.value for v in vals]
        return known(sc.budget.charge(items), _trace(*vals))
    out: dict[str, Any] = {}
    for elem in node.children:
        if elem.type != "object_elem":
            continue
        exprs = [c for c in elem.children if c.type == "expression"]
        if len(exprs) != 2:
            raise EvalError("malformed object element")
        key = _object_key(exprs[0], f, sc)
        if key.unknown is not None:
            return key
        val = _ev(exprs[1], f, sc)
        vals.append(val)
        out[to_str(key.value)] = val if val.unknown is not None else val.value
    return known(sc.budget.charge(out), _trace(*vals))


def _object_key(expr: Any, f: SrcFile, sc: Scope) -> Value:
    ch = expr.children
    if len(ch) == 1 and ch[0].type == "variable_expr":  # bare identifier key
        return known(f.text(ch[0]))
    return _ev(expr, f, sc)


def _template(node: Any, f: SrcFile, sc: Scope) -> Value:
    ch = node.children
    if node.type == "heredoc_template":
        out = _join(_heredoc_parts(node, f, sc))
    else:
        out = _join(_parts(ch[1:-1], ch[0].end_byte, ch[-1].start_byte, f, sc, heredoc=False))
    if out.unknown is None and isinstance(out.value, str):
        sc.budget.charge(out.value)
    return out


def _heredoc_parts(node: Any, f: SrcFile, sc: Scope) -> list[str | Value]:
    ch = node.children
    if len(ch) < 3:
        return []
    flush = bool(ch[0].children) and ch[0].children[0].type == "<<-"
    nl = f.src.find(b"\n", ch[1].end_byte)
    start = nl + 1 if nl >= 0 else ch[1].end_byte
    closer = ch[-1]
    end = closer.start_byte - closer.start_point[1]
    parts = _parts(ch[2:-1], start, max(start, end), f, sc, heredoc=True)
    return _dedent(parts) if flush else parts


def _parts(
    nodes: list[Any], start: int, end: int, f: SrcFile, sc: Scope, *, heredoc: bool
) -> list[str | Value]:
    """Template pieces between byte ``start`` and ``end``: literal strings and Values."""
    parts: list[str | Value] = []
    pos = start
    for node in nodes:
        t = node.type
        if t not in ("template_interpolation", "template_directive"):
            continue
        if node.start_byte > pos:
            parts.append(_lit(f.src[pos : node.start_byte], heredoc))
        if t == "template_interpolation":
            if any(c.type == "strip_marker" for c in node.children):
                parts.append(unknown("template strip markers (~) are not evaluated"))
            else:
                exprs = [c for c in node.children if c.type == "expression"]
                parts.append(_ev(exprs[0], f, sc) if exprs else known(""))
        else:
            parts.extend(_directive(node.children[0], f, sc, heredoc))
        pos = node.end_byte
    if end > pos:
        parts.append(_lit(f.src[pos:end], heredoc))
    return parts


def _lit(raw: bytes, heredoc: bool) -> str:
    text = raw.decode("utf-8", "replace")
    if heredoc:
        return text.replace("$${", "${").replace("%%{", "%{")
    return unescape(text)


def _directive(node: Any, f: SrcFile, sc: Scope, heredoc: bool) -> list[str | Value]:
    ch = node.children
    if any(c.type == "strip_marker" for n in ch for c in n.children):
        return [unknown("template strip markers (~) are not evaluated")]
    if node.type == "template_if":
        intro = ch[0]
        cond = _ev(next(c for c in intro.children if c.type == "expression"), f, sc)
        if cond.unknown is not None:
            return [cond]
        else_i = next((i for i, c in enumerate(ch) if c.type == "template_else_intro"), None)
        end_node = ch[-1]
        if functions.to_bool(cond.value):
            stop = ch[else_i] if else_i is not None else end_node
            inner = ch[1 : else_i if else_i is not None else -1]
            return _parts(inner, intro.end_byte, stop.start_byte, f, sc, heredoc=heredoc)
        if else_i is None:
            return []
        return _parts(
            ch[else_i + 1 : -1], ch[else_i].end_byte, end_node.start_byte, f, sc, heredoc=heredoc
        )
    if node.type == "template_for":
        intro = ch[0]
        names = [f.text(c) for c in intro.children if c.type == "identifier"]
        coll = _ev(next(c for c in intro.children if c.type == "expression"), f, sc)
        if coll.unknown is not None:
            return [coll]
        out: list[str | Value] = []
        for key, val in _iterate(coll):
            binding = {names[-1]: val}
            if len(names) > 1:
                binding[names[0]] = key
            out.extend(
                _parts(
                    ch[1:-1],
                    intro.end_byte,
                    ch[-1].start_byte,
                    f,
                    sc.bind(**binding),
                    heredoc=heredoc,
                )
            )
        return out
    raise EvalError(f"unsupported template directive {node.type}")


def _dedent(parts: list[str | Value]) -> list[str | Value]:
    """``<<-`` heredoc: remove the smallest indentation of the literal lines."""
    text = "".join(p if isinstance(p, str) else "\x00" for p in parts)
    indents = [len(ln) - len(ln.lstrip(" \t")) for ln in text.split("\n") if ln.strip(" \t")]
    n = min(indents) if indents else 0
    if n == 0:
        return parts
    out: list[str | Value] = []
    at_line_start = True
    for p in parts:
        if isinstance(p, str):
            lines = p.split("\n")
            fixed = []
            for i, ln in enumerate(lines):
                if i > 0 or at_line_start:
                    strip = len(ln) - len(ln.lstrip(" \t"))
                    ln = ln[min(n, strip) :]
                fixed.append(ln)
            out.append("\n".join(fixed))
            at_line_start = p.endswith("\n")
        else:
            out.append(p)
            at_line_start = False
    return out


def _join(parts: list[str | Value]) -> Value:
    values = [p for p in parts if isinstance(p, Value)]
    if len(parts) == 1 and values:
        return values[0]  # "${x}" keeps x's type
    bad = _first_unknown(*values)
    if bad is not None:
        return dataclasses.replace(bad, pieces=_pieces(parts))
    try:
        text = "".join(p if isinstance(p, str) else template_str(p.value) for p in parts)
    except EvalError:
        raise
    return known(text, _trace(*values))


def _pieces(parts: list[str | Value]) -> tuple[str | None, ...]:
    """What is known of a template with unknown parts (see ``Value.pieces``)."""
    out: list[str | None] = []
    for p in parts:
        if isinstance(p, str):
            out.append(p)
        elif p.unknown is not None:
            out.extend(p.pieces or (None,))
        else:
            try:
                out.append(template_str(p.value))
            except EvalError:
                out.append(None)
    return join_pieces(out)


def template_str(value: Any) -> str:
    if value is None:
        raise EvalError("a template interpolates a null value")
    if isinstance(value, (list, dict)):
        raise EvalError("a template interpolates a collection")
    return to_str(value)


def _conditional(node: Any, f: SrcFile, sc: Scope) -> Value:
    exprs = [c for c in node.children if c.type == "expression"]
    cond = _ev(exprs[0], f, sc)
    if cond.unknown is None:
        chosen = _ev(exprs[1] if functions.to_bool(cond.value) else exprs[2], f, sc)
        return Value(chosen.value, None, chosen.unknown, False, _trace(cond, chosen), chosen.refs)
    a, b = _ev(exprs[1], f, sc), _ev(exprs[2], f, sc)
    if a.unknown is None and b.unknown is None and functions.same(a.value, b.value):
        return known(a.value, _trace(cond, a, b))
    return Value(None, None, cond.unknown, False, _trace(cond), cond.refs)


def _operand(children: list[Any], f: SrcFile, sc: Scope) -> Value:
    return _ev_seq(children, f, sc)


_BINOPS = frozenset(("+", "-", "*", "/", "%", ">", ">=", "<", "<=", "==", "!=", "&&", "||"))


def _unary(node: Any, f: SrcFile, sc: Scope) -> Value:
    ch = node.children
    op = ch[0].type
    val = _operand(ch[1:], f, sc)
    if val.unknown is not None:
        return val
    if op == "!":
        return known(not functions.to_bool(val.value), val.trace)
    return known(-functions.to_number(val.value), val.trace)


def _binary(node: Any, f: SrcFile, sc: Scope) -> Value:
    ch = node.children
    depth = 0
    split = -1
    for i, c in enumerate(ch):
        t = c.type
        if t == "(":
            depth += 1
        elif t == ")":
            depth -= 1
        elif depth == 0 and not c.is_named and t in _BINOPS:
            split = i
            break
    if split <= 0:
        raise EvalError("malformed operation")
    op = ch[split].type
    left = _operand(ch[:split], f, sc)
    if op in ("&&", "||") and left.unknown is None:
        lv = functions.to_bool(left.value)
        if (op == "&&" and not lv) or (op == "||" and lv):
            return known(lv, left.trace)
        right = _operand(ch[split + 1 :], f, sc)
        if right.unknown is not None:
            return right
        return known(functions.to_bool(right.value), _trace(left, right))
    right = _operand(ch[split + 1 :], f, sc)
    if op in ("&&", "||"):
        if right.unknown is None:
            rv = functions.to_bool(right.value)
            if (op == "&&" and not rv) or (op == "||" and rv):
                return known(rv, right.trace)
        return left
    bad = _first_unknown(left, right)
    if bad is not None:
        return bad
    result = functions.binary(op, left.value, right.value)
    return known(sc.budget.charge(result), _trace(left, right))


def _iterate(coll: Value) -> Iterator[tuple[Value, Value]]:
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


def _for(node: Any, f: SrcFile, sc: Scope) -> Value:
    ch = node.children
    intro = next(c for c in ch if c.type == "for_intro")
    names = [f.text(c) for c in intro.children if c.type == "identifier"]
    coll = _ev(next(c for c in intro.children if c.type == "expression"), f, sc)
    if coll.unknown is not None:
        return coll
    exprs = [c for c in ch if c.type == "expression"]
    cond_node = next((c for c in ch if c.type == "for_cond"), None)
    cond_expr = next(c for c in cond_node.children if c.type == "expression") if cond_node else None
    is_object = node.type == "for_object_expr"
    group = any(c.type == "ellipsis" for c in ch)
    items: list[Any] = []
    obj: dict[str, Any] = {}
    traces = [coll]
    for key, val in _iterate(coll):
        sc.budget.op()
        binding = {names[-1]: val}
        if len(names) > 1:
            binding[names[0]] = key
        inner = sc.bind(**binding)
        if cond_expr is not None:
            c = _ev(cond_expr, f, inner)
            if c.unknown is not None:
                return c
            if not functions.to_bool(c.value):
                continue
        if is_object:
            k = _ev(exprs[0], f, inner)
            if k.unknown is not None:
                return k
            v = _ev(exprs[1], f, inner)
            traces.append(v)
            ks = to_str(k.value)
            item = v if v.unknown is not None else v.value
            if group:
                obj.setdefault(ks, []).append(item)
            elif ks in obj:
                raise EvalError(f"duplicate key {ks!r} in for expression")
            else:
                obj[ks] = item
        else:
            v = _ev(exprs[0], f, inner)
            traces.append(v)
            items.append(v if v.unknown is not None else v.value)
    return known(sc.budget.charge(obj if is_object else items), _trace(*traces))


def _call(node: Any, f: SrcFile, sc: Scope) -> Value:
    ch = node.children
    name = f.text(ch[0])
    args_node = next((c for c in ch if c.type == "function_arguments"), None)
    arg_nodes = [c for c in args_node.children if c.type == "expression"] if args_node else []
    expand = args_node is not None and any(c.type == "ellipsis" for c in args_node.children)
    if name in ("try", "can"):
        return _try(name, arg_nodes, f, sc)
    args = [_ev(a, f, sc) for a in arg_nodes]
    extra = getattr(sc.ctx, "functions", None)  # e.g. Terragrunt's functions
    if extra is not None and name in extra and not expand:
        return extra[name](args)
    if expand and args:
        last = args.pop()
        if last.unknown is not None:
            return last
        if not isinstance(last.value, list):
            raise EvalError(f"{name}(...): expanded argument is not a list")
        args.extend(element(last, item) for item in last.value)
    result = functions.call(name, args)
    if result.unknown is None:
        sc.budget.charge(result.value)
    return result


def _try(name: str, arg_nodes: list[Any], f: SrcFile, sc: Scope) -> Value:
    for arg in arg_nodes:
        try:
            val = _ev(arg, f, sc)
        except BudgetError:
            raise  # not an error try() or can() may hide
        except EvalError:
            if name == "can":
                return known(False)
            continue
        if val.unknown is not None:
            return val
        if name == "can":
            return known(True, val.trace)
        return val
    if name == "can":
        return known(False)
    raise EvalError("try(): no argument could be evaluated")


# --- .tf.json expressions --------------------------------------------------------------------

_TEMPLATE_CACHE: dict[str, tuple[Any, SrcFile]] = {}
_HEREDOC_MARK = "DDBGUARD_EOT"


def json_template(text: str) -> tuple[Any, SrcFile] | None:
    """Parse a ``.tf.json`` string as an HCL template (cached); ``None`` on a syntax error."""
    hit = _TEMPLATE_CACHE.get(text)
    if hit is None:
        src = f"x = <<{_HEREDOC_MARK}\n{text}\n{_HEREDOC_MARK}\n"
        parsed = parse_hcl(src, "<tf.json template>")
        attr = parsed.attrs.get("x")
        if parsed.notices or attr is None:
            return None
        hit = (attr.expr, parsed.file)
        if len(_TEMPLATE_CACHE) > 4096:
            _TEMPLATE_CACHE.clear()
        _TEMPLATE_CACHE[text] = hit
    return hit


def _ev_json(value: Any, sc: Scope) -> Value:
    if isinstance(value, str):
        if "${" not in value and "%{" not in value:
            return known(value)
        parsed = json_template(value)
        if parsed is None:
            raise EvalError(f"template {value[:40]!r} has a syntax error")
        expr, file = parsed
        parts = _heredoc_parts(expr.children[0].children[0], file, sc)
        if parts and isinstance(parts[-1], str):  # the newline before the heredoc closer
            parts[-1] = parts[-1][:-1]
            if not parts[-1]:
                parts.pop()
        return _join(parts) if parts else known("")
    if isinstance(value, list):
        vals = [_ev_json(v, sc) for v in value]
        items = [v if v.unknown is not None else v.value for v in vals]
        return known(sc.budget.charge(items), _trace(*vals))
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        vals = []
        for k, v in value.items():
            key = _ev_json(k, sc)
            if key.unknown is not None:
                return key
            val = _ev_json(v, sc)
            vals.append(val)
            out[to_str(key.value)] = val if val.unknown is not None else val.value
        return known(out, _trace(*vals))
    return known(value)


__all__ = [
    "EvalError",
    "JsonExpr",
    "Scope",
    "at",
    "element",
    "evaluate",
    "get_attr",
    "get_index",
    "has_unknown",
    "known",
    "parse_number",
    "resolve",
    "unknown",
]
