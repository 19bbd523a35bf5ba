"""Data sources whose result Terraform computes without calling AWS, as the evaluator sees
them: ``data "aws_iam_policy_document"`` (its ``json``) and ``data "aws_partition"``.

A policy document whose parts are all known is its JSON text, as Terraform renders it; with a
part known only after apply it is an unknown Value holding the known structure
(:class:`~ddb_guard.model.PartialDocument`), like ``jsonencode()``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Protocol

from ddb_guard.model import PartialDocument, Value
from ddb_guard.terraform.resource import TfBlock

if TYPE_CHECKING:
    from ddb_guard.terraform.hcl import Block


class ModuleInstance(Protocol):
    """What a data source needs of its module instance (``terraform.module.ModuleInstance``;
    a protocol here, so this module does not import the module that calls it)."""

    scope: Any

    def eval_body(self, block: Block, scope: Any) -> Any: ...


_LISTS = (
    ("actions", "Action"),
    ("not_actions", "NotAction"),
    ("resources", "Resource"),
    ("not_resources", "NotResource"),
)


def _plain(v: Value | None) -> Any:
    if v is None:
        return None
    return v.value if v.known else v


def _principals(blocks: list[TfBlock]) -> Any:
    out: dict[str, Any] = {}
    for b in blocks:
        kind, ids = _plain(b.attrs.get("type")), _plain(b.attrs.get("identifiers"))
        if isinstance(kind, Value):
            return kind
        if kind == "*":
            return "*"
        if isinstance(kind, str):
            listed = ids if isinstance(ids, list) else [ids]
            out.setdefault(kind, []).extend(listed)
    return out


def _statement(b: TfBlock) -> dict[str, Any] | Value:
    for kind in ("principals", "not_principals", "condition"):
        if kind in b.unknown_blocks:
            return b.unknown_blocks[kind]
    st: dict[str, Any] = {"Effect": _plain(b.attrs.get("effect")) or "Allow"}
    sid = _plain(b.attrs.get("sid"))
    if sid is not None:
        st["Sid"] = sid
    for attr, key in _LISTS:
        if attr in b.attrs:
            st[key] = _plain(b.attrs[attr])
    if b.blocks.get("principals"):
        st["Principal"] = _principals(b.blocks["principals"])
    if b.blocks.get("not_principals"):
        st["NotPrincipal"] = _principals(b.blocks["not_principals"])
    cond: dict[str, Any] = {}
    for c in b.blocks.get("condition", []):
        test, var, values = (_plain(c.attrs.get(k)) for k in ("test", "variable", "values"))
        if isinstance(test, Value) or isinstance(var, Value):
            return test if isinstance(test, Value) else var
        cond.setdefault(str(test), {})[str(var)] = values
    if cond:
        st["Condition"] = cond
    return st


def _has_unknown(x: Any, depth: int = 0) -> Value | None:
    if isinstance(x, Value):
        return x
    if depth > 50:
        return None
    items = x.values() if isinstance(x, dict) else x if isinstance(x, list) else []
    for item in items:
        found = _has_unknown(item, depth + 1)
        if found is not None:
            return found
    return None


def policy_document(inst: ModuleInstance, block: Block, address: str) -> Value:
    """``data.aws_iam_policy_document.X.json``."""
    if "count" in block.attrs or "for_each" in block.attrs:
        return Value.unknown_because(
            f"{address} uses count/for_each (not evaluated)", refs=(address + ".json",)
        )
    body = inst.eval_body(block, inst.scope)
    if "statement" in body.unknown_blocks:
        u = body.unknown_blocks["statement"]
        return Value.unknown_because(
            f"{address}: dynamic statement {u.unknown}", u.loc, refs=(address + ".json",)
        )
    statements: list[Any] = []
    for name in ("source_policy_documents", "source_json", "override_policy_documents"):
        v = body.attrs.get(name)
        if v is None:
            continue
        texts = v.value if v.known and isinstance(v.value, list) else [v.value if v.known else v]
        for text in texts:
            if not isinstance(text, str):
                reason = text.unknown if isinstance(text, Value) else "not a JSON string"
                return Value.unknown_because(f"{address}.{name}: {reason}", v.loc)
            try:
                found = json.loads(text).get("Statement", [])
            except (ValueError, AttributeError):
                return Value.unknown_because(f"{address}.{name} is not a policy document", v.loc)
            statements.extend(found if isinstance(found, list) else [found])
    statements.extend(_statement(b) for b in body.blocks.get("statement", []))
    doc = {"Version": "2012-10-17", "Statement": statements}
    first = _has_unknown(doc)
    if first is not None:
        return Value(
            PartialDocument(doc),
            block.loc,
            f"{address}: {first.unknown}",
            False,
            (block.loc, *first.trace),
            first.refs or (address + ".json",),
        )
    return Value(json.dumps(doc, separators=(",", ":")), None, None, False, (block.loc,))


def partition(region: Value) -> Value:
    """``data.aws_partition.X.partition`` from the provider region."""
    if not region.known or not isinstance(region.value, str):
        return Value.unknown_because(
            f"partition: the provider region is unknown ({region.unknown})"
        )
    r = region.value
    name = "aws-cn" if r.startswith("cn-") else "aws-us-gov" if r.startswith("us-gov-") else "aws"
    return Value(name, None, None, False, region.trace)
