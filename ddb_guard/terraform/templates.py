"""Templates of the Terraform evaluator: quoted and heredoc templates with their
interpolations and ``%{if}``/``%{for}`` directives, ``<<-`` dedent, and ``.tf.json`` strings
read as templates.

The functions here take the evaluator of a sub-expression (``ev``) as an argument: an
interpolation holds any expression, and :mod:`ddb_guard.terraform.evaluate` imports this
module, not the other way round.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from ddb_guard.model import Value, join_pieces
from ddb_guard.terraform import functions
from ddb_guard.terraform.functions import EvalError, to_str
from ddb_guard.terraform.hcl import SrcFile, parse_hcl, unescape
from ddb_guard.terraform.scope import Scope, first_unknown, iterate, join_traces, known, unknown

Evaluator = Callable[[Any, SrcFile, Scope], Value]
"""Evaluates one tree-sitter expression node (``evaluate._ev``)."""


def template(node: Any, f: SrcFile, sc: Scope, ev: Evaluator) -> Value:
    """A quoted or heredoc template (a lone ``${x}`` keeps x's type)."""
    ch = node.children
    if node.type == "heredoc_template":
        out = join(heredoc_parts(node, f, sc, ev))
    else:
        out = join(_parts(ch[1:-1], ch[0].end_byte, ch[-1].start_byte, f, sc, ev, heredoc=False))
    if out.unknown is None and isinstance(out.value, str):
        sc.budget.charge(out.value)
    return out


def heredoc_parts(node: Any, f: SrcFile, sc: Scope, ev: Evaluator) -> list[str | Value]:
    """The literal strings and Values of a heredoc's body (dedented for ``<<-``)."""
    ch = node.children
    if len(ch) < 3:
        return []
    flush = bool(ch[0].children) and ch[0].children[0].type == "<<-"
    nl = f.src.find(b"\n", ch[1].end_byte)
    start = nl + 1 if nl >= 0 else ch[1].end_byte
    closer = ch[-1]
    end = closer.start_byte - closer.start_point[1]
    parts = _parts(ch[2:-1], start, max(start, end), f, sc, ev, heredoc=True)
    return _dedent(parts) if flush else parts


def _parts(
    nodes: list[Any],
    start: int,
    end: int,
    f: SrcFile,
    sc: Scope,
    ev: Evaluator,
    *,
    heredoc: bool,
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
                parts.append(ev(exprs[0], f, sc) if exprs else known(""))
        else:
            parts.extend(_directive(node.children[0], f, sc, ev, heredoc))
        pos = node.end_byte
    if end > pos:
        parts.append(_lit(f.src[pos:end], heredoc))
    return parts


def _lit(raw: bytes, heredoc: bool) -> str:
    text = raw.decode("utf-8", "replace")
    if heredoc:
        return text.replace("$${", "${").replace("%%{", "%{")
    return unescape(text)


def _directive(node: Any, f: SrcFile, sc: Scope, ev: Evaluator, heredoc: bool) -> list[str | Value]:
    ch = node.children
    if any(c.type == "strip_marker" for n in ch for c in n.children):
        return [unknown("template strip markers (~) are not evaluated")]
    if node.type == "template_if":
        intro = ch[0]
        cond = ev(next(c for c in intro.children if c.type == "expression"), f, sc)
        if cond.unknown is not None:
            return [cond]
        else_i = next((i for i, c in enumerate(ch) if c.type == "template_else_intro"), None)
        end_node = ch[-1]
        if functions.to_bool(cond.value):
            stop = ch[else_i] if else_i is not None else end_node
            inner = ch[1 : else_i if else_i is not None else -1]
            return _parts(inner, intro.end_byte, stop.start_byte, f, sc, ev, heredoc=heredoc)
        if else_i is None:
            return []
        return _parts(
            ch[else_i + 1 : -1],
            ch[else_i].end_byte,
            end_node.start_byte,
            f,
            sc,
            ev,
            heredoc=heredoc,
        )
    if node.type == "template_for":
        intro = ch[0]
        names = [f.text(c) for c in intro.children if c.type == "identifier"]
        coll = ev(next(c for c in intro.children if c.type == "expression"), f, sc)
        if coll.unknown is not None:
            return [coll]
        out: list[str | Value] = []
        for key, val in iterate(coll):
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
                    ev,
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


def join(parts: list[str | Value]) -> Value:
    values = [p for p in parts if isinstance(p, Value)]
    if len(parts) == 1 and values:
        return values[0]  # "${x}" keeps x's type
    bad = first_unknown(*values)
    if bad is not None:
        return dataclasses.replace(bad, pieces=_pieces(parts))
    try:
        text = "".join(p if isinstance(p, str) else template_str(p.value) for p in parts)
    except EvalError:
        raise
    return known(text, join_traces(*values))


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
