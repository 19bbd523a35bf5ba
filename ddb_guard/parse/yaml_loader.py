"""Safe, position-keeping YAML and JSON loading.

``load_yaml`` builds plain Python data from libyaml *events* (``yaml.CSafeLoader``; the
pure-Python ``SafeLoader`` when libyaml is missing) with one flat loop: no recursion, so
nesting depth is checked as the parser goes and a 10,000-deep document stops after
``MAX_DEPTH`` levels. Aliases share the anchored object (memory stays bounded) and the
expanded size is counted, so an alias bomb stops early. No Python tag is ever
constructed: unknown tags are ignored and CloudFormation short forms (``!Ref X``,
``!GetAtt A.B``, ``!Sub ...``) become their long form (``{"Ref": "X"}``, ...).

Mappings are :class:`MarkedMap` (a ``dict``) and sequences :class:`MarkedList` (a
``list``); scalars stay plain ``str``/``int``/``bool``/``float``/``None``. Positions live
in a side table on each container, so every value has a location::

    m.span()            # the container itself
    m.key_span("Type")  # the key
    m.value_span("Type")  # the value (for a list: lst.value_span(0))

A span is ``(line, column, end_line, end_column)``: 1-based, end column exclusive.

``load_json`` uses the C ``json`` scanner (20-50x faster than YAML on big CDK output) and
computes positions lazily, per container, the first time one is asked for.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from typing import Any

import yaml

from ddb_guard.enums import Level, NoticeKind
from ddb_guard.model import Notice

Span = tuple[int, int, int, int]

MAX_DEPTH = 100
"""Deepest container nesting accepted (CloudFormation templates rarely exceed 20)."""
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


# --------------------------------------------------------------------------- containers


class MarkedMap(dict):
    """A mapping that knows where it and each of its keys and values were written."""

    __slots__ = ("_pos", "_span")

    def span(self) -> Span | None:
        """Where the whole mapping is written."""
        return getattr(self, "_span", None)

    def key_span(self, key: Any) -> Span | None:
        """Where ``key`` is written (None if the key is not in this mapping)."""
        pos = self._positions().get(key)
        return pos[0] if pos else None

    def value_span(self, key: Any) -> Span | None:
        """Where the value of ``key`` is written (None if the key is not here)."""
        pos = self._positions().get(key)
        return pos[1] if pos else None

    def _positions(self) -> dict[Any, tuple[Span, Span]]:
        return getattr(self, "_pos", None) or {}


class MarkedList(list):
    """A sequence that knows where it and each of its items were written."""

    __slots__ = ("_items", "_span")

    def span(self) -> Span | None:
        return getattr(self, "_span", None)

    def value_span(self, index: int) -> Span | None:
        """Where item ``index`` is written."""
        items = self._item_spans()
        try:
            return items[index]
        except (IndexError, TypeError):
            return None

    def _item_spans(self) -> list[Span]:
        return getattr(self, "_items", None) or []


def span_of(obj: Any) -> Span | None:
    """The span of a container from either loader (None for scalars/plain containers)."""
    return obj.span() if isinstance(obj, (MarkedMap, MarkedList)) else None


def value_span(container: Any, key: Any) -> Span | None:
    """Span of ``container[key]``; for mappings falls back to the key when needed."""
    if isinstance(container, MarkedMap):
        return container.value_span(key) or container.key_span(key)
    if isinstance(container, MarkedList):
        return container.value_span(key)
    return None


def key_span(container: Any, key: Any) -> Span | None:
    return container.key_span(key) if isinstance(container, MarkedMap) else None


# --------------------------------------------------------------------------- YAML


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


_RESOLVERS: dict[str, list[tuple[str, re.Pattern[str]]]] = {
    k: list(v) for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_BOOLS = yaml.constructor.SafeConstructor.bool_values
_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_MERGE = "tag:yaml.org,2002:merge"


def _plain_scalar(value: str) -> Any:
    """Resolve an untagged plain scalar the YAML 1.1 way (SafeLoader rules).

    Timestamps stay strings (``AWSTemplateFormatVersion: 2010-09-09``).
    """
    for tag, regexp in _RESOLVERS.get(value[:1], ()):
        if regexp.match(value):
            if tag == _INT:
                return _to_int(value)
            if tag == _FLOAT:
                return _to_float(value)
            if tag.endswith(":bool"):
                return _BOOLS[value.lower()]
            if tag.endswith(":null"):
                return None
            if tag == _MERGE:
                return _MERGE_KEY
            return value
    return value


def _to_int(value: str) -> Any:
    try:
        return int(value)
    except ValueError:
        pass
    text = value.replace("_", "")
    sign = -1 if text.startswith("-") else 1
    text = text.lstrip("+-")
    try:
        if text == "0":
            return 0
        if text.startswith("0b"):
            return sign * int(text[2:], 2)
        if text.startswith("0x"):
            return sign * int(text[2:], 16)
        if text.startswith("0") and text.isdigit():
            return sign * int(text, 8)
        if ":" in text:  # YAML 1.1 sexagesimal
            total = 0
            for part in text.split(":"):
                total = total * 60 + int(part)
            return sign * total
        return sign * int(text)
    except ValueError:
        return value


def _to_float(value: str) -> Any:
    text = value.replace("_", "").lower()
    if text in (".inf", "+.inf"):
        return float("inf")
    if text == "-.inf":
        return float("-inf")
    if text == ".nan":
        return float("nan")
    try:
        if ":" in text:
            sign = -1.0 if text.startswith("-") else 1.0
            total = 0.0
            for part in text.lstrip("+-").split(":"):
                total = total * 60 + float(part)
            return sign * total
        return float(text)
    except ValueError:
        return value


class _MergeKey:
    def __repr__(self) -> str:
        return "<<"


_MERGE_KEY = _MergeKey()
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
            tag = ev.tag
            if tag is None and ev.implicit[0]:
                value = _plain_scalar(ev.value)
            else:
                value = ev.value
                if tag is not None and tag[0] == "!" and tag in CFN_TAGS:
                    value = _wrap_tag(tag, value, span)
                elif tag is not None and tag.startswith("tag:yaml.org,2002:") and tag != _STR:
                    value = _plain_scalar(value) if ev.value else value
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
            data = frame.data
            span = _mspan(frame.start, ev.end_mark)
            data._span = span
            if frame.is_map:
                if frame.merges:
                    _apply_merges(data, frame.pos, frame.merges)
                data._pos = frame.pos
            else:
                data._items = frame.pos
            value = _wrap_tag(frame.tag, data, span) if frame.tag else data
            if frame.anchor is not None:
                anchors[frame.anchor] = (value, count - frame.count0 + 1)
        elif cls is AliasEvent:
            try:
                value, size = anchors[ev.anchor]
            except KeyError:
                raise _LoadError(f"unknown alias *{ev.anchor}", ev.start_mark) from None
            if size is None:
                raise _LoadError(f"alias *{ev.anchor} refers to itself", ev.start_mark)
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

        # add ``value`` (at ``span``) to the enclosing container
        if not stack:
            root = value
            continue
        top = stack[-1]
        if not top.is_map:
            top.data.append(value)
            top.pos.append(span)
        elif top.key is _NO_KEY:
            if cls is ScalarEvent:
                top.key = ev.value if value is not _MERGE_KEY else _MERGE_KEY
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
                continue
            if key is _MERGE_KEY:
                sources = value if isinstance(value, list) else [value]
                top.merges = (top.merges or []) + [s for s in sources if isinstance(s, MarkedMap)]
                continue
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
    if _maybe_too_deep(text):
        loader = yaml.SafeLoader
        # The pure-Python scanner reads a run of flow openers ahead in quadratic time:
        # first parse only up to the first bracket past MAX_DEPTH (brackets counted
        # regardless of quoting); if that is where the text gets too deep, say so.
        cut = _flow_overflow(text)
        if cut is not None:
            try:
                _build(yaml.SafeLoader(text[:cut]))
            except _TooDeep as exc:
                return None, _notice(path, f"cannot load {fmt}: {exc.message}", exc.mark)
            except (yaml.YAMLError, _LoadError, ValueError, RecursionError):
                pass  # brackets inside strings: the whole text decides below
    elif _maybe_deep_blocks(text):
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


# --------------------------------------------------------------------------- JSON


class _JsonDoc:
    """The text of a JSON document and its line starts (built on first use)."""

    __slots__ = ("_lines", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._lines: list[int] | None = None

    def point(self, offset: int) -> tuple[int, int]:
        if self._lines is None:
            # only LF ends a line (str.splitlines also breaks at U+2028, U+0085, ...)
            self._lines = [0, *(m.end() for m in re.finditer("\n", self.text))]
        line = bisect_right(self._lines, offset)
        return line, offset - self._lines[line - 1] + 1

    def span(self, start: int, end: int) -> Span:
        line, col = self.point(start)
        end_line, end_col = self.point(end)
        return (line, col, end_line, end_col)


_WS = re.compile(r"[ \t\n\r]*")
_skip_value = json.scanner.make_scanner(json.JSONDecoder())
_scanstring = json.decoder.scanstring


class JsonMap(MarkedMap):
    """A JSON object; positions are computed from the text the first time they are needed
    (``_up`` is the parent container, whose index gives this one's offset). ``_pos`` holds
    character offsets ``(key_start, key_end, value_start, value_end)``."""

    __slots__ = ("_doc", "_off", "_up")

    def key_span(self, key: Any) -> Span | None:
        pos = self._offsets().get(key)
        return self._doc.span(pos[0], pos[1]) if pos else None

    def value_span(self, key: Any) -> Span | None:
        pos = self._offsets().get(key)
        return self._doc.span(pos[2], pos[3]) if pos else None

    def _positions(self) -> dict[Any, tuple[Span, Span]]:
        doc = self._doc if self._offsets() else None
        return (
            {k: (doc.span(p[0], p[1]), doc.span(p[2], p[3])) for k, p in self._offsets().items()}
            if doc
            else {}
        )

    def _offsets(self) -> dict[Any, tuple[int, int, int, int]]:
        pos = getattr(self, "_pos", None)
        if pos is None:
            pos = self._pos = self._index()
        return pos

    def span(self) -> Span | None:
        doc = _located(self)
        if doc is None:
            return None
        if getattr(self, "_span", None) is None:
            self._span = doc.span(self._off, _skip_value(doc.text, self._off)[1])
        return self._span

    def _index(self) -> dict[Any, tuple[int, int, int, int]]:
        doc = _located(self)
        if doc is None:
            return {}
        text = doc.text
        ws = _WS.match
        pos: dict[Any, tuple[int, int, int, int]] = {}
        i = ws(text, self._off + 1).end()
        while text[i] == '"':
            key, kend = _scanstring(text, i + 1)
            vstart = ws(text, ws(text, kend).end() + 1).end()
            vend = _skip_value(text, vstart)[1]
            pos[key] = (i, kend, vstart, vend)
            child = self.get(key)
            if child.__class__ is JsonMap or child.__class__ is JsonList:
                child._doc = doc
                child._off = vstart
            i = ws(text, vend).end()
            if text[i] == ",":
                i = ws(text, i + 1).end()
        return pos


class JsonList(MarkedList):
    """A JSON array; item positions are computed on first use (``_items`` holds
    ``(start, end)`` offsets)."""

    __slots__ = ("_doc", "_off", "_up")

    def value_span(self, index: int) -> Span | None:
        offsets = self._offsets()
        try:
            start, end = offsets[index]
        except (IndexError, TypeError):
            return None
        return self._doc.span(start, end)

    def _item_spans(self) -> list[Span]:
        offsets = self._offsets()
        return [self._doc.span(a, b) for a, b in offsets] if offsets else []

    def _offsets(self) -> list[tuple[int, int]]:
        items = getattr(self, "_items", None)
        if items is None:
            items = self._items = self._index()
        return items

    span = JsonMap.span

    def _index(self) -> list[tuple[int, int]]:
        doc = _located(self)
        if doc is None:
            return []
        text = doc.text
        ws = _WS.match
        items: list[tuple[int, int]] = []
        i = ws(text, self._off + 1).end()
        n = 0
        while text[i] != "]":
            end = _skip_value(text, i)[1]
            items.append((i, end))
            if n < len(self):
                child = self[n]
                if child.__class__ is JsonMap or child.__class__ is JsonList:
                    child._doc = doc
                    child._off = i
            n += 1
            i = ws(text, end).end()
            if text[i] == ",":
                i = ws(text, i + 1).end()
        return items


def _located(obj: Any) -> _JsonDoc | None:
    """The document of a JSON container, asking its parents to locate it first."""
    doc = getattr(obj, "_doc", None)
    if doc is None:
        up = getattr(obj, "_up", None)
        if up is not None:
            up._offsets()
            doc = getattr(obj, "_doc", None)
    return doc


def _adopt(child: Any, doc: _JsonDoc, offset: int) -> None:
    if isinstance(child, (JsonMap, JsonList)) and getattr(child, "_doc", None) is None:
        child._doc = doc
        child._off = offset


def _lists(value: list) -> JsonList:
    """A JSON array as a JsonList (nested arrays too), parent of its containers."""
    out = JsonList([_lists(v) if v.__class__ is list else v for v in value])
    for item in out:
        if item.__class__ is JsonMap or item.__class__ is JsonList:
            item._up = out
    return out


def _pairs_hook(dups: list[str]) -> Any:
    def hook(pairs: list[tuple[str, Any]]) -> JsonMap:
        obj = JsonMap(pairs)
        for key, value in pairs:
            cls = value.__class__
            if cls is JsonMap:
                value._up = obj
            elif cls is list:
                obj[key] = value = _lists(value)
                value._up = obj
        if len(obj) != len(pairs):
            seen: set[str] = set()
            dups.extend(k for k, _ in pairs if k in seen or seen.add(k))
        return obj

    return hook


_NOT_BRACKETS = bytes(c for c in range(256) if c not in b"[]{}")


def _maybe_too_deep(text: str) -> bool:
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


def _flow_overflow(text: str) -> int | None:
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


def _maybe_deep_blocks(text: str) -> bool:
    """Cheap guard: False when the YAML text surely nests block collections less than
    ``MAX_DEPTH`` levels.

    A nested block collection starts at a greater column than its parent, on a line whose
    prefix is indentation, ``- ``, ``? `` or ``: ``; a short prefix everywhere bounds the
    depth (flow collections are bounded by :func:`_maybe_too_deep`).
    """
    return _DEEP_INDENT.search(text) is not None


def load_json(text: str, path: str) -> tuple[object | None, Notice | None]:
    """Parse JSON with positions. Returns (data, notice) like :func:`load_yaml`."""
    if not text.strip():
        return None, _empty(path)
    if _maybe_too_deep(text):
        # the YAML loader checks depth exactly and says where (JSON is YAML)
        return _load_yaml(text, path, "JSON")
    dups: list[str] = []
    decoder = json.JSONDecoder(object_pairs_hook=_pairs_hook(dups))
    try:
        data = decoder.decode(text)
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
    if data.__class__ is list:
        data = _lists(data)
    start = _WS.match(text).end()
    _adopt(data, _JsonDoc(text), start)
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
