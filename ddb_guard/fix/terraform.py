"""Terraform inserters: a ``point_in_time_recovery`` block or ``enabled`` attribute, and
``deletion_protection_enabled``, placed before the resource's closing brace with the
indentation of its body (tree-sitter finds the block; the text is spliced)."""

from __future__ import annotations

from typing import Any

from ddb_guard.fix.edits import Unfixable, indent_of, line_starts, line_text, newline
from ddb_guard.terraform.hcl import parser


def _ident(node: Any) -> str:
    for child in node.children:
        if child.type == "identifier":
            return child.text.decode("utf-8", "replace")
    return ""


def _labels(node: Any) -> list[str]:
    return [
        c.text.decode("utf-8", "replace").strip('"')
        for c in node.children
        if c.type in ("string_lit", "identifier")
    ][1:]


def _body(node: Any) -> Any:
    return next((c for c in node.children if c.type == "body"), None)


def _end(node: Any) -> Any:
    return next((c for c in node.children if c.type == "block_end"), None)


def _find_block(root: Any, line: int) -> Any:
    """The top-level block whose header starts on 1-based ``line``."""
    body = _body(root) or root
    for child in body.children:
        if child.type == "block" and child.start_point[0] == line - 1:
            return child
    raise Unfixable("the resource block was not found where the scan saw it")


def _char(src: bytes, byte: int) -> int:
    return len(src[:byte].decode("utf-8", "replace"))


class TfFile:
    """One ``.tf`` file's text, parsed once for the inserters."""

    def __init__(self, text: str) -> None:

        self.text = text
        self.src = text.encode("utf-8")
        self.root = parser().parse(self.src).root_node
        self.starts = line_starts(text)
        self.nl = newline(text)

    def _closing(self, block: Any) -> tuple[int, str, str]:
        """Insertion offset (start of the line of the block's ``}``), the body's child
        indentation, and whether the line before is blank ("" or the newline)."""
        end = _end(block)
        if end is None or end.start_point[0] == block.start_point[0]:
            raise Unfixable("the block is written on one line")
        close_line = end.start_point[0] + 1
        before = line_text(self.text, self.starts, close_line)[: end.start_point[1]]
        if before.strip():
            raise Unfixable("the closing brace shares its line with other text")
        header_indent = indent_of(line_text(self.text, self.starts, block.start_point[0] + 1))
        body = _body(block)
        child = next(
            (c for c in (body.children if body else []) if c.type in ("attribute", "block")),
            None,
        )
        if child is not None:
            indent = indent_of(line_text(self.text, self.starts, child.start_point[0] + 1))
        else:
            indent = header_indent + "  "
        prev = line_text(self.text, self.starts, close_line - 1) if close_line > 1 else ""
        gap = self.nl if prev.strip() and child is not None else ""
        return self.starts[close_line - 1], indent, gap

    def insert_pitr(self, line: int) -> tuple[int, str, str]:
        """Offset, text and description of the fix that turns PITR on in the resource
        whose header is on ``line``."""
        block = _find_block(self.root, line)
        for child in (_body(block) or block).children:
            if child.type != "block":
                continue
            name, labels = _ident(child), _labels(child)
            if name == "dynamic" and labels[:1] == ["point_in_time_recovery"]:
                raise Unfixable(
                    f"not fixed: decided by the expression at line {child.start_point[0] + 1} "
                    "(a dynamic block)"
                )
            if name == "point_in_time_recovery":
                at, indent, _ = self._closing(child)
                return at, f"{indent}enabled = true{self.nl}", "set enabled = true"
        at, indent, gap = self._closing(block)
        header = indent_of(line_text(self.text, self.starts, line))
        unit = indent[len(header) :] or "  "
        nl = self.nl
        text = f"{gap}{indent}point_in_time_recovery {{{nl}{indent}{unit}enabled = true{nl}"
        return at, f"{text}{indent}}}{nl}", "added point_in_time_recovery { enabled = true }"

    def insert_attribute(self, line: int, name: str) -> tuple[int, str, str]:
        """Offset, text and description of ``name = true`` added to the resource."""
        block = _find_block(self.root, line)
        at, indent, gap = self._closing(block)
        return at, f"{gap}{indent}{name} = true{self.nl}", f"added {name} = true"


def _find_any(node: Any, row: int) -> Any:
    """The block (at any depth) whose header starts on 0-based ``row``."""
    for child in node.children:
        if child.start_point[0] > row:
            break
        if child.end_point[0] < row:
            continue
        if child.type == "block" and child.start_point[0] == row:
            return child
        if child.type in ("body", "block"):
            found = _find_any(child, row)
            if found is not None:
                return found
    return None


def _object(node: Any) -> Any:
    """The object constructor of an attribute's (or an expression's) value, or the one
    that starts where ``node`` starts, if there is one."""
    up = node
    while up is not None and up.start_point == node.start_point:
        if up.type == "object":
            return up
        up = up.parent
    stack = [node]
    while stack:
        n = stack.pop(0)
        if n.type == "object":
            return n
        if n.type in ("attribute", "expression", "collection_value"):
            stack.extend(c for c in n.children if c.type != "identifier")
    return None


class Container:
    """Where ``name = value`` lines go: a block's body or an object constructor."""

    def __init__(self, header_row: int, items: list[Any], closing: Any) -> None:
        self.header_row = header_row
        self.items = items
        self.closing = closing


class TfEdits(TfFile):
    """The edits of nested blocks, module calls and Terragrunt ``inputs``: lines added with
    the indentation of their neighbours and ``=`` aligned as ``terraform fmt`` leaves it."""

    def __init__(self, text: str, path: str = "") -> None:
        super().__init__(text)
        self.path = path
        self.lines_b = self.src.split(b"\n")

    def col(self, row: int, byte_col: int) -> int:
        """Character column of a byte column on a 0-based row."""
        return len(self.lines_b[row][:byte_col].decode("utf-8", "replace"))

    def block(self, line: int) -> Any:
        found = _find_any(self.root, line - 1)
        if found is None:
            raise Unfixable("the block was not found where the scan saw it")
        if _ident(found) == "dynamic":  # a dynamic block: its content
            content = next(
                (c for c in (_body(found) or found).children if _ident(c) == "content"), None
            )
            if content is None:
                raise Unfixable("the dynamic block has no content block")
            return content
        return found

    def body_of(self, block: Any) -> Container:
        end = _end(block)
        if end is None:
            raise Unfixable("the block has no closing brace")
        body = _body(block)
        items = [c for c in (body.children if body else []) if c.type in ("attribute", "block")]
        return Container(block.start_point[0], items, end)

    def object_of(self, node: Any) -> Container:
        obj = _object(node)
        if obj is None:
            raise Unfixable("the value is not written as an object { ... }")
        end = next((c for c in obj.children if c.type == "object_end"), None)
        items = [c for c in obj.children if c.type == "object_elem"]
        return Container(obj.start_point[0], items, end)

    def item_of(self, node: Any, key: str, value: str) -> Container:
        """The object of the list at ``node`` whose ``key`` is the string ``value`` (the
        ``{ region_name = "eu-west-1", ... }`` item of a ``replica_regions`` list)."""
        while node is not None and node.type != "tuple":
            node = node.parent
        found = []
        for child in node.children if node is not None else []:
            obj = _object(child) if child.type == "expression" else None
            if obj is None:
                continue
            for elem in (c for c in obj.children if c.type == "object_elem"):
                k = elem.children[0].text.decode("utf-8", "replace").strip().strip('"')
                v = elem.children[-1].text.decode("utf-8", "replace").strip()
                if k == key and v == f'"{value}"':
                    found.append(child)
        if len(found) != 1:
            raise Unfixable(f"no single item of the list has {key} = {value!r}")
        return self.object_of(found[0])

    def attribute(self, block: Any, name: str) -> Any:
        """The attribute ``name`` of ``block`` (the file's top level when ``None``)."""
        body = _body(block) if block is not None else (_body(self.root) or self.root)
        for c in body.children if body else []:
            if c.type == "attribute" and _ident(c) == name:
                return c
        return None

    def string_attribute(self, block: Any, name: str) -> str | None:
        attr = self.attribute(block, name)
        if attr is None:
            return None
        value = attr.children[-1].text.decode("utf-8", "replace").strip()
        if len(value) >= 2 and value[0] == value[-1] == '"' and "${" not in value:
            return value[1:-1]
        return None

    def node_at(self, line: int, column: int) -> Any:
        """The smallest named node starting at a 1-based line and character column."""
        row = line - 1
        if row >= len(self.lines_b):
            return None
        chars = self.lines_b[row].decode("utf-8", "replace")
        byte_col = len(chars[: column - 1].encode("utf-8"))
        return self.root.named_descendant_for_point_range((row, byte_col), (row, byte_col))

    def variable_of_default(self, line: int, column: int) -> str | None:
        """The name of ``variable "X"`` when the location is its ``default`` value."""
        node = self.node_at(line, column)
        while node is not None and node.type != "attribute":
            node = node.parent
        if node is None or _ident(node) != "default":
            return None
        block = node.parent.parent if node.parent is not None else None
        if block is None or block.type != "block" or _ident(block) != "variable":
            return None
        labels = _labels(block)
        return labels[0] if labels else None

    def add(
        self, where: Container, name: str, value: str, names: list[str]
    ) -> list[tuple[int, int, str]]:
        """Splices that add ``name = value`` at the end of ``where``; ``names`` are every
        name added there in this run (in order), so the ``=`` of all of them line up."""
        close = where.closing
        if close is None or close.start_point[0] == where.header_row:
            raise Unfixable("the block is written on one line")
        close_row = close.start_point[0]
        line = line_text(self.text, self.starts, close_row + 1)
        if line[: self.col(close_row, close.start_point[1])].strip():
            raise Unfixable("the closing brace shares its line with other text")
        header = indent_of(line_text(self.text, self.starts, where.header_row + 1))
        first = where.items[0] if where.items else None
        if first is not None:
            indent = indent_of(line_text(self.text, self.starts, first.start_point[0] + 1))
        else:
            indent = header + "  "
        chain = self._chain(where, close_row, indent)
        width = len(indent) + max(len(n) for n in (name, *names)) + 1
        edits: list[tuple[int, int, str]] = []
        target: int | None = width
        if chain:
            keys = [key for _, key, _ in chain]
            eqs = {eq for _, _, eq in chain}
            aligned = len(eqs) == 1 and eqs == {max(keys) + 1}
            target = max(max(eqs), width) if aligned else None
            for row, key, eq in chain if target is not None else ():
                if eq < target:
                    start = self.starts[row]
                    edits.append((start + key, start + eq, " " * (target - key)))
        pad = " " * (target - len(indent) - len(name)) if target is not None else " "
        prev = line_text(self.text, self.starts, close_row) if close_row > 0 else ""
        first_added = not names or names[0] == name
        gap = self.nl if (not chain and where.items and prev.strip() and first_added) else ""
        at = self.starts[close_row]
        edits.append((at, at, f"{gap}{indent}{name}{pad}= {value}{self.nl}"))
        return edits

    def _chain(self, where: Container, close_row: int, indent: str) -> list[tuple[int, int, int]]:
        """The one-line ``name = value`` items right above the closing brace, as (row, end
        column of the name, column of ``=``), top to bottom: what ``terraform fmt`` aligns."""
        single = {
            it.start_point[0]: it
            for it in where.items
            if it.type in ("attribute", "object_elem") and it.start_point[0] == it.end_point[0]
        }
        out: list[tuple[int, int, int]] = []
        row = close_row - 1
        while row in single:
            it = single[row]
            if indent_of(line_text(self.text, self.starts, row + 1)) != indent:
                break
            eq = next((c for c in it.children if c.type in ("=", ":")), None)
            if eq is None:
                break
            key = self.col(row, it.children[0].end_point[1])
            out.insert(0, (row, key, self.col(row, eq.start_point[1])))
            row -= 1
        return out

    def top_blocks(self) -> list[Any]:
        return [c for c in (_body(self.root) or self.root).children if c.type == "block"]

    def labels(self, block: Any) -> list[str]:
        return _labels(block)

    def children(self, block: Any) -> list[tuple[str, Any]]:
        """(type name, block) of the blocks nested in ``block``."""
        body = _body(block)
        return [(_ident(c), c) for c in (body.children if body else []) if c.type == "block"]

    def expression(self, block: Any, name: str) -> str | None:
        attr = self.attribute(block, name)
        return attr.children[-1].text.decode("utf-8", "replace").strip() if attr else None

    def append_inputs(self, name: str, value: str) -> tuple[int, str]:
        """Offset and text of an ``inputs = { name = value }`` block added at the end."""
        nl = self.nl
        lead = "" if not self.text or self.text.endswith("\n") else nl
        return len(self.text), f"{lead}{nl}inputs = {{{nl}  {name} = {value}{nl}}}{nl}"
