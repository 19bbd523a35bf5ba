"""What CloudFormation values are, shared by the intrinsic resolver and condition evaluation:
pseudo parameters, ``AWS::NoValue``, the evaluation limits, CloudFormation's string semantics
(``true``, ``5`` not ``5.0``) and small helpers on resolved values and their traces."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from ddb_guard.model import Location, Value

PSEUDO_PARAMETERS = frozenset(
    {
        "AWS::AccountId",
        "AWS::NotificationARNs",
        "AWS::Partition",
        "AWS::Region",
        "AWS::StackId",
        "AWS::StackName",
        "AWS::URLSuffix",
    }
)
WILDCARD_PSEUDO = frozenset({"AWS::AccountId", "AWS::Partition", "AWS::Region", "AWS::URLSuffix"})
"""Pseudo parameters an ARN pattern may replace with ``*`` (see ``Resolver.value``)."""

NO_VALUE = "AWS::NoValue"
MAX_DEPTH = 40
MAX_STRING = 1 << 20  # characters one Fn::Sub / Fn::Join may build
OVER_BUDGET = "exceeds the evaluation budget"


class _NoValue:
    """``Ref: AWS::NoValue``: the property is treated as not written."""

    def __repr__(self) -> str:
        return "AWS::NoValue"


ABSENT = _NoValue()


def intrinsic_name(node: Any) -> str | None:
    """``Ref``/``Fn::X``/``Condition`` if ``node`` is a one-key intrinsic mapping."""
    if isinstance(node, Mapping) and len(node) == 1:
        (key,) = node
        if isinstance(key, str) and (key == "Ref" or key.startswith("Fn::")):
            return key
    return None


def wildcard_ref(node: Any) -> bool:
    """``{"Ref": "AWS::Partition"}`` (or another pseudo parameter an ARN pattern may hold)."""
    return intrinsic_name(node) == "Ref" and node["Ref"] in WILDCARD_PSEUDO


def dedup(trace: tuple[Location, ...]) -> tuple[Location, ...]:
    """Each location once: a value built from one parameter many times stays small."""
    return tuple(dict.fromkeys(trace)) if len(trace) > 1 else trace


def redacted(value: Any, name: str) -> Any:
    """A ``NoEcho`` parameter's value with every string replaced by its name."""
    if isinstance(value, str):
        return name
    if isinstance(value, list):
        return [redacted(v, name) for v in value]
    return value


def relocate(value: Value, loc: Location | None) -> Value:
    """``value`` located at ``loc`` (unchanged when ``loc`` is None)."""
    if loc is None or value.loc == loc:
        return value
    return dataclasses.replace(value, loc=loc)


def cfn_text(value: Any) -> str:
    """CloudFormation compares and substitutes values as strings."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def kind_name(value: Any) -> str:
    """How a message names what was found where a mapping belongs."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    return type(value).__name__


def has_unknown(value: Any) -> bool:
    """Whether a deeply resolved value holds an unknown part."""
    return first_unknown(value) is not None


def first_unknown(value: Any) -> Value | None:
    """The first unknown part of a deeply resolved value (None: all known)."""
    if isinstance(value, Value):
        return value if not value.known else None
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        for item in value:
            found = first_unknown(item)
            if found is not None:
                return found
    return None
