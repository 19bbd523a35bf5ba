"""CloudFormation IAM and KMS resources -> model entities (``iam_role``, ``iam_policy``,
``kms_key``), and the table's KMS key. Policy documents are resolved deeply with pseudo
parameters as ``*`` (``arn:${AWS::Partition}:iam::${AWS::AccountId}:root`` reads
``arn:*:iam::*:root``); references to template resources stay unknown Values with ``refs``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from ddb_guard import entity_spec
from ddb_guard.cloudformation.resource import Resource
from ddb_guard.model import (
    CLOUDFORMATION,
    IAM_POLICY,
    IAM_ROLE,
    KMS_KEY,
    TABLE,
    Entity,
    Location,
    Value,
    customer_managed_key,
)


class Builder(Protocol):
    """What these builders use of ``build.Builder`` (a protocol: ``build`` imports this
    module for its table and registry entries)."""

    r: Any  # the template's intrinsics.Resolver

    def text(
        self, container: Any, *keys: str, default: Any = None, wildcard: bool = False
    ) -> Value: ...

    def boolean(self, container: Any, *keys: str, default: Any = False) -> Value: ...

    def arn_list(self, sel: Any, key: str) -> list[Value]: ...

    def items(
        self, container: Any, key: str
    ) -> tuple[list[tuple[Any, Location | None]], Value | None]: ...

    def entity(self, res: Resource, kind: str, attrs: dict[str, Any], **kw: Any) -> Entity: ...


def _doc(b: Builder, container: Any, key: str) -> Value:
    v = b.r.value(container, key, wildcard=True)
    return Value.absent(None) if v is None else v


def iam_role(b: Builder, res: Resource) -> list[Entity]:
    p = res.props
    inline: list[Value] = []
    items, unknown = b.items(p, "Policies")
    if unknown is not None:
        inline.append(unknown)
    for item, loc in items:
        if isinstance(item, Value):
            inline.append(item)
        elif isinstance(item, Mapping):
            inline.append(_doc(b, item, "PolicyDocument"))
        else:
            inline.append(Value.unknown_because("Policies entry is not a mapping", loc))
    attrs = {
        "role_name": b.text(p, "RoleName"),
        "trust_policy": _doc(b, p, "AssumeRolePolicyDocument"),
        "inline_policies": inline,
        "managed_policy_arns": b.arn_list(p, "ManagedPolicyArns"),
    }
    return [b.entity(res, IAM_ROLE, attrs)]


def iam_policy(b: Builder, res: Resource) -> list[Entity]:
    """``AWS::IAM::Policy`` / ``AWS::IAM::ManagedPolicy`` (``Roles``) and
    ``AWS::IAM::RolePolicy`` (``RoleName``)."""
    p = res.props
    if res.rtype == "AWS::IAM::RolePolicy":
        role = b.r.value(p, "RoleName")
        roles = [role] if role is not None else []
    else:
        roles = b.arn_list(p, "Roles")
    attrs = {
        "policy_name": b.text(p, "ManagedPolicyName" if "ManagedPolicyName" in p else "PolicyName"),
        "document": _doc(b, p, "PolicyDocument"),
        "roles": roles,
        "managed": Value.of(res.rtype == "AWS::IAM::ManagedPolicy"),
    }
    return [b.entity(res, IAM_POLICY, attrs)]


def kms_key(b: Builder, res: Resource) -> list[Entity]:
    p = res.props
    attrs = {
        "key_policy": _doc(b, p, "KeyPolicy"),
        "enabled": b.boolean(
            p, "Enabled", default=entity_spec.default(KMS_KEY, "enabled", CLOUDFORMATION)
        ),
    }
    return [b.entity(res, KMS_KEY, attrs)]


def table_key(b: Builder, props: Any) -> Value:
    """``SSESpecification {SSEEnabled: true, KMSMasterKeyId}`` -> the key, else absent(None)."""
    spec = b.r.get(props, "SSESpecification")
    if spec is None:
        return entity_spec.absent(TABLE, "kms_key", CLOUDFORMATION)
    if not spec.known:
        return spec
    key = b.r.dig(props, "SSESpecification", "KMSMasterKeyId")
    return customer_managed_key(key, b.boolean(props, "SSESpecification", "SSEEnabled"))


BUILDERS = {
    "AWS::IAM::Role": iam_role,
    "AWS::IAM::Policy": iam_policy,
    "AWS::IAM::ManagedPolicy": iam_policy,
    "AWS::IAM::RolePolicy": iam_policy,
    "AWS::KMS::Key": kms_key,
}
