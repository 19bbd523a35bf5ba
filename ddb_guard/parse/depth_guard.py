"""Cheap guards on raw text against documents nested too deeply to load safely.

libyaml stops at its own nesting limit, and the pure-Python YAML scanner reads a run of flow
openers ahead in quadratic time; these checks decide, before any parser runs, which parser a
text may go through and where to stop (see ``yaml_loader``); the depth itself is checked
exactly while the text loads.
"""

from __future__ import annotations

import re

MAX_DEPTH = 100
"""Deepest container nesting accepted (CloudFormation templates rarely exceed 20)."""

_NOT_BRACKETS = bytes(c for c in range(256) if c not in b"[]{}")


def maybe_too_deep(text: str) -> bool:
    """Cheap guard: False when the JSON text surely nests at most ``MAX_DEPTH`` levels.

    Each pass deletes adjacent ``[]``/``{}`` pairs of the bracket-only text, which removes
    one or two levels; a text still holding brackets after ``MAX_DEPTH // 2`` passes may
    be deeper (brackets inside strings can also keep it from shrinking).
    """
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return False
    brackets = text.encode("utf-8", "surrogatepass").translate(None, _NOT_BRACKETS)
    for _ in range(MAX_DEPTH // 2):
        shorter = brackets.replace(b"[]", b"").replace(b"{}", b"")
        if len(shorter) == len(brackets):
            return False
        brackets = shorter
    return bool(brackets)


_DEEP_INDENT = re.compile(rf"^[ ?:-]{{{MAX_DEPTH // 2}}}", re.MULTILINE)


_BRACKET = re.compile(r"[\[\]{}]")


def flow_overflow(text: str) -> int | None:
    """The end offset of the first bracket that opens level ``MAX_DEPTH + 1``, counting
    brackets regardless of quoting (None: no bracket gets that deep)."""
    depth = 0
    for match in _BRACKET.finditer(text):
        if match.group() in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return match.end()
        else:
            depth -= 1
    return None


def maybe_deep_blocks(text: str) -> bool:
    """Cheap guard: False when the YAML text surely nests block collections less than
    ``MAX_DEPTH`` levels.

    A nested block collection starts at a greater column than its parent, on a line whose
    prefix is indentation, ``- ``, ``? `` or ``: ``; a short prefix everywhere bounds the
    depth (flow collections are bounded by :func:`maybe_too_deep`).
    """
    return _DEEP_INDENT.search(text) is not None
