"""HCL syntax with positions, read with tree-sitter (``tree-sitter-hcl``).

:func:`parse_hcl` turns one file's text into an :class:`HclFile`: the top-level
:class:`Body` (attributes and blocks, block bodies read lazily), the ``ddb-guard:ignore``
comments it holds, and a parse-error :class:`~ddb_guard.model.Notice` per syntax error
(tree-sitter recovers, so the rest of the file stays usable). Expressions stay
tree-sitter nodes; :mod:`ddb_guard.terraform.evaluate` evaluates them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from ddb_guard.enums import Level, NoticeKind
from ddb_guard.model import Location, Notice, Suppression
from ddb_guard.parse.ignore import IGNORE_RE, suppression_in
from ddb_guard.parse.ignore import ignore_in as ignore_in  # re-exported
from ddb_guard.parse.ignore import parse_ignore as parse_ignore

_PARSER: Any = None
MAX_ERRORS_REPORTED = 3


def parser() -> Any:
    """The shared tree-sitter parser (created on first use)."""
    global _PARSER
    if _PARSER is None:
        import tree_sitter_hcl
        from tree_sitter import Language, Parser

        _PARSER = Parser(Language(tree_sitter_hcl.language()))
    return _PARSER


class SrcFile:
    """A parsed source file: reported path and bytes; turns node positions into Locations."""

    __slots__ = ("ascii", "line_offset", "path", "src")

    def __init__(self, path: str, src: bytes, line_offset: int = 0) -> None:
        self.path = path
        self.src = src
        self.ascii = src.isascii()
        self.line_offset = line_offset  # lines before ``src`` in the file (a recovered chunk)

    def col(self, start_byte: int, byte_col: int) -> int:
        """1-based character column of a byte position."""
        if self.ascii:
            return byte_col + 1
        line_start = start_byte - byte_col
        return len(self.src[line_start:start_byte].decode("utf-8", "replace")) + 1

    def loc(self, node: Any) -> Location:
        """Location of a tree-sitter node (start to end)."""
        sr, sc = node.start_point
        er, ec = node.end_point
        sr += self.line_offset
        er += self.line_offset
        if self.ascii:
            return Location(self.path, sr + 1, sc + 1, er + 1, ec + 1)
        return Location(
            self.path, sr + 1, self.col(node.start_byte, sc), er + 1, self.col(node.end_byte, ec)
        )

    def header_loc(self, node: Any, end_node: Any) -> Location:
        """From ``node``'s start to ``end_node``'s end (a block header: type, labels, ``{``)."""
        sr, sc = node.start_point
        er, ec = end_node.end_point
        sr += self.line_offset
        er += self.line_offset
        return Location(
            self.path,
            sr + 1,
            self.col(node.start_byte, sc),
            er + 1,
            self.col(end_node.end_byte, ec),
        )

    def text(self, node: Any) -> str:
        return self.src[node.start_byte : node.end_byte].decode("utf-8", "replace")


class Attribute:
    """``name = expr``. ``expr`` is a tree-sitter ``expression`` node or a JSON expression.

    ``loc`` is the expression's location, ``name_loc`` the whole ``name = expr`` (both
    computed on first use for HCL).
    """

    __slots__ = ("_loc", "_name_loc", "_node", "expr", "file", "name")

    def __init__(
        self,
        name: str,
        expr: Any,
        loc: Location | None,
        file: SrcFile | None,
        name_loc: Location | None = None,
        node: Any = None,
    ) -> None:
        self.name = name
        self.expr = expr
        self.file = file
        self._loc = loc
        self._name_loc = name_loc
        self._node = node

    @property
    def loc(self) -> Location:
        if self._loc is None:
            self._loc = self.file.loc(self.expr)  # type: ignore[union-attr]
        return self._loc

    @property
    def name_loc(self) -> Location:
        if self._name_loc is None:
            self._name_loc = (
                self.file.loc(self._node) if self._node is not None and self.file else self.loc
            )
        return self._name_loc

    def __repr__(self) -> str:
        return f"Attribute({self.name} @ {self.loc})"


class Block:
    """``type "label" ... { body }``. The body is read on first access."""

    __slots__ = (
        "_blocks",
        "_node",
        "attrs_",
        "display_name",
        "end_line",
        "file",
        "labels",
        "loc",
        "type",
    )

    def __init__(
        self,
        type_: str,
        labels: tuple[str, ...],
        loc: Location,
        end_line: int,
        file: SrcFile | None,
        node: Any = None,
        attrs: dict[str, Attribute] | None = None,
        blocks: list[Block] | None = None,
    ) -> None:
        self.type = type_
        self.labels = labels
        self.loc = loc
        self.end_line = end_line
        self.file = file
        self._node = node
        self.attrs_ = attrs
        self._blocks = blocks
        self.display_name = ""  # cdktf construct path (``//.metadata.path``) for .tf.json

    def _read(self) -> None:
        if self._node is None or self.file is None:
            self.attrs_, self._blocks = self.attrs_ or {}, self._blocks or []
            return
        body = None
        for child in self._node.children:
            if child.type == "body":
                body = child
                break
        self.attrs_, self._blocks = read_body(body, self.file)
        self._node = None

    @property
    def attrs(self) -> dict[str, Attribute]:
        if self.attrs_ is None:
            self._read()
        return self.attrs_  # type: ignore[return-value]

    @property
    def blocks(self) -> list[Block]:
        if self._blocks is None:
            self._read()
        return self._blocks  # type: ignore[return-value]

    def __repr__(self) -> str:
        return f"Block({self.type} {' '.join(self.labels)} @ {self.loc})"


@dataclass(slots=True)
class Ignore:
    """One ``ddb-guard:ignore`` comment: the rule ids it names, its reason and where it is."""

    rules: tuple[str, ...]
    reason: str
    loc: Location

    def suppressions(self) -> list[Suppression]:
        return [Suppression(rule, self.reason, self.loc) for rule in self.rules]


@dataclass(slots=True)
class HclFile:
    """A parsed ``.tf`` (or ``.tf.json``) file."""

    file: SrcFile
    attrs: dict[str, Attribute] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    ignores: list[Ignore] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    _line_starts: list[int] | None = field(default=None, repr=False)

    def is_comment_line(self, line: int) -> bool:
        """Whether 1-based ``line`` holds only a comment (line offsets computed once)."""
        src = self.file.src
        if self._line_starts is None:
            self._line_starts = [0, *(m.end() for m in re.finditer(b"\n", src))]
        if not 1 <= line <= len(self._line_starts):
            return False
        start = self._line_starts[line - 1]
        end = src.find(b"\n", start)
        text = src[start : end if end >= 0 else len(src)].decode("utf-8", "replace")
        return bool(_COMMENT_LINE_RE.match(text))

    def suppressions_for(self, block: Block) -> list[Suppression]:
        """Ignores inside ``block`` or on the comment lines directly above its header."""
        found: list[Suppression] = []
        if not self.ignores:
            return found
        line = block.loc.line - 1
        while line > 0 and self.is_comment_line(line):
            line -= 1
        for ign in self.ignores:
            if line < ign.loc.line <= block.end_line:
                found.extend(ign.suppressions())
        return found


def _string_lit(node: Any, file: SrcFile) -> str:
    """The value of a block label (``string_lit``) or identifier label."""
    if node.type == "identifier":
        return file.text(node)
    children = node.children
    if len(children) >= 2:
        raw = file.src[children[0].end_byte : children[-1].start_byte].decode("utf-8", "replace")
        return unescape(raw)
    return file.text(node).strip('"')


def read_body(body: Any, file: SrcFile) -> tuple[dict[str, Attribute], list[Block]]:
    """Attributes (by name; a repeated name keeps the last) and blocks of a ``body`` node.

    A block or attribute holding a syntax error is left out: its missing part could set
    anything (the error itself is reported as a notice).
    """
    attrs: dict[str, Attribute] = {}
    blocks: list[Block] = []
    if body is None:
        return attrs, blocks
    for child in body.children:
        if child.has_error:
            continue
        kind = child.type
        if kind == "attribute":
            ch = child.children
            expr = ch[-1]
            if expr.type != "expression":  # a comment after the value
                expr = next((c for c in ch if c.type == "expression"), None)
                if expr is None:
                    continue
            name = file.text(ch[0])
            attrs[name] = Attribute(name, expr, None, file, None, child)
        elif kind == "block":
            block = make_block(child, file)
            if block is not None:
                blocks.append(block)
    return attrs, blocks


def make_block(node: Any, file: SrcFile) -> Block | None:
    """A :class:`Block` for a tree-sitter ``block`` node (body read lazily)."""
    children = node.children
    if not children or children[0].type != "identifier":
        return None
    labels: list[str] = []
    start = None
    for child in children[1:]:
        if child.type in ("string_lit", "identifier"):
            labels.append(_string_lit(child, file))
        elif child.type == "block_start":
            start = child
            break
    header = file.header_loc(node, start if start is not None else children[0])
    return Block(
        file.text(children[0]),
        tuple(labels),
        header,
        node.end_point[0] + 1 + file.line_offset,
        file,
        node=node,
    )


_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_ESC_RE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)|\$\$\{|%%\{", re.S)


def _esc(m: re.Match[str]) -> str:
    text = m.group(0)
    if text == "$${":
        return "${"
    if text == "%%{":
        return "%{"
    code = m.group(1)
    if code[0] in "uU" and len(code) > 1:
        return chr(int(code[1:], 16))
    return _ESCAPES.get(code, "\\" + code)


def unescape(raw: str) -> str:
    """Quoted-template literal text -> string (backslash escapes, ``$${``, ``%%{``)."""
    if "\\" not in raw and "$${" not in raw and "%%{" not in raw:
        return raw
    return _ESC_RE.sub(_esc, raw)


_COMMENT_LINE_RE = re.compile(r"\s*(#|//|/\*|\*)")


def _scan_comments(text: str, root: Any, file: SrcFile) -> tuple[list[Ignore], list[Notice]]:
    ignores: list[Ignore] = []
    notices: list[Notice] = []
    if "ddb-guard" not in text:
        return ignores, notices
    for i, line in enumerate(text.split("\n")):
        m = IGNORE_RE.search(line)
        if not m:
            continue
        byte_col = len(line[: m.start()].encode("utf-8"))
        node = root.descendant_for_point_range((i, byte_col), (i, byte_col))
        if node is None or node.type != "comment":
            continue
        loc = file.loc(node)
        if loc.line != i + 1:  # a block comment spanning lines: point at the marker line
            loc = Location(file.path, i + 1, m.start() + 1, i + 1, len(line) + 1)
        parsed = suppression_in(line[m.start() :])  # naming no rule: SUP001 says so
        if parsed is not None:
            ignores.append(Ignore(parsed[0], parsed[1], loc))
    return ignores, notices


def _errors(root: Any, file: SrcFile) -> list[Notice]:
    found: list[Notice] = []
    stack = [root]
    total = 0
    while stack:
        node = stack.pop()
        if node.is_missing or node.type == "ERROR":
            total += 1
            if len(found) < MAX_ERRORS_REPORTED:
                at = node
                if not node.is_missing and node.children:
                    at = node.children[0]  # skip leading blank lines inside the ERROR node
                loc = file.loc(at)
                # where, never what: the file may not be HCL at all (a credentials file
                # behind a symbolic link), and its text must not reach CI logs
                what = f"missing {node.type!r}" if node.is_missing else "unexpected input"
                found.append(
                    Notice(
                        file.path,
                        f"HCL syntax error: {what}; the rest of the file is still read",
                        line=loc.line,
                        column=loc.column,
                        level=Level.ERROR,
                        kind=NoticeKind.PARSE_ERROR,
                    )
                )
            continue
        if node.has_error:
            stack.extend(reversed(node.children))
    if total > len(found):
        found.append(
            Notice(
                file.path,
                f"{total - len(found)} more HCL syntax errors",
                line=found[-1].line,
                level=Level.ERROR,
                kind=NoticeKind.PARSE_ERROR,
            )
        )
    return found


_TOP_LEVEL_RE = re.compile(
    r'^[A-Za-z_][\w-]*(?:[ \t]+(?:"[^"\n]*"|[A-Za-z_][\w-]*))*[ \t]*(?:\{|=)', re.M
)


def _parse_body(src: bytes, file: SrcFile) -> tuple[Any, dict[str, Attribute], list[Block]]:
    root = parser().parse(src).root_node
    body = None
    for child in root.children:
        if child.type == "body":
            body = child
            break
    attrs, blocks = read_body(body, file)
    return root, attrs, blocks


def _recover(text: str, path: str) -> tuple[dict[str, Attribute], list[Block], list[Notice]]:
    """Re-parse a file with syntax errors one top-level block at a time, so an error in one
    block does not hide the others (tree-sitter sometimes wraps the whole file in ERROR)."""
    starts = [m.start() for m in _TOP_LEVEL_RE.finditer(text)]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    starts.append(len(text))
    attrs: dict[str, Attribute] = {}
    blocks: list[Block] = []
    notices: list[Notice] = []
    line = 0
    for prev, (begin, end) in zip([0, *starts], pairwise(starts), strict=False):
        line += text.count("\n", prev, begin)  # counted once per chunk: linear overall
        chunk = text[begin:end]
        if not chunk.strip():
            continue
        src = chunk.encode("utf-8")
        file = SrcFile(path, src, line_offset=line)
        root, a, b = _parse_body(src, file)
        if root.has_error:
            notices.extend(_errors(root, file))
        attrs.update(a)
        blocks.extend(b)
    return attrs, blocks, notices


_EXPONENT_RE = re.compile(rb"(?<![\w.])([0-9]+)([eE][+-]?[0-9]+)(?![\w.])")
_NOT_CODE = frozenset(
    {"string_lit", "template_literal", "quoted_template", "heredoc_template", "comment"}
)


def _patch_exponents(src: bytes, root: Any) -> bytes | None:
    """``1e3`` is valid HCL but tree-sitter-hcl wants a fraction before an exponent: write
    such numbers outside strings and comments as ``1.0e3`` (columns after one on the same
    line shift by two). ``None`` when there is nothing to patch."""
    out: list[bytes] = []
    pos = 0
    for m in _EXPONENT_RE.finditer(src):
        node = root.descendant_for_byte_range(m.start(), m.start() + 1)
        inside = False
        while node is not None:
            if node.type in _NOT_CODE:
                inside = True
                break
            node = node.parent
        if inside:
            continue
        out += [src[pos : m.end(1)], b".0"]
        pos = m.end(1)
    if not out:
        return None
    out.append(src[pos:])
    return b"".join(out)


def _duplicates(root: Any, file: SrcFile) -> list[Notice]:
    """An attribute set twice in one body (Terraform rejects it; the reader keeps the last).
    Walks bodies and blocks only, never into expressions."""
    found: list[Notice] = []
    stack = [c for c in root.children if c.type == "body"]
    while stack:
        body = stack.pop()
        seen: dict[str, Any] = {}
        for child in body.children:
            if child.type == "attribute" and child.children:
                name = file.text(child.children[0])
                first = seen.setdefault(name, child)
                if first is not child:
                    loc = file.loc(child)
                    found.append(
                        Notice(
                            file.path,
                            f"attribute {name!r} is set twice in one block (first on line "
                            f"{file.loc(first).line}); Terraform rejects this",
                            loc.line,
                            loc.column,
                            level=Level.ERROR,
                            kind=NoticeKind.PARSE_ERROR,
                        )
                    )
            elif child.type == "block":
                stack.extend(c for c in child.children if c.type == "body")
    return found


def parse_hcl(text: str, path: str) -> HclFile:
    """Parse HCL ``text`` (reported as ``path``). Never raises; errors become notices."""
    src = text.encode("utf-8")
    file = SrcFile(path, src)
    root, attrs, blocks = _parse_body(src, file)
    if root.has_error:
        patched = _patch_exponents(src, root)
        if patched is not None:
            src, text = patched, patched.decode("utf-8")
            file = SrcFile(path, src)
            root, attrs, blocks = _parse_body(src, file)
    result = HclFile(file, attrs, blocks)
    if root.has_error:
        attrs, blocks, notices = _recover(text, path)
        if notices:
            result.attrs, result.blocks = attrs, blocks
            result.notices.extend(notices)
        else:  # no single block fails on its own: report the whole-file errors
            result.notices.extend(_errors(root, file))
    else:
        result.notices.extend(_duplicates(root, file))
    ignores, notices = _scan_comments(text, root, file)
    result.ignores = ignores
    result.notices.extend(notices)
    return result


def parse_expression(text: str, path: str = "<expr>") -> tuple[Any, SrcFile] | None:
    """Parse one expression (``--var`` values, tfvars-like input); ``None`` if it does not parse."""
    src = ("x = " + text + "\n").encode("utf-8")
    file = SrcFile(path, src)
    root = parser().parse(src).root_node
    if root.has_error:
        return None
    for child in root.children:
        if child.type == "body":
            attrs, blocks = read_body(child, file)
            if len(attrs) == 1 and not blocks and "x" in attrs:
                return attrs["x"].expr, file
    return None
