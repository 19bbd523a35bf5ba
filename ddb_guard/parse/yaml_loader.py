"""Safe, position-keeping YAML and JSON loading.

``load_yaml`` builds plain Python data from libyaml *events* (``yaml.CSafeLoader``; the
pure-Python ``SafeLoader`` when libyaml is missing) with one flat loop: no recursion, so
nesting depth is checked as the parser goes and a 10,000-deep document stops after
``MAX_DEPTH`` levels (:mod:`~ddb_guard.parse.depth_guard` picks the parser first). Aliases
share the anchored object (memory stays bounded) and the expanded size is counted, so an
alias bomb stops early. No Python tag is ever constructed: unknown tags are ignored and
CloudFormation short forms (``!Ref X``, ``!GetAtt A.B``, ``!Sub ...``) become their long form
(``{"Ref": "X"}``, ...); plain scalars resolve as :mod:`~ddb_guard.parse.yaml_scalars` says.

Mappings are :class:`MarkedMap` (a ``dict``) and sequences :class:`MarkedList` (a ``list``),
from :mod:`~ddb_guard.parse.marked`; scalars stay plain ``str``/``int``/``bool``/``float``/
``None``. Every value has a location (``m.value_span("Type")``).

``load_json`` uses the C ``json`` scanner (:mod:`~ddb_guard.parse.json_positions`: 20-50x
faster than YAML on big CDK output) and computes positions lazily, per container.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from typing import Any

import yaml

from ddb_guard.enums import Level, NoticeKind
from ddb_guard.model import Notice
from ddb_guard.parse.depth_guard import (
    MAX_DEPTH,
    flow_overflow,
    maybe_deep_blocks,
    maybe_too_deep,
)
from ddb_guard.parse.json_positions import JsonList, JsonMap, decode
from ddb_guard.parse.marked import MarkedList, MarkedMap, Span, key_span, span_of, value_span
from ddb_guard.parse.yaml_scalars import MERGE_KEY, plain_scalar

__all__ = [
    "ALIAS_MIN_BUDGET",
    "ALIAS_RATIO",
    "CFN_TAGS",
    "MAX_DEPTH",
    "JsonList",
    "JsonMap",
    "MarkedList",
    "MarkedMap",
    "Span",
    "key_span",
    "load_json",
    "load_yaml",
    "span_of",
    "value_span",
]

ALIAS_MIN_BUDGET = 100_000
ALIAS_RATIO = 20
"""An alias expansion may make the document at most ``ALIAS_RATIO`` times larger than
written (with at least ``ALIAS_MIN_BUDGET`` units allowed; a unit is a node or 64
characters of a scalar)."""

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# CloudFormation short-form tags -> long-form key. ``!GetAtt a.b`` is split further.
CFN_TAGS: dict[str, str] = {
    "!Ref": "Ref",
    "!Condition": "Condition",
    "!GetAtt": "Fn::GetAtt",
    "!Sub": "Fn::Sub",
    "!If": "Fn::If",
    "!Equals": "Fn::Equals",
    "!Not": "Fn::Not",
    "!And": "Fn::And",
    "!Or": "Fn::Or",
    "!FindInMap": "Fn::FindInMap",
    "!Join": "Fn::Join",
    "!Select": "Fn::Select",
    "!Split": "Fn::Split",
    "!ImportValue": "Fn::ImportValue",
    "!Base64": "Fn::Base64",
    "!Cidr": "Fn::Cidr",
    "!GetAZs": "Fn::GetAZs",
    "!Transform": "Fn::Transform",
    "!Length": "Fn::Length",
    "!ToJsonString": "Fn::ToJsonString",
    "!ForEach": "Fn::ForEach",
}


class _LoadError(Exception):
    def __init__(self, message: str, mark: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


class _TooDeep(_LoadError):
    """Nesting past ``MAX_DEPTH``."""


# YAML 1.1 (PyYAML, libyaml) breaks lines at U+0085, U+2028 and U+2029 too; editors and
# GitHub do not. While a text holding one is loaded, its real line starts are kept here and
# marks are placed from their character index instead.
_REAL_LINES: list[int] | None = None
_YAML_ONLY_BREAKS = ("\x85", "\u2028", "\u2029")


def _point(mark: Any) -> tuple[int, int]:
    """1-based (line, column) of a PyYAML mark, counting only CR/LF line breaks."""
    if _REAL_LINES is None:
        return mark.line + 1, mark.column + 1
    line = bisect_right(_REAL_LINES, mark.index)
    return line, mark.index - _REAL_LINES[line - 1] + 1


def _mspan(start: Any, end: Any) -> Span:
    if _REAL_LINES is not None:
        return (*_point(start), *_point(end))
    return (start.line + 1, start.column + 1, end.line + 1, end.column + 1)


_STR = "tag:yaml.org,2002:str"
_NO_KEY = object()
_SKIP = object()


def _wrap_tag(tag: str | None, value: Any, span: Span) -> Any:
    """Apply a CloudFormation short-form tag; other tags are ignored."""
    name = CFN_TAGS.get(tag) if tag else None
    if name is None:
        return value
    if name == "Fn::GetAtt" and isinstance(value, str):
        head, _, tail = value.partition(".")
        parts = MarkedList((head, tail) if tail else (head,))
        parts._span = span
        parts._items = [span] * len(parts)
        value = parts
    wrapped = MarkedMap(((name, value),))
    wrapped._span = span
    wrapped._pos = {name: (span, span)}
    return wrapped


class _Frame:
    __slots__ = (
        "anchor",
        "count0",
        "data",
        "is_map",
        "key",
        "key_span",
        "merges",
        "pos",
        "start",
        "tag",
    )

    def __init__(self, data: Any, is_map: bool, ev: Any, count0: int) -> None:
        self.data = data
        self.is_map = is_map
        self.tag = ev.tag
        self.anchor = ev.anchor
        self.start = ev.start_mark
        self.count0 = count0
        self.key: Any = _NO_KEY
        self.key_span: Span | None = None
        self.pos: Any = {} if is_map else []
        self.merges: list[MarkedMap] | None = None


def _build(parser: Any) -> tuple[Any, list[tuple[str, Span]], bool]:
    """Build the first document from the parser's events.

    Returns (data, [(problem, span)] for duplicate/complex keys, stream-is-empty).
    """
    get = parser.get_event
    ScalarEvent, MappingStartEvent, SequenceStartEvent = (
        yaml.ScalarEvent,
        yaml.MappingStartEvent,
        yaml.SequenceStartEvent,
    )
    MappingEndEvent, SequenceEndEvent, AliasEvent = (
        yaml.MappingEndEvent,
        yaml.SequenceEndEvent,
        yaml.AliasEvent,
    )

    ev = get()  # StreamStart
    ev = get()
    if ev is None or isinstance(ev, yaml.StreamEndEvent):
        return None, [], True
    stack: list[_Frame] = []
    anchors: dict[str, tuple[Any, int | None]] = {}
    duplicates: list[tuple[str, Span]] = []
    count = 0  # nodes including alias expansions
    real = 0  # nodes written
    root: Any = None
    while True:
        ev = get()
        cls = ev.__class__
        if cls is ScalarEvent:
            # bytes count too: one unit per 64 characters, so a 1 MB anchored scalar
            # aliased 3,000 times is a bomb even though it is one node
            weight = 1 + len(ev.value) // 64
            count += weight
            real += weight
            span = _mspan(ev.start_mark, ev.end_mark)
            value = _scalar(ev, span)
            if ev.anchor is not None:
                anchors[ev.anchor] = (value, weight)
        elif cls is MappingStartEvent or cls is SequenceStartEvent:
            count += 1
            real += 1
            if len(stack) >= MAX_DEPTH:
                raise _TooDeep(f"nesting deeper than {MAX_DEPTH} levels", ev.start_mark)
            is_map = cls is MappingStartEvent
            frame = _Frame(MarkedMap() if is_map else MarkedList(), is_map, ev, count)
            if ev.anchor is not None:
                anchors[ev.anchor] = (frame.data, None)  # None: still being built
            stack.append(frame)
            continue
        elif cls is MappingEndEvent or cls is SequenceEndEvent:
            frame = stack.pop()
            value, span = _close(frame, ev.end_mark)
            if frame.anchor is not None:
                anchors[frame.anchor] = (value, count - frame.count0 + 1)
        elif cls is AliasEvent:
            value, size = _alias(ev, anchors)
            count += size
            if count > ALIAS_MIN_BUDGET and count > ALIAS_RATIO * real:
                raise _LoadError(
                    f"alias expansion too large (over {count:,} nodes from {real:,} written): "
                    "possible alias bomb",
                    ev.start_mark,
                )
            span = _mspan(ev.start_mark, ev.end_mark)
        else:  # DocumentEnd: stop at the first document
            return root, duplicates, False
        if stack:
            _attach(stack[-1], value, span, ev.value if cls is ScalarEvent else None, duplicates)
        else:
            root = value


def _scalar(ev: Any, span: Span) -> Any:
    """The value of a scalar event: a plain scalar resolved the YAML 1.1 way, a CloudFormation
    short form in its long form, the text under any other tag."""
    tag = ev.tag
    if tag is None and ev.implicit[0]:
        return plain_scalar(ev.value)
    value = ev.value
    if tag is not None and tag[0] == "!" and tag in CFN_TAGS:
        return _wrap_tag(tag, value, span)
    if tag is not None and tag.startswith("tag:yaml.org,2002:") and tag != _STR:
        return plain_scalar(value) if ev.value else value
    return value


def _close(frame: _Frame, end_mark: Any) -> tuple[Any, Span]:
    """The finished container of ``frame`` (merge keys applied, positions attached, a
    CloudFormation short-form tag wrapped around it) and where it is written."""
    data = frame.data
    span = _mspan(frame.start, end_mark)
    data._span = span
    if frame.is_map:
        if frame.merges:
            _apply_merges(data, frame.pos, frame.merges)
        data._pos = frame.pos
    else:
        data._items = frame.pos
    return (_wrap_tag(frame.tag, data, span) if frame.tag else data), span


def _alias(ev: Any, anchors: dict[str, tuple[Any, int | None]]) -> tuple[Any, int]:
    """The anchored value an alias event names (shared, not copied) and its expanded size."""
    try:
        value, size = anchors[ev.anchor]
    except KeyError:
        raise _LoadError(f"unknown alias *{ev.anchor}", ev.start_mark) from None
    if size is None:
        raise _LoadError(f"alias *{ev.anchor} refers to itself", ev.start_mark)
    return value, size


def _attach(
    top: _Frame, value: Any, span: Span, text: str | None, duplicates: list[tuple[str, Span]]
) -> None:
    """Add ``value`` (written at ``span``) to the container being built: an item of a list,
    else a mapping's next key or the value of its pending key. ``text``: the written text
    when ``value`` is a scalar (a key is its text)."""
    if not top.is_map:
        top.data.append(value)
        top.pos.append(span)
    elif top.key is _NO_KEY:
        if text is not None:
            top.key = text if value is not MERGE_KEY else MERGE_KEY
        elif isinstance(value, str):
            top.key = value
        else:
            top.key = _SKIP
            duplicates.append(("complex mapping keys are not supported", span))
        top.key_span = span
    else:
        key = top.key
        top.key = _NO_KEY
        if key is _SKIP:
            return
        if key is MERGE_KEY:
            sources = value if isinstance(value, list) else [value]
            top.merges = (top.merges or []) + [s for s in sources if isinstance(s, MarkedMap)]
            return
        if key in top.data:
            duplicates.append((f"duplicate key {key!r} (the last one is used)", top.key_span))
        top.data[key] = value
        top.pos[key] = (top.key_span, span)


def _apply_merges(data: MarkedMap, pos: dict, merges: list[MarkedMap]) -> None:
    """YAML ``<<`` merge keys: explicit keys win, earlier merge sources win over later."""
    for source in merges:
        for key, value in source.items():
            if key not in data:
                data[key] = value
                pos[key] = (source.key_span(key), source.value_span(key))


def _notice(path: str, message: str, mark: Any = None, level: Level = Level.ERROR) -> Notice:
    if isinstance(mark, tuple):
        line, column = mark[0], mark[1]
    elif mark is not None:
        line, column = _point(mark)
    else:
        line, column = 0, 0
    return Notice(path, message, line, column, level=level, kind=NoticeKind.PARSE_ERROR)


def _empty(path: str) -> Notice:
    return Notice(path, "file is empty", 1, 1, level=Level.NOTE, kind=NoticeKind.SKIPPED)


def load_yaml(text: str, path: str) -> tuple[object | None, Notice | None]:
    """Parse YAML safely. Returns (data, notice).

    ``data`` is None when the text does not parse (the notice, level ``error``, says where
    and why) or holds no document (a ``note`` "file is empty"). With duplicate keys the
    data is still returned (last key wins) with a ``warning`` notice. Only the first
    document of a multi-document stream is read.
    """
    return _load_yaml(text, path, "YAML")


def _load_yaml(text: str, path: str, fmt: str) -> tuple[object | None, Notice | None]:
    global _REAL_LINES
    if not any(c in text for c in _YAML_ONLY_BREAKS):
        return _load_yaml_text(text, path, fmt)
    _REAL_LINES = [0, *(m.end() for m in re.finditer(r"\r\n|\r|\n", text))]
    try:
        return _load_yaml_text(text, path, fmt)
    finally:
        _REAL_LINES = None


def _load_yaml_text(text: str, path: str, fmt: str) -> tuple[object | None, Notice | None]:
    # libyaml (and so PyYAML's C loader, from PyYAML 6.0.4 on) stops at its own nesting
    # limit while scanning ahead, before our event loop sees the depth. A text that may
    # nest deeper than ``MAX_DEPTH`` goes through the pure-Python parser, which has no
    # such limit, so our check runs first and its message is the same on every version.
    loader = _BaseLoader
    if maybe_too_deep(text):
        loader = yaml.SafeLoader
        # The pure-Python scanner reads a run of flow openers ahead in quadratic time:
        # first parse only up to the first bracket past MAX_DEPTH (brackets counted
        # regardless of quoting); if that is where the text gets too deep, say so.
        cut = flow_overflow(text)
        if cut is not None:
            try:
                _build(yaml.SafeLoader(text[:cut]))
            except _TooDeep as exc:
                return None, _notice(path, f"cannot load {fmt}: {exc.message}", exc.mark)
            except (yaml.YAMLError, _LoadError, ValueError, RecursionError):
                pass  # brackets inside strings: the whole text decides below
    elif maybe_deep_blocks(text):
        loader = yaml.SafeLoader
    parser = loader(text)
    try:
        data, problems, empty = _build(parser)
    except _LoadError as exc:
        return None, _notice(path, f"cannot load {fmt}: {exc.message}", exc.mark)
    except yaml.MarkedYAMLError as exc:
        problem = exc.problem or str(exc)
        if exc.context:
            problem = f"{problem} ({exc.context})"
        return None, _notice(
            path, f"{fmt} syntax error: {problem}", exc.problem_mark or exc.context_mark
        )
    except (yaml.YAMLError, ValueError, RecursionError, MemoryError) as exc:
        return None, _notice(path, f"cannot parse {fmt}: {exc}")
    finally:
        parser.dispose()
    if empty:
        return None, _empty(path)
    if problems:
        message, span = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        return data, _notice(path, message + more, span, level=Level.WARNING)
    return data, None


def load_json(text: str, path: str) -> tuple[object | None, Notice | None]:
    """Parse JSON with positions. Returns (data, notice) like :func:`load_yaml`."""
    if not text.strip():
        return None, _empty(path)
    if maybe_too_deep(text):
        # the YAML loader checks depth exactly and says where (JSON is YAML)
        return _load_yaml(text, path, "JSON")
    try:
        data, dups = decode(text)
    except json.JSONDecodeError as exc:
        return None, Notice(
            path,
            f"JSON syntax error: {exc.msg}",
            exc.lineno,
            exc.colno,
            level=Level.ERROR,
            kind=NoticeKind.PARSE_ERROR,
        )
    except (RecursionError, ValueError) as exc:
        return None, Notice(
            path, f"cannot parse JSON: {exc}", level=Level.ERROR, kind=NoticeKind.PARSE_ERROR
        )
    if dups:
        # rare: the YAML loader knows exactly where each duplicate is
        _, notice = _load_yaml(text, path, "JSON")
        if notice is None or notice.level != Level.WARNING:
            notice = Notice(
                path,
                f"duplicate key {dups[0]!r} (the last one is used)",
                level=Level.WARNING,
                kind=NoticeKind.PARSE_ERROR,
            )
        return data, notice
    return data, None
