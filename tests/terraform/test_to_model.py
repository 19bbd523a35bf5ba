"""to_model: hand-built TfResource objects -> entities, one mapping at a time."""

from __future__ import annotations

import pytest

from ddb_guard import entity_spec, model
from ddb_guard.model import Location, Suppression, Value
from ddb_guard.terraform.resource import TfBlock, TfResource
from ddb_guard.terraform.to_model import to_entities


def L(line: int) -> Location:
    return Location("main.tf", line, 3)


def V(value: object, line: int = 1) -> Value:
    return Value.of(value, L(line))


def U(reason: str = "depends on var.x, which has no default", *refs: str) -> Value:
    return Value.unknown_because(reason, L(99), refs=refs)


def block(btype: str, line: int = 1, attrs=None, blocks=None, unknown=None, labels=()) -> TfBlock:
    return TfBlock(btype, L(line), labels, attrs or {}, blocks or {}, unknown or {})


def resource(rtype: str, name: str, attrs=None, blocks=None, unknown=None, **kw) -> TfResource:
    address = kw.pop("address", f"{rtype}.{name}")
    body = block("resource", 10, attrs, blocks, unknown, labels=(rtype, name))
    return TfResource(address, rtype, name, body, **kw)


def by_kind(entities, kind):
    return [e for e in entities if e.kind == kind]


def only(entities, kind):
    found = by_kind(entities, kind)
    assert len(found) == 1, found
    return found[0]


def assert_complete(entity):
    missing = entity_spec.front_end_owned(entity.kind) - set(entity.attrs)
    assert not missing, f"{entity.address} misses {missing}"
    extra = set(entity.attrs) - entity_spec.readable(entity.kind)
    assert not extra, f"{entity.address} has attributes the spec does not list: {extra}"


# --- aws_dynamodb_table ----------------------------------------------------------------


def test_table_without_anything_uses_provider_defaults():
    res = resource("aws_dynamodb_table", "t", {"name": V("orders", 11)}, region=V("eu-west-1"))
    table = only(to_entities([res]), model.TABLE)
    assert_complete(table)
    a = table.attrs
    assert a["table_name"] == V("orders", 11)
    assert a["pitr_enabled"] == Value.absent(False)
    assert a["pitr_days"] == Value.absent(35)
    assert a["deletion_protection"] == Value.absent(False)
    assert a["deletion_protection_supported"].value is True
    assert a["deletion_policy"] == Value.absent(None)
    assert a["update_replace_policy"] == Value.absent(None)
    assert a["tags"] == Value.absent({})
    assert a["region"] == V("eu-west-1")
    assert a["table_class"] == Value.absent("STANDARD")
    assert a["arn_hint"].value == "orders"
    assert "pitr_enabled_before" not in a
    assert table.source == "terraform"
    assert table.resource_type == "aws_dynamodb_table"
    assert table.loc == L(10)
    assert table.report_loc is None


def test_table_written_values_are_kept():
    pitr = block(
        "point_in_time_recovery", 14, {"enabled": V(True, 15), "recovery_period_in_days": V(7, 16)}
    )
    res = resource(
        "aws_dynamodb_table",
        "t",
        {
            "name": V("orders"),
            "deletion_protection_enabled": V(True, 12),
            "table_class": V("STANDARD_INFREQUENT_ACCESS", 13),
            "tags": V({"backup": "daily"}, 17),
        },
        {"point_in_time_recovery": [pitr]},
    )
    a = only(to_entities([res]), model.TABLE).attrs
    assert a["pitr_enabled"] == V(True, 15)
    assert a["pitr_days"] == V(7, 16)
    assert a["deletion_protection"] == V(True, 12)
    assert a["table_class"] == V("STANDARD_INFREQUENT_ACCESS", 13)
    assert a["tags"] == V({"backup": "daily"}, 17)


def test_pitr_block_with_written_false_is_not_a_default():
    pitr = block("point_in_time_recovery", 14, {"enabled": V(False, 15)})
    res = resource("aws_dynamodb_table", "t", {"name": V("x")}, {"point_in_time_recovery": [pitr]})
    a = only(to_entities([res]), model.TABLE).attrs
    assert a["pitr_enabled"] == V(False, 15) and not a["pitr_enabled"].default
    assert a["pitr_days"] == Value.absent(35)


def test_string_booleans_are_converted_like_terraform():
    pitr = block("point_in_time_recovery", 14, {"enabled": V("true", 15)})
    res = resource(
        "aws_dynamodb_table",
        "t",
        {"name": V("x"), "deletion_protection_enabled": V("false", 12)},
        {"point_in_time_recovery": [pitr]},
    )
    a = only(to_entities([res]), model.TABLE).attrs
    assert a["pitr_enabled"] == V(True, 15)
    assert a["deletion_protection"] == V(False, 12)


def test_pitr_enabled_unknown_stays_unknown():
    pitr = block("point_in_time_recovery", 14, {"enabled": U("depends on var.pitr")})
    res = resource("aws_dynamodb_table", "t", {"name": V("x")}, {"point_in_time_recovery": [pitr]})
    a = only(to_entities([res]), model.TABLE).attrs
    assert a["pitr_enabled"].unknown == "depends on var.pitr"


def test_dynamic_pitr_block_with_unknown_for_each():
    why = U("dynamic block for_each depends on var.pitr_blocks")
    res = resource(
        "aws_dynamodb_table", "t", {"name": V("x")}, unknown={"point_in_time_recovery": why}
    )
    a = only(to_entities([res]), model.TABLE).attrs
    assert a["pitr_enabled"].unknown == why.unknown
    assert a["pitr_days"].unknown == why.unknown


def test_null_attribute_is_the_provider_default_with_its_location():
    res = resource(
        "aws_dynamodb_table", "t", {"name": V("x"), "deletion_protection_enabled": V(None, 12)}
    )
    dp = only(to_entities([res]), model.TABLE).attrs["deletion_protection"]
    assert dp.value is False and dp.default and dp.loc == L(12)


def test_unknown_name_gives_address_as_arn_hint():
    res = resource("aws_dynamodb_table", "t", {"name": U()})
    a = only(to_entities([res]), model.TABLE).attrs
    assert not a["table_name"].known
    assert a["arn_hint"].value == "aws_dynamodb_table.t"


def test_tags_all_from_a_plan_wins_over_tags():
    res = resource(
        "aws_dynamodb_table",
        "t",
        {"name": V("x"), "tags": V({"a": "1"}, 12), "tags_all": V({"a": "1", "backup": "yes"})},
    )
    tags = only(to_entities([res]), model.TABLE).attrs["tags"]
    assert tags.value == {"a": "1", "backup": "yes"} and tags.loc == L(12)


def test_resource_region_argument_overrides_provider_region():
    res = resource(
        "aws_dynamodb_table",
        "t",
        {"name": V("x"), "region": V("ap-south-1", 12)},
        region=V("us-east-1"),
    )
    assert only(to_entities([res]), model.TABLE).attrs["region"] == V("ap-south-1", 12)


def test_module_resource_is_reported_at_the_outermost_call():
    call, inner = Location("main.tf", 3, 1), Location("modules/t/main.tf", 1, 1)
    sup = Suppression("DDB001", "dev only", L(9))
    res = resource(
        "aws_dynamodb_table",
        "this",
        {"name": V("x")},
        address="module.users.aws_dynamodb_table.this",
        call_sites=(call, inner),
        related=[(inner, "module call")],
        suppressions=[sup],
        display_name="Stack/Users",
    )
    table = only(to_entities([res]), model.TABLE)
    assert table.address == "module.users.aws_dynamodb_table.this"
    assert table.report_loc == call
    assert table.loc == L(10)
    assert (inner, "module call") in table.related
    assert any(loc == L(10) for loc, _ in table.related)
    assert table.suppressions == [sup] and table.suppressions is not res.suppressions
    assert table.display_name == "Stack/Users"


def test_before_values_give_extra_attributes():
    before = block(
        "resource",
        10,
        {"deletion_protection_enabled": V(True)},
        {"point_in_time_recovery": [block("point_in_time_recovery", 1, {"enabled": V(True)})]},
    )
    res = resource("aws_dynamodb_table", "t", {"name": V("x")}, before=before)
    a = only(to_entities([res]), model.TABLE).attrs
    assert a["pitr_enabled_before"].value is True
    assert a["deletion_protection_before"].value is True
    assert a["pitr_enabled"] == Value.absent(False)

    res2 = resource("aws_dynamodb_table", "t", {"name": V("x")}, before=block("resource", 10))
    a2 = only(to_entities([res2]), model.TABLE).attrs
    assert a2["pitr_enabled_before"] == Value.absent(False)
    assert a2["deletion_protection_before"] == Value.absent(False)


# --- replicas --------------------------------------------------------------------------


def test_replica_blocks_become_replica_entities_with_their_own_defaults():
    pitr = block("point_in_time_recovery", 14, {"enabled": V(True)})
    reps = [
        block("replica", 20, {"region_name": V("eu-west-1", 21)}),
        block(
            "replica",
            23,
            {
                "region_name": V("ap-south-1", 24),
                "point_in_time_recovery": V(True, 25),
                "deletion_protection_enabled": V("true", 26),
            },
        ),
        block("replica", 28, {"region_name": U("depends on var.region")}),
    ]
    sup = Suppression("DDB003", "replicas are disposable", L(9))
    res = resource(
        "aws_dynamodb_table",
        "g",
        {"name": V("global")},
        {"point_in_time_recovery": [pitr], "replica": reps},
        suppressions=[sup],
    )
    replicas = by_kind(to_entities([res]), model.REPLICA)
    assert [r.address for r in replicas] == [
        "aws_dynamodb_table.g.replica[eu-west-1]",
        "aws_dynamodb_table.g.replica[ap-south-1]",
        "aws_dynamodb_table.g.replica[2]",
    ]
    first, second, third = replicas
    for r in replicas:
        assert_complete(r)
        assert r.parent == "aws_dynamodb_table.g"
        assert r.suppressions == [sup]
        assert r.attrs["table_name"].value == "global"
    assert first.loc == L(20)
    assert first.attrs["region"] == V("eu-west-1", 21)
    # not inherited from the table's PITR block
    assert first.attrs["pitr_enabled"] == Value.absent(False)
    assert first.attrs["deletion_protection"] == Value.absent(False)
    assert second.attrs["pitr_enabled"] == V(True, 25)
    assert second.attrs["deletion_protection"] == V(True, 26)
    assert not third.attrs["region"].known


def test_dynamic_replica_block_with_unknown_for_each_gives_an_unknown_replica():
    why = U("for_each depends on var.regions")
    res = resource("aws_dynamodb_table", "g", {"name": V("global")}, unknown={"replica": why})
    rep = only(to_entities([res]), model.REPLICA)
    assert rep.address == "aws_dynamodb_table.g.replica[*]"
    assert rep.attrs["pitr_enabled"].unknown == why.unknown
    assert_complete(rep)


def test_table_replica_resource_resolves_table_name_from_the_reference():
    table = resource(
        "aws_dynamodb_table", "g", {"name": V("global")}, address="module.m.aws_dynamodb_table.g"
    )
    rep = resource(
        "aws_dynamodb_table_replica",
        "r",
        {
            "global_table_arn": U("known after apply", "module.m.aws_dynamodb_table.g.arn"),
            "point_in_time_recovery": V(True, 31),
        },
        address="module.m.aws_dynamodb_table_replica.r",
        region=V("eu-central-1"),
    )
    ent = only(to_entities([table, rep]), model.REPLICA)
    assert_complete(ent)
    assert ent.address == "module.m.aws_dynamodb_table_replica.r"
    assert ent.parent == "module.m.aws_dynamodb_table.g"
    assert ent.attrs["table_name"].value == "global"
    assert ent.attrs["region"] == V("eu-central-1")
    assert ent.attrs["pitr_enabled"] == V(True, 31)
    assert ent.attrs["deletion_protection"] == Value.absent(False)


def test_table_replica_resource_reads_the_name_from_a_literal_arn():
    arn = V("arn:aws:dynamodb:us-east-1:123456789012:table/Orders", 30)
    rep = resource("aws_dynamodb_table_replica", "r", {"global_table_arn": arn})
    a = only(to_entities([rep]), model.REPLICA).attrs
    assert a["table_name"] == V("Orders", 30)
    assert a["pitr_enabled"] == Value.absent(False)


def test_table_replica_resource_with_unresolvable_arn():
    rep = resource("aws_dynamodb_table_replica", "r", {"global_table_arn": U("depends on var.arn")})
    a = only(to_entities([rep]), model.REPLICA).attrs
    assert "depends on var.arn" in a["table_name"].unknown


# --- backup plans and rules ------------------------------------------------------------


def test_backup_plan_and_rules():
    rule = block(
        "rule",
        40,
        {
            "rule_name": V("daily", 41),
            "target_vault_name": V("main", 42),
            "schedule": V("cron(0 5 ? * * *)", 43),
        },
        {
            "lifecycle": [
                block("lifecycle", 44, {"cold_storage_after": V(0, 45), "delete_after": V(35, 46)})
            ],
            "copy_action": [
                block(
                    "copy_action",
                    48,
                    {"destination_vault_arn": V("arn:aws:backup:eu-west-1:1:backup-vault:dr", 49)},
                    {"lifecycle": [block("lifecycle", 50, {"delete_after": V(90, 51)})]},
                ),
                block("copy_action", 53, {"destination_vault_arn": V("arn:other", 54)}),
            ],
        },
    )
    rule2 = block(
        "rule",
        60,
        {
            "rule_name": V("hourly", 61),
            "schedule_expression_timezone": V("Europe/Paris", 62),
            "start_window": V(120, 63),
            "completion_window": V(600, 64),
            "enable_continuous_backup": V(True, 65),
        },
    )
    plan = resource("aws_backup_plan", "p", {"name": V("plan", 11)}, {"rule": [rule, rule2]})
    ents = to_entities([plan])
    p = only(ents, model.BACKUP_PLAN)
    assert p.attrs == {"plan_name": V("plan", 11), "region": plan.region}
    rules = by_kind(ents, model.BACKUP_RULE)
    assert [r.address for r in rules] == [
        "aws_backup_plan.p.rule[daily]",
        "aws_backup_plan.p.rule[hourly]",
    ]
    daily, hourly = rules
    for r in rules:
        assert_complete(r)
        assert r.parent == "aws_backup_plan.p"
        assert r.attrs["plan_name"] == V("plan", 11)
    d = daily.attrs
    assert daily.loc == L(40)
    assert d["rule_name"] == V("daily", 41)
    assert d["target_vault"] == V("main", 42)
    assert d["schedule"] == V("cron(0 5 ? * * *)", 43)
    assert d["timezone"] == Value.absent("Etc/UTC")
    assert d["start_window"] == Value.absent(60)
    assert d["completion_window"] == Value.absent(180)
    assert d["continuous_backup"] == Value.absent(False)
    assert d["cold_after"].value is None and d["cold_after"].loc == L(45)  # 0 = unset
    assert d["delete_after"] == V(35, 46)
    c1, c2 = d["copy_actions"]
    assert c1["destination_vault"] == V("arn:aws:backup:eu-west-1:1:backup-vault:dr", 49)
    assert c1["delete_after"] == V(90, 51)
    assert c1["cold_after"] == Value.absent(None)
    assert c1["loc"] == L(48)
    assert c2["delete_after"] == Value.absent(None)
    h = hourly.attrs
    assert h["timezone"] == V("Europe/Paris", 62)
    assert h["start_window"] == V(120, 63)
    assert h["completion_window"] == V(600, 64)
    assert h["continuous_backup"] == V(True, 65)
    assert h["cold_after"] == Value.absent(None) and h["delete_after"] == Value.absent(None)
    assert h["copy_actions"] == []
    assert h["schedule"] == Value.absent(None)


@pytest.mark.parametrize("bad", [-1, "35", "thirty", 3.5])
def test_odd_retention_values_are_kept_as_written(bad):
    rule = block(
        "rule",
        40,
        {"rule_name": V("r")},
        {"lifecycle": [block("lifecycle", 44, {"delete_after": V(bad, 46)})]},
    )
    plan = resource("aws_backup_plan", "p", {"name": V("plan")}, {"rule": [rule]})
    r = only(to_entities([plan]), model.BACKUP_RULE)
    assert r.attrs["delete_after"] == V(bad, 46)


def test_unknown_rule_name_uses_the_index_and_unknown_lifecycle_stays_unknown():
    why = U("for_each depends on var.lifecycles")
    rule = block("rule", 40, {"rule_name": U()}, unknown={"lifecycle": why, "copy_action": why})
    plan = resource("aws_backup_plan", "p", {"name": V("plan")}, {"rule": [rule]})
    r = only(to_entities([plan]), model.BACKUP_RULE)
    assert r.address == "aws_backup_plan.p.rule[0]"
    assert r.attrs["cold_after"].unknown == why.unknown
    assert r.attrs["delete_after"].unknown == why.unknown
    assert r.attrs["copy_actions"].unknown == why.unknown


def test_dynamic_rules_with_unknown_for_each():
    why = U("for_each depends on var.rules")
    plan = resource("aws_backup_plan", "p", {"name": V("plan")}, unknown={"rule": why})
    r = only(to_entities([plan]), model.BACKUP_RULE)
    assert r.address == "aws_backup_plan.p.rule[*]"
    assert_complete(r)
    assert r.attrs["schedule"].unknown == why.unknown
    assert r.attrs["plan_name"].value == "plan"


# --- backup selections -----------------------------------------------------------------


def test_backup_selection_resolves_plan_and_keeps_references():
    sel = resource(
        "aws_backup_selection",
        "s",
        {
            "name": V("tables", 71),
            "plan_id": U("known after apply", "module.b.aws_backup_plan.p.id"),
            "resources": U("known after apply", "module.b.aws_dynamodb_table.orders.arn"),
            "not_resources": V(["arn:aws:dynamodb:us-east-1:1:table/tmp"], 74),
        },
        {
            "selection_tag": [
                block(
                    "selection_tag",
                    75,
                    {"type": V("STRINGEQUALS"), "key": V("backup"), "value": V("daily")},
                )
            ],
            "condition": [
                block(
                    "condition",
                    80,
                    blocks={
                        "string_equals": [
                            block(
                                "string_equals",
                                81,
                                {"key": V("aws:ResourceTag/env"), "value": V("prod")},
                            )
                        ],
                        "string_not_like": [
                            block(
                                "string_not_like",
                                84,
                                {"key": V("aws:ResourceTag/tmp"), "value": V("*")},
                            )
                        ],
                    },
                )
            ],
        },
        address="module.b.aws_backup_selection.s",
    )
    s = only(to_entities([sel]), model.BACKUP_SELECTION)
    assert_complete(s)
    a = s.attrs
    assert a["selection_name"] == V("tables", 71)
    assert a["plan"].value == "module.b.aws_backup_plan.p"
    (res,) = a["resources"]
    assert not res.known and res.refs == ("module.b.aws_dynamodb_table.orders.arn",)
    assert a["not_resources"] == [V("arn:aws:dynamodb:us-east-1:1:table/tmp", 74)]
    assert a["tags"] == [{"type": V("STRINGEQUALS"), "key": V("backup"), "value": V("daily")}]
    ops = [(c["op"].value, c["key"].value, c["value"].value) for c in a["conditions"]]
    assert ops == [
        ("string_equals", "aws:ResourceTag/env", "prod"),
        ("string_not_like", "aws:ResourceTag/tmp", "*"),
    ]


def test_backup_selection_with_nested_unknown_elements_and_no_plan_reference():
    sel = resource(
        "aws_backup_selection",
        "s",
        {
            "name": V("x"),
            "plan_id": V("a1b2c3", 72),
            "resources": V(
                ["arn:aws:dynamodb:*:*:table/*", U("known after apply", "aws_dynamodb_table.t.arn")]
            ),
        },
    )
    a = only(to_entities([sel]), model.BACKUP_SELECTION).attrs
    assert not a["plan"].known and "a1b2c3" in a["plan"].unknown
    assert a["resources"][0].value == "arn:aws:dynamodb:*:*:table/*"
    assert a["resources"][1].refs == ("aws_dynamodb_table.t.arn",)
    assert a["not_resources"] == [] and a["tags"] == [] and a["conditions"] == []


def test_backup_selection_plan_from_variable_is_unknown():
    sel = resource(
        "aws_backup_selection", "s", {"name": V("x"), "plan_id": U("depends on var.plan_id")}
    )
    plan = only(to_entities([sel]), model.BACKUP_SELECTION).attrs["plan"]
    assert "depends on var.plan_id" in plan.unknown


def test_backup_selection_unknown_dynamic_tags_and_conditions():
    why = U("for_each depends on var.tags")
    sel = resource(
        "aws_backup_selection",
        "s",
        {"name": V("x"), "plan_id": U("x", "aws_backup_plan.p.id")},
        unknown={"selection_tag": why, "condition": why},
    )
    a = only(to_entities([sel]), model.BACKUP_SELECTION).attrs
    assert a["tags"].unknown == why.unknown
    assert a["conditions"].unknown == why.unknown
    assert a["plan"].value == "aws_backup_plan.p"


# --- vaults and region settings --------------------------------------------------------


def test_vault_and_lock_by_reference_and_by_name():
    v1 = resource("aws_backup_vault", "main", {"name": V("main")})
    v2 = resource("aws_backup_vault", "dr", {"name": V("dr-vault")})
    lock1 = resource(
        "aws_backup_vault_lock_configuration",
        "l1",
        {
            "backup_vault_name": U("after apply", "aws_backup_vault.main.name"),
            "min_retention_days": V(7, 91),
        },
    )
    lock2 = resource(
        "aws_backup_vault_lock_configuration",
        "l2",
        {
            "backup_vault_name": V("dr-vault"),
            "min_retention_days": V(1),
            "max_retention_days": V(365, 95),
        },
    )
    lock3 = resource(
        "aws_backup_vault_lock_configuration", "l3", {"backup_vault_name": V("elsewhere")}
    )
    vaults = by_kind(to_entities([lock1, v1, v2, lock2, lock3]), model.BACKUP_VAULT)
    assert [v.address for v in vaults] == [
        "aws_backup_vault.main",
        "aws_backup_vault.dr",
        "aws_backup_vault_lock_configuration.l3",
    ]
    main, dr, orphan = vaults
    for v in vaults:
        assert_complete(v)
    assert main.attrs["lock_min_days"] == V(7, 91)
    assert main.attrs["lock_max_days"] == Value.absent(None)
    assert any(what == "vault lock configuration" for _, what in main.related)
    assert dr.attrs["lock_max_days"] == V(365, 95)
    assert orphan.attrs["vault_name"].value == "elsewhere"
    assert orphan.resource_type == "aws_backup_vault_lock_configuration"


def test_vault_without_lock():
    v = only(to_entities([resource("aws_backup_vault", "v", {"name": V("v")})]), model.BACKUP_VAULT)
    assert v.attrs["lock_min_days"] == Value.absent(None)
    assert v.attrs["lock_max_days"] == Value.absent(None)


@pytest.mark.parametrize(
    ("pref", "expected"),
    [
        (None, Value.absent(None)),
        (V({"DynamoDB": True, "EFS": False}, 5), Value.of(True, L(5))),
        (V({"DynamoDB": "false"}, 5), Value.of(False, L(5))),
        (V({"EFS": True}, 5), Value.absent(None)),
    ],
)
def test_region_settings(pref, expected):
    attrs = {"resource_type_opt_in_preference": V({"DynamoDB": True})}
    if pref is not None:
        attrs["resource_type_management_preference"] = pref
    res = resource("aws_backup_region_settings", "r", attrs, region=V("eu-west-1"))
    s = only(to_entities([res]), model.BACKUP_REGION_SETTINGS)
    assert_complete(s)
    assert s.attrs["dynamodb_advanced"] == expected
    assert s.attrs["region"] == V("eu-west-1")


def test_region_settings_unknown_map():
    res = resource(
        "aws_backup_region_settings",
        "r",
        {"resource_type_management_preference": U("depends on var.m")},
    )
    s = only(to_entities([res]), model.BACKUP_REGION_SETTINGS)
    assert s.attrs["dynamodb_advanced"].unknown == "depends on var.m"


def test_unrelated_resources_are_ignored():
    assert to_entities([resource("aws_s3_bucket", "b", {"bucket": V("b")})]) == []
    assert to_entities([]) == []
