"""YAML 1.1 plain scalars as PyYAML's ``SafeLoader`` resolves them (``yes`` is true, ``0x1F``
an int, ``1:30`` sexagesimal), except timestamps, which stay strings
(``AWSTemplateFormatVersion: 2010-09-09``). A ``<<`` merge key is :data:`MERGE_KEY`."""

from __future__ import annotations

import re
from typing import Any

import yaml

_RESOLVERS: dict[str, list[tuple[str, re.Pattern[str]]]] = {
    k: list(v) for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_BOOLS = yaml.constructor.SafeConstructor.bool_values
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_MERGE = "tag:yaml.org,2002:merge"


class _MergeKey:
    def __repr__(self) -> str:
        return "<<"


MERGE_KEY = _MergeKey()


def plain_scalar(value: str) -> Any:
    """Resolve an untagged plain scalar the YAML 1.1 way (SafeLoader rules).

    Timestamps stay strings (``AWSTemplateFormatVersion: 2010-09-09``).
    """
    for tag, regexp in _RESOLVERS.get(value[:1], ()):
        if regexp.match(value):
            if tag == _INT:
                return _to_int(value)
            if tag == _FLOAT:
                return _to_float(value)
            if tag.endswith(":bool"):
                return _BOOLS[value.lower()]
            if tag.endswith(":null"):
                return None
            if tag == _MERGE:
                return MERGE_KEY
            return value
    return value


def _to_int(value: str) -> Any:
    try:
        return int(value)
    except ValueError:
        pass
    text = value.replace("_", "")
    sign = -1 if text.startswith("-") else 1
    text = text.lstrip("+-")
    try:
        if text == "0":
            return 0
        if text.startswith("0b"):
            return sign * int(text[2:], 2)
        if text.startswith("0x"):
            return sign * int(text[2:], 16)
        if text.startswith("0") and text.isdigit():
            return sign * int(text, 8)
        if ":" in text:  # YAML 1.1 sexagesimal
            total = 0
            for part in text.split(":"):
                total = total * 60 + int(part)
            return sign * total
        return sign * int(text)
    except ValueError:
        return value


def _to_float(value: str) -> Any:
    text = value.replace("_", "").lower()
    if text in (".inf", "+.inf"):
        return float("inf")
    if text == "-.inf":
        return float("-inf")
    if text == ".nan":
        return float("nan")
    try:
        if ":" in text:
            sign = -1.0 if text.startswith("-") else 1.0
            total = 0.0
            for part in text.lstrip("+-").split(":"):
                total = total * 60 + float(part)
            return sign * total
        return float(text)
    except ValueError:
        return value
