"""CloudFormation ``Conditions``: ``Fn::Equals``/``Not``/``And``/``Or`` and ``Condition``
references, evaluated from parameter defaults into bool :class:`Value` objects (Kleene logic:
an unknown side decides nothing, a known ``true`` decides an ``Or``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, Protocol

from ddb_guard.cloudformation.values import ABSENT, MAX_DEPTH, cfn_text, intrinsic_name
from ddb_guard.model import Location, Value


class ValueResolver(Protocol):
    """What condition evaluation needs from the template's intrinsic resolver."""

    def loc_of(self, container: Any, key: Any) -> Location | None: ...

    def resolve_known(self, node: Any, loc: Location | None, depth: int, wildcard: bool) -> Any: ...


class Conditions:
    """The ``Conditions`` of one template (``conditions`` maps a name to the mapping that
    holds it), each evaluated once; ``values`` resolves the values they compare."""

    def __init__(self, conditions: Mapping[str, Any], values: ValueResolver) -> None:
        self.conditions = conditions
        self.values = values
        self._memo: dict[str, Value] = {}
        self._evaluating: set[str] = set()

    def named(self, name: str, loc: Location | None, depth: int) -> Value:
        """The condition called ``name`` (a bool Value; memoised, a loop is unknown)."""
        if name in self._memo:
            return self._memo[name]
        holder = self.conditions.get(name)
        if holder is None:
            return Value.unknown_because(f"condition {name} is not defined", loc)
        if name in self._evaluating or depth > MAX_DEPTH:
            return Value.unknown_because(f"condition {name} refers to itself", loc)
        self._evaluating.add(name)
        try:
            cond_loc = self.values.loc_of(holder, name)
            result = self.expr(holder[name], cond_loc, depth + 1)
        finally:
            self._evaluating.discard(name)
        if not result.known:
            reason = result.unknown or ""
            if not reason.startswith("depends on") and not reason.startswith("condition"):
                reason = f"condition {name}: {reason}"
            result = dataclasses.replace(result, unknown=reason)
        self._memo[name] = result
        return result

    def expr(self, node: Any, loc: Location | None, depth: int) -> Value:
        """Evaluate a condition expression into a bool Value (Kleene logic for And/Or)."""
        if depth > MAX_DEPTH:
            return Value.unknown_because("condition nested too deeply", loc)
        if isinstance(node, Mapping) and len(node) == 1 and "Condition" in node:
            name = node["Condition"]
            if isinstance(name, str):
                return self.named(name, loc, depth + 1)
        name = intrinsic_name(node)
        if isinstance(node, bool):
            return Value.of(node, loc)
        if isinstance(node, str) and node.lower() in ("true", "false"):
            return Value.of(node.lower() == "true", loc)
        if name is None:
            return Value.unknown_because("not a condition expression", loc)
        arg = node[name]
        arg_loc = self.values.loc_of(node, name) or loc
        if name == "Fn::Equals":
            if not (isinstance(arg, list) and len(arg) == 2):
                return Value.unknown_because("Fn::Equals needs two values", loc)
            left = self.values.resolve_known(
                arg[0], self.values.loc_of(arg, 0) or arg_loc, depth, False
            )
            right = self.values.resolve_known(
                arg[1], self.values.loc_of(arg, 1) or arg_loc, depth, False
            )
            for side in (left, right):
                if side is ABSENT:
                    return Value.unknown_because("Fn::Equals compares AWS::NoValue", loc)
                if not side.known:
                    return Value.unknown_because(
                        side.unknown or "", loc, trace=side.trace, refs=side.refs
                    )
            return Value(
                value=cfn_text(left.value) == cfn_text(right.value),
                loc=loc,
                trace=(*left.trace, *right.trace),
            )
        if name in ("Fn::Not", "Fn::And", "Fn::Or"):
            items = arg if isinstance(arg, list) else [arg]
            results = [
                self.expr(item, self.values.loc_of(items, i) or arg_loc, depth + 1)
                for i, item in enumerate(items)
            ]
            trace = tuple(t for r in results for t in r.trace)
            if name == "Fn::Not":
                if len(results) != 1:
                    return Value.unknown_because("Fn::Not needs one condition", loc)
                only = results[0]
                if not only.known:
                    return only
                return Value(value=not only.value, loc=loc, trace=trace)
            decisive = name == "Fn::Or"  # True decides Or, False decides And
            if any(r.known and bool(r.value) is decisive for r in results):
                return Value(value=decisive, loc=loc, trace=trace)
            unknown = next((r for r in results if not r.known), None)
            if unknown is not None:
                return unknown
            return Value(value=not decisive, loc=loc, trace=trace)
        resolved = self.values.resolve_known(node, loc, depth, False)
        if resolved is not ABSENT and resolved.known and isinstance(resolved.value, bool):
            return resolved
        if resolved is not ABSENT and not resolved.known:
            return resolved
        return Value.unknown_because(f"{name} is not a condition", loc)
