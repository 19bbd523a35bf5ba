"""The entity contract: for each entity kind, the attributes rules can read.

One :class:`AttributeSpec` per attribute says its name, the type rules see (JMESPath reads
each Value's plain value; unknown -> null), the default a front-end records as
``Value.absent(default)`` when the attribute is not written, whether enrichment (not a
front-end) fills it, and what it means. Front-ends take their defaults from here
(:func:`default`, :func:`absent`), the rule validator checks that a rule names only
attributes of its kind (:func:`readable`), and docs/ARCHITECTURE.md shows
:func:`markdown_table` (a test keeps it current).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any

from ddb_guard.enums import Kind, Source
from ddb_guard.model import (
    BACKUP_PLAN,
    BACKUP_REGION_SETTINGS,
    BACKUP_RULE,
    BACKUP_SELECTION,
    BACKUP_VAULT,
    CLOUDFORMATION,
    IAM_ATTACHMENT,
    IAM_POLICY,
    IAM_ROLE,
    KMS_KEY,
    PARSE_ERROR,
    REPLICA,
    SUPPRESSION,
    TABLE,
    TERRAFORM,
    Value,
)


@dataclass(frozen=True, slots=True)
class AttributeSpec:
    """One attribute of an entity kind.

    ``default`` is what AWS or the provider uses when the attribute is not written (front-ends
    record ``Value.absent(default)``); ``source_defaults`` overrides it for one front-end
    (``(("terraform", 60),)``). ``enriched``: filled by enrichment, not by front-ends.
    ``optional``: filled only in the situation the description names (a plan's change).
    ``derived``: the front-end always computes it (from the resource type, the provider,
    the scan), so it is never absent and ``default`` does not apply.
    """

    name: str
    type: str  # the plain type rules see, e.g. "bool", "int|None", "list[str]"
    description: str
    default: Any = None
    enriched: bool = False
    optional: bool = False
    derived: bool = False
    source_defaults: tuple[tuple[Source, Any], ...] = ()

    def default_for(self, source: Source | str = "") -> Any:
        """The default of this attribute in ``source`` (terraform | cloudformation)."""
        value = dict(self.source_defaults).get(source, self.default)
        return copy.copy(value) if isinstance(value, (dict, list)) else value

    def absent(self, source: Source | str = "") -> Value:
        """The Value of this attribute when it is not written in ``source``."""
        return Value.absent(self.default_for(source))


def _a(name: str, type_: str, description: str, default: Any = None, **kw: Any) -> AttributeSpec:
    return AttributeSpec(name, type_, description, default, **kw)


def _e(name: str, type_: str, description: str) -> AttributeSpec:
    return AttributeSpec(name, type_, description, None, enriched=True)


# A table with ``protection_per_replica``: these are set (and judged) on its replicas; its
# own are absent(None), not the defaults below.
PER_REPLICA = ("pitr_enabled", "pitr_days", "deletion_protection")

_CFN_ONLY = "CloudFormation only; absent(None) in Terraform"
_REGION = "AWS region: the Terraform provider's region; unknown for CloudFormation"
_POLICY = "policy document (dict, JSON text or unknown)"

SPEC: dict[Kind, tuple[AttributeSpec, ...]] = {
    TABLE: (
        _a("table_name", "str", "the DynamoDB table name"),
        _a("pitr_enabled", "bool", "point-in-time recovery on", False),
        _a("pitr_days", "int", "PITR recovery window in days", 35),
        _a("deletion_protection", "bool", "deletion protection on", False),
        _a(
            "deletion_protection_supported",
            "bool",
            "the resource type has deletion protection (False for AWS::Serverless::SimpleTable)",
            derived=True,
        ),
        _a(
            "protection_per_replica",
            "bool",
            "PITR and deletion protection are set on each replica, not on the table "
            "(AWS::DynamoDB::GlobalTable): replica rules judge them, and the table's own "
            "pitr_enabled, pitr_days and deletion_protection are absent(None)",
            derived=True,
        ),
        _a(
            "deletion_policy",
            "str|None",
            f"DeletionPolicy ({_CFN_ONLY})",
            None,
            source_defaults=((CLOUDFORMATION, "Delete"),),
        ),
        _a(
            "update_replace_policy",
            "str|None",
            f"UpdateReplacePolicy ({_CFN_ONLY})",
            None,
            source_defaults=((CLOUDFORMATION, "Delete"),),
        ),
        _a("tags", "dict[str, str]", "the tags AWS sees (provider default_tags merged)", {}),
        _a("region", "str", _REGION, derived=True),
        _a("table_class", "str", "STANDARD | STANDARD_INFREQUENT_ACCESS", "STANDARD"),
        _a(
            "arn_hint",
            "str",
            "table name, else address/logical id: matches selection ARNs",
            derived=True,
        ),
        _a(
            "kms_key",
            "str|None",
            "customer-managed KMS key (ARN, id or reference; refs name a scanned key); "
            "None for AWS-owned and AWS-managed keys",
        ),
        _a(
            "pitr_enabled_before",
            "bool",
            "pitr_enabled before a planned change (Terraform plan JSON only)",
            False,
            optional=True,
        ),
        _a(
            "pitr_days_before",
            "int",
            "pitr_days before a planned change (Terraform plan JSON only; 0 reads as 35)",
            35,
            optional=True,
        ),
        _a(
            "deletion_protection_before",
            "bool",
            "deletion_protection before a planned change (Terraform plan JSON only)",
            False,
            optional=True,
        ),
        _e("size_gb", "float", "table size in GB; unknown when no source names the table"),
        _e("size_source", "str", "where size_gb came from"),
        _e(
            "backup_key_error",
            "str|None",
            "why the table's KMS key will refuse its backups (BKP009); None when fine",
        ),
    ),
    REPLICA: (
        _a("region", "str", "the replica's region"),
        _a("pitr_enabled", "bool", "PITR on this replica", False),
        _a("deletion_protection", "bool", "deletion protection on this replica", False),
        _a("table_name", "str", "the table name (of the parent global table)"),
    ),
    BACKUP_PLAN: (
        _a("plan_name", "str", "the plan name"),
        _a("region", "str", _REGION, derived=True),
    ),
    BACKUP_RULE: (
        _a("rule_name", "str", "the rule name"),
        _a("plan_name", "str", "the name of its plan"),
        _a("target_vault", "str", "target vault name"),
        _a("schedule", "str|None", "the schedule expression as written (cron(...))"),
        _a("timezone", "str", "schedule timezone", "Etc/UTC"),
        _a(
            "start_window",
            "int|None",
            "start window in minutes",
            None,
            source_defaults=((TERRAFORM, 60),),
        ),
        _a(
            "completion_window",
            "int|None",
            "completion window in minutes",
            None,
            source_defaults=((TERRAFORM, 180),),
        ),
        _a("continuous_backup", "bool", "continuous backup (PITR-style) on", False),
        _a("cold_after", "int|None", "days to cold storage (Terraform 0 means unset: None)"),
        _a("delete_after", "int|None", "days to deletion (None: never expires)"),
        _a(
            "copy_actions",
            "list[dict]",
            "{destination_vault, cold_after, delete_after, loc} per copy action",
            [],
        ),
        _a("region", "str", "AWS region of the plan: " + _REGION, derived=True),
        _e("schedule_info", "dict", "parsed schedule, runs per day, validity"),
        _e("retained", "dict", "full copies kept at steady state (warm/cold/copies)"),
        _e(
            "covers_dynamodb",
            "bool",
            "a selection of this plan covers DynamoDB (unknown when it cannot be known)",
        ),
        _e("covered_tables", "list[str]", "addresses of scanned tables this rule covers"),
        _e(
            "covered_table_ids",
            "list[str]",
            "identities of the covered tables (template#logical id in CloudFormation)",
        ),
        _e("coverage_reason", "str", "why the rule does or does not cover DynamoDB"),
        _e(
            "arn_tables",
            "list[dict]",
            "{name, region, arn, size_gb, size_source} of tables the plan's selections name "
            "only by a literal ARN, not scanned",
        ),
        _e(
            "effective_cold_after",
            "int|None",
            "cold_after as AWS applies it (None when advanced DynamoDB backup is off)",
        ),
        _e("cost", "dict", "monthly estimate"),
        _e("lifecycle_error", "str|None", "delete_after < cold_after + 90"),
        _e("retention_value_error", "str|None", "a lifecycle value AWS rejects"),
        _e("start_window_error", "str|None", "start window below 60 minutes"),
        _e("vault_lock_error", "str|None", "retention a vault lock rejects (BKP010)"),
    ),
    BACKUP_SELECTION: (
        _a("selection_name", "str", "the selection name"),
        _a(
            "plan",
            "str",
            "address/logical id of the referenced plan (unknown if unresolvable)",
            derived=True,
        ),
        _a("resources", "list[str]", "ARNs / references as written (resolved where possible)", []),
        _a("not_resources", "list[str]", "excluded ARNs / references", []),
        _a("tags", "list[dict]", "{type, key, value} (selection_tag / ListOfTags)", []),
        _a("conditions", "list[dict]", "{op, key, value} (condition / Conditions)", []),
        _a("iam_role", "str", "iam_role_arn / IamRoleArn as written (refs name a scanned role)"),
        _e(
            "role_error",
            "str|None",
            "why the backup role cannot back up DynamoDB (BKP008); None when it can or when "
            "the role is not defined in the scan",
        ),
        _e("role_address", "str|None", "address of the scanned role judged"),
    ),
    BACKUP_VAULT: (
        _a("vault_name", "str", "the vault name"),
        _a("region", "str", _REGION, derived=True),
        _a("lock_min_days", "int|None", "vault lock minimum retention"),
        _a("lock_max_days", "int|None", "vault lock maximum retention"),
    ),
    BACKUP_REGION_SETTINGS: (
        _a(
            "dynamodb_advanced",
            "bool|None",
            "resource_type_management_preference['DynamoDB'] (advanced DynamoDB backup)",
        ),
        _a("region", "str", _REGION, derived=True),
    ),
    PARSE_ERROR: (
        _a("message", "str", "what could not be read, and where", derived=True),
        _a("file", "str", "the file, as reported", derived=True),
    ),
    IAM_ROLE: (
        _a("role_name", "str", "the role name"),
        _a("trust_policy", "policy", f"{_POLICY}: assume_role_policy / AssumeRolePolicyDocument"),
        _a("inline_policies", "list[policy]", "inline_policy / Policies documents", []),
        _a("managed_policy_arns", "list[str]", "managed_policy_arns / ManagedPolicyArns", []),
    ),
    IAM_POLICY: (
        _a("policy_name", "str", "the policy name"),
        _a("document", "policy", _POLICY),
        _a(
            "roles",
            "list[str]",
            "roles it is attached to (aws_iam_role_policy.role, Roles of AWS::IAM::Policy)",
            [],
        ),
        _a("managed", "bool", "a managed policy that attachments can name by ARN", derived=True),
    ),
    IAM_ATTACHMENT: (
        _a("roles", "list[str]", "role names / references", []),
        _a("policy_arn", "str", "the attached policy ARN (refs name a scanned policy)"),
    ),
    KMS_KEY: (
        _a("key_policy", "policy|None", f"{_POLICY}; None: the default key policy"),
        _a("enabled", "bool", "the key is enabled", True),
    ),
    SUPPRESSION: (
        _a("rule", "str", "the rule id the in-source suppression names", derived=True),
        _a("reason", "str", "the reason written after it", derived=True),
        _a("rule_exists", "bool", "the rule id names a loaded rule", derived=True),
    ),
}


_BY_NAME = {kind: {a.name: a for a in specs} for kind, specs in SPEC.items()}


def attributes(kind: Kind) -> dict[str, AttributeSpec]:
    """The attributes of ``kind`` by name (empty for an unknown kind)."""
    return dict(_BY_NAME.get(kind, {}))


def spec(kind: Kind, name: str) -> AttributeSpec:
    """The spec of one attribute; a KeyError names a kind/attribute pair that does not exist."""
    found = _BY_NAME.get(kind, {}).get(name)
    if found is None:
        raise KeyError(f"{kind} has no attribute {name!r}")
    return found


def default(kind: Kind, name: str, source: Source | str = "") -> Any:
    """What a front-end records for ``name`` of ``kind`` when it is not written."""
    return spec(kind, name).default_for(source)


def absent(kind: Kind, name: str, source: Source | str = "") -> Value:
    """``Value.absent(default(kind, name, source))``."""
    return spec(kind, name).absent(source)


def front_end_owned(kind: Kind) -> frozenset[str]:
    """The attributes every front-end fills for ``kind`` (not enriched, not optional)."""
    return frozenset(a.name for a in SPEC.get(kind, ()) if not (a.enriched or a.optional))


def enriched(kind: Kind) -> frozenset[str]:
    return frozenset(a.name for a in SPEC.get(kind, ()) if a.enriched)


def readable(kind: Kind) -> frozenset[str]:
    """Every attribute a rule on ``kind`` may read (front-end, optional and enriched)."""
    return frozenset(a.name for a in SPEC.get(kind, ()))


def _cell(value: Any) -> str:
    return f"`{json.dumps(value)}`".replace("|", "\\|")


def markdown_table() -> str:
    """The entity spec as a Markdown table (docs/ARCHITECTURE.md shows it)."""
    rows = [
        "| kind | attribute | type | default when not written | filled by | meaning |",
        "|---|---|---|---|---|---|",
    ]
    for kind, specs in SPEC.items():
        for a in specs:
            if a.enriched:
                by, dflt = "enrich", ""
            elif a.derived:
                by, dflt = "model", "(always set)"
            else:
                by = "model (plan JSON only)" if a.optional else "model"
                dflt = _cell(a.default) + "".join(
                    f" ({src}: {_cell(v)})" for src, v in a.source_defaults
                )
            typ = a.type.replace("|", "\\|")
            what = a.description.replace("|", "\\|")
            rows.append(f"| {kind} | `{a.name}` | {typ} | {dflt} | {by} | {what} |")
    return "\n".join(rows) + "\n"
