"""One entry of a template's ``Resources`` on its way to model entities (a leaf module:
the entity builders of ``build`` and ``build_iam`` both take it)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from ddb_guard.model import Location, Suppression


@dataclasses.dataclass(slots=True)
class Resource:
    """One entry of ``Resources`` being turned into entities."""

    logical_id: str
    rtype: str
    node: Mapping[str, Any]  # the resource mapping (Type, Properties, Metadata, ...)
    props: Mapping[str, Any]
    loc: Location  # the logical id
    display_name: str
    suppressions: list[Suppression]


def kind_of(value: object) -> str:
    """How a message names what was found where a mapping belongs ("a list", "a string")."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    return f"a {type(value).__name__}"
