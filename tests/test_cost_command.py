"""`ddb-guard cost` rendering from a hand-built, enriched model."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "enrich"))

from enrich_builders import plan, ref, replica, rule, selection, table

from ddb_guard.commands.cost import run
from ddb_guard.costreport.build import build_report
from ddb_guard.enrich import EnrichSettings, enrich
from ddb_guard.enrich.sizes import TableSize
from ddb_guard.model import Model


def model_and_settings():
    orders = table("orders", pitr=False)
    users = table("users", pitr=True)
    logs = table("logs", pitr=False)
    events = table("events", pitr=True)  # size unknown
    daily = rule("cron(0 5 ? * * *)", delete_after=30, name="daily")
    weekly = rule("cron(0 5 ? * MON *)", delete_after=35, name="weekly")
    sel = selection(resources=[ref("aws_dynamodb_table.orders.arn")])
    m = Model(
        [orders, users, logs, events, replica(users, "eu-west-1", True), plan(), daily, weekly, sel]
    )
    settings = EnrichSettings(
        table_sizes={
            "orders": TableSize(500, "--table-size orders=500"),
            "users": TableSize(100, "--table-size users=100"),
            "logs": TableSize(10, "--table-size logs=10"),
        },
        this_year=2026,
    )
    enrich(m, settings)
    return m, settings


def render(fmt: str) -> str:
    m, s = model_and_settings()
    buf = io.StringIO()
    assert run(m, s, fmt, buf) == 0
    return buf.getvalue()


def test_json_totals_and_rows() -> None:
    data = json.loads(render("json"))
    totals = data["totals"]
    # both fire at 05:00 and overlap on Mondays: AWS keeps the weekly (longer retention) run,
    # so daily keeps 30 x 6/7 copies: 30 x 6/7 x 500 x 0.10 = 1285.71; weekly 5 x 500 x 0.10
    assert totals["monthly_backup_cost_usd"] == pytest.approx(
        30 * 6 / 7 * 500 * 0.10 + 250, abs=0.01
    )
    # users 100 GB x (0.20 us-east-1 + 0.22 eu-west-1 replica, both from the price list) = 42
    assert totals["monthly_pitr_cost_usd"] == 42.0
    assert totals["monthly_protection_cost_usd"] == pytest.approx(1535.71 + 42, abs=0.01)
    assert totals["unsized_tables"] == ["aws_dynamodb_table.events"]
    tables = {t["name"]: t for t in data["tables"]}
    assert tables["orders"]["backup_monthly_usd"] == pytest.approx(1535.71, abs=0.01)
    assert tables["orders"]["copies_kept"] == pytest.approx(30 * 6 / 7 + 5, abs=0.01)
    assert tables["orders"]["backup_rules"] == [
        "aws_backup_plan.p.rule[daily]",
        "aws_backup_plan.p.rule[weekly]",
    ]
    assert tables["users"]["pitr_monthly_usd"] == 42.0
    assert tables["events"]["pitr_monthly_usd"] is None
    assert tables["events"]["pitr_monthly_usd_per_100gb"] == 20.0
    kpis = data["kpis"]
    assert kpis["tables"] == 4 and kpis["pitr_compliance_rate"] == 0.5
    assert kpis["snapshot_gap"] == ["aws_dynamodb_table.orders"]
    assert kpis["unprotected_tables"] == ["aws_dynamodb_table.logs"]
    rules = {r["rule"]: r for r in data["rules"]}
    assert rules["daily"]["schedule"] == "daily at 05:00 UTC"
    assert rules["weekly"]["copies_kept"] == 5
    assert rules["weekly"]["monthly_usd"] == 250.0


def test_json_is_deterministic_and_sorted() -> None:
    a, b = render("json"), render("json")
    assert a == b
    names = [t["address"] for t in json.loads(a)["tables"]]
    assert names == sorted(names)


def test_text_output() -> None:
    text = render("text")
    assert "PITR $42.00, backups $1,535.71" in text
    assert "PITR compliance rate: 2/4 (50%)" in text
    assert "Unprotected tables: 1" in text
    assert "every Monday at 05:00 UTC" in text
    assert "$20.00/100GB" in text


def test_markdown_output_is_a_table() -> None:
    md = render("markdown")
    assert md.startswith("## ddb-guard: DynamoDB protection cost")
    head = "| Table | Region | PITR | GB | PITR/mo | Rules | Copies | Backup/mo | Total/mo |"
    assert head in md
    assert "| orders | us-east-1 | off | 500 | - | 2 |" in md
    assert "**Monthly protection cost (steady state): $1,577.71 for sized tables**" in md


def test_unbounded_and_invalid_rules_are_not_in_totals() -> None:
    t = table("orders")
    forever = rule(delete_after=None, name="forever")
    bad = rule("rate(1 day)", name="bad")
    m = Model([t, plan(), forever, bad, selection(resources=["*"])])
    s = EnrichSettings(table_sizes={"orders": TableSize(100, "x")}, this_year=2026)
    enrich(m, s)
    report = build_report(m, s).as_dict()
    rules = {r["rule"]: r for r in report["rules"]}
    assert rules["forever"]["copies_kept"] == "unbounded"
    assert rules["bad"]["schedule"] is None
    assert rules["bad"]["schedule_error"].startswith("rate()")
    table_row = report["tables"][0]
    assert "aws_backup_plan.p.rule[bad] not counted: invalid schedule" in table_row["notes"]
    assert table_row["copies_kept"] is None  # the never-expiring rule
    assert report["totals"]["monthly_backup_cost_usd"] == 0
    assert report["totals"]["not_estimated"] == ["aws_backup_plan.p.rule[bad]"]
    assert report["totals"]["growing_tables"] == ["aws_dynamodb_table.orders"]
    # the never-expiring rule adds 365.25/12 daily copies of 100 GB at 0.10 every month
    assert report["totals"]["monthly_growth_usd"] == pytest.approx(304.38, abs=0.01)
    text = io.StringIO()
    run(m, s, "text", text)
    assert "growing" in text.getvalue() and "not estimated" in text.getvalue()
    assert "invalid: rate() expressions are not acc" in text.getvalue()


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_empty_model(fmt: str) -> None:
    buf = io.StringIO()
    assert run(Model(), EnrichSettings(), fmt, buf) == 0
    if fmt == "json":
        assert json.loads(buf.getvalue())["kpis"]["pitr_compliance_rate"] is None
    else:
        assert "No DynamoDB tables or backup rules found." in buf.getvalue()


def test_unknown_sizes_are_priced_per_100_gb_in_the_totals() -> None:
    data = json.loads(render("json"))
    # events has PITR and no size: 100 GB x 0.20 = 20 per 100 GB, outside the priced total
    assert data["totals"]["unsized_usd_per_100gb_each"] == 20.0
    text = render("text")
    assert "plus $20.00 per 100 GB of each of 1 unsized table" in text


@pytest.mark.parametrize(("states", "expected"), [((True, True), True), ((True, False), False)])
def test_cloudformation_global_table_pitr_comes_from_its_replicas(states, expected) -> None:
    from ddb_guard.model import Value

    g = table("catalog", source="cloudformation")
    g.resource_type = "AWS::DynamoDB::GlobalTable"
    g.attrs["protection_per_replica"] = Value.of(True)
    g.attrs["pitr_enabled"] = Value.absent(None)
    reps = [replica(g, r, on) for r, on in zip(("us-east-1", "eu-west-1"), states, strict=True)]
    settings = EnrichSettings(table_sizes={"catalog": TableSize(100, "test")}, this_year=2026)
    m = Model([g, *reps])
    enrich(m, settings)
    row = build_report(m, settings).as_dict()["tables"][0]
    assert row["pitr"] is expected
    # each replica region is billed once (the first region is one of the replicas), at its
    # own price: 100 GB x 0.20 (us-east-1) + 100 GB x 0.22 (eu-west-1) when both have PITR
    prices = (0.20, 0.22)
    expected_usd = sum(100 * p for p, on in zip(prices, states, strict=True) if on)
    assert row["pitr_monthly_usd"] == pytest.approx(expected_usd, abs=0.005)
