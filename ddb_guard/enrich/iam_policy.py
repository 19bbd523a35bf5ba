"""Three-valued reading of IAM policy documents (identity, trust and key policies).

A document is JSON text, a dict, or an unknown Value (possibly holding the known structure,
:class:`~ddb_guard.model.PartialDocument`). Answers are ``True``/``False``/``None``
(None: an input that decides it is unknown). Evaluation follows IAM: an explicit ``Deny``
wins over any ``Allow``; ``*`` and ``?`` wildcards in actions match case-insensitively;
``NotAction``/``NotResource`` invert. Conditions on an ``Allow`` are assumed to hold (most are
confused-deputy guards such as ``aws:SourceAccount``); a ``Deny`` with a condition may or may
not apply (None).
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ddb_guard.model import PartialDocument, Value

Tri = bool | None


def tri_or(values: Iterable[Tri]) -> Tri:
    out: Tri = False
    for v in values:
        if v is True:
            return True
        if v is None:
            out = None
    return out


def tri_and(values: Iterable[Tri]) -> Tri:
    out: Tri = True
    for v in values:
        if v is False:
            return False
        if v is None:
            out = None
    return out


@dataclass(slots=True)
class Document:
    """The statements of a policy that could be read, and why the rest could not."""

    statements: list[Any]
    unknown: str | None = None  # the whole document (or part of it) is unknown
    may_deny: bool = True  # an unknown document may hold a Deny (False: AWS managed policy)


def read(doc: Any) -> Document:
    """Statements of a policy document in any of its model forms."""
    unknown = None
    if doc is None or (isinstance(doc, Value) and doc.known and doc.value is None):
        return Document([], "no policy document is written")
    if isinstance(doc, Value):
        if not doc.known:
            if isinstance(doc.value, PartialDocument):
                unknown = doc.unknown
                doc = doc.value.data
            else:
                return Document([], doc.unknown or "unknown policy document")
        else:
            doc = doc.value
    if isinstance(doc, str):
        try:
            doc = json.loads(doc)
        except ValueError:
            return Document([], "the policy is not valid JSON")
    if not isinstance(doc, dict):
        return Document([], "the policy is not a JSON object")
    st = doc.get("Statement")
    if isinstance(st, Value):
        return Document([], st.unknown or "unknown Statement")
    statements = st if isinstance(st, list) else [st] if isinstance(st, dict) else []
    return Document(statements, unknown)


def _strings(x: Any) -> list[Any]:
    """A policy element as a list; unknown parts stay Values."""
    if x is None:
        return []
    if isinstance(x, Value) and x.known:
        x = x.value
    return list(x) if isinstance(x, list) else [x]


def _glob(pattern: str, text: str) -> bool:
    return fnmatch.fnmatchcase(text.lower(), pattern.lower().replace("[", "[[]"))


def _matches_any(patterns: list[Any], text: str) -> Tri:
    return tri_or(
        None if isinstance(p, Value) else (isinstance(p, str) and _glob(p, text)) for p in patterns
    )


def _element(st: dict, key: str, not_key: str, test: Callable[[Any], Tri]) -> Tri:
    """Whether the statement's ``key`` (or ``not_key``, inverted) covers the request."""
    if key in st:
        return tri_or(test(p) for p in _strings(st[key]))
    if not_key in st:
        hit = tri_or(test(p) for p in _strings(st[not_key]))
        return None if hit is None else not hit
    return False


def _action_test(action: str) -> Callable[[Any], Tri]:
    return lambda p: None if isinstance(p, Value) else isinstance(p, str) and _glob(p, action)


def statement_applies(
    st: Any, effect: str, action: str, resource: Callable[[Any], Tri], principal=None
) -> Tri:
    """Whether one statement with ``effect`` covers ``action`` on a resource ``resource``
    accepts (and, for resource policies, a principal ``principal`` accepts)."""
    if isinstance(st, Value):
        return None
    if not isinstance(st, dict):
        return False
    eff = st.get("Effect")
    if isinstance(eff, Value):
        return None
    if eff != effect:
        return False
    parts = [_element(st, "Action", "NotAction", _action_test(action))]
    if "Resource" in st or "NotResource" in st:
        parts.append(_element(st, "Resource", "NotResource", resource))
    if principal is not None:
        parts.append(_principal(st, principal))
    hit = tri_and(parts)
    if effect == "Deny" and hit is True and st.get("Condition"):
        return None
    return hit


def _principal(st: dict, test: Callable[[str, Any], Tri]) -> Tri:
    if "Principal" not in st:
        return False
    p = st["Principal"]
    if isinstance(p, Value) and not p.known:
        return None
    if isinstance(p, Value):
        p = p.value
    if p == "*":
        return True
    if not isinstance(p, dict):
        return None if isinstance(p, Value) else False
    return tri_or(test(str(kind), ident) for kind, ids in p.items() for ident in _strings(ids))


def allowed(
    docs: list[Document], action: str, resource: Callable[[Any], Tri], principal=None
) -> Tri:
    """IAM's verdict over several documents: some Allow covers it and no Deny does."""
    allow: list[Tri] = []
    deny: list[Tri] = []
    for d in docs:
        for st in d.statements:
            allow.append(statement_applies(st, "Allow", action, resource, principal))
            deny.append(statement_applies(st, "Deny", action, resource, principal))
        if d.unknown is not None and not d.statements:
            allow.append(None)
            if d.may_deny:
                deny.append(None)
    a, n = tri_or(allow), tri_or(deny)
    if n is True or a is False:
        return False
    if a is True and n is False:
        return True
    return None


def any_resource(_p: Any) -> Tri:
    return True


def dynamodb_table_resource(is_table_ref: Callable[[Value], bool]) -> Callable[[Any], Tri]:
    """A test for Resource entries that may name a DynamoDB table."""

    def test(p: Any) -> Tri:
        if isinstance(p, Value):
            return True if is_table_ref(p) else None
        if not isinstance(p, str):
            return False
        if p == "*":
            return True
        parts = p.split(":", 5)
        if len(parts) < 6 or not _glob(parts[2], "dynamodb"):
            return False
        res = parts[5]
        return _glob(res, "table/x") or (res.startswith("table/") and "/" not in res[6:])

    return test


def unknown_reasons(docs: list[Document]) -> list[str]:
    return [d.unknown for d in docs if d.unknown]
