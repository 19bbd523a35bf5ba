"""CloudFormation JSON inserters: a member added at the end of an object, written as the
object's members are (one per line with their indentation, or on one line with their
separator; the key/value separator of the last member). The loader's positions locate the
objects; the text is spliced, never re-serialised."""

from __future__ import annotations

from typing import Any

from ddb_guard.enums import Level
from ddb_guard.fix.edits import Unfixable, indent_of, line_starts, line_text, newline, offset
from ddb_guard.parse.yaml_loader import MarkedList, MarkedMap, load_json


class JsonFile:
    """One JSON template's text and its position-keeping data."""

    def __init__(self, text: str) -> None:
        data, notice = load_json(text, "template.json")
        if data is None or (notice is not None and notice.level == Level.ERROR):
            raise Unfixable("the JSON template does not load")
        self.text = text
        self.data = data
        self.starts = line_starts(text)
        self.nl = newline(text)

    def _off(self, line: int, column: int) -> int:
        return offset(self.text, self.starts, line, column)

    def find(self, line: int, column: int, key: bool) -> MarkedMap:
        """The object at ``line``/``column``: the value of the key written there (``key``)
        or an object that starts there (a list item)."""
        stack: list[Any] = [self.data]
        while stack:
            node = stack.pop()
            if isinstance(node, MarkedMap):
                spans = node.key_span if key else node.value_span
                items = [(v, spans(k)) for k, v in node.items()]
            else:
                items = [(v, None if key else node.value_span(i)) for i, v in enumerate(node)]
            for value, span in items:
                if span is not None and span[:2] == (line, column) and isinstance(value, MarkedMap):
                    return value
                if isinstance(value, (MarkedMap, MarkedList)):
                    stack.append(value)
        raise Unfixable(f"no JSON object at line {line}, column {column}")

    def _layout(self, obj: MarkedMap) -> tuple[int, str, str, str, str]:
        """Where a member goes after the last one, what comes before it (comma and
        newline+indentation, or the one-line separator), the key/value separator, one
        level of indentation, and the closing indentation (multi-line objects only)."""
        span = obj.span()
        if span is None:
            raise Unfixable("the JSON object has no position")
        start = self._off(span[0], span[1])
        keys = list(obj)
        if not keys:
            raise Unfixable("the JSON object is empty")
        first_k, last_k = obj.key_span(keys[0]), obj.key_span(keys[-1])
        last_v = obj.value_span(keys[-1])
        if first_k is None or last_k is None or last_v is None:
            raise Unfixable("the JSON object has no position")
        first_at = self._off(first_k[0], first_k[1])
        at = self._off(last_v[2], last_v[3])
        kv = self.text[self._off(last_k[2], last_k[3]) : self._off(last_v[0], last_v[1])]
        if "\n" in kv or kv.strip() != ":":
            kv = ": "
        if "\n" in self.text[start:first_at]:
            own = line_text(self.text, self.starts, first_k[0])[: first_k[1] - 1]
            if own.strip():
                raise Unfixable("the JSON object's members do not start their lines")
            outer = indent_of(line_text(self.text, self.starts, span[0]))
            unit = own[len(outer) :] if own.startswith(outer) and len(own) > len(outer) else "  "
            return at, f",{self.nl}{own}", kv, unit, own
        sep = " "
        if len(keys) > 1:
            v0, k1 = obj.value_span(keys[0]), obj.key_span(keys[1])
            if v0 is not None and k1 is not None:
                between = self.text[self._off(v0[2], v0[3]) : self._off(k1[0], k1[1])]
                sep = between.replace(",", "", 1) if between.count(",") == 1 else " "
        return at, f",{sep}", kv, "", ""

    def _add(self, obj: MarkedMap, name: str, value: str) -> tuple[int, str]:
        at, before, kv, _, _ = self._layout(obj)
        return at, f'{before}"{name}"{kv}{value}'

    def _add_object(self, obj: MarkedMap, name: str, inner: str, value: str) -> tuple[int, str]:
        at, before, kv, unit, own = self._layout(obj)
        if unit:
            body = f'{{{self.nl}{own}{unit}"{inner}"{kv}{value}{self.nl}{own}}}'
        else:
            body = f'{{"{inner}"{kv}{value}}}'
        return at, f'{before}"{name}"{kv}{body}'

    def _owner(self, where: tuple[int, int, bool], in_properties: bool) -> MarkedMap:
        obj = self.find(*where)
        if not in_properties:
            return obj
        props = obj.get("Properties")
        if not isinstance(props, MarkedMap):
            raise Unfixable("the resource has no Properties object")
        return props

    def insert_pitr(
        self, where: tuple[int, int, bool], in_properties: bool = True
    ) -> tuple[int, str, str]:
        """Turn PITR on in the resource (its ``Properties``) or replica item ``where``."""
        owner = self._owner(where, in_properties)
        spec = owner.get("PointInTimeRecoverySpecification")
        if isinstance(spec, MarkedMap) and spec:
            at, text = self._add(spec, "PointInTimeRecoveryEnabled", "true")
            return at, text, "set PointInTimeRecoveryEnabled: true"
        if spec is not None:
            raise Unfixable("PointInTimeRecoverySpecification is not an object with members")
        at, text = self._add_object(
            owner, "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled", "true"
        )
        return at, text, "added PointInTimeRecoverySpecification"

    def insert_property(
        self, where: tuple[int, int, bool], name: str, value: str, in_properties: bool = True
    ) -> tuple[int, str, str]:
        """``"name": value`` added to the resource's ``Properties`` (or the replica item);
        ``value`` is written as YAML would (``true``, ``Retain``) and quoted as JSON needs."""
        owner = self._owner(where, in_properties)
        written = value if value in ("true", "false") else f'"{value}"'
        at, text = self._add(owner, name, written)
        return at, text, f"added {name}: {value}"

    def insert_resource_key(
        self, where: tuple[int, int, bool], name: str, value: str
    ) -> tuple[int, str, str]:
        """``"name": "value"`` added to the resource itself (``DeletionPolicy``...)."""
        return self.insert_property(where, name, value, in_properties=False)
