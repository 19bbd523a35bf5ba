"""Terraform IAM and KMS resources -> model entities (``iam_role``, ``iam_policy``,
``iam_attachment``, ``kms_key``); see :mod:`ddb_guard.entity_spec` for their attributes.

Policy documents are kept as the evaluator produced them (JSON text, or an unknown Value
that may hold the known structure); :mod:`ddb_guard.enrich.iam_policy` reads them.
"""

from __future__ import annotations

from typing import Any, Protocol

from ddb_guard import entity_spec, model
from ddb_guard.model import Entity, Value, customer_managed_key
from ddb_guard.terraform.attrs import attr, flag, values
from ddb_guard.terraform.resource import TfResource


class _Builder(Protocol):
    """What the entity builder of ``to_model`` offers (kept here to avoid a cycle)."""

    def entity(self, res: TfResource, kind: str, attrs: dict[str, Any], **kw: Any) -> Entity: ...


def _attr(res: TfResource, name: str, default: Any = None) -> Value:
    return attr(res.body, name, default)


def iam_role(b: _Builder, res: TfResource) -> None:
    body = res.body
    inline: list[Value] = []
    for block in body.blocks.get("inline_policy", []):
        doc = block.attrs.get("policy")
        if doc is not None:
            inline.append(doc)
    if "inline_policy" in body.unknown_blocks:
        inline.append(body.unknown_blocks["inline_policy"])
    b.entity(
        res,
        model.IAM_ROLE,
        {
            "role_name": _attr(res, "name"),
            "trust_policy": _attr(res, "assume_role_policy"),
            "inline_policies": inline,
            "managed_policy_arns": values(_attr(res, "managed_policy_arns")),
        },
    )


def iam_policy(b: _Builder, res: TfResource) -> None:
    """``aws_iam_policy`` (managed, attached by ARN) and ``aws_iam_role_policy`` (inline)."""
    managed = res.type == "aws_iam_policy"
    roles = [] if managed else [_attr(res, "role")]
    b.entity(
        res,
        model.IAM_POLICY,
        {
            "policy_name": _attr(res, "name"),
            "document": _attr(res, "policy"),
            "roles": roles,
            "managed": Value.of(managed),
        },
    )


def iam_attachment(b: _Builder, res: TfResource) -> None:
    """``aws_iam_role_policy_attachment`` (one role) and ``aws_iam_policy_attachment``."""
    if res.type == "aws_iam_role_policy_attachment":
        roles = [_attr(res, "role")]
    else:
        roles = values(_attr(res, "roles"))
    b.entity(
        res,
        model.IAM_ATTACHMENT,
        {"roles": roles, "policy_arn": _attr(res, "policy_arn")},
    )


def kms_key(b: _Builder, res: TfResource) -> None:
    b.entity(
        res,
        model.KMS_KEY,
        {
            "key_policy": _attr(res, "policy"),
            "enabled": flag(
                res.body,
                "is_enabled",
                entity_spec.default(model.KMS_KEY, "enabled", model.TERRAFORM),
            ),
        },
    )


def table_key(res: TfResource) -> Value:
    """``server_side_encryption { enabled = true, kms_key_arn = ... }`` -> the key, else
    absent(None) (AWS-owned or AWS-managed key)."""
    body = res.body
    if "server_side_encryption" in body.unknown_blocks:
        return body.unknown_blocks["server_side_encryption"]
    blocks = body.blocks.get("server_side_encryption", [])
    if not blocks:
        return entity_spec.absent(model.TABLE, "kms_key", model.TERRAFORM)
    return customer_managed_key(blocks[0].attrs.get("kms_key_arn"), flag(blocks[0], "enabled"))


BUILDERS = {
    "aws_iam_role": iam_role,
    "aws_iam_policy": iam_policy,
    "aws_iam_role_policy": iam_policy,
    "aws_iam_role_policy_attachment": iam_attachment,
    "aws_iam_policy_attachment": iam_attachment,
    "aws_kms_key": kms_key,
}
