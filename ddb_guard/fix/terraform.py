"""Terraform inserters: a ``point_in_time_recovery`` block or ``enabled`` attribute, and
``deletion_protection_enabled``, placed before the resource's closing brace with the
indentation of its body (tree-sitter finds the block; the text is spliced)."""

from __future__ import annotations

from typing import Any

from ddb_guard.fix.edits import Unfixable, indent_of, line_starts, line_text, newline


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
        from ddb_guard.terraform.hcl import parser

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
