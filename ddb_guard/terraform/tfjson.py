"""Terraform JSON syntax (``.tf.json``, cdktf output) -> the same syntax objects as HCL.

:func:`parse_tfjson` returns an :class:`~ddb_guard.terraform.hcl.HclFile` whose blocks
follow Terraform's JSON rules (``resource.TYPE.NAME``, ``variable.NAME``, ``locals``,
``module.NAME``, ``provider.NAME`` as object or list); attribute expressions are
:class:`~ddb_guard.terraform.evaluate.JsonExpr` (strings are templates). Nested block
types are recognised by name (``NESTED_BLOCKS``), as Terraform would from the schema.
Positions come from :func:`parse_json`, a small position-keeping JSON parser.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from json.decoder import scanstring
from typing import Any

from ddb_guard.enums import Level, NoticeKind
from ddb_guard.model import Location, Notice
from ddb_guard.terraform.evaluate import JsonExpr
from ddb_guard.terraform.hcl import Attribute, Block, HclFile, SrcFile

MAX_DEPTH = 200

# Nested block types of the resources evaluated (and of variable/module meta blocks).
NESTED_BLOCKS = frozenset(
    (
        "point_in_time_recovery",
        "replica",
        "server_side_encryption",
        "ttl",
        "attribute",
        "global_secondary_index",
        "local_secondary_index",
        "import_table",
        "s3_bucket_source",
        "input_format_options",
        "csv",
        "on_demand_throughput",
        "warm_throughput",
        "timeouts",
        "lifecycle",
        "rule",
        "copy_action",
        "selection_tag",
        "condition",
        "string_equals",
        "string_like",
        "string_not_equals",
        "string_not_like",
        "advanced_backup_setting",
        "global_table_witness",
        "scan_action",
        "content",
        "validation",
        "key_schema",
        "precondition",
        "postcondition",
        "notification",
        "framework",
        "control",
        "default_tags",  # provider
        "input_parameter",
        "scope",
        "report_delivery_channel",
        "report_setting",
        "configuration",
        "index_scan",
    )
)


class JsonSyntaxError(ValueError):
    def __init__(self, message: str, pos: int) -> None:
        super().__init__(message)
        self.pos = pos


class JNode:
    """A JSON value with its character span. Objects: ``items`` = [(key, key_start, JNode)]."""

    __slots__ = ("end", "items", "kind", "start", "value")

    def __init__(self, kind: str, value: Any, start: int, end: int, items: Any = None) -> None:
        self.kind = kind
        self.value = value
        self.start = start
        self.end = end
        self.items = items

    def plain(self) -> Any:
        if self.kind == "object":
            return {k: v.plain() for k, _, v in self.items}
        if self.kind == "array":
            return [v.plain() for v in self.items]
        return self.value


_WS = re.compile(r"[ \t\n\r]*")
_NUM = re.compile(r"-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?")


def parse_json(text: str) -> JNode:
    """Parse JSON keeping positions. Raises :class:`JsonSyntaxError` with the offset."""
    node, pos = _value(text, _WS.match(text, 0).end(), 0)  # type: ignore[union-attr]
    pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
    if pos != len(text):
        raise JsonSyntaxError("extra data after the JSON value", pos)
    return node


def _value(s: str, pos: int, depth: int) -> tuple[JNode, int]:
    if depth > MAX_DEPTH:
        raise JsonSyntaxError(f"JSON nested more than {MAX_DEPTH} levels", pos)
    ch = s[pos : pos + 1]
    if ch == "{":
        items: list[tuple[str, int, JNode]] = []
        pos = _WS.match(s, pos + 1).end()  # type: ignore[union-attr]
        start = pos - 1
        if s[pos : pos + 1] == "}":
            return JNode("object", None, start, pos + 1, items), pos + 1
        while True:
            if s[pos : pos + 1] != '"':
                raise JsonSyntaxError("expected a string key", pos)
            key_start = pos
            key, pos = scanstring(s, pos + 1)
            pos = _WS.match(s, pos).end()  # type: ignore[union-attr]
            if s[pos : pos + 1] != ":":
                raise JsonSyntaxError("expected ':'", pos)
            pos = _WS.match(s, pos + 1).end()  # type: ignore[union-attr]
            val, pos = _value(s, pos, depth + 1)
            items.append((key, key_start, val))
            pos = _WS.match(s, pos).end()  # type: ignore[union-attr]
            ch = s[pos : pos + 1]
            if ch == ",":
                pos = _WS.match(s, pos + 1).end()  # type: ignore[union-attr]
            elif ch == "}":
                return JNode("object", None, start, pos + 1, items), pos + 1
            else:
                raise JsonSyntaxError("expected ',' or '}'", pos)
    if ch == "[":
        elems: list[JNode] = []
        start = pos
        pos = _WS.match(s, pos + 1).end()  # type: ignore[union-attr]
        if s[pos : pos + 1] == "]":
            return JNode("array", None, start, pos + 1, elems), pos + 1
        while True:
            val, pos = _value(s, pos, depth + 1)
            elems.append(val)
            pos = _WS.match(s, pos).end()  # type: ignore[union-attr]
            ch = s[pos : pos + 1]
            if ch == ",":
                pos = _WS.match(s, pos + 1).end()  # type: ignore[union-attr]
            elif ch == "]":
                return JNode("array", None, start, pos + 1, elems), pos + 1
            else:
                raise JsonSyntaxError("expected ',' or ']'", pos)
    if ch == '"':
        try:
            val_s, end = scanstring(s, pos + 1)
        except ValueError as exc:
            raise JsonSyntaxError("bad string", pos) from exc
        return JNode("scalar", val_s, pos, end), end
    for lit, v in (("true", True), ("false", False), ("null", None)):
        if s.startswith(lit, pos):
            return JNode("scalar", v, pos, pos + len(lit)), pos + len(lit)
    m = _NUM.match(s, pos)
    if m and m.end() > pos:
        text = m.group(0)
        num: int | float = float(text) if (m.group(1) or m.group(2)) else int(text)
        if isinstance(num, float) and num.is_integer() and abs(num) < 2**53:
            num = int(num)
        return JNode("scalar", num, pos, m.end()), m.end()
    raise JsonSyntaxError("unexpected character" if ch else "unexpected end of input", pos)


class Positions:
    """Character offset -> Location for one text."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def loc(self, start: int, end: int) -> Location:
        li = bisect_right(self.starts, start) - 1
        le = bisect_right(self.starts, max(start, end)) - 1
        return Location(
            self.path, li + 1, start - self.starts[li] + 1, le + 1, end - self.starts[le] + 1
        )

    def line(self, offset: int) -> int:
        return bisect_right(self.starts, offset)


def json_notice(path: str, text: str, exc: JsonSyntaxError) -> Notice:
    loc = Positions(path, text).loc(exc.pos, exc.pos)
    return Notice(
        path,
        f"JSON syntax error: {exc}",
        line=loc.line,
        column=loc.column,
        level=Level.ERROR,
        kind=NoticeKind.PARSE_ERROR,
    )


def _bodies(node: JNode) -> list[JNode]:
    if node.kind == "object":
        return [node]
    if node.kind == "array":
        return [n for n in node.items if n.kind == "object"]
    return []


class _Builder:
    def __init__(self, path: str, text: str) -> None:
        self.pos = Positions(path, text)
        self.file = SrcFile(path, b"")
        self.notices: list[Notice] = []

    def block(
        self, type_: str, labels: tuple[str, ...], key_start: int, key_end: int, body: JNode
    ) -> Block:
        loc = self.pos.loc(key_start, key_end)
        attrs: dict[str, Attribute] = {}
        blocks: list[Block] = []
        block = Block(
            type_, labels, loc, self.pos.line(body.end - 1), None, attrs=attrs, blocks=blocks
        )
        for key, kstart, val in body.items:
            kend = kstart + len(key) + 2
            if key == "//":
                meta = val.plain()
                if isinstance(meta, dict) and isinstance(meta.get("metadata"), dict):
                    path = meta["metadata"].get("path")
                    if isinstance(path, str):
                        block.display_name = path
                continue
            if key == "dynamic" and val.kind == "object":
                for label, lstart, dyn in val.items:
                    for b in _bodies(dyn):
                        blocks.append(
                            self.block("dynamic", (label,), lstart, lstart + len(label) + 2, b)
                        )
                continue
            if (
                key in NESTED_BLOCKS
                and val.kind in ("object", "array")
                and (val.kind == "object" or all(n.kind == "object" for n in val.items))
            ):
                for b in _bodies(val):
                    blocks.append(self.block(key, (), kstart, kend, b))
                continue
            attrs[key] = Attribute(
                key,
                JsonExpr(val.plain(), self.pos.loc(val.start, val.end)),
                self.pos.loc(val.start, val.end),
                None,
                self.pos.loc(kstart, val.end),
            )
        return block


def parse_tfjson(text: str, path: str) -> HclFile:
    """Parse a ``.tf.json`` file. Never raises; errors become notices."""
    b = _Builder(path, text)
    hf = HclFile(b.file)
    try:
        root = parse_json(text)
    except JsonSyntaxError as exc:
        hf.notices.append(json_notice(path, text, exc))
        return hf
    except RecursionError:
        hf.notices.append(
            Notice(
                path, "JSON is nested too deeply", level=Level.ERROR, kind=NoticeKind.PARSE_ERROR
            )
        )
        return hf
    if root.kind != "object":
        hf.notices.append(
            Notice(
                path,
                "a .tf.json file must hold a JSON object",
                line=1,
                level=Level.ERROR,
                kind=NoticeKind.PARSE_ERROR,
            )
        )
        return hf
    for section, sstart, node in root.items:
        if node.kind != "object" and section != "locals":
            continue
        if section in ("resource", "data"):
            for rtype, _tstart, by_name in node.items:
                if by_name.kind != "object":
                    continue
                for rname, nstart, body in by_name.items:
                    for bd in _bodies(body):
                        hf.blocks.append(
                            b.block(section, (rtype, rname), nstart, nstart + len(rname) + 2, bd)
                        )
        elif section in ("variable", "module", "output", "provider"):
            for name, nstart, body in node.items:
                for bd in _bodies(body):
                    hf.blocks.append(b.block(section, (name,), nstart, nstart + len(name) + 2, bd))
        elif section == "locals":
            for bd in _bodies(node):
                hf.blocks.append(b.block("locals", (), sstart, sstart + 8, bd))
    hf.notices.extend(b.notices)
    return hf
