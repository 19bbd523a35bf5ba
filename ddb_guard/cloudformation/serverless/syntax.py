"""Serverless Framework variable syntax: ``${source:address, fallback, 'literal'}``.

Follows the Framework's own parser (v3 and v4): a variable starts with ``${`` and a
lower-case source type followed by ``:`` or ``(``; anything else (``${AWS::Region}``,
``${Foo}``) is *foreign* and left as written, for ``Fn::Sub``. Sources are separated by
top-level commas and tried in order; one may be a quoted string, a number, ``true``,
``false`` or ``null``. Params and addresses may themselves hold variables
(``${self:custom.pitr.${sls:stage}}``, ``${file(./${sls:stage}.yml)}``); they are kept as
text and resolved by the caller.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

_TYPE = re.compile(r"[a-z][a-zA-Z0-9]*")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


@dataclass(frozen=True, slots=True)
class Source:
    """One source of a variable: ``type(params):address`` or a literal (``type`` "")."""

    type: str = ""
    params: tuple[str, ...] = ()
    address: str | None = None
    literal: object = None
    text: str = ""

    @property
    def is_literal(self) -> bool:
        return not self.type


@dataclass(frozen=True, slots=True)
class Variable:
    """``${...}`` as written (``text``) and its sources in order."""

    text: str
    sources: tuple[Source, ...] = field(default_factory=tuple)
    error: str = ""  # set when the variable cannot be parsed


Part = str | Variable


def has_variable(text: str) -> bool:
    """Cheap test: may ``text`` hold a Serverless variable?"""
    return "${" in text and any(isinstance(p, Variable) for p in split(text))


def split(text: str) -> list[Part]:
    """``text`` as literal strings and variables, in order (adjacent literals joined)."""
    parts: list[Part] = []
    literal: list[str] = []
    i = 0
    n = len(text)
    while i < n:
        start = text.find("${", i)
        if start < 0:
            literal.append(text[i:])
            break
        if start > 0 and text[start - 1] == "\\":  # \${...} is written as is
            literal.append(text[i : start - 1] + "${")
            i = start + 2
            continue
        end = _closing(text, start + 2)
        match = _TYPE.match(text, start + 2)
        if end < 0:
            literal.append(text[i:])
            break
        if match is None or match.end() >= n or text[match.end()] not in ":(":
            literal.append(text[i : end + 1])  # foreign: ${AWS::Region}, ${Foo}
            i = end + 1
            continue
        literal.append(text[i:start])
        if literal and "".join(literal):
            parts.append("".join(literal))
        literal = []
        parts.append(_variable(text[start : end + 1]))
        i = end + 1
    rest = "".join(literal)
    if rest:
        parts.append(rest)
    return parts


def _closing(text: str, i: int) -> int:
    """Index of the ``}`` closing the ``${`` opened just before ``i`` (-1 if none)."""
    depth = 1
    quote = ""
    while i < len(text):
        c = text[i]
        if quote:
            if c == "\\" and quote == '"':
                i += 1
            elif c == quote:
                quote = ""
        elif c in "'\"":
            quote = c
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _top_level_split(body: str, sep: str) -> list[str]:
    """Split on ``sep`` outside quotes, parentheses and nested ``${...}``."""
    out: list[str] = []
    depth = 0
    quote = ""
    start = 0
    i = 0
    while i < len(body):
        c = body[i]
        if quote:
            if c == "\\" and quote == '"':
                i += 1
            elif c == quote:
                quote = ""
        elif c in "'\"":
            quote = c
        elif c in "({":
            depth += 1
        elif c in ")}":
            depth -= 1
        elif c == sep and depth == 0:
            out.append(body[start:i])
            start = i + 1
        i += 1
    out.append(body[start:])
    return out


def _variable(text: str) -> Variable:
    sources: list[Source] = []
    for raw in _top_level_split(text[2:-1], ","):
        source = _source(raw.strip())
        if isinstance(source, str):
            return Variable(text, (), f"invalid Serverless variable {text}: {source}")
        sources.append(source)
    return Variable(text, tuple(sources))


def _source(raw: str) -> Source | str:
    if not raw:
        return "empty source"
    if raw[0] in "'\"":
        return _string_literal(raw)
    match = _TYPE.match(raw)
    if match is not None and match.end() < len(raw) and raw[match.end()] == "(":
        close = _matching_paren(raw, match.end())
        if close < 0:
            return "unclosed ("
        params = tuple(p.strip() for p in _top_level_split(raw[match.end() + 1 : close], ","))
        rest = raw[close + 1 :].strip()
        if rest and not rest.startswith(":"):
            return f"unexpected {rest!r}"
        address = rest[1:].strip() if rest else None
        return Source(match.group(0), tuple(p for p in params if p), address, text=raw)
    if match is not None and match.end() < len(raw) and raw[match.end()] == ":":
        return Source(match.group(0), (), _unquote(raw[match.end() + 1 :].strip()), text=raw)
    if raw in ("true", "false"):
        return Source(literal=raw == "true", text=raw)
    if raw == "null":
        return Source(literal=None, text=raw)
    if _NUMBER.fullmatch(raw):
        number = float(raw)
        return Source(literal=int(number) if number.is_integer() else number, text=raw)
    return f"{raw!r} is not a source or a literal"


def _string_literal(raw: str) -> Source | str:
    if len(raw) < 2 or raw[-1] != raw[0]:
        return f"unterminated string {raw}"
    if raw[0] == "'":
        return Source(literal=raw[1:-1], text=raw)
    try:
        return Source(literal=json.loads(raw), text=raw)
    except ValueError:
        return f"invalid string {raw}"


def _unquote(address: str) -> str:
    if len(address) >= 2 and address[0] == address[-1] and address[0] in "'\"":
        return address[1:-1]
    return address


def _matching_paren(text: str, i: int) -> int:
    depth = 0
    quote = ""
    while i < len(text):
        c = text[i]
        if quote:
            if c == quote:
                quote = ""
        elif c in "'\"":
            quote = c
        elif c in "({":
            depth += 1
        elif c in ")}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1
