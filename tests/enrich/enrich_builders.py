"""Hand-built model entities for enrichment tests."""

from __future__ import annotations

from typing import Any

from ddb_guard.model import (
    BACKUP_PLAN,
    BACKUP_REGION_SETTINGS,
    BACKUP_RULE,
    BACKUP_SELECTION,
    CLOUDFORMATION,
    REPLICA,
    TABLE,
    TERRAFORM,
    Entity,
    Location,
    Value,
)

LOC = Location("main.tf", 1)


def v(x: Any, line: int = 1) -> Value:
    return Value.of(x, Location("main.tf", line))


def ref(*refs: str) -> Value:
    return Value.unknown_because("reference resolved at apply time", refs=refs)


def table(
    name: str,
    *,
    address: str | None = None,
    region: str | None = "us-east-1",
    tags: dict[str, str] | Value | None = None,
    pitr: bool = False,
    source: str = TERRAFORM,
) -> Entity:
    address = address or (f"aws_dynamodb_table.{name}" if source == TERRAFORM else name)
    return Entity(
        TABLE,
        address,
        "aws_dynamodb_table" if source == TERRAFORM else "AWS::DynamoDB::Table",
        source,
        LOC,
        {
            "table_name": v(name),
            "region": v(region) if region else Value.unknown_because("no region in template"),
            "tags": tags if isinstance(tags, Value) else Value.of(dict(tags or {})),
            "pitr_enabled": v(pitr) if pitr else Value.absent(False),
            "arn_hint": v(name),
        },
    )


def replica(parent: Entity, region: str, pitr: bool) -> Entity:
    return Entity(
        REPLICA,
        f"{parent.address}.replica[{region}]",
        parent.resource_type,
        parent.source,
        LOC,
        {"region": v(region), "pitr_enabled": v(pitr), "table_name": parent.attrs["table_name"]},
        parent=parent.address,
    )


def plan(address: str = "aws_backup_plan.p", source: str = TERRAFORM) -> Entity:
    return Entity(BACKUP_PLAN, address, "aws_backup_plan", source, LOC, {"plan_name": v("p")})


def rule(
    schedule: Any = "cron(0 5 ? * * *)",
    *,
    delete_after: Any = 30,
    cold_after: Any = None,
    copy_actions: Any = None,
    plan_address: str = "aws_backup_plan.p",
    name: str = "daily",
    start_window: Any = 60,
    timezone: str = "Etc/UTC",
    source: str = TERRAFORM,
) -> Entity:
    def val(x: Any) -> Value:
        if isinstance(x, Value):
            return x
        return Value.absent(None) if x is None else v(x, 5)

    return Entity(
        BACKUP_RULE,
        f"{plan_address}.rule[{name}]",
        "aws_backup_plan",
        source,
        Location("main.tf", 3),
        {
            "rule_name": v(name),
            "plan_name": v("p"),
            "target_vault": v("vault"),
            "schedule": val(schedule),
            "timezone": Value.absent(timezone) if timezone == "Etc/UTC" else v(timezone),
            "start_window": val(start_window),
            "completion_window": Value.absent(180),
            "continuous_backup": Value.absent(False),
            "cold_after": val(cold_after),
            "delete_after": val(delete_after),
            "copy_actions": copy_actions if copy_actions is not None else [],
        },
        parent=plan_address,
    )


def copy_action(vault_arn: Any, delete_after: Any = None, cold_after: Any = None) -> dict:
    def val(x: Any) -> Value:
        if isinstance(x, Value):
            return x
        return Value.absent(None) if x is None else v(x, 9)

    return {
        "destination_vault": val(vault_arn),
        "cold_after": val(cold_after),
        "delete_after": val(delete_after),
        "loc": Location("main.tf", 9),
    }


def selection(
    *,
    plan_value: Value | None = None,
    resources: list[Any] | Value | None = None,
    not_resources: list[Any] | None = None,
    tags: list[dict[str, Any]] | Value | None = None,
    conditions: list[dict[str, Any]] | Value | None = None,
    address: str = "aws_backup_selection.s",
    source: str = TERRAFORM,
) -> Entity:
    def wrap(items):
        if items is None:
            return []
        if isinstance(items, Value):
            return items
        return [i if isinstance(i, (Value, dict)) else v(i) for i in items]

    return Entity(
        BACKUP_SELECTION,
        address,
        "aws_backup_selection",
        source,
        Location("main.tf", 20),
        {
            "selection_name": v("s"),
            "plan": plan_value if plan_value is not None else v("aws_backup_plan.p"),
            "resources": wrap(resources),
            "not_resources": wrap(not_resources),
            "tags": tags
            if isinstance(tags, Value)
            else [{k: v(x) for k, x in t.items()} for t in (tags or [])],
            "conditions": conditions
            if isinstance(conditions, Value)
            else [{k: v(x) for k, x in c.items()} for c in (conditions or [])],
        },
    )


def region_settings(advanced: bool | None, region: str = "us-east-1") -> Entity:
    return Entity(
        BACKUP_REGION_SETTINGS,
        "aws_backup_region_settings.r",
        "aws_backup_region_settings",
        TERRAFORM,
        LOC,
        {
            "dynamodb_advanced": Value.absent(None) if advanced is None else v(advanced),
            "region": v(region),
        },
    )


__all__ = ["CLOUDFORMATION", "TERRAFORM"]
