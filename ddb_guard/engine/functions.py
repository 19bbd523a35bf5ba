"""JMESPath functions rule conditions may call besides the standard ones.

JMESPath cannot compare two fields of the data inside a filter, so a rule that checks an
entity against a parameter list (DDB007: required tags) needs a function:

``missing_keys(required, obj)``
    the strings of ``required`` that are not keys of ``obj`` with a non-empty value.
``disallowed_values(allowed, obj)``
    ``"key=value"`` for each key of ``allowed`` present in ``obj`` whose (string) value is
    not in ``allowed[key]``; null values (unknown) are skipped.
"""

from __future__ import annotations

from typing import Any

import jmespath
from jmespath import functions


class _Functions(functions.Functions):
    @functions.signature({"types": ["array", "null"]}, {"types": ["object", "null"]})
    def _func_missing_keys(self, required: Any, obj: Any) -> list[Any]:
        obj = obj or {}
        return [k for k in required or [] if obj.get(k) in (None, "") and k not in _unknown(obj)]

    @functions.signature({"types": ["object", "null"]}, {"types": ["object", "null"]})
    def _func_disallowed_values(self, allowed: Any, obj: Any) -> list[str]:
        obj = obj or {}
        out = []
        for key, values in (allowed or {}).items():
            value = obj.get(key)
            if value is None:
                continue
            if not isinstance(values, list) or value not in values:
                out.append(f"{key}={value}")
        return out


def _unknown(obj: dict[str, Any]) -> set[str]:
    """Keys present with a null value (an unknown tag value): not reported as missing."""
    return {k for k, v in obj.items() if v is None}


OPTIONS = jmespath.Options(custom_functions=_Functions())
