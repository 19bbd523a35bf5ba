"""Evaluated Terraform resources (:class:`TfResource`) -> model entities.

Every attribute :mod:`ddb_guard.entity_spec` lists for an entity's kind (except the
enriched ones) is filled: a written value is kept as the front-end evaluated it (unknown
stays unknown with its reason), an attribute that is not written becomes
``Value.absent(default)`` with the spec's Terraform default. Values are never coerced into
a different type except Terraform's own string -> bool conversion
(``"true"``/``"false"``/``"1"``/``"0"``) for boolean arguments; a string or negative
retention stays as written so that enrichment can report it.

The optional table attributes ``pitr_enabled_before``, ``pitr_days_before`` and
``deletion_protection_before`` are filled only when the resource carries the state before a
planned change (``TfResource.before``, plan JSON); a ``recovery_period_in_days`` of 0 (the
plan's value while PITR is off) reads as the default.

Reference strings (``Value.refs``) are absolute addresses (``module.backup.aws_backup_plan.p.id``
inside a module), as the front-ends produce them; selections and replicas are linked to plans
and tables through them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from ddb_guard import entity_spec, model
from ddb_guard.model import Entity, Location, Value
from ddb_guard.terraform import iam_model
from ddb_guard.terraform.address import Address
from ddb_guard.terraform.attrs import attr as _attr
from ddb_guard.terraform.attrs import flag as _flag
from ddb_guard.terraform.attrs import to_bool as _bool
from ddb_guard.terraform.attrs import values as _values
from ddb_guard.terraform.iam_model import table_key
from ddb_guard.terraform.resource import TfBlock, TfResource

_TABLE_ARN = re.compile(r"^arn:aws[a-z-]*:dynamodb:[^:]*:[^:]*:table/([^/]+)")
_CONDITION_OPS = ("string_equals", "string_like", "string_not_equals", "string_not_like")


def _default(kind: str, name: str) -> Any:
    """The entity spec's Terraform default of an attribute."""
    return entity_spec.default(kind, name, model.TERRAFORM)


def _absent(kind: str, name: str) -> Value:
    return entity_spec.absent(kind, name, model.TERRAFORM)


# ---------------------------------------------------------------------------------------
# attribute access


def _nested(body: TfBlock | None, block_type: str) -> tuple[list[TfBlock], Value | None]:
    """The nested blocks of a type, and the unknown Value when a dynamic block is unresolved."""
    if body is None:
        return [], None
    return body.blocks.get(block_type, []), body.unknown_blocks.get(block_type)


def _unset_zero(v: Value) -> Value:
    """Backup lifecycle: the provider drops 0 (treated as unset) -> None."""
    if v.known and type(v.value) in (int, float) and v.value == 0:
        return Value(value=None, loc=v.loc, default=True, trace=v.trace)
    return v


def _tags(res: TfResource) -> Value:
    """``tags`` merged over the provider's ``default_tags`` (the resource's win), as AWS
    sees them; a plan's ``tags_all`` (default_tags merged already) wins if known."""
    body = res.body
    tags = _attr(body, "tags", _default(model.TABLE, "tags"))
    dt = res.default_tags
    if dt is not None and tags.known and isinstance(tags.value, dict):
        if not dt.known:
            return Value.unknown_because(
                f"the provider's default_tags: {dt.unknown}", dt.loc, trace=dt.trace, refs=dt.refs
            )
        if isinstance(dt.value, dict) and dt.value:
            merged = {**dt.value, **tags.value}
            trace = (*tags.trace, *(t for t in (dt.loc, *dt.trace) if t is not None))
            return Value(merged, tags.loc or dt.loc, None, False, trace, tags.refs)
    every = body.attrs.get("tags_all")
    if (
        every is not None
        and every.known
        and isinstance(every.value, dict)
        and tags.known
        and every.value != tags.value
    ):
        return Value(
            dict(every.value), tags.loc, None, tags.default and not every.value, tags.trace
        )
    return tags


def _region(res: TfResource) -> Value:
    """Provider v6 per-resource ``region`` argument if written, else the provider's region."""
    v = res.body.attrs.get("region")
    if v is not None and not (v.known and v.value is None):
        return v
    return res.region


# ---------------------------------------------------------------------------------------
# entities


class _Builder:
    """Builds the entities of one scan; keeps the lookups that cross resources."""

    def __init__(self, resources: list[TfResource]) -> None:
        self.resources = resources
        self.by_address = {r.address: r for r in resources}
        self.out: list[Entity] = []
        self.vaults: list[tuple[TfResource, Entity]] = []

    def entity(
        self,
        res: TfResource,
        kind: str,
        attrs: dict[str, Any],
        *,
        address: str = "",
        loc: Location | None = None,
        parent: str = "",
        exists: Value | None = None,
    ) -> Entity:
        loc = loc or res.body.loc
        related = list(res.related)
        report_loc = res.call_sites[0] if res.call_sites else None
        if report_loc is not None and not any(r[0] == loc for r in related):
            related.append((loc, "resource definition in the module"))
        ent = Entity(
            kind=kind,
            address=address or res.address,
            resource_type=res.type,
            source=model.TERRAFORM,
            loc=loc,
            attrs=attrs,
            display_name=res.display_name,
            parent=parent,
            suppressions=list(res.suppressions),
            related=related,
            report_loc=report_loc,
            exists=res.exists or exists,
        )
        self.out.append(ent)
        return ent

    def lookup(self, v: Value, rtype: str) -> str | None:
        """The address of a resource of ``rtype`` named by the refs of ``v``."""
        for ref in v.refs:
            target = Address.parse(ref)
            if target is not None and not target.data and target.type == rtype:
                return target.resource
        return None

    # -- DynamoDB -------------------------------------------------------------------

    def table(self, res: TfResource) -> None:
        body = res.body
        name = _attr(body, "name")
        t = model.TABLE
        pitr, days = _pitr(body)
        arn_hint = (
            Value.of(name.value, name.loc, trace=name.trace)
            if name.known and isinstance(name.value, str)
            else Value.of(res.address)
        )
        attrs: dict[str, Any] = {
            "table_name": name,
            "pitr_enabled": pitr,
            "pitr_days": days,
            "deletion_protection": _flag(
                body, "deletion_protection_enabled", _default(t, "deletion_protection")
            ),
            "deletion_protection_supported": Value.of(True),
            "protection_per_replica": Value.of(False),
            "deletion_policy": _absent(t, "deletion_policy"),
            "update_replace_policy": _absent(t, "update_replace_policy"),
            "tags": _tags(res),
            "region": _region(res),
            "table_class": _attr(body, "table_class", _default(t, "table_class")),
            "arn_hint": arn_hint,
            "kms_key": table_key(res),
        }
        if res.before is not None:
            attrs.update(_before(res.before))
        self.entity(res, model.TABLE, attrs)
        self.replicas(res, name)

    def replicas(self, res: TfResource, name: Value) -> None:
        """The ``replica`` blocks of a table (those a ``dynamic`` block may create too)."""
        body = res.body
        replicas, replicas_unknown = _nested(body, "replica")
        possible = body.possible.get("replica", [])
        for i, rep in enumerate([*replicas, *possible]):
            region = _attr(rep, "region_name")
            if region.default:
                region = Value.unknown_because(
                    f"replica block of {res.address} has no region_name", rep.loc
                )
            if region.known and isinstance(region.value, str):
                key = region.value
            else:
                key = "*" if rep.exists is not None else str(i)
            self.entity(
                res,
                model.REPLICA,
                _replica_attrs(rep, region, name),
                address=f"{res.address}.replica[{key}]",
                loc=rep.loc,
                parent=res.address,
                exists=rep.exists,
            )
        if replicas_unknown is not None and not possible:
            u = replicas_unknown
            self.entity(
                res,
                model.REPLICA,
                {"region": u, "pitr_enabled": u, "deletion_protection": u, "table_name": name},
                address=f"{res.address}.replica[*]",
                loc=u.loc or res.body.loc,
                parent=res.address,
            )

    def table_replica(self, res: TfResource) -> None:
        body = res.body
        arn = _attr(body, "global_table_arn")
        parent = self.lookup(arn, "aws_dynamodb_table") or ""
        m = _TABLE_ARN.match(arn.value) if arn.known and isinstance(arn.value, str) else None
        if m:
            table_name = Value.of(m.group(1), arn.loc, trace=arn.trace)
        elif parent and parent in self.by_address:
            table = self.by_address[parent]
            table_name = _attr(table.body, "name")
        elif arn.default:
            table_name = Value.unknown_because(
                f"{res.address} has no global_table_arn", res.body.loc
            )
        else:
            why = arn.unknown or f"global_table_arn {arn.value!r} is not a DynamoDB table ARN"
            table_name = Value.unknown_because(
                f"table name not resolvable from global_table_arn ({why})",
                arn.loc,
                trace=arn.trace,
                refs=arn.refs,
            )
        self.entity(
            res,
            model.REPLICA,
            _replica_attrs(body, _region(res), table_name),
            parent=parent,
        )

    # -- AWS Backup -----------------------------------------------------------------

    def backup_plan(self, res: TfResource) -> None:
        plan_name = _attr(res.body, "name")
        self.entity(res, model.BACKUP_PLAN, {"plan_name": plan_name, "region": _region(res)})
        rules, rules_unknown = _nested(res.body, "rule")
        possible = res.body.possible.get("rule", [])
        for i, rule in enumerate([*rules, *possible]):
            rule_name = _attr(rule, "rule_name")
            if rule_name.known and isinstance(rule_name.value, str):
                key: Any = rule_name.value
            else:
                key = "*" if rule.exists is not None else i
            self.entity(
                res,
                model.BACKUP_RULE,
                {**_rule_attrs(rule, rule_name, plan_name), "region": _region(res)},
                address=f"{res.address}.rule[{key}]",
                loc=rule.loc,
                parent=res.address,
                exists=rule.exists,
            )
        if rules_unknown is not None and not possible:
            u = rules_unknown
            attrs = {name: u for name in _RULE_WRITTEN}
            attrs["plan_name"] = plan_name
            attrs["region"] = _region(res)
            attrs["copy_actions"] = u
            self.entity(
                res,
                model.BACKUP_RULE,
                attrs,
                address=f"{res.address}.rule[*]",
                loc=u.loc or res.body.loc,
                parent=res.address,
            )

    def backup_selection(self, res: TfResource) -> None:
        body = res.body
        plan_id = _attr(body, "plan_id")
        plan_address = self.lookup(plan_id, "aws_backup_plan")
        if plan_address:
            plan = Value.of(plan_address, plan_id.loc, trace=plan_id.trace)
        elif plan_id.default:
            plan = Value.unknown_because(f"{res.address} has no plan_id", res.body.loc)
        elif plan_id.known:
            plan = Value.unknown_because(
                f"plan_id {plan_id.value!r} does not reference an aws_backup_plan of the scan",
                plan_id.loc,
                trace=plan_id.trace,
            )
        else:
            plan = Value.unknown_because(
                f"plan_id does not reference an aws_backup_plan ({plan_id.unknown})",
                plan_id.loc,
                trace=plan_id.trace,
                refs=plan_id.refs,
            )

        tag_blocks, tags_unknown = _nested(body, "selection_tag")
        tags: Any = (
            tags_unknown
            if tags_unknown is not None
            else [
                {
                    "type": _attr(b, "type"),
                    "key": _attr(b, "key"),
                    "value": _attr(b, "value"),
                }
                for b in tag_blocks
            ]
        )
        cond_blocks, cond_unknown = _nested(body, "condition")
        conditions: Any = (
            cond_unknown if cond_unknown is not None else list(_conditions(cond_blocks))
        )
        if not isinstance(conditions, Value):
            for block in cond_blocks:
                for op in _CONDITION_OPS:
                    if op in block.unknown_blocks:
                        conditions = block.unknown_blocks[op]
        self.entity(
            res,
            model.BACKUP_SELECTION,
            {
                "selection_name": _attr(body, "name"),
                "plan": plan,
                "resources": _values(_attr(body, "resources")),
                "not_resources": _values(_attr(body, "not_resources")),
                "tags": tags,
                "conditions": conditions,
                "iam_role": _attr(body, "iam_role_arn"),
            },
        )

    def backup_vault(self, res: TfResource) -> None:
        ent = self.entity(
            res,
            model.BACKUP_VAULT,
            {
                "vault_name": _attr(res.body, "name"),
                "region": _region(res),
                "lock_min_days": _absent(model.BACKUP_VAULT, "lock_min_days"),
                "lock_max_days": _absent(model.BACKUP_VAULT, "lock_max_days"),
            },
        )
        self.vaults.append((res, ent))

    def vault_lock(self, res: TfResource) -> None:
        """Attach the lock to its vault (by reference or by equal name), else its own entity."""
        vault_name = _attr(res.body, "backup_vault_name")
        lock = {
            "lock_min_days": _attr(
                res.body, "min_retention_days", _default(model.BACKUP_VAULT, "lock_min_days")
            ),
            "lock_max_days": _attr(
                res.body, "max_retention_days", _default(model.BACKUP_VAULT, "lock_max_days")
            ),
        }
        target = self.lookup(vault_name, "aws_backup_vault")
        for vault_res, vault in self.vaults:
            name = vault.attrs["vault_name"]
            same_name = (
                vault_name.known
                and not vault_name.default
                and name.known
                and name.value == vault_name.value
            )
            if vault_res.address == target or (target is None and same_name):
                vault.attrs.update(lock)
                vault.related.append((res.body.loc, "vault lock configuration"))
                return
        self.entity(
            res,
            model.BACKUP_VAULT,
            {"vault_name": vault_name, "region": _region(res), **lock},
        )

    def region_settings(self, res: TfResource) -> None:
        pref = _attr(res.body, "resource_type_management_preference")
        if not pref.known:
            advanced = pref
        elif isinstance(pref.value, dict) and "DynamoDB" in pref.value:
            item = pref.value["DynamoDB"]
            advanced = (
                item
                if isinstance(item, Value)
                else Value(item, pref.loc, None, pref.default, pref.trace)
            )
            advanced = _bool(advanced)
            if advanced.known and advanced.value is None:
                advanced = _absent(model.BACKUP_REGION_SETTINGS, "dynamodb_advanced")
        else:
            advanced = _absent(model.BACKUP_REGION_SETTINGS, "dynamodb_advanced")
        self.entity(
            res,
            model.BACKUP_REGION_SETTINGS,
            {"dynamodb_advanced": advanced, "region": _region(res)},
        )


_RULE_WRITTEN = (
    "rule_name",
    "target_vault",
    "schedule",
    "timezone",
    "start_window",
    "completion_window",
    "continuous_backup",
    "cold_after",
    "delete_after",
)


def _lifecycle(block: TfBlock) -> tuple[Value, Value]:
    """(cold_after, delete_after) from the ``lifecycle {}`` block of a rule or copy action."""
    found, unknown = _nested(block, "lifecycle")
    if found:
        life = found[0]
        return (
            _unset_zero(_attr(life, "cold_storage_after")),
            _unset_zero(_attr(life, "delete_after")),
        )
    if unknown is not None:
        return unknown, unknown
    return _absent(model.BACKUP_RULE, "cold_after"), _absent(model.BACKUP_RULE, "delete_after")


def _replica_attrs(block: TfBlock, region: Value, table_name: Value) -> dict[str, Any]:
    """A replica block of ``aws_dynamodb_table`` or an ``aws_dynamodb_table_replica``."""
    r = model.REPLICA
    return {
        "region": region,
        "pitr_enabled": _flag(block, "point_in_time_recovery", _default(r, "pitr_enabled")),
        "deletion_protection": _flag(
            block, "deletion_protection_enabled", _default(r, "deletion_protection")
        ),
        "table_name": table_name,
    }


def _rule_attrs(rule: TfBlock, rule_name: Value, plan_name: Value) -> dict[str, Any]:
    r = model.BACKUP_RULE
    cold, delete = _lifecycle(rule)
    copies: Any
    copy_blocks, copy_unknown = _nested(rule, "copy_action")
    if copy_unknown is not None:
        copies = copy_unknown
    else:
        copies = []
        for block in copy_blocks:
            c_cold, c_delete = _lifecycle(block)
            copies.append(
                {
                    "destination_vault": _attr(block, "destination_vault_arn"),
                    "cold_after": c_cold,
                    "delete_after": c_delete,
                    "loc": block.loc,
                }
            )
    return {
        "rule_name": rule_name,
        "plan_name": plan_name,
        "target_vault": _attr(rule, "target_vault_name"),
        "schedule": _attr(rule, "schedule"),
        "timezone": _attr(rule, "schedule_expression_timezone", _default(r, "timezone")),
        "start_window": _attr(rule, "start_window", _default(r, "start_window")),
        "completion_window": _attr(rule, "completion_window", _default(r, "completion_window")),
        "continuous_backup": _flag(
            rule, "enable_continuous_backup", _default(r, "continuous_backup")
        ),
        "cold_after": cold,
        "delete_after": delete,
        "copy_actions": copies,
    }


def _conditions(blocks: list[TfBlock]) -> Iterator[dict[str, Value]]:
    for block in blocks:
        for op in _CONDITION_OPS:
            for b in block.blocks.get(op, []):
                yield {
                    "op": Value.of(op, b.loc),
                    "key": _attr(b, "key"),
                    "value": _attr(b, "value"),
                }


_BUILDERS: dict[str, Callable[[_Builder, TfResource], None]] = {
    "aws_dynamodb_table": _Builder.table,
    "aws_dynamodb_table_replica": _Builder.table_replica,
    "aws_backup_plan": _Builder.backup_plan,
    "aws_backup_selection": _Builder.backup_selection,
    "aws_backup_vault": _Builder.backup_vault,
    "aws_backup_region_settings": _Builder.region_settings,
    **iam_model.BUILDERS,
}


def to_entities(resources: list[TfResource]) -> list[Entity]:
    """Map evaluated Terraform resources to model entities, in resource order.

    Unsupported resource types are skipped. Vault lock configurations are applied after all
    vaults exist (they attach to the vault they name, or become a vault entity themselves).
    """
    builder = _Builder(resources)
    locks: list[TfResource] = []
    for res in resources:
        if res.type == "aws_backup_vault_lock_configuration":
            locks.append(res)
            continue
        build = _BUILDERS.get(res.type)
        if build is not None:
            build(builder, res)
    for res in locks:
        builder.vault_lock(res)
    return builder.out


def _pitr(body: TfBlock) -> tuple[Value, Value]:
    """A table's ``point_in_time_recovery``: (enabled, recovery period in days)."""
    t = model.TABLE
    pitr_blocks, pitr_unknown = _nested(body, "point_in_time_recovery")
    if pitr_blocks:
        pitr = _flag(pitr_blocks[0], "enabled", _default(t, "pitr_enabled"))
        days = _attr(pitr_blocks[0], "recovery_period_in_days", _default(t, "pitr_days"))
        if days.default and days.value in (None, 0):  # plan: computed 0 when PITR is off
            days = _absent(t, "pitr_days")
        return pitr, days
    if pitr_unknown is not None:
        return pitr_unknown, pitr_unknown
    return _absent(t, "pitr_enabled"), _absent(t, "pitr_days")


def _before(before: TfBlock) -> dict[str, Value]:
    """The ``*_before`` attributes of a table a plan changes (see the module docstring)."""
    t = model.TABLE
    before_pitr = before.first("point_in_time_recovery")
    days_before = _attr(before_pitr, "recovery_period_in_days", _default(t, "pitr_days_before"))
    if days_before.known and days_before.value in (None, 0):
        days_before = _absent(t, "pitr_days_before")
    return {
        "pitr_enabled_before": (
            _flag(before_pitr, "enabled", _default(t, "pitr_enabled_before"))
            if before_pitr
            else _absent(t, "pitr_enabled_before")
        ),
        "pitr_days_before": days_before,
        "deletion_protection_before": _flag(
            before, "deletion_protection_enabled", _default(t, "deletion_protection_before")
        ),
    }
