"""CloudFormation YAML inserters (also SAM and Serverless ``resources``): keys added in
block style with the indentation of the surrounding mapping, right after its parent key.
Flow-style mappings are left alone (reported as not fixed)."""

from __future__ import annotations

import re

from ddb_guard.fix.edits import Unfixable, indent_of, line_starts, line_text, newline

_KEY = re.compile(r"""^(\s*)(["']?)([A-Za-z0-9_:.\-]+)\2\s*:\s*(#.*)?$""")


class YamlFile:
    """One YAML template's text, read line by line for the inserters."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = line_starts(text)
        self.nl = newline(text)

    def _line(self, n: int) -> str:
        return line_text(self.text, self.starts, n)

    def _children(self, key_line: int) -> tuple[int, str, list[int]]:
        """For a block-style key on ``key_line``: the line its children end after, their
        indentation and the lines of the direct children."""
        m = _KEY.match(self._line(key_line))
        if m is None:
            raise Unfixable(f"line {key_line} is not a block-style mapping key")
        own = len(m.group(1))
        indent: str | None = None
        kids: list[int] = []
        n = key_line + 1
        last = key_line
        while n <= len(self.starts):
            raw = self._line(n)
            stripped = raw.strip()
            if not stripped or stripped.startswith("#"):
                n += 1
                continue
            ind = indent_of(raw)
            if len(ind) <= own:
                break
            if indent is None:
                indent = ind
            if ind == indent:
                kids.append(n)
            last = n
            n += 1
        if indent is None or "\t" in indent:
            raise Unfixable(f"the mapping at line {key_line} has no block-style children")
        return last, indent, kids

    def _child(self, key_line: int, name: str) -> int | None:
        _, _, kids = self._children(key_line)
        for n in kids:
            line = self._line(n).strip()
            if line.startswith(f"{name}:") or line.startswith((f'"{name}":', f"'{name}':")):
                return n
        return None

    def _after(self, line: int) -> int:
        """Offset of the start of the line after ``line`` (end of text when it is last)."""
        return self.starts[line] if line < len(self.starts) else len(self.text)

    def _at_end(self, line: int) -> str:
        """A newline to prefix when ``line`` is the last line and has none."""
        return self.nl if line >= len(self.starts) and not self.text.endswith("\n") else ""

    def properties(self, resource_line: int) -> int:
        n = self._child(resource_line, "Properties")
        if n is None:
            raise Unfixable("the resource has no block-style Properties")
        if _KEY.match(self._line(n)) is None:
            raise Unfixable("Properties is written in flow style")
        return n

    def insert_pitr(self, resource_line: int) -> tuple[int, str, str]:
        props = self.properties(resource_line)
        spec = self._child(props, "PointInTimeRecoverySpecification")
        nl = self.nl
        if spec is not None:
            if _KEY.match(self._line(spec)) is None:
                raise Unfixable("PointInTimeRecoverySpecification is written in flow style")
            _, indent, _ = self._children(spec)
            text = f"{self._at_end(spec)}{indent}PointInTimeRecoveryEnabled: true{nl}"
            return self._after(spec), text, "set PointInTimeRecoveryEnabled: true"
        _, indent, _ = self._children(props)
        unit = indent[len(indent_of(self._line(props))) :]
        text = (
            f"{self._at_end(props)}{indent}PointInTimeRecoverySpecification:{nl}"
            f"{indent}{unit}PointInTimeRecoveryEnabled: true{nl}"
        )
        return self._after(props), text, "added PointInTimeRecoverySpecification"

    def insert_property(self, resource_line: int, name: str, value: str) -> tuple[int, str, str]:
        props = self.properties(resource_line)
        _, indent, _ = self._children(props)
        text = f"{self._at_end(props)}{indent}{name}: {value}{self.nl}"
        return self._after(props), text, f"added {name}: {value}"

    def insert_resource_key(
        self, resource_line: int, name: str, value: str
    ) -> tuple[int, str, str]:
        _, indent, _ = self._children(resource_line)
        text = f"{self._at_end(resource_line)}{indent}{name}: {value}{self.nl}"
        return self._after(resource_line), text, f"added {name}: {value}"
