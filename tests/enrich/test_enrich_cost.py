"""enrich() end to end on hand-built models: the published cost arithmetic and bad input."""

from __future__ import annotations

import pytest
from enrich_builders import (
    CLOUDFORMATION,
    copy_action,
    plan,
    ref,
    region_settings,
    rule,
    selection,
    table,
)

from ddb_guard.enrich import EnrichSettings, enrich
from ddb_guard.enrich.sizes import TableSize
from ddb_guard.model import Model, Value


def run(*entities, sizes=None, overrides=None, region="us-east-1"):
    model = Model(list(entities))
    settings = EnrichSettings(
        default_region=region,
        table_sizes={k: TableSize(v, f"--table-size {k}={v:g}") for k, v in (sizes or {}).items()},
        pricing_overrides=overrides or {},
        this_year=2026,
    )
    enrich(model, settings)
    return model


def orders_model(r, size=500, **kw):
    t = table("orders")
    s = selection(resources=[ref("aws_dynamodb_table.orders.arn")])
    m = run(t, plan(), r, s, sizes={"orders": size} if size else {}, **kw)
    return m, t


def test_500gb_daily_30_days_us_east_1_costs_1500_per_month_and_pitr_100() -> None:
    r = rule("cron(0 5 ? * * *)", delete_after=30)
    orders_model(r)
    cost = r.attrs["cost"].value
    assert cost["monthly_usd"] == 1500.0
    assert cost["warm_monthly_usd"] == 1500.0
    assert cost["pitr_monthly_usd"] == 100.0
    assert cost["multiple_of_table"] == 30
    assert cost["table_size_gb"] == 500 and cost["size_source"] == "--table-size orders=500"
    assert cost["per_100gb"] is False and cost["region"] == "us-east-1"
    assert r.attrs["retained"].value["copies"] == 30


def test_300gb_daily_35_days_costs_35_x_300_x_0_10_equals_1050() -> None:
    r = rule("cron(0 3 ? * * *)", delete_after=35)
    orders_model(r, size=300)
    assert r.attrs["cost"].value["monthly_usd"] == 1050.0
    assert r.attrs["cost"].value["pitr_monthly_usd"] == 60.0


def test_weekly_35_days_keeps_5_copies_for_250_dollars_at_500gb() -> None:
    r = rule("cron(0 5 ? * SUN *)", delete_after=35)
    orders_model(r)
    assert r.attrs["retained"].value["copies"] == 5
    assert r.attrs["cost"].value["monthly_usd"] == 250.0


def test_unknown_size_is_priced_per_100_gb() -> None:
    r = rule(delete_after=30)
    _, t = orders_model(r, size=None)
    cost = r.attrs["cost"].value
    assert cost["per_100gb"] is True and cost["table_size_gb"] == 100
    assert cost["monthly_usd"] == 300.0
    assert "aws_dynamodb_table.orders" in cost["size_source"]
    assert cost["tables_without_size"] == ["aws_dynamodb_table.orders"]
    assert not t.attrs["size_gb"].known
    assert t.attrs["size_gb"].unknown == "table size unknown: pass --table-size orders=GB"


def test_table_size_attributes() -> None:
    r = rule()
    _, t = orders_model(r, size=42)
    assert t.attrs["size_gb"].value == 42
    assert t.attrs["size_source"].value == "--table-size orders=42"


def test_cold_after_30_for_a_year_with_saving() -> None:
    hot = rule(delete_after=365)
    orders_model(hot, size=100)
    c = hot.attrs["cost"].value
    assert c["monthly_usd"] == pytest.approx(365 * 100 * 0.10)
    # moving to cold after 30 days: 30 warm + 335 cold at the assumed 0.03
    assert c["cold_saving_usd"] == pytest.approx(3650 - (30 * 10 + 335 * 100 * 0.03), abs=0.01)
    cold = rule(delete_after=365, cold_after=30)
    orders_model(cold, size=100)
    cc = cold.attrs["cost"].value
    assert cc["warm_monthly_usd"] == 300.0
    assert cc["cold_monthly_usd"] == pytest.approx(335 * 100 * 0.03)
    assert cc["cold_saving_usd"] is None
    assert cold.attrs["retained"].value["advanced_backup"] == "assumed on"


def test_advanced_backup_off_ignores_cold_and_says_so() -> None:
    r = rule(delete_after=365, cold_after=30)
    t = table("orders")
    s = selection(resources=[ref("aws_dynamodb_table.orders.arn")])
    run(t, plan(), r, s, region_settings(False), sizes={"orders": 100})
    ret = r.attrs["retained"].value
    assert ret["cold_ignored"] is True and ret["advanced_backup"] == "off"
    assert r.attrs["cost"].value["monthly_usd"] == 3650.0
    assert r.attrs["cost"].value["advanced_backup"] == "off"


def test_advanced_backup_on_from_region_settings() -> None:
    r = rule(delete_after=365, cold_after=30)
    run(table("orders"), plan(), r, selection(resources=["*"]), region_settings(True))
    assert r.attrs["retained"].value["advanced_backup"] == "on"


def test_never_expiring_backups_have_growth_not_a_total() -> None:
    r = rule(delete_after=None)
    orders_model(r, size=100)
    c = r.attrs["cost"].value
    assert c["monthly_usd"] is None and c["unbounded"] is True
    assert c["monthly_growth_usd"] == pytest.approx(365.25 / 12 * 100 * 0.10, abs=0.01)
    assert c["monthly_usd_after_year"] == 3650.0
    assert r.attrs["retained"].value["unbounded"] is True


def test_cross_region_copy_adds_destination_and_transfer() -> None:
    r = rule(
        delete_after=30,
        copy_actions=[copy_action("arn:aws:backup:eu-west-1:123456789012:backup-vault:dr", 7)],
    )
    orders_model(r, size=100)
    c = r.attrs["cost"].value
    # eu-west-1 warm backup: 0.4 x its storage price 0.283 = 0.1132 (derived); 7 copies x 100 GB
    dest = 7 * 100 * 0.4 * 0.283
    assert c["destination_monthly_usd"] == pytest.approx(dest, abs=0.005)  # 79.24
    assert c["copy_transfer_monthly_usd"] == pytest.approx(365.25 / 12 * 100 * 0.02, abs=0.01)
    assert c["monthly_usd"] == pytest.approx(300 + dest + 365.25 / 12 * 2, abs=0.01)
    assert c["multiple_of_table"] == 37


def test_cloudformation_uses_default_region_and_says_so() -> None:
    t = table("Orders", source=CLOUDFORMATION, region=None)
    p = plan("Plan", source=CLOUDFORMATION)
    r = rule(plan_address="Plan", source=CLOUDFORMATION)
    s = selection(plan_value=Value.of("Plan"), resources=[ref("Orders.Arn")], source=CLOUDFORMATION)
    run(t, p, r, s, region="sa-east-1")
    c = r.attrs["cost"].value
    assert c["region"] == "sa-east-1"
    assert "CloudFormation templates name no region" in c["region_source"]
    assert c["price_source"] == "derived"
    assert "us-east-1 price as a stand-in" in " ".join(c["price_source_detail"])


def test_pricing_override() -> None:
    r = rule(delete_after=30)
    orders_model(r, overrides={"us-east-1": {"backup_warm": 0.08}})
    assert r.attrs["cost"].value["monthly_usd"] == 1200.0


def test_no_selection_for_the_plan() -> None:
    r = rule()
    run(table("orders"), plan(), r)
    cov = r.attrs["covers_dynamodb"]
    assert not cov.known
    assert cov.unknown == "no aws_backup_selection for this plan in the scanned files"
    assert r.attrs["cost"].value["per_100gb"] is True  # still priced per 100 GB


def test_plan_referencing_missing_vault_is_fine() -> None:
    r = rule(copy_actions=[copy_action(ref("aws_backup_vault.elsewhere.arn"), 30)])
    orders_model(r, size=10)
    c = r.attrs["cost"].value
    assert c["destination_monthly_usd"] == 30.0
    assert any("destination region unknown" in n for n in c["notes"])


@pytest.mark.parametrize(
    ("schedule", "reason"),
    [
        ("rate(1 day)", "rate() expressions are not accepted"),
        ("cron(0 5 * * * *)", "must be '?'"),
        ("cron(0/5 * ? * * *)", "every 5 minutes"),
        ("not a schedule", "is not a cron(...) expression"),
    ],
)
def test_bad_schedule_is_invalid_not_a_crash(schedule: str, reason: str) -> None:
    r = rule(schedule)
    orders_model(r)
    info = r.attrs["schedule_info"].value
    assert info["valid"] is False and reason in info["error"]
    assert not r.attrs["cost"].known and reason in r.attrs["cost"].unknown
    assert r.attrs["retained"].value["copies"] is None


def test_unknown_schedule_propagates() -> None:
    r = rule(Value.unknown_because("depends on var.schedule, which has no default"))
    orders_model(r)
    for attr in ("schedule_info", "retained", "cost"):
        assert "var.schedule" in r.attrs[attr].unknown


def test_no_schedule_runs_at_aws_default_daily_0500_utc() -> None:
    r = rule(None)
    orders_model(r)
    info = r.attrs["schedule_info"].value
    assert info["default"] is True and info["on_demand"] is False and info["valid"] is True
    assert info["expression"] == "cron(0 5 ? * * *)" and info["frequency"] == "daily"
    assert "AWS Backup's default" in info["description"]
    assert r.attrs["cost"].value["monthly_usd"] == 1500.0  # daily, 30 days, 500 GB


def test_no_schedule_and_no_lifecycle_grow_forever() -> None:
    r = rule(None, delete_after=None)
    orders_model(r)
    retained = r.attrs["retained"].value
    assert retained["unbounded"] is True and retained["copies_after_year"] == 365
    assert r.attrs["cost"].value["monthly_growth_usd"] > 0


@pytest.mark.parametrize(("value", "message"), [(-7, "negative"), ("forever", "string")])
def test_bad_retention_values(value, message) -> None:
    r = rule(delete_after=value)
    orders_model(r)
    assert message in r.attrs["retention_value_error"].value
    assert not r.attrs["cost"].known and "invalid lifecycle" in r.attrs["cost"].unknown
    assert r.attrs["retained"].value["copies"] is None
    assert r.attrs["retention_value_error"].loc is not None


def test_lifecycle_error_for_bkp004() -> None:
    r = rule(delete_after=100, cold_after=30)
    orders_model(r)
    assert "at least cold_storage_after (30) + 90 = 120" in r.attrs["lifecycle_error"].value
    ok = rule(delete_after=120, cold_after=30)
    orders_model(ok)
    assert ok.attrs["lifecycle_error"].value is None


@pytest.mark.parametrize(
    ("value", "error"),
    [(30, "start_window is 30 minutes"), (60, None), (None, None), ("soon", "string")],
)
def test_start_window_error(value, error) -> None:
    r = rule(start_window=value)
    orders_model(r)
    got = r.attrs["start_window_error"].value
    assert (got is None) if error is None else (error in got)


def test_empty_selection_notice_and_coverage() -> None:
    r = rule()
    m = run(table("orders"), plan(), r, selection())
    assert r.attrs["covers_dynamodb"].value is True
    assert any("selects every supported" in n.message for n in m.notices)


def test_unused_table_size_is_a_note() -> None:
    m = run(table("orders"), sizes={"ordrs": 5})
    assert any("'ordrs' matches no scanned table" in n.message for n in m.notices)


def test_pricing_not_loaded_without_backup_rules() -> None:
    from ddb_guard.enrich import pricing

    pricing.load_data.cache_clear()
    run(table("orders"), sizes={"orders": 5})
    assert pricing.load_data.cache_info().currsize == 0


def test_rules_can_read_bkp001_inputs_with_jmespath() -> None:
    import jmespath

    r = rule(delete_after=30)
    orders_model(r)
    data = {k: (v.value if isinstance(v, Value) else v) for k, v in r.attrs.items()}
    data["params"] = {"max_days": 7}
    expr = (
        "covers_dynamodb == `true` && schedule_info.daily_or_more && "
        "retained.retention_days > params.max_days"
    )
    assert jmespath.search(expr, data) is True
