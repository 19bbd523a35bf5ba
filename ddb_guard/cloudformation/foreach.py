"""``Transform: AWS::LanguageExtensions``: expand ``Fn::ForEach`` and the functions the
transform adds, before the template is read, keeping the positions of what was written.

- ``Fn::ForEach::Name: [Identifier, Collection, {OutputKey: OutputValue}]`` anywhere in a
  mapping (``Resources``, a resource's ``Properties``, nested loops) becomes one entry per
  collection item. In the output key ``${Identifier}`` is the item and ``&{Identifier}`` the
  item without its non-alphanumeric characters; in the output value ``Ref: Identifier`` is
  the item and ``${Identifier}`` inside strings (``Fn::Sub``) is replaced. The collection
  is a list or a ``Ref`` to a ``CommaDelimitedList``/``List<...>`` parameter with a
  ``Default``; anything else is a notice (the generated resources cannot be checked).
- ``Fn::FindInMap`` with a 4th argument ``{DefaultValue: x}``: ``x`` when the literal keys
  are not in ``Mappings``, else the plain three-argument lookup.
- ``Fn::Length`` of a list (or of such a parameter) and ``Fn::ToJsonString`` of a value
  without intrinsic functions are computed.

Generated entries are located at the template lines they come from: the output key's line
for a generated resource, the written value's line for each property.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from ddb_guard.enums import Level
from ddb_guard.model import Notice
from ddb_guard.parse.yaml_loader import MarkedList, MarkedMap

TRANSFORM = "AWS::LanguageExtensions"
FOR_EACH = "Fn::ForEach::"
MAX_GENERATED = 10_000  # entries one template may generate (nested loops multiply)
_NON_ALNUM = re.compile(r"[^A-Za-z0-9]")


def uses_language_extensions(data: Mapping[str, Any]) -> bool:
    """Whether the template declares ``Transform: AWS::LanguageExtensions``."""
    transform = data.get("Transform")
    if isinstance(transform, str):
        return transform == TRANSFORM
    return isinstance(transform, list) and TRANSFORM in transform


def expand(data: Mapping[str, Any], rel: str) -> tuple[Mapping[str, Any], list[Notice]]:
    """The template with ``Resources`` expanded (other sections as written) and notices."""
    expander = _Expander(data, rel)
    resources = data.get("Resources")
    if not isinstance(resources, Mapping):
        return data, []
    out = _copy_map(data)
    out["Resources"] = expander.node(resources, {})
    return out, expander.notices


def _copy_map(m: Mapping[str, Any]) -> MarkedMap:
    out = MarkedMap(m)
    out._pos = dict(m._positions()) if isinstance(m, MarkedMap) else {}
    out._span = m.span() if isinstance(m, MarkedMap) else None
    return out


class _Expander:
    def __init__(self, data: Mapping[str, Any], rel: str) -> None:
        params = data.get("Parameters")
        mappings = data.get("Mappings")
        self.parameters = params if isinstance(params, Mapping) else {}
        self.mappings = mappings if isinstance(mappings, Mapping) else {}
        self.rel = rel
        self.notices: list[Notice] = []
        self.generated = 0

    def note(self, span: Any, message: str, level: Level = Level.WARNING) -> None:
        line, column = (span[0], span[1]) if span else (0, 0)
        self.notices.append(Notice(self.rel, message, line, column, level=level))

    # ----------------------------------------------------------------- copying

    def node(self, node: Any, env: dict[str, str]) -> Any:
        if isinstance(node, Mapping):
            return self._function(self._mapping(node, env), env)
        if isinstance(node, list):
            out = MarkedList(self.node(item, env) for item in node)
            out._items = list(node._item_spans()) if isinstance(node, MarkedList) else []
            out._span = node.span() if isinstance(node, MarkedList) else None
            return out
        if isinstance(node, str) and env:
            return _substitute(node, env)
        return node

    def _mapping(self, node: Mapping[str, Any], env: dict[str, str]) -> MarkedMap:
        out = MarkedMap()
        out._pos = {}
        out._span = node.span() if isinstance(node, MarkedMap) else None
        spans = node._positions() if isinstance(node, MarkedMap) else {}
        for key, child in node.items():
            if isinstance(key, str) and key.startswith(FOR_EACH):
                self._loop(key, child, spans.get(key), env, out)
                continue
            new_key = _substitute(key, env) if isinstance(key, str) and env else key
            out[new_key] = self.node(child, env)
            if key in spans:
                out._pos[new_key] = spans[key]
        return out

    # ----------------------------------------------------------------- Fn::ForEach

    def _loop(self, key: str, spec: Any, span: Any, env: dict[str, str], out: MarkedMap) -> None:
        if not (isinstance(spec, list) and len(spec) == 3):
            self.note(span and span[0], f"{key} must be [identifier, collection, {{key: value}}]")
            return
        identifier, collection, template = spec
        key_span = span[0] if span else None
        if not isinstance(identifier, str) or not identifier:
            self.note(key_span, f"{key}: the loop identifier must be a string")
            return
        if not isinstance(template, Mapping):
            self.note(key_span, f"{key}: the output must be a mapping of key templates")
            return
        items, why = self._collection(self.node(collection, env))
        if items is None:
            self.note(
                key_span,
                f"{key}: the collection {why}, so the resources this loop generates are "
                "not checked",
            )
            return
        spans = template._positions() if isinstance(template, MarkedMap) else {}
        for item in items:
            inner = {**env, identifier: item}
            for out_key, value in template.items():
                if isinstance(out_key, str) and out_key.startswith(FOR_EACH):
                    self._loop(out_key, value, spans.get(out_key), inner, out)
                    continue
                if not isinstance(out_key, str):
                    continue
                name = _substitute(out_key, inner)
                where = spans.get(out_key)
                if name in out:
                    self.note(where and where[0], f"{key}: generates {name} twice")
                    continue
                self.generated += 1
                if self.generated > MAX_GENERATED:
                    self.note(key_span, f"{key}: more than {MAX_GENERATED} generated entries")
                    return
                out[name] = self.node(value, inner)
                if where:
                    out._pos[name] = where

    def _collection(self, node: Any) -> tuple[list[str] | None, str]:
        """The loop items (strings), or None and why not."""
        if isinstance(node, Mapping) and set(node) == {"Ref"} and isinstance(node["Ref"], str):
            values = self._parameter_list(node["Ref"])
            if values is None:
                return (
                    None,
                    f"refers to {node['Ref']}, which is not a list parameter with a Default",
                )
            return values, ""
        if isinstance(node, list):
            if all(isinstance(i, (str, int, float)) and not isinstance(i, bool) for i in node):
                return [str(i) for i in node], ""
            return None, "holds values that are not strings"
        return None, "cannot be resolved statically"

    def _parameter_list(self, name: str) -> list[str] | None:
        param = self.parameters.get(name)
        default = param.get("Default") if isinstance(param, Mapping) else None
        if isinstance(default, str):
            return [part.strip() for part in default.split(",")] if default else []
        if isinstance(default, list) and all(isinstance(i, str) for i in default):
            return list(default)
        return None

    # ----------------------------------------------------------------- functions

    def _function(self, node: MarkedMap, env: dict[str, str]) -> Any:
        if len(node) != 1:
            return node
        ((name, arg),) = node.items()
        if name == "Ref" and isinstance(arg, str) and arg in env:
            return env[arg]
        if name == "Fn::Length":
            items = arg
            if isinstance(arg, Mapping) and set(arg) == {"Ref"} and isinstance(arg["Ref"], str):
                items = self._parameter_list(arg["Ref"])
            return len(items) if isinstance(items, list) else node
        if name == "Fn::ToJsonString" and not _has_function(arg):
            return json.dumps(arg, separators=(",", ":"))
        if name == "Fn::FindInMap" and isinstance(arg, list) and len(arg) == 4:
            return self._find_in_map(node, arg)
        return node

    def _find_in_map(self, node: MarkedMap, arg: list[Any]) -> Any:
        option = arg[3]
        if not (isinstance(option, Mapping) and "DefaultValue" in option):
            return node
        lookup = MarkedMap({"Fn::FindInMap": arg[:3]})
        lookup._pos = dict(node._positions())
        lookup._span = node.span()
        keys = arg[:3]
        if not all(isinstance(k, str) for k in keys):
            return lookup  # the resolver reads it (unknown if a key is)
        found: Any = self.mappings
        for k in keys:
            if not isinstance(found, Mapping) or k not in found:
                return option["DefaultValue"]
            found = found[k]
        return lookup


def _substitute(text: str, env: dict[str, str]) -> str:
    for name, value in env.items():
        text = text.replace("${" + name + "}", value)
        text = text.replace("&{" + name + "}", _NON_ALNUM.sub("", value))
    return text


def _has_function(node: Any) -> bool:
    if isinstance(node, Mapping):
        return any(
            (isinstance(k, str) and (k == "Ref" or k.startswith("Fn::"))) or _has_function(v)
            for k, v in node.items()
        )
    if isinstance(node, list):
        return any(_has_function(i) for i in node)
    return False
