"""Partial evaluator: HCL expressions (tree-sitter nodes or ``.tf.json`` values) -> :class:`Value`.

Everything Terraform could know before apply is computed: literals, templates, operators,
conditionals, collections, ``for`` expressions, splats, references to variables, locals,
``each``/``count``/iterators and the built-in functions in
:mod:`ddb_guard.terraform.functions`. Anything else becomes an unknown ``Value`` with a
human reason; evaluation never raises (see :func:`evaluate`).

This module walks the syntax (literals, traversals and splats, collections, ``for``,
function calls, ``.tf.json`` values); the rest lives beside it: :mod:`.scope` (Scope and
Value helpers), :mod:`.references` (what a name refers to), :mod:`.operators` and
:mod:`.templates` (which take this module's node evaluator as an argument).
"""

from __future__ import annotations

import os
from typing import Any

from ddb_guard.model import Value
from ddb_guard.terraform import functions, operators, templates
from ddb_guard.terraform.budget import BudgetError
from ddb_guard.terraform.functions import EvalError, has_unknown, parse_number, to_str
from ddb_guard.terraform.hcl import SrcFile, unescape
from ddb_guard.terraform.references import resolve
from ddb_guard.terraform.scope import (
    JsonExpr,
    Scope,
    at,
    element,
    get_attr,
    get_index,
    iterate,
    join_traces,
    known,
    unknown,
)
from ddb_guard.terraform.templates import heredoc_parts, join, json_template


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


# --- collections, operators, templates, for, calls ----------------------------------------


def _collection(node: Any, f: SrcFile, sc: Scope) -> Value:
    vals: list[Value] = []
    if node.type == "tuple":
        for child in node.children:
            if child.type == "expression":
                vals.append(_ev(child, f, sc))
        items = [v if v.unknown is not None else v.value for v in vals]
        return known(sc.budget.charge(items), join_traces(*vals))
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
    return known(sc.budget.charge(out), join_traces(*vals))


def _object_key(expr: Any, f: SrcFile, sc: Scope) -> Value:
    ch = expr.children
    if len(ch) == 1 and ch[0].type == "variable_expr":  # bare identifier key
        return known(f.text(ch[0]))
    return _ev(expr, f, sc)


def _conditional(node: Any, f: SrcFile, sc: Scope) -> Value:
    exprs = [c for c in node.children if c.type == "expression"]
    return operators.conditional(
        _ev(exprs[0], f, sc), lambda: _ev(exprs[1], f, sc), lambda: _ev(exprs[2], f, sc)
    )


def _unary(node: Any, f: SrcFile, sc: Scope) -> Value:
    ch = node.children
    return operators.unary(ch[0].type, _ev_seq(ch[1:], f, sc))


def _binary(node: Any, f: SrcFile, sc: Scope) -> Value:
    ch = node.children
    split = operators.operator_index(ch)
    left = _ev_seq(ch[:split], f, sc)
    return operators.binary(
        ch[split].type, left, lambda: _ev_seq(ch[split + 1 :], f, sc), sc.budget
    )


def _template(node: Any, f: SrcFile, sc: Scope) -> Value:
    return templates.template(node, f, sc, _ev)


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
    for key, val in iterate(coll):
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
    return known(sc.budget.charge(obj if is_object else items), join_traces(*traces))


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


def _ev_json(value: Any, sc: Scope) -> Value:
    if isinstance(value, str):
        if "${" not in value and "%{" not in value:
            return known(value)
        parsed = json_template(value)
        if parsed is None:
            raise EvalError(f"template {value[:40]!r} has a syntax error")
        expr, file = parsed
        parts = heredoc_parts(expr.children[0].children[0], file, sc, _ev)
        if parts and isinstance(parts[-1], str):  # the newline before the heredoc closer
            parts[-1] = parts[-1][:-1]
            if not parts[-1]:
                parts.pop()
        return join(parts) if parts else known("")
    if isinstance(value, list):
        vals = [_ev_json(v, sc) for v in value]
        items = [v if v.unknown is not None else v.value for v in vals]
        return known(sc.budget.charge(items), join_traces(*vals))
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
        return known(out, join_traces(*vals))
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
