"""`ddb-guard cost` rendering from a hand-built, enriched model."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "enrich"))

from enrich_builders import plan, ref, replica, rule, selection, table

from ddb_guard.commands.cost import build_report, run
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
    # daily 30 x 500 x 0.10 = 1500; weekly 5 x 500 x 0.10 = 250
    assert totals["monthly_backup_cost_usd"] == 1750.0
    # users 100 GB x (0.20 us-east-1 + 0.20 eu-west-1 replica, derived)
    assert totals["monthly_pitr_cost_usd"] == 40.0
    assert totals["monthly_protection_cost_usd"] == 1790.0
    assert totals["not_in_totals"] == ["aws_dynamodb_table.events"]
    tables = {t["name"]: t for t in data["tables"]}
    assert tables["orders"]["backup_monthly_usd"] == 1750.0
    assert tables["orders"]["copies_kept"] == 35
    assert tables["orders"]["backup_rules"] == [
        "aws_backup_plan.p.rule[daily]",
        "aws_backup_plan.p.rule[weekly]",
    ]
    assert tables["users"]["pitr_monthly_usd"] == 40.0
    assert tables["events"]["pitr_monthly_usd"] is None
    assert tables["events"]["pitr_monthly_usd_per_100gb"] == 20.0
    kpis = data["kpis"]
    assert kpis["tables"] == 4 and kpis["tables_with_pitr"] == 2 and kpis["pitr_share"] == 0.5
    assert kpis["snapshot_only_tables"] == ["aws_dynamodb_table.orders"]
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
    assert "Monthly backup cost: $1,750.00" in text
    assert "Tables with PITR: 2/4 (50%)" in text
    assert "Tables with no protection: 1" in text
    assert "every Monday at 05:00 UTC" in text
    assert "$20.00/100 GB" in text


def test_markdown_output_is_a_table() -> None:
    md = render("markdown")
    assert md.startswith("## ddb-guard: DynamoDB protection cost")
    assert "| Table | PITR | PITR $/mo | Backup rules | Copies | Backup $/mo | Total $/mo |" in md
    assert "| orders (aws_dynamodb_table.orders) | off | - |" in md
    assert "- Monthly protection cost: $1,790.00" in md


def test_unbounded_and_invalid_rules_are_not_in_totals() -> None:
    t = table("orders")
    forever = rule(delete_after=None, name="forever")
    bad = rule("rate(1 day)", name="bad")
    m = Model([t, plan(), forever, bad, selection(resources=["*"])])
    s = EnrichSettings(table_sizes={"orders": TableSize(100, "x")}, this_year=2026)
    enrich(m, s)
    report = build_report(m, s)
    rules = {r["rule"]: r for r in report["rules"]}
    assert rules["forever"]["copies_kept"] == "unbounded"
    assert rules["bad"]["schedule"] is None
    assert rules["bad"]["schedule_error"].startswith("rate()")
    table_row = report["tables"][0]
    assert "aws_backup_plan.p.rule[bad] not counted: invalid schedule" in table_row["notes"]
    assert table_row["copies_kept"] is None  # the never-expiring rule
    assert report["totals"]["monthly_backup_cost_usd"] == 0
    assert set(report["totals"]["not_in_totals"]) == {
        "aws_backup_plan.p.rule[bad]",
        "aws_backup_plan.p.rule[forever]",
    }
    text = io.StringIO()
    run(m, s, "text", text)
    assert "growing" in text.getvalue() and "not estimated" in text.getvalue()
    assert "invalid: rate() expressions are not accepted by AWS Backup |" not in text.getvalue()
    assert "invalid: rate() expressions are not accepted by AWS Backup  " in text.getvalue()


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_empty_model(fmt: str) -> None:
    buf = io.StringIO()
    assert run(Model(), EnrichSettings(), fmt, buf) == 0
    if fmt == "json":
        assert json.loads(buf.getvalue())["kpis"]["pitr_share"] is None
    else:
        assert "No DynamoDB tables or backup rules found." in buf.getvalue()


def test_unknown_sizes_are_priced_per_100_gb_in_the_totals() -> None:
    data = json.loads(render("json"))
    # events has PITR and no size: 100 GB x 0.20 = 20 per 100 GB, outside the priced total
    assert data["totals"]["unpriced_pitr_usd_per_100gb"] == 20.0
    assert data["totals"]["unpriced_backup_usd_per_100gb"] == 0.0
    text = render("text")
    assert "Monthly PITR cost: $40.00, plus $20.00 per 100 GB of tables of unknown size" in text


@pytest.mark.parametrize(("states", "expected"), [((True, True), True), ((True, False), False)])
def test_cloudformation_global_table_pitr_comes_from_its_replicas(states, expected) -> None:
    from ddb_guard.model import Value

    g = table("catalog", source="cloudformation")
    g.resource_type = "AWS::DynamoDB::GlobalTable"
    g.attrs["pitr_enabled"] = Value.absent(None)
    reps = [replica(g, r, on) for r, on in zip(("us-east-1", "eu-west-1"), states, strict=True)]
    settings = EnrichSettings(table_sizes={"catalog": TableSize(100, "test")}, this_year=2026)
    m = Model([g, *reps])
    enrich(m, settings)
    row = build_report(m, settings)["tables"][0]
    assert row["pitr"] is expected
    # each replica region is billed once (the first region is one of the replicas)
    assert row["pitr_monthly_usd"] == 20.0 * sum(states)
