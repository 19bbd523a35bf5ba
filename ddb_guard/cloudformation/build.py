"""CloudFormation resources -> model entities (tables, replicas, backup plans/rules/...).

Every attribute :mod:`ddb_guard.entity_spec` lists for an entity's kind (except the enriched
and optional ones) is filled; what is not written is ``Value.absent(default)`` with the
spec's CloudFormation default. Strings ``"true"``/``"false"`` become
bools and numeric strings (``"35"``) ints; anything else stays as written so rules and
enrichment can report it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from typing import Any

from ddb_guard import entity_spec
from ddb_guard.cloudformation import build_iam
from ddb_guard.cloudformation.intrinsics import Resolver, intrinsic_name
from ddb_guard.cloudformation.resource import Resource
from ddb_guard.enums import Level
from ddb_guard.model import (
    BACKUP_PLAN,
    BACKUP_RULE,
    BACKUP_SELECTION,
    BACKUP_VAULT,
    CLOUDFORMATION,
    REPLICA,
    TABLE,
    Entity,
    Location,
    Notice,
    Value,
)

NO_REGION = "CloudFormation templates do not name a region"
_INT = re.compile(r"[+-]?\d+")
CONDITION_OPS = ("StringEquals", "StringLike", "StringNotEquals", "StringNotLike")


def _default(kind: str, name: str) -> Any:
    """The entity spec's CloudFormation default of an attribute."""
    return entity_spec.default(kind, name, CLOUDFORMATION)


def _absent(kind: str, name: str) -> Value:
    return entity_spec.absent(kind, name, CLOUDFORMATION)


class Builder:
    """Builds the entities of one template; collects notices instead of raising."""

    def __init__(self, resolver: Resolver, region: Value) -> None:
        self.r = resolver
        self.region = region
        self.notices: list[Notice] = []
        self.lines: list[str] | None = None  # the YAML source, when it has ddb-guard comments

    # ----------------------------------------------------------------- helpers

    def note(self, loc: Location | None, message: str, level: Level = Level.WARNING) -> None:
        line, column = (loc.line, loc.column) if loc else (0, 0)
        path = loc.path if loc else self.r.path
        self.notices.append(Notice(path, message, line, column, level=level))

    def boolean(self, container: Any, *keys: str, default: Any = False) -> Value:
        return as_bool(self.r.dig(container, *keys), default)

    def integer(self, container: Any, *keys: str, default: Any = None) -> Value:
        return as_int(self.r.dig(container, *keys), default)

    def text(
        self, container: Any, *keys: str, default: Any = None, wildcard: bool = False
    ) -> Value:
        value = self.r.dig(container, *keys, wildcard=wildcard)
        return Value.absent(default) if value is None else value

    def items(
        self, container: Any, key: str
    ) -> tuple[list[tuple[Any, Location | None]], Value | None]:
        """Entries of a list property: ([(raw item, loc)], unknown Value or None).

        Items that are ``Fn::If`` resolve to their branch; ``AWS::NoValue`` items drop out.
        """
        listed = self.r.get(container, key)
        if listed is None:
            return [], None
        if not listed.known:
            return [], listed
        if not isinstance(listed.value, list):
            return [], Value.unknown_because(f"{key} is not a list", listed.loc)
        out: list[tuple[Any, Location | None]] = []
        for i in range(len(listed.value)):
            item = self.r.get(listed.value, i)
            if item is None:
                continue
            if not item.known:
                out.append((item, item.loc))
            else:
                out.append((item.value, item.loc))
        return out, None

    def entity(
        self,
        res: Resource,
        kind: str,
        attrs: dict[str, Any],
        *,
        address: str = "",
        loc: Location | None = None,
        parent: str = "",
        suffix: str = "",
    ) -> Entity:
        return Entity(
            kind=kind,
            address=address or res.logical_id,
            resource_type=res.rtype,
            source=CLOUDFORMATION,
            loc=loc or res.loc,
            attrs=attrs,
            display_name=res.display_name + suffix if res.display_name else "",
            parent=parent,
            suppressions=list(res.suppressions),
            scope=self.r.path,
        )

    # ----------------------------------------------------------------- resource types

    def table(self, res: Resource) -> list[Entity]:
        """``AWS::DynamoDB::Table`` and SAM ``AWS::Serverless::SimpleTable``."""
        p = res.props
        simple = res.rtype == "AWS::Serverless::SimpleTable"
        spec = self.r.get(p, "PointInTimeRecoverySpecification")
        if spec is not None and not spec.known:
            pitr_enabled = pitr_days = spec
        else:
            pitr_enabled = self.boolean(
                p,
                "PointInTimeRecoverySpecification",
                "PointInTimeRecoveryEnabled",
                default=_default(TABLE, "pitr_enabled"),
            )
            pitr_days = self.integer(
                p,
                "PointInTimeRecoverySpecification",
                "RecoveryPeriodInDays",
                default=_default(TABLE, "pitr_days"),
            )
        table_name = self.text(p, "TableName")
        attrs = {
            "table_name": table_name,
            "pitr_enabled": pitr_enabled,
            "pitr_days": pitr_days,
            "deletion_protection": _absent(TABLE, "deletion_protection")
            if simple
            else self.boolean(
                p, "DeletionProtectionEnabled", default=_default(TABLE, "deletion_protection")
            ),
            "deletion_protection_supported": Value.of(not simple),
            "protection_per_replica": Value.of(False),
            **self.policies(res),
            "tags": self.tags(p),
            "region": self.region,
            "table_class": _absent(TABLE, "table_class")
            if simple
            else self.text(p, "TableClass", default=_default(TABLE, "table_class")),
            "arn_hint": self.arn_hint(res, table_name),
            "kms_key": build_iam.table_key(self, p),
        }
        return [self.entity(res, TABLE, attrs)]

    def global_table(self, res: Resource) -> list[Entity]:
        """``AWS::DynamoDB::GlobalTable``: a table entity (policies, tags) whose PITR and
        deletion protection live on its replicas (``protection_per_replica``; its own are
        ``absent(None)``, so table rules do not double-report), plus one replica entity per
        ``Replicas`` entry."""
        p = res.props
        table_name = self.text(p, "TableName")
        replicas, unknown = self.items(p, "Replicas")
        if unknown is not None:
            self.note(
                unknown.loc or res.loc,
                f"{res.logical_id}: Replicas cannot be read statically ({unknown.unknown})",
                level=Level.NOTE,
            )
        replica_tags = [self.tags(item) for item, _ in replicas if isinstance(item, Mapping)]
        tags = next((t for t in replica_tags if not t.default), _absent(TABLE, "tags"))
        attrs = {
            "table_name": table_name,
            # not applicable: set (and judged) on the replicas
            **{name: Value.absent(None) for name in entity_spec.PER_REPLICA},
            "deletion_protection_supported": Value.of(True),
            "protection_per_replica": Value.of(True),
            **self.policies(res),
            "tags": tags,
            "region": self.region,
            "table_class": _absent(TABLE, "table_class"),
            "arn_hint": self.arn_hint(res, table_name),
            "kms_key": build_iam.table_key(self, p),
        }
        entities = [self.entity(res, TABLE, attrs)]
        for index, (item, loc) in enumerate(replicas):
            if isinstance(item, Value):  # an unresolvable replica
                self.note(
                    loc,
                    f"{res.logical_id}: replica {index} cannot be read statically ({item.unknown})",
                    level=Level.NOTE,
                )
                continue
            if not isinstance(item, Mapping):
                self.note(loc, f"{res.logical_id}: replica {index} is not a mapping")
                continue
            region = self.text(item, "Region")
            key = region.value if region.known and isinstance(region.value, str) else index
            replica_attrs = {
                "region": region,
                "pitr_enabled": self.boolean(
                    item,
                    "PointInTimeRecoverySpecification",
                    "PointInTimeRecoveryEnabled",
                    default=_default(REPLICA, "pitr_enabled"),
                ),
                "deletion_protection": self.boolean(
                    item,
                    "DeletionProtectionEnabled",
                    default=_default(REPLICA, "deletion_protection"),
                ),
                "table_name": table_name,
            }
            entities.append(
                self.entity(
                    res,
                    REPLICA,
                    replica_attrs,
                    address=f"{res.logical_id}.Replicas[{key}]",
                    loc=loc,
                    parent=res.logical_id,
                    suffix=f".Replicas[{key}]",
                )
            )
        return entities

    def backup_plan(self, res: Resource) -> list[Entity]:
        """``AWS::Backup::BackupPlan``: the plan and one backup_rule per BackupPlanRule."""
        plan = self.r.get(res.props, "BackupPlan")
        body: Any = plan.value if plan is not None and plan.known else {}
        plan_name = self.text(body, "BackupPlanName")
        if plan is not None and not plan.known:
            plan_name = plan
        entities = [self.entity(res, BACKUP_PLAN, {"plan_name": plan_name, "region": self.region})]
        rules, unknown = (
            self.items(body, "BackupPlanRule") if isinstance(body, Mapping) else ([], None)
        )
        if unknown is not None or (plan is not None and not plan.known):
            why = unknown or plan
            self.note(
                why.loc if why else res.loc,
                f"{res.logical_id}: backup rules cannot be read statically "
                f"({why.unknown if why else ''})",
                level=Level.NOTE,
            )
        for index, (rule, loc) in enumerate(rules):
            if not isinstance(rule, Mapping):
                self.note(loc, f"{res.logical_id}: backup rule {index} is not a mapping")
                continue
            rule_name = self.text(rule, "RuleName")
            key = (
                rule_name.value if rule_name.known and isinstance(rule_name.value, str) else (index)
            )
            attrs = {
                "rule_name": rule_name,
                "plan_name": plan_name,
                **self.rule_settings(rule),
                "copy_actions": self.copy_actions(rule),
                "region": self.region,
            }
            entities.append(
                self.entity(
                    res,
                    BACKUP_RULE,
                    attrs,
                    address=f"{res.logical_id}.BackupPlanRule[{key}]",
                    loc=loc,
                    parent=res.logical_id,
                    suffix=f".BackupPlanRule[{key}]",
                )
            )
        return entities

    def rule_settings(self, rule: Mapping[str, Any]) -> dict[str, Value]:
        """The written settings of a ``BackupPlanRule``, or the spec's defaults."""

        def d(name: str) -> Any:
            return _default(BACKUP_RULE, name)

        return {
            "target_vault": self.text(rule, "TargetBackupVault", default=d("target_vault")),
            "schedule": self.text(rule, "ScheduleExpression", default=d("schedule")),
            "timezone": self.text(rule, "ScheduleExpressionTimezone", default=d("timezone")),
            "start_window": self.integer(rule, "StartWindowMinutes", default=d("start_window")),
            "completion_window": self.integer(
                rule, "CompletionWindowMinutes", default=d("completion_window")
            ),
            "continuous_backup": self.boolean(
                rule, "EnableContinuousBackup", default=d("continuous_backup")
            ),
            "cold_after": self.integer(
                rule, "Lifecycle", "MoveToColdStorageAfterDays", default=d("cold_after")
            ),
            "delete_after": self.integer(
                rule, "Lifecycle", "DeleteAfterDays", default=d("delete_after")
            ),
        }

    def copy_actions(self, rule: Mapping[str, Any]) -> list[dict[str, Any]]:
        actions, unknown = self.items(rule, "CopyActions")
        if unknown is not None:
            return [
                {
                    "destination_vault": unknown,
                    "cold_after": unknown,
                    "delete_after": unknown,
                    "loc": unknown.loc,
                }
            ]
        out = []
        for action, loc in actions:
            if isinstance(action, Value) or not isinstance(action, Mapping):
                why = (
                    action
                    if isinstance(action, Value)
                    else Value.unknown_because("copy action is not a mapping", loc)
                )
                out.append(
                    {"destination_vault": why, "cold_after": why, "delete_after": why, "loc": loc}
                )
                continue
            out.append(
                {
                    "destination_vault": self.text(action, "DestinationBackupVaultArn"),
                    "cold_after": self.integer(action, "Lifecycle", "MoveToColdStorageAfterDays"),
                    "delete_after": self.integer(action, "Lifecycle", "DeleteAfterDays"),
                    "loc": loc,
                }
            )
        return out

    def backup_selection(self, res: Resource) -> list[Entity]:
        """``AWS::Backup::BackupSelection``.

        ``resources``/``not_resources`` items are resolved with pseudo parameters as ``*``:
        ``!Sub arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/t`` becomes the
        known pattern ``arn:aws:dynamodb:*:*:table/t``; ``!GetAtt T.Arn`` / ``!Ref T`` are
        unknown with ``refs`` ``("T.Arn",)`` / ``("T",)``.
        """
        p = res.props
        sel_v = self.r.get(p, "BackupSelection")
        sel: Any = sel_v.value if sel_v is not None and sel_v.known else {}
        if sel_v is not None and not sel_v.known:
            self.note(
                sel_v.loc,
                f"{res.logical_id}: BackupSelection cannot be read statically ({sel_v.unknown})",
                level=Level.NOTE,
            )
        attrs = {
            "selection_name": self.text(sel, "SelectionName"),
            "plan": self.plan_ref(p),
            "resources": self.arn_list(sel, "Resources"),
            "not_resources": self.arn_list(sel, "NotResources"),
            "tags": self.selection_tags(sel),
            "conditions": self.selection_conditions(sel),
            "iam_role": self.text(sel, "IamRoleArn"),
        }
        return [self.entity(res, BACKUP_SELECTION, attrs)]

    def plan_ref(self, props: Mapping[str, Any]) -> Value:
        """``BackupPlanId``: ``!Ref P`` / ``!GetAtt P.BackupPlanId`` -> known "P"."""
        raw = props.get("BackupPlanId") if isinstance(props, Mapping) else None
        loc = self.r.loc_of(props, "BackupPlanId")
        name = intrinsic_name(raw)
        if name == "Ref" and isinstance(raw["Ref"], str) and raw["Ref"] in self.r.resources:
            return Value.of(raw["Ref"], loc)
        if name == "Fn::GetAtt":
            arg = raw["Fn::GetAtt"]
            target = (
                arg.split(".", 1)[0]
                if isinstance(arg, str)
                else (arg[0] if isinstance(arg, list) and arg else None)
            )
            if isinstance(target, str) and target in self.r.resources:
                return Value.of(target, loc)
        value = self.r.value(props, "BackupPlanId")
        return Value.absent(None) if value is None else value

    def arn_list(self, sel: Any, key: str) -> list[Value]:
        listed = self.r.get(sel, key)
        if listed is None:
            return []
        if not listed.known:
            return [listed]
        if not isinstance(listed.value, list):
            return [Value.unknown_because(f"{key} is not a list", listed.loc)]
        out = []
        for i in range(len(listed.value)):
            value = self.r.value(listed.value, i, wildcard=True)
            if value is not None:
                out.append(value)
        return out

    def selection_tags(self, sel: Any) -> list[Any]:
        items, unknown = self.items(sel, "ListOfTags")
        if unknown is not None:
            return [unknown]
        out: list[Any] = []
        for item, loc in items:
            if isinstance(item, Value) or not isinstance(item, Mapping):
                out.append(
                    item
                    if isinstance(item, Value)
                    else Value.unknown_because("ListOfTags entry is not a mapping", loc)
                )
                continue
            out.append(
                {
                    "type": self.text(item, "ConditionType", default="STRINGEQUALS"),
                    "key": self.text(item, "ConditionKey"),
                    "value": self.text(item, "ConditionValue"),
                }
            )
        return out

    def selection_conditions(self, sel: Any) -> list[Any]:
        conds = self.r.get(sel, "Conditions")
        if conds is None:
            return []
        if not conds.known:
            return [conds]
        out: list[Any] = []
        for op in CONDITION_OPS:
            items, unknown = (
                self.items(conds.value, op) if isinstance(conds.value, Mapping) else ([], None)
            )
            if unknown is not None:
                out.append(unknown)
            for item, loc in items:
                if isinstance(item, Value) or not isinstance(item, Mapping):
                    out.append(
                        item
                        if isinstance(item, Value)
                        else Value.unknown_because(f"{op} entry is not a mapping", loc)
                    )
                    continue
                out.append(
                    {
                        "op": op,
                        "key": self.text(item, "ConditionKey"),
                        "value": self.text(item, "ConditionValue"),
                    }
                )
        return out

    def backup_vault(self, res: Resource) -> list[Entity]:
        p = res.props
        attrs = {
            "vault_name": self.text(p, "BackupVaultName"),
            "region": self.region,
            "lock_min_days": self.integer(
                p,
                "LockConfiguration",
                "MinRetentionDays",
                default=_default(BACKUP_VAULT, "lock_min_days"),
            ),
            "lock_max_days": self.integer(
                p,
                "LockConfiguration",
                "MaxRetentionDays",
                default=_default(BACKUP_VAULT, "lock_max_days"),
            ),
        }
        return [self.entity(res, BACKUP_VAULT, attrs)]

    # ----------------------------------------------------------------- shared pieces

    def policies(self, res: Resource) -> dict[str, Value]:
        return {
            "deletion_policy": self.text(
                res.node, "DeletionPolicy", default=_default(TABLE, "deletion_policy")
            ),
            "update_replace_policy": self.text(
                res.node, "UpdateReplacePolicy", default=_default(TABLE, "update_replace_policy")
            ),
        }

    def tags(self, container: Any) -> Value:
        """``Tags``: a list of ``{Key, Value}`` (or SAM's mapping) -> Value of a dict."""
        tags = self.r.value(container, "Tags")
        if tags is None:
            return _absent(TABLE, "tags")
        if not tags.known:
            return tags
        if isinstance(tags.value, dict):
            return tags
        if not isinstance(tags.value, list):
            return Value.unknown_because("Tags is not a list", tags.loc)
        out: dict[Any, Any] = {}
        for item in tags.value:
            if isinstance(item, Value):
                return dataclasses.replace(item, loc=tags.loc)
            if isinstance(item, dict) and "Key" in item:
                key = item["Key"]
                if isinstance(key, Value):
                    return dataclasses.replace(key, loc=tags.loc)
                out[key] = item.get("Value", "")
        return dataclasses.replace(tags, value=out)

    def arn_hint(self, res: Resource, table_name: Value) -> Value:
        if table_name.known and isinstance(table_name.value, str) and table_name.value:
            return table_name
        return Value.of(res.logical_id, res.loc)


BUILDERS: dict[str, Callable[[Builder, Resource], list[Entity]]] = {
    "AWS::DynamoDB::Table": Builder.table,
    "AWS::Serverless::SimpleTable": Builder.table,
    "AWS::DynamoDB::GlobalTable": Builder.global_table,
    "AWS::Backup::BackupPlan": Builder.backup_plan,
    "AWS::Backup::BackupSelection": Builder.backup_selection,
    "AWS::Backup::BackupVault": Builder.backup_vault,
    **build_iam.BUILDERS,
}


def as_bool(value: Value | None, default: Any) -> Value:
    """Absent -> ``absent(default)``; ``"true"``/``"false"`` (any case) -> bool; any other
    string (``"${...}"`` left by a templating step, ``"yes"``) is unknown, never false."""
    if value is None:
        return Value.absent(default)
    if value.known and isinstance(value.value, str):
        text = value.value.strip().lower()
        if text in ("true", "false"):
            return dataclasses.replace(value, value=text == "true")
        return Value.unknown_because(
            f"{value.value!r} is not a boolean", value.loc, trace=value.trace
        )
    return value


def as_int(value: Value | None, default: Any) -> Value:
    """Absent -> ``absent(default)``; numeric strings -> int; anything else as written."""
    if value is None:
        return Value.absent(default)
    if value.known and isinstance(value.value, str) and _INT.fullmatch(value.value.strip()):
        return dataclasses.replace(value, value=int(value.value))
    return value
