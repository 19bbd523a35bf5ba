"""CloudFormation YAML inserters (also SAM and Serverless ``resources``): keys added in
block style with the indentation of the surrounding mapping. Under a key (a resource's
logical id, ``Properties``) a key goes right after its parent key; in a mapping that starts
on a line of its own (a ``Replicas`` list item, a resource included as a whole file) it
goes after the mapping's last line. In a flow-style mapping (``{...}``, located with the
loader's marks) a member goes before the closing brace, after a comma."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ddb_guard.fix.edits import (
    Unfixable,
    indent_of,
    line_starts,
    line_text,
    newline,
    offset,
    trimmed,
)

# a mapping key: quoted (anything but its quote), or plain (also Fn::ForEach's ${Id}/&{Id})
_NAME = r"""(?:"[^"\n]*"|'[^'\n]*'|[A-Za-z0-9_:.\-${}&]+)"""
_KEY = re.compile(rf"""^(\s*(?:-[ ]+)*){_NAME}\s*:\s*(#.*)?$""")
_ANY_KEY = re.compile(rf"""^{_NAME}\s*:(\s|$)""")
_FLOW_VALUE = re.compile(rf"""^(\s*(?:-[ ]+)*){_NAME}\s*:\s*(?=\{{)""")


@dataclass(frozen=True, slots=True)
class Block:
    """A block-style mapping: where a new key line goes (``at``, prefixed by ``lead``),
    the indentation of its keys and the lines of its keys."""

    at: int
    lead: str
    indent: str
    kids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Flow:
    """A flow-style mapping with members: where a member goes (after its last member,
    before ``}``), and the loaded mapping (its keys and positions)."""

    at: int
    node: Any


class YamlFile:
    """One YAML template's text, read line by line for the inserters."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = line_starts(text)
        self.nl = newline(text)
        self._data: Any = None

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

    def flow(self, line: int, column: int) -> Flow:
        """The flow mapping whose ``{`` is at ``line``/``column``."""
        if self._data is None:
            # lazy: only a flow-style mapping needs the positioned tree (block style is
            # edited from the text alone), and a Terraform-only fix never loads the YAML loader
            from ddb_guard.parse.yaml_loader import load_yaml

            self._data, _ = load_yaml(self.text, "template.yaml")
        node = _map_at(self._data, line, column)
        span = node.span() if node is not None else None
        if span is None:
            raise Unfixable(f"no flow mapping at line {line}, column {column}")
        first = offset(self.text, self.starts, span[0], span[1])
        last = offset(self.text, self.starts, span[2], span[3]) - 1
        if self.text[first] != "{" or self.text[last] != "}":
            raise Unfixable(f"the flow mapping at line {line} does not end with a brace")
        _, end = trimmed(self.text, first + 1, last)
        if end == first + 1:
            # two members added to `{}` would each need to know about the other
            raise Unfixable(f"the mapping at line {line} is an empty {{}}; write the keys in it")
        return Flow(end, node)

    def under(self, key_line: int) -> Block | Flow:
        """The mapping that is the value of the key on ``key_line``; in block style new keys
        go right after that key."""
        flow = _FLOW_VALUE.match(self._line(key_line))
        if flow is not None:
            return self.flow(key_line, flow.end() + 1)
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

    def mapping(self, line: int, column: int, key: bool) -> Block | Flow:
        """The block mapping at ``line``/``column``: the value under the key written there
        (``key``), or a mapping whose first key is written there (a list item, a whole
        file); new keys then go after its last line."""
        text = self._line(line)
        m = _KEY.match(text) or _FLOW_VALUE.match(text)
        if key and m is not None and len(m.group(1)) == column - 1:
            return self.under(line)
        rest = text[column - 1 :]
        if rest.startswith("{"):
            return self.flow(line, column)
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

    def value(self, owner: Block | Flow, name: str) -> Block | Flow | None:
        """The mapping that is the value of key ``name`` in ``owner`` (None: no such key)."""
        if isinstance(owner, Flow):
            if name not in owner.node:
                return None
            span = owner.node.value_span(name)
            if span is None or not isinstance(owner.node[name], dict):
                raise Unfixable(f"{name} is not a mapping")
            return self.flow(span[0], span[1])
        n = self.child(owner, name)
        return None if n is None else self.under(n)

    def _member(self, owner: Block | Flow, name: str, value: str) -> str:
        """``name: value`` as a new key of ``owner`` (a line, or a flow member)."""
        if isinstance(owner, Flow):
            return f", {name}: {value}"
        return self._lines(owner, f"{owner.indent}{name}: {value}")

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

    def properties(self, resource_line: int, column: int, key: bool) -> Block | Flow:
        props = self.value(self.mapping(resource_line, column, key), "Properties")
        if props is None:
            raise Unfixable("the resource has no Properties")
        return props

    def _owner(self, where: tuple[int, int, bool], in_properties: bool) -> Block | Flow:
        """``where``: line, column and whether a key (a logical id) is written there."""
        return self.properties(*where) if in_properties else self.mapping(*where)

    def insert_pitr(
        self, where: tuple[int, int, bool], in_properties: bool = True
    ) -> tuple[int, str, str]:
        """Turn PITR on in the resource (its ``Properties``) or replica item ``where``."""
        owner = self._owner(where, in_properties)
        spec = self.value(owner, "PointInTimeRecoverySpecification")
        if spec is not None:
            text = self._member(spec, "PointInTimeRecoveryEnabled", "true")
            return spec.at, text, "set PointInTimeRecoveryEnabled: true"
        if isinstance(owner, Flow):
            text = self._member(
                owner, "PointInTimeRecoverySpecification", "{PointInTimeRecoveryEnabled: true}"
            )
            return owner.at, text, "added PointInTimeRecoverySpecification"
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
        return owner.at, self._member(owner, name, value), f"added {name}: {value}"

    def insert_resource_key(
        self, where: tuple[int, int, bool], name: str, value: str
    ) -> tuple[int, str, str]:
        """``name: value`` added to the resource itself (``DeletionPolicy``...)."""
        return self.insert_property(where, name, value, in_properties=False)


def _map_at(data: Any, line: int, column: int) -> Any:
    """The loaded mapping written from ``line``/``column`` (None when there is none)."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            span = node.span() if hasattr(node, "span") else None
            if span is not None and span[:2] == (line, column):
                return node
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return None
