"""Text edits: splices into the original text, never a re-serialisation."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ddb_guard.model import Location
from ddb_guard.parse.ignore import comment_start


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` (character offsets) with ``new``; ``what`` says why."""

    path: str
    start: int
    end: int
    new: str
    line: int
    rule: str
    what: str


@dataclass(frozen=True, slots=True)
class NotFixed:
    """A finding that was not fixed, and why."""

    path: str
    line: int
    rule: str
    address: str
    reason: str


class Unfixable(Exception):
    """Raised by an inserter: the text is not in a shape it can edit safely."""


def newline(text: str) -> str:
    """The file's line ending: CRLF when its first line ends so, else LF."""
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


def line_starts(text: str) -> list[int]:
    """Offset of the start of each line (index 0 is line 1)."""
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", text))
    return starts


def offset(text: str, starts: list[int], line: int, column: int) -> int:
    """Character offset of a 1-based line and column."""
    if line < 1 or line > len(starts):
        raise Unfixable(f"line {line} is outside the file")
    return min(starts[line - 1] + column - 1, len(text))


def span(text: str, starts: list[int], loc: Location) -> tuple[int, int]:
    """Character offsets of a location."""
    return offset(text, starts, loc.line, loc.column), offset(
        text, starts, loc.end_line, loc.end_column
    )


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """``start``/``end`` without the blank space, comment lines and trailing comment that
    a YAML block node's span runs over (it ends where the next token starts)."""
    while True:
        while end > start and text[end - 1] in " \t\r\n":
            end -= 1
        line_start = text.rfind("\n", start, end) + 1 or start
        last = text[max(line_start, start) : end]
        hash_at = comment_start(last)
        if hash_at < 0:
            return start, end
        if not last[:hash_at].strip() and line_start > start:
            end = line_start  # a comment line
        elif last[:hash_at].strip():
            end = max(line_start, start) + hash_at  # a trailing comment
        else:
            return start, end


def line_text(text: str, starts: list[int], line: int) -> str:
    """Line ``line`` (1-based) without its line ending."""
    start = starts[line - 1]
    end = starts[line] if line < len(starts) else len(text)
    return text[start:end].rstrip("\r\n")


def indent_of(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def apply(text: str, edits: list[Edit]) -> str:
    """``text`` with ``edits`` spliced in. Insertions at one offset keep their list order;
    identical edits apply once; overlapping replacements raise :class:`Unfixable`."""
    unique: list[Edit] = []
    seen: set[tuple[int, int, str]] = set()
    for e in edits:
        key = (e.start, e.end, e.new)
        if key not in seen:
            seen.add(key)
            unique.append(e)
    ordered = sorted(enumerate(unique), key=lambda p: (p[1].start, p[1].end, p[0]))
    out: list[str] = []
    pos = 0
    for _, e in ordered:
        if e.start < pos:
            raise Unfixable("two fixes overlap")
        out.append(text[pos : e.start])
        out.append(e.new)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


# literals that turn a protection off, and their protected replacement (quoting kept)
_FALSE = re.compile(r"""^(["']?)(false|False|FALSE)(["']?)$""")
_POLICY = re.compile(r"""^(["']?)(Delete|Snapshot)(["']?)$""")
_TRUE = {"false": "true", "False": "True", "FALSE": "TRUE"}


def flipped(literal: str, kind: str) -> str | None:
    """The protected form of ``literal`` (``false`` -> ``true``, ``"Delete"`` -> ``"Retain"``),
    or ``None`` when it is not a literal of that kind."""
    m = (_FALSE if kind == "bool" else _POLICY).match(literal.strip())
    if m is None or m.group(1) != m.group(3):
        return None
    word = _TRUE[m.group(2)] if kind == "bool" else "Retain"
    return f"{m.group(1)}{word}{m.group(3)}"
