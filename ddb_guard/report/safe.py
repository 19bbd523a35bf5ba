"""Scanned values are untrusted: make them inert in every output format.

A resource label, logical id or file name may hold a newline followed by
``::error ...::`` (a GitHub Actions workflow command), an ESC sequence (terminal control,
OSC-8 links), C1 controls, Unicode line/paragraph separators or bidirectional overrides.
:func:`clean` replaces each with a visible escape (``\\n``, ``\\x1b``, ``\\u2028``), so one
value stays on one line and prints as what it is.
"""

from __future__ import annotations

import math
import re
from typing import Any

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(m: re.Match[str]) -> str:
    ch = m.group()
    named = _NAMED.get(ch)
    if named is not None:
        return named
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text: str) -> str:
    """``text`` with every control or line-breaking character replaced by an escape."""
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text


def clean_path(path: str) -> str:
    """A path as printed at the start of a line: :func:`clean`, and never starting with
    ``::`` (GitHub Actions reads such a line as a workflow command)."""
    path = clean(path)
    return "./" + path if path.lstrip().startswith("::") else path


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def json_safe(document: str) -> str:
    """A JSON text with the characters ``json.dumps(ensure_ascii=False)`` leaves raw but a
    terminal or log would act on written as ``\\uXXXX`` (same data, valid JSON)."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", document)


def finite(doc: Any) -> Any:
    """``doc`` with NaN and infinities as ``None``: ``json.dumps`` would write ``NaN``,
    which is not JSON (GitHub rejects such a SARIF upload). Inputs are checked where they
    come in; this is the last line of defence."""
    if isinstance(doc, float):
        return doc if math.isfinite(doc) else None
    if isinstance(doc, dict):
        return {k: finite(v) for k, v in doc.items()}
    if isinstance(doc, (list, tuple)):
        return [finite(v) for v in doc]
    return doc


_MD_SPECIAL = re.compile(r"([\\`*\[\]<>|])")


def markdown(text: str) -> str:
    """A value inside Markdown (a table cell, a list item): cleaned, specials escaped."""
    return _MD_SPECIAL.sub(r"\\\1", clean(text))
