"""Can the backup role back up the tables, and will their KMS keys let it (BKP008, BKP009).

Only roles and keys defined in the scan are judged, found through the references the
front-ends recorded (``Value.refs``: ``aws_iam_role.backup.arn``, CloudFormation
``BackupRole.Arn``). A role or key named by a literal ARN, a variable or a parameter is not
judged: ``role_error``/``backup_key_error`` stay null.

Backup selection (``kind == "backup_selection"``)
  ``role_address``: str|null, the scanned role judged.
  ``role_error``: str|null, why the role cannot back up DynamoDB (trust policy without
  ``backup.amazonaws.com``; no policy allowing ``dynamodb:CreateBackup`` /
  ``dynamodb:StartAwsBackupJob`` on tables, or a ``Deny`` on them); unknown when a policy
  that decides it cannot be read.
Table (``kind == "table"``)
  ``backup_key_error``: str|null, why the table's customer-managed key (defined in the scan)
  will refuse the backups of a scanned selection: the key is disabled, or its key policy
  neither delegates to the account (``arn:aws:iam::<account>:root``) nor allows the role.
"""

from __future__ import annotations

import re
from typing import Any

from ddb_guard.enrich.iam_policy import (
    Document,
    Tri,
    allowed,
    any_resource,
    dynamodb_table_resource,
    read,
    tri_or,
    unknown_reasons,
)
from ddb_guard.enrich.selection import selection_coverage
from ddb_guard.enrich.selection_index import TableIndex
from ddb_guard.enums import AdvancedBackup
from ddb_guard.model import (
    BACKUP_REGION_SETTINGS,
    BACKUP_SELECTION,
    IAM_ATTACHMENT,
    IAM_POLICY,
    IAM_ROLE,
    KMS_KEY,
    TABLE,
    Entity,
    Model,
    Value,
)

BACKUP_SERVICE = "backup.amazonaws.com"
_AWS_MANAGED = re.compile(r"^arn:[^:]*:iam::aws:policy/(?:.*/)?([^/]+)$")
_ROOT = re.compile(r"^(?:arn:[^:]*:iam::[^:]+:root|\d{12}|\*)$")
_TABLE = "arn:aws:dynamodb:*:*:table/*"
# AWS managed policies whose relevant statements ddb-guard knows (see BKP008's docs).
KNOWN_MANAGED: dict[str, list[dict[str, Any]]] = {
    "AWSBackupServiceRolePolicyForBackup": [
        {
            "Effect": "Allow",
            "Action": ["dynamodb:DescribeTable", "dynamodb:CreateBackup"],
            "Resource": _TABLE,
        },
        {
            "Effect": "Allow",
            "Action": ["dynamodb:StartAwsBackupJob", "dynamodb:ListTagsOfResource"],
            "Resource": _TABLE,
        },
    ],
    "AdministratorAccess": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
    "AmazonDynamoDBFullAccess": [{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}],
}


def names(ref: str, ent: Entity) -> bool:
    """Whether reference ``ref`` names entity ``ent`` (its address, an attribute, a key)."""
    a = ent.address
    return ref == a or ref.startswith(a + ".") or ref.startswith(a + "[")


def _same_scope(a: Entity, b: Entity) -> bool:
    """References reach only entities of the same namespace (one CloudFormation template,
    or the Terraform configuration); see :attr:`Entity.scope`."""
    return a.source == b.source and a.scope == b.scope


def referenced(v: Any, owner: Entity, candidates: list[Entity]) -> Entity | None:
    """The candidate a Value's references name (in the owner's scope)."""
    if not isinstance(v, Value):
        return None
    for ref in v.refs:
        for c in candidates:
            if _same_scope(owner, c) and names(ref, c):
                return c
    return None


def _known(v: Any) -> Any:
    return v.value if isinstance(v, Value) and v.known else None


class Access:
    """The IAM and KMS entities of a scan, and the judgements BKP008/BKP009 need."""

    def __init__(self, model: Model) -> None:
        self.roles = model.of_kind(IAM_ROLE)
        self.policies = model.of_kind(IAM_POLICY)
        self.attachments = model.of_kind(IAM_ATTACHMENT)
        self.keys = model.of_kind(KMS_KEY)
        self.tables = model.of_kind(TABLE)
        self.mode = _advanced_mode(model)
        self._judged: dict[str, tuple[str | None, str | None]] = {}

    # -- roles and their policies

    def _is_role(self, v: Any, role: Entity, owner: Entity) -> Tri:
        if not isinstance(v, Value):
            return False
        if referenced(v, owner, [role]) is role:
            return True
        if v.refs:
            return False
        if not v.known:
            return None
        name = _known(role.attrs.get("role_name"))
        return name is not None and v.value == name

    def _policy_arn(self, v: Any, owner: Entity) -> Document:
        scanned = referenced(v, owner, self.policies)
        if scanned is not None:
            return read(scanned.attrs.get("document"))
        if not isinstance(v, Value) or not v.known:
            why = v.unknown if isinstance(v, Value) else "unknown"
            return Document([], f"attached policy ARN unknown ({why})")
        m = _AWS_MANAGED.match(str(v.value))
        if m and m.group(1) in KNOWN_MANAGED:
            return Document(list(KNOWN_MANAGED[m.group(1)]))
        if m:
            return Document(
                [],
                f"the content of AWS managed policy {m.group(1)} is not known to ddb-guard",
                may_deny="Deny" in m.group(1),
            )
        return Document([], f"policy {v.value} is not defined in the scanned files")

    def role_documents(self, role: Entity) -> list[Document]:
        a = role.attrs
        docs = [read(d) for d in a.get("inline_policies") or []]
        docs += [self._policy_arn(v, role) for v in a.get("managed_policy_arns") or []]
        for pol in self.policies:
            if not _same_scope(pol, role):
                continue
            hit = tri_or(self._is_role(r, role, pol) for r in pol.attrs.get("roles") or [])
            if hit is True:
                docs.append(read(pol.attrs.get("document")))
            elif hit is None:
                docs.append(Document([], f"the roles of {pol.address} are unknown"))
        for att in self.attachments:
            if not _same_scope(att, role):
                continue
            hit = tri_or(self._is_role(r, role, att) for r in att.attrs.get("roles") or [])
            if hit is True:
                docs.append(self._policy_arn(att.attrs.get("policy_arn"), att))
            elif hit is None:
                docs.append(Document([], f"the roles of {att.address} are unknown"))
        return docs

    def _is_table(self, v: Value) -> bool:
        return any(names(r, t) for r in v.refs for t in self.tables)

    def judge_role(self, role: Entity) -> tuple[str | None, str | None]:
        """(error, unknown reason) for a role used by a backup selection (once per role)."""
        if role.identity not in self._judged:
            self._judged[role.identity] = self._judge_role(role)
        return self._judged[role.identity]

    def _judge_role(self, role: Entity) -> tuple[str | None, str | None]:
        problems: list[str] = []
        unknown: list[str] = []
        trust = read(role.attrs.get("trust_policy"))
        trusted = allowed([trust], "sts:AssumeRole", any_resource, principal=_backup_principal)
        if trusted is False:
            problems.append(f"its trust policy does not let {BACKUP_SERVICE} assume it")
        elif trusted is None:
            unknown += unknown_reasons([trust]) or ["its trust policy cannot be read"]
        docs = self.role_documents(role)
        table = dynamodb_table_resource(self._is_table)
        create = allowed(docs, "dynamodb:CreateBackup", table)
        start = allowed(docs, "dynamodb:StartAwsBackupJob", table)
        if self.mode == AdvancedBackup.ON:
            granted, needed = start, "dynamodb:StartAwsBackupJob"
        elif self.mode == AdvancedBackup.OFF:
            granted, needed = create, "dynamodb:CreateBackup"
        else:
            granted = tri_or([create, start])
            needed = "dynamodb:CreateBackup or dynamodb:StartAwsBackupJob"
        if granted is False:
            if docs:
                problems.append(
                    f"no policy of it allows {needed} on DynamoDB tables, or a Deny overrides it"
                )
            else:
                problems.append(f"it has no permissions policy, so nothing allows {needed}")
        elif granted is None:
            unknown += unknown_reasons(docs) or ["a policy statement cannot be read"]
        if problems:
            return "; ".join(problems), None
        if unknown:
            return None, f"policies of {role.address}: " + "; ".join(dict.fromkeys(unknown))
        return None, None

    # -- keys

    def judge_key(self, key: Entity, roles: list[Value]) -> tuple[str | None, str | None]:
        enabled = key.attrs.get("enabled")
        if isinstance(enabled, Value) and enabled.known and enabled.value is False:
            return f"its KMS key {key.address} is disabled", None
        policy = key.attrs.get("key_policy")
        if isinstance(policy, Value) and policy.known and policy.value is None:
            return None, None  # the default key policy delegates to the account

        def principal(kind: str, ident: Any) -> Tri:
            if kind != "AWS":
                return False
            if isinstance(ident, Value):
                role = referenced(ident, key, self.roles)
                if role is not None:
                    return any(referenced(r, key, [role]) is role for r in roles)
                return None
            text = str(ident)
            if _ROOT.match(text):
                return True
            return any(r.known and r.value == text for r in roles) or False

        doc = read(policy)
        verdict = allowed([doc], "kms:Decrypt", any_resource, principal=principal)
        if verdict is False:
            return (
                f"the key policy of {key.address} neither delegates to the account "
                "(arn:aws:iam::<account>:root) nor allows the backup role kms:Decrypt",
                None,
            )
        if verdict is None:
            why = "; ".join(unknown_reasons([doc])) or "a principal or statement is unknown"
            return None, f"key policy of {key.address}: {why}"
        return None, None


def _backup_principal(kind: str, ident: Any) -> Tri:
    if isinstance(ident, Value):
        return None
    if kind == "Service":
        return str(ident).lower() == BACKUP_SERVICE
    return kind == "AWS" and ident == "*"


def _advanced_mode(model: Model) -> AdvancedBackup | None:
    """On or off when every scanned region setting says so; None when they differ or none
    is scanned."""
    flags = {
        _known(e.attrs.get("dynamodb_advanced")) for e in model.of_kind(BACKUP_REGION_SETTINGS)
    }
    flags.discard(None)
    if flags == {True}:
        return AdvancedBackup.ON
    if flags == {False}:
        return AdvancedBackup.OFF
    return None


def _value(error: str | None, unknown: str | None, loc=None) -> Value:
    if error is None and unknown is not None:
        return Value.unknown_because(unknown, loc)
    return Value.of(error, loc)


def enrich_access(model: Model) -> None:
    """Fill ``role_address``/``role_error`` on selections and ``backup_key_error`` on tables."""

    access = Access(model)
    index = TableIndex(access.tables) if access.keys else None
    selections = model.of_kind(BACKUP_SELECTION)
    roles_of_table: dict[str, list[Value]] = {}
    for sel in selections:
        role_v = sel.attrs.get("iam_role")
        role = referenced(role_v, sel, access.roles)
        loc = role_v.loc if isinstance(role_v, Value) else None
        if role is None:
            sel.attrs["role_address"] = Value.of(None)
            sel.attrs["role_error"] = Value.of(None, loc)
        else:
            error, unknown = access.judge_role(role)
            sel.attrs["role_address"] = Value.of(role.address)
            sel.attrs["role_error"] = _value(error, unknown, loc)
        if index is not None and isinstance(role_v, Value):
            for t in selection_coverage(sel, index).tables:
                roles_of_table.setdefault(t, []).append(role_v)
    for table in access.tables:
        key_v = table.attrs.get("kms_key")
        key = referenced(key_v, table, access.keys)
        loc = key_v.loc if isinstance(key_v, Value) else None
        roles = roles_of_table.get(table.identity)
        if key is None or not roles:
            table.attrs["backup_key_error"] = Value.of(None, loc)
            continue
        error, unknown = access.judge_key(key, roles)
        table.attrs["backup_key_error"] = _value(error, unknown, loc)
