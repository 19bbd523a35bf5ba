"""The in-source suppression comment, one syntax for HCL, plans and YAML templates:
``ddb-guard:ignore DDB001[,DDB003] reason`` (``ddb-guard: ignore`` with spaces is the same).

Rule ids are case-insensitive (returned upper-case). A comment that names no rule id is
still a suppression (of rule ``""``), so SUP001 can say it suppresses nothing.
"""

from __future__ import annotations

import re

IGNORE_RE = re.compile(r"ddb-guard\s*:\s*ignore\b[:=]?(.*)", re.IGNORECASE)
_ID_RE = re.compile(r"\s*,?\s*([A-Za-z]+[0-9]+)\b")
NO_RULE = ""


def parse_ignore(text: str) -> tuple[tuple[str, ...], str] | None:
    """Rule ids and reason of the text after ``ddb-guard:ignore`` (``None``: no id given)."""
    rest = text
    if rest.rstrip().endswith("*/"):
        rest = rest.rstrip()[:-2]
    ids: list[str] = []
    pos = 0
    while True:
        m = _ID_RE.match(rest, pos)
        if not m:
            break
        ids.append(m.group(1).upper())
        pos = m.end()
    if not ids:
        return None
    reason = rest[pos:].strip().lstrip(":-,").strip()
    return tuple(ids), reason


def ignore_in(comment: str) -> tuple[tuple[str, ...], str] | None:
    """Rule ids and reason of a ``ddb-guard:ignore`` comment (``None``: not one, or no id)."""
    m = IGNORE_RE.search(comment)
    return parse_ignore(m.group(1)) if m else None


def suppression_in(comment: str) -> tuple[tuple[str, ...], str] | None:
    """Like :func:`ignore_in`, but a marker without a rule id is ``(("",), reason)``."""
    m = IGNORE_RE.search(comment)
    if m is None:
        return None
    parsed = parse_ignore(m.group(1))
    if parsed is None:
        return (NO_RULE,), m.group(1).strip().rstrip("*/").strip()
    return parsed


def yaml_comment_lines(
    lines: list[str], first: int, last: int, last_column: int | None = None
) -> list[tuple[int, str]]:
    """``(line number, comment text)`` of the YAML comments of a block spanning 1-based
    lines ``first..last`` (ending before ``last_column`` on the last line), and of the
    comment lines directly above ``first``."""
    start = first - 1
    while start >= 1 and lines[start - 1].lstrip().startswith("#"):
        start -= 1
    # a block's span ends where the next key starts: the comments above that key are its own
    last = min(last, len(lines))
    if last > first and last_column is not None and not lines[last - 1][: last_column - 1].strip():
        last -= 1
    while last > first and (not lines[last - 1].strip() or lines[last - 1].lstrip()[0] == "#"):
        last -= 1
    out = []
    for number in range(start + 1, min(last, len(lines)) + 1):
        line = lines[number - 1]
        at = comment_start(line)
        if at >= 0:
            out.append((number, line[at:]))
    return out


def comment_start(line: str) -> int:
    """Index of the ``#`` that starts a YAML comment (outside quotes), or -1."""
    if "#" not in line:
        return -1
    quote = ""
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return i
    return -1
