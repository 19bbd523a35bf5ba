"""CloudFormation YAML inserters (also SAM and Serverless ``resources``): keys added in
block style with the indentation of the surrounding mapping. Under a key (a resource's
logical id, ``Properties``) a key goes right after its parent key; in a mapping that starts
on a line of its own (a ``Replicas`` list item, a resource included as a whole file) it
goes after the mapping's last line. Flow-style mappings are left alone (reported as not
fixed)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ddb_guard.fix.edits import Unfixable, indent_of, line_starts, line_text, newline

_KEY = re.compile(r"""^(\s*(?:-[ ]+)*)(["']?)([A-Za-z0-9_:.\-]+)\2\s*:\s*(#.*)?$""")
_ANY_KEY = re.compile(r"""^(["']?)([A-Za-z0-9_:.\-]+)\1\s*:(\s|$)""")


@dataclass(frozen=True, slots=True)
class Block:
    """A block-style mapping: where a new key line goes (``at``, prefixed by ``lead``),
    the indentation of its keys and the lines of its keys."""

    at: int
    lead: str
    indent: str
    kids: tuple[int, ...]


class YamlFile:
    """One YAML template's text, read line by line for the inserters."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = line_starts(text)
        self.nl = newline(text)

    def _line(self, n: int) -> str:
        return line_text(self.text, self.starts, n)

    def _content(self, n: int) -> bool:
        stripped = self._line(n).strip()
        return bool(stripped) and not stripped.startswith("#")

    def _after(self, line: int) -> int:
        """Offset of the start of the line after ``line`` (end of text when it is last)."""
        return self.starts[line] if line < len(self.starts) else len(self.text)

    def _at_end(self, line: int) -> str:
        """A newline to prefix when ``line`` is the last line and has none."""
        return self.nl if line >= len(self.starts) and not self.text.endswith("\n") else ""

    def _lines(self, block: Block, *lines: str) -> str:
        """``lines`` as inserted into ``block``: each ends with the file's newline, or, at
        the end of a file without a final newline, each starts with one (so it still has
        none)."""
        if block.lead:
            return "".join(block.lead + line for line in lines)
        return "".join(line + self.nl for line in lines)

    def under(self, key_line: int) -> Block:
        """The block mapping that is the value of the key on ``key_line``; new keys go
        right after that key."""
        m = _KEY.match(self._line(key_line))
        if m is None:
            raise Unfixable(f"line {key_line} is not a block-style mapping key")
        own = len(m.group(1))
        indent: str | None = None
        kids: list[int] = []
        for n in range(key_line + 1, len(self.starts) + 1):
            if not self._content(n):
                continue
            ind = indent_of(self._line(n))
            if len(ind) <= own:
                break
            if indent is None:
                indent = ind
            if ind == indent:
                kids.append(n)
        if indent is None or "\t" in indent:
            raise Unfixable(f"the mapping at line {key_line} has no block-style children")
        return Block(self._after(key_line), self._at_end(key_line), indent, tuple(kids))

    def mapping(self, line: int, column: int, key: bool) -> Block:
        """The block mapping at ``line``/``column``: the value under the key written there
        (``key``), or a mapping whose first key is written there (a list item, a whole
        file); new keys then go after its last line."""
        text = self._line(line)
        m = _KEY.match(text)
        if key and m is not None and len(m.group(1)) == column - 1:
            return self.under(line)
        rest = text[column - 1 :]
        if rest.startswith("{"):
            raise Unfixable(f"the mapping at line {line} is written in flow style")
        if _ANY_KEY.match(rest) is None:
            raise Unfixable(f"line {line} does not start a block-style mapping")
        own = column - 1
        kids, last = [line], line
        for n in range(line + 1, len(self.starts) + 1):
            if not self._content(n):
                continue
            raw = self._line(n)
            ind = indent_of(raw)
            if len(ind) < own or "\t" in ind:
                break
            if len(ind) == own and raw.lstrip().startswith(("---", "...")):
                break
            if len(ind) == own and not raw.lstrip().startswith("-"):
                kids.append(n)
            last = n
        return Block(self._after(last), self._at_end(last), " " * own, tuple(kids))

    def child(self, block: Block, name: str) -> int | None:
        """The line of key ``name`` in ``block`` (None when it is not written)."""
        for n in block.kids:
            line = self._line(n).lstrip(" -")
            if line.startswith((f"{name}:", f'"{name}":', f"'{name}':")):
                return n
        return None

    def _unit(self, block: Block) -> str:
        """One level of indentation as the mapping's nested blocks use it ("  " if none)."""
        for n in block.kids:
            m = _KEY.match(self._line(n))
            if m is not None and len(m.group(1)) == len(block.indent):
                try:
                    deeper = self.under(n).indent
                except Unfixable:
                    continue
                if len(deeper) > len(block.indent):
                    return deeper[len(block.indent) :]
        return "  "

    def properties(self, resource_line: int, column: int, key: bool) -> Block:
        n = self.child(self.mapping(resource_line, column, key), "Properties")
        if n is None:
            raise Unfixable("the resource has no block-style Properties")
        if _KEY.match(self._line(n)) is None:
            raise Unfixable("Properties is written in flow style")
        return self.under(n)

    def _owner(self, where: tuple[int, int, bool], in_properties: bool) -> Block:
        """``where``: line, column and whether a key (a logical id) is written there."""
        return self.properties(*where) if in_properties else self.mapping(*where)

    def insert_pitr(
        self, where: tuple[int, int, bool], in_properties: bool = True
    ) -> tuple[int, str, str]:
        """Turn PITR on in the resource (its ``Properties``) or replica item ``where``."""
        owner = self._owner(where, in_properties)
        spec = self.child(owner, "PointInTimeRecoverySpecification")
        if spec is not None:
            if _KEY.match(self._line(spec)) is None:
                raise Unfixable("PointInTimeRecoverySpecification is written in flow style")
            inner = self.under(spec)
            text = self._lines(inner, f"{inner.indent}PointInTimeRecoveryEnabled: true")
            return inner.at, text, "set PointInTimeRecoveryEnabled: true"
        unit = self._unit(owner)
        text = self._lines(
            owner,
            f"{owner.indent}PointInTimeRecoverySpecification:",
            f"{owner.indent}{unit}PointInTimeRecoveryEnabled: true",
        )
        return owner.at, text, "added PointInTimeRecoverySpecification"

    def insert_property(
        self, where: tuple[int, int, bool], name: str, value: str, in_properties: bool = True
    ) -> tuple[int, str, str]:
        """``name: value`` added to the resource's ``Properties`` (or the replica item)."""
        owner = self._owner(where, in_properties)
        text = self._lines(owner, f"{owner.indent}{name}: {value}")
        return owner.at, text, f"added {name}: {value}"

    def insert_resource_key(
        self, where: tuple[int, int, bool], name: str, value: str
    ) -> tuple[int, str, str]:
        """``name: value`` added to the resource itself (``DeletionPolicy``...)."""
        return self.insert_property(where, name, value, in_properties=False)
