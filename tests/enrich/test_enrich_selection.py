"""Which tables a backup plan's selections cover (three-valued)."""

from __future__ import annotations

import pytest
from enrich_builders import CLOUDFORMATION, plan, ref, selection, table, v

from ddb_guard.enrich.selection import plan_coverage, selection_coverage, selection_notices
from ddb_guard.model import Value

ORDERS = table("orders", tags={"backup": "daily", "env": "prod"})
USERS = table("users", tags={"backup": "weekly"})
TABLES = [ORDERS, USERS]


def cover(sel, tables=TABLES):
    return selection_coverage(sel, tables)


def test_terraform_reference_selects_its_table() -> None:
    c = cover(selection(resources=[ref("aws_dynamodb_table.orders.arn")]))
    assert c.covers is True and c.tables == ["aws_dynamodb_table.orders"]


def test_reference_with_index_and_module() -> None:
    t = table("t", address="module.db.aws_dynamodb_table.this[0]")
    c = cover(selection(resources=[ref("module.db.aws_dynamodb_table.this[0].arn")]), [t])
    assert c.tables == [t.address]


def test_cloudformation_getatt_and_ref() -> None:
    t = table("Orders", source=CLOUDFORMATION, region=None)
    assert cover(selection(resources=[ref("Orders.Arn")]), [t]).tables == ["Orders"]
    assert cover(selection(resources=[ref("Orders")]), [t]).tables == ["Orders"]


def test_literal_arn_matches_table_name() -> None:
    c = cover(selection(resources=["arn:aws:dynamodb:us-east-1:123456789012:table/orders"]))
    assert c.tables == ["aws_dynamodb_table.orders"]


def test_arn_in_other_region_does_not_match() -> None:
    c = cover(selection(resources=["arn:aws:dynamodb:eu-west-1:123456789012:table/orders"]))
    assert c.tables == []
    assert c.covers is True  # still names a DynamoDB table (outside the scan)


def test_sub_resolved_arn_with_pseudo_parameters() -> None:
    t = table("orders", source=CLOUDFORMATION, region=None)
    arn = "arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/orders"
    assert cover(selection(resources=[arn]), [t]).tables == ["orders"]


@pytest.mark.parametrize(
    "pattern", ["*", "arn:aws:dynamodb:*:*:table/*", "arn:aws:dynamodb:*:*:table/ord*"]
)
def test_wildcards(pattern: str) -> None:
    c = cover(selection(resources=[pattern]))
    assert "aws_dynamodb_table.orders" in c.tables
    assert c.covers is True


def test_not_resources_exclude() -> None:
    c = cover(
        selection(
            resources=["arn:aws:dynamodb:*:*:table/*"],
            not_resources=[ref("aws_dynamodb_table.users.arn")],
        )
    )
    assert c.tables == ["aws_dynamodb_table.orders"]


def test_not_resources_excluding_all_dynamodb() -> None:
    c = cover(selection(resources=["*"], not_resources=["arn:aws:dynamodb:*:*:table/*"]))
    assert c.covers is False


def test_other_service_is_not_dynamodb() -> None:
    c = cover(selection(resources=["arn:aws:rds:us-east-1:1:db:main", ref("aws_s3_bucket.b.arn")]))
    assert c.covers is False
    assert "name no DynamoDB table" in c.reason


def test_selection_tag_matches_table_tags() -> None:
    c = cover(selection(tags=[{"type": "STRINGEQUALS", "key": "backup", "value": "daily"}]))
    assert c.tables == ["aws_dynamodb_table.orders"]


def test_tag_no_match_is_false() -> None:
    c = cover(selection(tags=[{"type": "STRINGEQUALS", "key": "backup", "value": "never"}]))
    assert c.covers is False and "no scanned table matches" in c.reason


def test_conditions_and_resource_tag_prefix() -> None:
    c = cover(
        selection(
            resources=["arn:aws:dynamodb:*:*:table/*"],
            conditions=[
                {"op": "string_equals", "key": "aws:ResourceTag/env", "value": "prod"},
                {"op": "string_like", "key": "aws:ResourceTag/backup", "value": "da*"},
            ],
        )
    )
    assert c.tables == ["aws_dynamodb_table.orders"]


def test_string_not_equals_condition() -> None:
    c = cover(
        selection(
            resources=["*"],
            conditions=[{"op": "string_not_equals", "key": "backup", "value": "daily"}],
        )
    )
    assert c.tables == ["aws_dynamodb_table.users"]


def test_cloudformation_conditions_shape() -> None:
    sel = selection(resources=["*"])
    sel.attrs["conditions"] = Value.of(
        {"StringEquals": [{"ConditionKey": "aws:ResourceTag/backup", "ConditionValue": "weekly"}]}
    )
    assert cover(sel).tables == ["aws_dynamodb_table.users"]


def test_unknown_table_tags_make_coverage_unknown() -> None:
    t = table("x", tags=Value.unknown_because("depends on var.tags"))
    c = cover(selection(tags=[{"type": "STRINGEQUALS", "key": "backup", "value": "daily"}]), [t])
    assert c.covers is None and "var.tags" in c.reason


def test_unknown_resource_is_unknown() -> None:
    c = cover(selection(resources=[Value.unknown_because("depends on var.arns")]))
    assert c.covers is None and "var.arns" in c.reason


def test_variable_reference_is_unknown() -> None:
    c = cover(selection(resources=[ref("var.table_arn")]))
    assert c.covers is None


def test_reference_to_unscanned_dynamodb_table_covers_dynamodb() -> None:
    c = cover(selection(resources=[ref("data.aws_dynamodb_table.legacy.arn")]))
    assert c.covers is True and c.tables == []


def test_empty_selection_selects_everything() -> None:
    sel = selection()
    c = cover(sel)
    assert c.covers is True
    assert set(c.tables) == {"aws_dynamodb_table.orders", "aws_dynamodb_table.users"}
    notices = selection_notices([sel])
    assert len(notices) == 1 and "selects every supported" in notices[0].message
    assert notices[0].line == 20


def test_plan_without_selection_is_unknown() -> None:
    c = plan_coverage("aws_backup_plan.other", "terraform", [selection()], TABLES)
    assert c.covers is None
    assert c.reason == "no aws_backup_selection for this plan in the scanned files"
    c = plan_coverage("Plan", CLOUDFORMATION, [], TABLES)
    assert "AWS::Backup::BackupSelection" in c.reason


def test_plan_matched_through_refs_when_unresolved() -> None:
    sel = selection(
        plan_value=ref("aws_backup_plan.p.id"), resources=[ref("aws_dynamodb_table.orders.arn")]
    )
    assert plan_coverage("aws_backup_plan.p", "terraform", [sel], TABLES).covers is True


def test_selection_with_unresolvable_plan_makes_other_plans_unknown() -> None:
    sel = selection(plan_value=Value.unknown_because("plan_id is var.plan_id"))
    c = plan_coverage("aws_backup_plan.p", "terraform", [sel], TABLES)
    assert c.covers is None and "cannot be resolved" in c.reason


def test_plan_union_of_selections() -> None:
    a = selection(resources=["arn:aws:rds:us-east-1:1:db:x"], address="aws_backup_selection.a")
    b = selection(resources=[ref("aws_dynamodb_table.users.arn")], address="aws_backup_selection.b")
    c = plan_coverage("aws_backup_plan.p", "terraform", [a, b], TABLES)
    assert c.covers is True and c.tables == ["aws_dynamodb_table.users"]
    assert c.selections == ["aws_backup_selection.a", "aws_backup_selection.b"]


def test_resources_or_list_of_tags() -> None:
    c = cover(
        selection(
            resources=[ref("aws_dynamodb_table.users.arn")],
            tags=[{"type": "STRINGEQUALS", "key": "backup", "value": "daily"}],
        )
    )
    assert c.tables == ["aws_dynamodb_table.orders", "aws_dynamodb_table.users"]


def test_plan_value_literal() -> None:
    sel = selection(plan_value=v("aws_backup_plan.q"), resources=["*"])
    assert plan_coverage("aws_backup_plan.p", "terraform", [sel], TABLES).covers is None
    assert plan_coverage("aws_backup_plan.q", "terraform", [sel], TABLES).covers is True
    assert plan() is not None


def partly(*pieces: str | None) -> Value:
    return Value.unknown_because("depends on var.x, which has no default", pieces=pieces)


def test_partly_known_arn_of_another_service_is_not_dynamodb() -> None:
    c = cover(selection(resources=[partly("arn:aws:ec2:", None, ":1:instance/", None)]))
    assert c.covers is False and c.maybe == []
    cfn = partly("arn:*:ec2:*:*:instance/", None)  # !Sub with ${AWS::...} and ${Vm}
    assert cover(selection(resources=[cfn])).covers is False


def test_partly_known_dynamodb_arn_reaches_matching_tables_as_unknown() -> None:
    c = cover(selection(resources=[partly("arn:aws:dynamodb:us-east-1:1:table/", None, "ders")]))
    assert c.tables == [] and c.maybe == ["aws_dynamodb_table.orders"]
    assert c.covers is True  # it names a DynamoDB table, whichever
    assert cover(selection(resources=[partly("arn:aws:dynamodb:", None, ":1:table/x")])).maybe == []


def test_partly_known_arn_with_unknown_service_is_unknown() -> None:
    c = cover(selection(resources=[partly("arn:aws:", None, ":us-east-1:1:table/orders")]))
    assert c.covers is None and c.maybe == ["aws_dynamodb_table.orders"]
    assert "var.x" in c.reason


def test_partly_known_exclusion_makes_matching_tables_unknown() -> None:
    c = cover(
        selection(
            resources=["arn:aws:dynamodb:*:*:table/*"],
            not_resources=[partly("arn:aws:dynamodb:us-east-1:1:table/u", None)],
        )
    )
    assert c.tables == ["aws_dynamodb_table.orders"]
    assert c.maybe == ["aws_dynamodb_table.users"]


def test_partly_known_reference_to_a_table_still_names_it() -> None:
    arn = Value.unknown_because(
        "Ref Orders is known only at deploy time",
        refs=("Orders",),
        pieces=("arn:*:dynamodb:*:*:table/", None),
    )
    t = table("Orders", source=CLOUDFORMATION, region=None)
    assert cover(selection(resources=[arn]), [t]).tables == ["Orders"]
