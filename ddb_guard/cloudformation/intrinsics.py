"""Partial evaluation of CloudFormation intrinsic functions into :class:`Value` objects.

What can be known statically is resolved: ``Ref`` to a parameter with a ``Default``,
``Fn::If`` whose condition resolves from defaults (``Fn::Equals``/``Not``/``And``/``Or``/
``Condition``), ``Fn::Sub``/``Fn::Join``/``Fn::Select``/``Fn::Split``/``Fn::FindInMap``
over known parts. Everything else becomes an unknown value whose reason names what it
depends on ("depends on parameter EnablePitr, which has no Default"). ``Ref``/
``Fn::GetAtt`` of a resource keep the reference in ``Value.refs`` (``T`` / ``T.Arn``).

Values are located where the property value is written; ``trace`` adds the parameter
``Default`` (and condition) locations that decided the value.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

from ddb_guard.cloudformation.conditions import Conditions
from ddb_guard.cloudformation.values import (
    ABSENT,
    MAX_DEPTH,
    MAX_STRING,
    NO_VALUE,
    OVER_BUDGET,
    PSEUDO_PARAMETERS,
    WILDCARD_PSEUDO,
    cfn_text,
    dedup,
    first_unknown,
    has_unknown,
    intrinsic_name,
    kind_name,
    redacted,
    relocate,
    wildcard_ref,
)
from ddb_guard.model import Location, Value, join_pieces
from ddb_guard.parse.marked import Span, key_span, value_span

__all__ = ["ABSENT", "MAX_DEPTH", "MAX_STRING", "OVER_BUDGET", "Resolver", "intrinsic_name"]

_DEPLOY_TIME = (
    "Fn::ImportValue",
    "Fn::GetAZs",
    "Fn::Base64",
    "Fn::Cidr",
    "Fn::Transform",
    "Fn::Length",
    "Fn::ToJsonString",
    "Fn::ForEach",
)
_SUB_VAR = re.compile(r"\$\{([^}]*)\}")


class Resolver:
    """Resolves values of one template.

    ``parameters``/``conditions``/``mappings``/``resources`` map a name to the mapping
    that holds it (so locations stay available when sections come from several files,
    as with Serverless ``resources``). ``origins`` maps ``id(container)`` (or
    ``(id(container), key)``) to the reported path of the file it was written in, when
    containers come from several files (Serverless ``${file()}`` includes). A
    :class:`Value` in the data (a Serverless variable resolved beforehand) is read as is,
    located where it is written.
    """

    def __init__(
        self,
        path: str,
        *,
        parameters: Mapping[str, Any] | None = None,
        conditions: Mapping[str, Any] | None = None,
        mappings: Mapping[str, Any] | None = None,
        resources: Mapping[str, Any] | None = None,
        origins: Mapping[Any, str] | None = None,
    ) -> None:
        self.path = path
        self.parameters = parameters or {}
        self.conditions = conditions or {}
        self.mappings = mappings or {}
        self.resources = resources or {}
        self.origins = origins or {}
        self._conditions = Conditions(self.conditions, self)
        self._param_memo: dict[tuple[str, bool, int], Any] = {}  # a Default resolved once

    # ----------------------------------------------------------------- locations

    def loc(self, span: Span | None, path: str = "") -> Location | None:
        if span is None:
            return None
        return Location(path or self.path, span[0], span[1], span[2], span[3])

    def origin(self, container: Any, key: Any = None) -> str:
        """The reported path of the file ``container[key]`` was written in."""
        if not self.origins:
            return self.path
        return self.origins.get((id(container), key)) or self.origins.get(id(container), self.path)

    def loc_of(self, container: Any, key: Any) -> Location | None:
        return self.loc(value_span(container, key), self.origin(container, key))

    def key_loc(self, container: Any, key: Any) -> Location | None:
        """Where ``key`` itself is written."""
        return self.loc(key_span(container, key), self.origin(container, key))

    # ----------------------------------------------------------------- public API

    def raw(self, container: Any, *keys: Any) -> Any:
        """Follow ``keys`` through literal mappings only (no intrinsics)."""
        node = container
        for key in keys:
            if isinstance(node, Mapping):
                node = node.get(key)
            else:
                return None
        return node

    def get(self, container: Any, key: Any, *, wildcard: bool = False) -> Value | None:
        """``container[key]`` with intrinsics at its top resolved.

        Returns None when the key is absent or resolves to ``AWS::NoValue``. A known
        Value may hold a raw mapping/list (still to be read with :meth:`get`).
        """
        if isinstance(container, Mapping):
            if key not in container:
                return None
            node = container[key]
        elif isinstance(container, list) and isinstance(key, int) and 0 <= key < len(container):
            node = container[key]
        else:
            return None
        loc = self.loc_of(container, key)
        result = self._resolve(node, loc, 0, wildcard)
        if result is ABSENT:
            return None
        return relocate(result, loc)

    def dig(self, container: Any, *keys: Any, wildcard: bool = False) -> Value | None:
        """Follow ``keys`` through nested mappings, resolving intrinsics at each step; the
        last step is resolved deeply (see :meth:`value`).

        None when any step is absent; an unknown step gives that unknown Value; a step
        that is not a mapping gives an unknown Value saying so. Traces accumulate (an
        ``Fn::If`` choosing the enclosing mapping adds its condition's locations).
        """
        current: Any = container
        trace: tuple[Location, ...] = ()
        for i, key in enumerate(keys):
            last = i == len(keys) - 1
            value = self.value(current, key, wildcard=wildcard) if last else self.get(current, key)
            if value is None:
                return None
            if trace:
                value = dataclasses.replace(value, trace=(*value.trace, *trace))
            if last or not value.known:
                return value
            current = value.value
            trace = value.trace
            if not isinstance(current, Mapping):
                return Value.unknown_because(
                    f"{key} is not a mapping (found {kind_name(current)})", value.loc
                )
        return None

    def value(self, container: Any, key: Any, *, wildcard: bool = False) -> Value | None:
        """Like :meth:`get` but resolved deeply into plain Python (lists/dicts).

        Unknown parts of a container become unknown Values inside it. With ``wildcard``
        an ``Fn::Sub`` whose only unknown parts are ``${AWS::Region}``/``${AWS::AccountId}``
        /``${AWS::Partition}``/``${AWS::URLSuffix}`` gives a known string with ``*`` in
        their place (an ARN pattern for matching backup selections).
        """
        top = self.get(container, key, wildcard=wildcard)
        if top is None or not top.known:
            return top
        plain = self._plain(top.value, 0, wildcard)
        if isinstance(plain, Value):  # an intrinsic nested in the top value
            return relocate(plain, top.loc)
        return dataclasses.replace(top, value=plain)

    def condition(self, name: str, loc: Location | None = None) -> Value:
        """Evaluate the named condition from parameter defaults (a bool Value)."""
        return relocate(self._conditions.named(name, loc, 0), loc)

    # ----------------------------------------------------------------- resolution

    def _resolve(self, node: Any, loc: Location | None, depth: int, wildcard: bool) -> Any:
        """Resolve the intrinsic at the top of ``node``. Returns a Value or ABSENT."""
        if depth > MAX_DEPTH:
            return Value.unknown_because("intrinsic functions nested too deeply", loc)
        if isinstance(node, Value):  # resolved beforehand (Serverless variables)
            return Value(node.value, loc, node.unknown, trace=node.trace, refs=node.refs)
        name = intrinsic_name(node)
        if name is None:
            return Value.of(node, loc)
        arg = node[name]
        arg_loc = self.loc_of(node, name) or loc
        if name == "Ref":
            return self._ref(arg, arg_loc, depth, wildcard)
        if name == "Fn::GetAtt":
            return self._getatt(arg, arg_loc)
        if name == "Fn::If":
            return self._if(arg, arg_loc, depth, wildcard)
        if name == "Fn::Sub":
            return self._sub(arg, arg_loc, depth, wildcard)
        if name == "Fn::Join":
            return self._join(arg, arg_loc, depth, wildcard)
        if name == "Fn::Select":
            return self._select(arg, arg_loc, depth, wildcard)
        if name == "Fn::Split":
            return self._split(arg, arg_loc, depth, wildcard)
        if name == "Fn::FindInMap":
            return self._find_in_map(arg, arg_loc, depth, wildcard)
        if name in ("Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or"):
            return self._conditions.expr(node, loc, depth)
        if name in _DEPLOY_TIME:
            return Value.unknown_because(f"{name} is resolved at deploy time", loc)
        return Value.unknown_because(f"unsupported intrinsic function {name}", loc)

    def _plain(self, node: Any, depth: int, wildcard: bool) -> Any:
        """Deep conversion of a raw (known) node into plain Python; may return a Value."""
        if depth > MAX_DEPTH:
            return Value.unknown_because("value nested too deeply")
        if isinstance(node, Mapping):
            if intrinsic_name(node):
                return self._plain_value(node, None, depth, wildcard)
            out: dict[Any, Any] = {}
            for key, child in node.items():
                item = self._plain_value(child, self.loc_of(node, key), depth, wildcard)
                if item is not ABSENT:
                    out[key] = item
            return out
        if isinstance(node, list):
            items: list[Any] = []
            for i, child in enumerate(node):
                item = self._plain_value(child, self.loc_of(node, i), depth, wildcard)
                if item is not ABSENT:
                    items.append(item)
            return items
        return node

    def _plain_value(self, node: Any, loc: Location | None, depth: int, wildcard: bool) -> Any:
        result = self._resolve(node, loc, depth + 1, wildcard)
        if result is ABSENT:
            return ABSENT
        if not result.known:
            return result
        return self._plain(result.value, depth + 1, wildcard)

    def resolve_known(self, node: Any, loc: Location | None, depth: int, wildcard: bool) -> Any:
        """Resolve fully; returns a Value whose value is plain Python, or ABSENT."""
        result = self._resolve(node, loc, depth + 1, wildcard)
        if result is ABSENT or not result.known:
            return result
        plain = self._plain(result.value, depth + 1, wildcard)
        if isinstance(plain, Value):
            return plain
        if has_unknown(plain):
            first = first_unknown(plain)
            return Value.unknown_because(
                first.unknown or "", loc, trace=result.trace, refs=first.refs
            )
        return dataclasses.replace(result, value=plain)

    def _ref(self, name: Any, loc: Location | None, depth: int, wildcard: bool) -> Any:
        if not isinstance(name, str):
            return Value.unknown_because("Ref needs a name", loc)
        if name == NO_VALUE:
            return ABSENT
        if name in PSEUDO_PARAMETERS:
            return Value.unknown_because(
                f"{name} is a pseudo parameter, known only at deploy time", loc
            )
        holder = self.parameters.get(name)
        if holder is not None:
            param = holder.get(name)
            if isinstance(param, Mapping) and "Default" in param:
                default_loc = self.loc_of(param, "Default")
                memo_key = (name, wildcard, depth)
                if memo_key not in self._param_memo:  # chains of parameters: once each
                    self._param_memo[memo_key] = self.resolve_known(
                        param["Default"], default_loc, depth, wildcard
                    )
                result = self._param_memo[memo_key]
                if result is ABSENT or not result.known:
                    return result
                value = result.value
                if str(param.get("NoEcho", "")).lower() == "true":
                    value = redacted(value, f"parameter {name} (NoEcho)")
                ptype = param.get("Type")
                if (
                    isinstance(ptype, str)
                    and isinstance(value, str)
                    and (ptype == "CommaDelimitedList" or ptype.startswith("List<"))
                ):
                    value = [part.strip() for part in value.split(",")]
                return Value(
                    value=value,
                    loc=loc,
                    trace=dedup((*result.trace, default_loc) if default_loc else result.trace),
                )
            return Value.unknown_because(f"depends on parameter {name}, which has no Default", loc)
        if name in self.resources:
            return Value.unknown_because(
                f"Ref {name} is known only at deploy time", loc, refs=(name,)
            )
        return Value.unknown_because(f"Ref to {name}, which is not defined in the template", loc)

    def _getatt(self, arg: Any, loc: Location | None) -> Value:
        if isinstance(arg, str):
            arg = arg.split(".", 1)
        if isinstance(arg, list) and len(arg) == 2 and all(isinstance(a, str) for a in arg):
            ref = f"{arg[0]}.{arg[1]}"
            return Value.unknown_because(
                f"Fn::GetAtt {ref} is known only at deploy time", loc, refs=(ref,)
            )
        return Value.unknown_because("Fn::GetAtt is known only at deploy time", loc)

    def _if(self, arg: Any, loc: Location | None, depth: int, wildcard: bool) -> Any:
        if not (isinstance(arg, list) and len(arg) == 3 and isinstance(arg[0], str)):
            return Value.unknown_because("Fn::If needs [condition, then, else]", loc)
        cond = self._conditions.named(arg[0], loc, depth + 1)
        if cond.known:
            index = 1 if cond.value else 2
            result = self._resolve(arg[index], self.loc_of(arg, index) or loc, depth + 1, wildcard)
            if result is ABSENT:
                return ABSENT
            return dataclasses.replace(result, trace=(*result.trace, *cond.trace))
        then = self.resolve_known(arg[1], self.loc_of(arg, 1), depth, wildcard)
        other = self.resolve_known(arg[2], self.loc_of(arg, 2), depth, wildcard)
        if (
            then is not ABSENT
            and other is not ABSENT
            and then.known
            and other.known
            and then.value == other.value
        ):
            return then
        return Value.unknown_because(
            f"depends on condition {arg[0]} ({cond.unknown})", loc, trace=cond.trace
        )

    def _sub(self, arg: Any, loc: Location | None, depth: int, wildcard: bool) -> Value:
        variables: Any = {}
        if isinstance(arg, list) and len(arg) == 2:
            arg, variables = arg
        if not isinstance(arg, str) or not isinstance(variables, Mapping):
            return Value.unknown_because("Fn::Sub needs a string", loc)
        parts: list[str] = []
        pieces: list[str | None] = []  # parts with None for each unknown one
        trace: tuple[Location, ...] = ()
        unknowns: list[Value] = []
        pos = 0
        size = len(arg)
        for match in _SUB_VAR.finditer(arg):
            parts.append(arg[pos : match.start()])
            pieces.append(parts[-1])
            pos = match.end()
            var = match.group(1).strip()
            if var.startswith("!"):
                parts.append("${" + var[1:] + "}")
                pieces.append(parts[-1])
                continue
            if var in variables:
                part = self.resolve_known(
                    variables[var], self.loc_of(variables, var), depth, wildcard
                )
            elif "." in var and not var.startswith("AWS::"):
                part = self._getatt(var, loc)
            else:
                part = self._ref(var, loc, depth + 1, wildcard)
                if part is not ABSENT and part.known and not isinstance(part.value, str):
                    part = dataclasses.replace(part, value=cfn_text(part.value))
            if part is ABSENT:
                parts.append("")
            elif part.known:
                parts.append(cfn_text(part.value))
                size += len(parts[-1])
                if size > MAX_STRING:
                    return Value.unknown_because(f"Fn::Sub {OVER_BUDGET}", loc)
                trace = dedup(trace + part.trace)
            elif wildcard and var in WILDCARD_PSEUDO:
                parts.append("*")
            else:
                unknowns.append(part)
                parts.append("")
                pieces.append(None)
                continue
            pieces.append(parts[-1])
        parts.append(arg[pos:])
        pieces.append(parts[-1])
        if unknowns:
            first = unknowns[0]
            refs = tuple(r for u in unknowns for r in u.refs)
            return Value.unknown_because(
                first.unknown or "", loc, trace=trace, refs=refs, pieces=join_pieces(pieces)
            )
        return Value(value="".join(parts), loc=loc, trace=trace)

    def _join(self, arg: Any, loc: Location | None, depth: int, wildcard: bool) -> Value:
        if not (isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str)):
            return Value.unknown_because("Fn::Join needs [delimiter, list]", loc)
        parts = arg[1]
        if wildcard and isinstance(parts, list):  # CDK's Join of "arn:", Ref AWS::Partition, ...
            parts = ["*" if wildcard_ref(p) else p for p in parts]
        items = self.resolve_known(parts, self.loc_of(arg, 1), depth, wildcard)
        if items is ABSENT:
            return Value.of("", loc)
        if not items.known:
            return items
        if not isinstance(items.value, list):
            return Value.unknown_because("Fn::Join needs a list", loc)
        texts = [cfn_text(v) for v in items.value]
        if sum(map(len, texts)) + len(arg[0]) * len(texts) > MAX_STRING:
            return Value.unknown_because(f"Fn::Join {OVER_BUDGET}", loc)
        return Value(value=arg[0].join(texts), loc=loc, trace=dedup(items.trace))

    def _select(self, arg: Any, loc: Location | None, depth: int, wildcard: bool) -> Any:
        if not (isinstance(arg, list) and len(arg) == 2):
            return Value.unknown_because("Fn::Select needs [index, list]", loc)
        index = self.resolve_known(arg[0], self.loc_of(arg, 0), depth, wildcard)
        if index is ABSENT or not index.known:
            return index if index is not ABSENT else Value.unknown_because("no index", loc)
        items = arg[1]
        if intrinsic_name(items):
            resolved = self.resolve_known(items, self.loc_of(arg, 1), depth, wildcard)
            if resolved is ABSENT or not resolved.known:
                return resolved
            items = resolved.value
        try:
            i = int(index.value)
        except (TypeError, ValueError):
            return Value.unknown_because(f"Fn::Select index {index.value!r} is not a number", loc)
        if not isinstance(items, list) or not 0 <= i < len(items):
            return Value.unknown_because(f"Fn::Select index {i} is out of range", loc)
        return self._resolve(items[i], self.loc_of(items, i) or loc, depth + 1, wildcard)

    def _split(self, arg: Any, loc: Location | None, depth: int, wildcard: bool) -> Value:
        if not (isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str)):
            return Value.unknown_because("Fn::Split needs [delimiter, string]", loc)
        text = self.resolve_known(arg[1], self.loc_of(arg, 1), depth, wildcard)
        if text is ABSENT or not text.known or not isinstance(text.value, str):
            return (
                text
                if text is not ABSENT and not text.known
                else Value.unknown_because("Fn::Split needs a string", loc)
            )
        return Value(value=text.value.split(arg[0]), loc=loc, trace=text.trace)

    def _find_in_map(self, arg: Any, loc: Location | None, depth: int, wildcard: bool) -> Any:
        if not (isinstance(arg, list) and len(arg) >= 3):
            return Value.unknown_because("Fn::FindInMap needs [map, key, key]", loc)
        keys = []
        trace: tuple[Location, ...] = ()
        for i in range(3):
            part = self.resolve_known(arg[i], self.loc_of(arg, i), depth, wildcard)
            if part is ABSENT or not part.known:
                return part if part is not ABSENT else Value.unknown_because("no key", loc)
            keys.append(part.value)
            trace = dedup(trace + part.trace)
        holder = self.mappings.get(keys[0]) if isinstance(keys[0], str) else None
        node = holder.get(keys[0]) if holder is not None else None
        for key in keys[1:]:
            if not isinstance(node, Mapping) or not isinstance(key, str) or key not in node:
                return Value.unknown_because(
                    f"Fn::FindInMap {'/'.join(map(str, keys))} is not in Mappings", loc
                )
            parent, node = node, node[key]
        result = self._resolve(node, self.loc_of(parent, keys[-1]), depth + 1, wildcard)
        if result is ABSENT:
            return ABSENT
        return dataclasses.replace(
            result, trace=(*trace, *result.trace, *((result.loc,) if result.loc else ()))
        )
