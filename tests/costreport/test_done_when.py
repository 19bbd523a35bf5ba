"""The hand-computed figures of issue 10's "Done when" list, through `ddb-guard cost`.

us-east-1 prices (bundled book, exact): PITR 0.20, warm backup 0.10 per GB-month.
"""

from __future__ import annotations

import calendar

import pytest
from conftest import PROVIDER

TABLE = """
resource "aws_dynamodb_table" "orders" {
  name     = "orders"
  hash_key = "id"
  attribute {
    name = "id"
    type = "S"
  }
}
"""

SELECT_ORDERS = """
resource "aws_backup_selection" "orders" {
  name         = "orders"
  plan_id      = aws_backup_plan.p.id
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
  resources    = [aws_dynamodb_table.orders.arn]
}
"""


def plan(*rules: str) -> str:
    return 'resource "aws_backup_plan" "p" {\n  name = "p"\n' + "\n".join(rules) + "\n}\n"


def rule(name: str, schedule: str, delete_after: int, extra: str = "") -> str:
    return f"""
  rule {{
    rule_name         = "{name}"
    target_vault_name = "v"
    schedule          = "{schedule}"
    lifecycle {{
      delete_after = {delete_after}
    }}
    {extra}
  }}"""


def test_overlapping_rules_take_one_backup_for_the_longer_retention(run_cost) -> None:
    src = (
        PROVIDER
        + TABLE
        + SELECT_ORDERS
        + plan(rule("daily", "cron(0 3 ? * * *)", 35), rule("weekly", "cron(0 3 ? * SUN *)", 365))
    )
    data = run_cost({"main.tf": src}, "--table-size", "orders=100")
    # Sundays: one backup, for weekly (365 > 35). daily keeps 35 x 6/7 = 30 copies,
    # weekly 365/7 = 52.14: (30 + 52.14) x 100 GB x 0.10 = 821.43
    expected = (35 * 6 / 7 + 365 / 7) * 100 * 0.10
    assert data["totals"]["monthly_backup_cost_usd"] == pytest.approx(expected, abs=0.01)
    assert round(expected, 2) == 821.43
    rules = {r["rule"]: r for r in data["rules"]}
    assert rules["daily"]["overlap"]["skipped_share"] == pytest.approx(1 / 7, abs=1e-4)
    assert rules["daily"]["overlap"]["in_favour_of"] == ["aws_backup_plan.p.rule[weekly]"]
    assert rules["weekly"]["overlap"] is None


def test_rules_an_hour_apart_do_not_overlap(run_cost) -> None:
    src = (
        PROVIDER
        + TABLE
        + SELECT_ORDERS
        + plan(rule("daily", "cron(0 3 ? * * *)", 35), rule("weekly", "cron(0 4 ? * SUN *)", 365))
    )
    data = run_cost({"main.tf": src}, "--table-size", "orders=100")
    # start windows [03:00, 04:00) and [04:00, 05:00) do not meet: 35 + 52.14 copies
    expected = (35 + 365 / 7) * 100 * 0.10
    assert data["totals"]["monthly_backup_cost_usd"] == pytest.approx(expected, abs=0.01)


def test_partial_sizes_sum_the_known_part(run_cost) -> None:
    src = (
        PROVIDER
        + TABLE
        + TABLE.replace('"orders"', '"users"')
        + SELECT_ORDERS.replace(
            "[aws_dynamodb_table.orders.arn]",
            "[aws_dynamodb_table.orders.arn, aws_dynamodb_table.users.arn]",
        )
        + plan(rule("daily", "cron(0 5 ? * * *)", 30))
    )
    data = run_cost({"main.tf": src}, "--table-size", "orders=100")
    tot = data["totals"]
    # orders: 30 copies x 100 GB x 0.10 = 300 known; users unsized: 300 per 100 GB
    assert tot["monthly_backup_cost_usd"] == 300.0
    assert tot["unsized_tables"] == ["aws_dynamodb_table.users"]
    assert tot["unsized_usd_per_100gb_each"] == 300.0
    text = run_cost({"main.tf": src}, "--table-size", "orders=100", fmt="text")
    assert "Monthly protection cost (steady state): $300.00 for sized tables" in text
    assert "plus $300.00 per 100 GB of each of 1 unsized table" in text


def test_nothing_sized_is_never_a_bare_zero(run_cost) -> None:
    src = PROVIDER + TABLE + SELECT_ORDERS + plan(rule("daily", "cron(0 5 ? * * *)", 30))
    text = run_cost({"main.tf": src}, fmt="text")
    assert "$0.00" not in text.split("Tables")[0]
    assert "unknown (no protected table has a size)" in text
    md = run_cost({"main.tf": src}, fmt="markdown")
    assert "Monthly protection cost (steady state): $0.00" not in md


def test_copy_action_to_a_referenced_vault_in_another_region(run_cost) -> None:
    dr = """
provider "aws" {
  alias  = "dr"
  region = "us-west-1"
}
resource "aws_backup_vault" "dr" {
  provider = aws.dr
  name     = "dr"
}
"""
    copy = """copy_action {
      destination_vault_arn = aws_backup_vault.dr.arn
      lifecycle {
        delete_after = 30
      }
    }"""
    src = PROVIDER + dr + TABLE + SELECT_ORDERS + plan(rule("daily", "cron(0 5 ? * * *)", 30, copy))
    data = run_cost({"main.tf": src}, "--table-size", "orders=100")
    r = data["rules"][0]
    # source: 30 x 100 x 0.10 = 300; destination us-west-1 (warm 0.112, derived):
    # 30 x 100 x 0.112 = 336; transfer: runs/month (365.25/12) x 100 GB x 0.02 (us-east-1)
    transfer = 365.25 / 12 * 100 * 0.02
    expected = 300 + 336 + transfer
    assert r["monthly_usd"] == pytest.approx(expected, abs=0.02)
    assert r["price_source"] == "derived"
    assert any("us-west-1 backup_warm" in d for d in r["price_source_detail"])


@pytest.mark.parametrize(("region", "kind"), [("us-east-1", "exact"), ("us-east-2", "exact")])
def test_sourced_regions_are_exact(run_cost, region: str, kind: str) -> None:
    src = PROVIDER.replace("us-east-1", region) + TABLE.replace(
        'hash_key = "id"', 'hash_key = "id"\n  point_in_time_recovery {\n    enabled = true\n  }'
    )
    data = run_cost({"main.tf": src}, "--table-size", "orders=100")
    t = data["tables"][0]
    assert t["pitr_monthly_usd"] == 20.0 and t["price_source"] == kind


PITR_ORDERS = TABLE.replace(
    'hash_key = "id"', 'hash_key = "id"\n  point_in_time_recovery {\n    enabled = true\n  }'
)


@pytest.mark.parametrize(
    ("region", "storage", "pitr", "as_of"),
    [
        # eu-west-1: AWS Price List AmazonDynamoDB offer 20260911124422 (EU-TimedStorage-ByteHrs
        # 0.283, EU-TimedPITRStorage-ByteHrs 0.22 USD/GB-Mo), see ddb_guard/data/pricing.yaml
        ("eu-west-1", 0.283, 0.22, "2026-09-11"),
        # ap-southeast-2: the price list on 2026-08-13 (storage 0.285, PITR 0.228 USD/GB-Mo)
        ("ap-southeast-2", 0.285, 0.228, "2026-08-13"),
    ],
)
def test_regional_tables_priced_exactly_from_the_shipped_book(
    run_cost, region: str, storage: float, pitr: float, as_of: str
) -> None:
    src = PROVIDER.replace("us-east-1", region) + PITR_ORDERS
    data = run_cost({"main.tf": src}, "--table-size", "orders=100")
    t = data["tables"][0]
    assert t["region"] == region
    # PITR: 100 GB x the region's PITR price (eu-west-1 22.00, ap-southeast-2 22.80)
    assert t["pitr_monthly_usd"] == pytest.approx(100 * pitr, abs=0.005)
    assert t["pitr_monthly_usd"] == {"eu-west-1": 22.0, "ap-southeast-2": 22.8}[region]
    # table storage: 100 GB x the region's storage price (28.30, 28.50)
    assert t["storage_monthly_usd"] == pytest.approx(100 * storage, abs=0.005)
    assert t["price_source"] == "exact" and t["price_source_detail"] == []
    # restore is not in the stored price-list quotes: 0.6 x storage, and the region's price
    # entry says so (derived), with the exact entries' dates
    assert t["restore_drill_usd"] == pytest.approx(100 * 0.6 * storage, abs=0.005)
    used = {p["region"]: p for p in data["prices"]}[region]
    assert used["price_source"] == "derived" and as_of in used["as_of"]
    assert used["exact_prices"] == ["table_storage", "pitr"]
    assert any("Price List" in s and as_of in s for s in used["sources"])
    text = run_cost({"main.tf": src}, "--table-size", "orders=100", fmt="text")
    assert "orders*" not in text  # an exact table is not marked
    assert f"* {region}: derived; exact: table_storage, pitr (as of" in text
    md = run_cost({"main.tf": src}, "--table-size", "orders=100", fmt="markdown")
    assert f"- {region}: **derived** (exact: table_storage, pitr), as of" in md


def test_backup_rule_in_eu_west_1_is_derived_and_says_why(run_cost) -> None:
    src = (
        PROVIDER.replace("us-east-1", "eu-west-1")
        + TABLE
        + SELECT_ORDERS
        + plan(rule("daily", "cron(0 5 ? * * *)", 30))
    )
    data = run_cost({"main.tf": src}, "--table-size", "orders=100")
    r = data["rules"][0]
    # no eu-west-1 backup price was found: 0.4 x storage 0.283 = 0.1132 per GB-month,
    # 30 copies x 100 GB x 0.1132 = 339.60, marked derived
    assert r["monthly_usd"] == pytest.approx(30 * 100 * 0.4 * 0.283, abs=0.01)
    assert r["price_source"] == "derived"
    assert any("eu-west-1 backup_warm" in d for d in r["price_source_detail"])


@pytest.mark.parametrize("region", ["sa-east-1", "af-south-1"])
def test_regions_without_a_bundled_figure_say_derived(run_cost, region: str) -> None:
    # No dated price-list figure for these regions was found for the bundled book (see
    # ddb_guard/data/pricing.yaml): their prices are us-east-1's, marked derived and explained.
    src = PROVIDER.replace("us-east-1", region) + PITR_ORDERS
    data = run_cost({"main.tf": src}, "--table-size", "orders=100")
    t = data["tables"][0]
    assert t["price_source"] == "derived"
    assert any("us-east-1 price as a stand-in" in d for d in t["price_source_detail"])
    text = run_cost({"main.tf": src}, "--table-size", "orders=100", fmt="text")
    assert "orders*" in text and f"* {region}: derived" in text


def test_seven_year_monthly_rule_steady_month_one_and_year_one(run_cost) -> None:
    src = PROVIDER + TABLE + SELECT_ORDERS + plan(rule("monthly", "cron(0 5 1 * ? *)", 2555))
    data = run_cost({"main.tf": src}, "--table-size", "orders=100")
    r = data["rules"][0]
    # steady state: 12 runs a year x 2555 days / 365.2425 days a year = 83.94 copies
    steady = 12 / 365.2425 * 2555 * 100 * 0.10
    assert r["monthly_usd"] == pytest.approx(steady, abs=0.05)
    # month 1 (January): the copy of the 1st at 05:00 exists (31 - 5/24) of 31 days
    year = data_year(data)
    jan = (31 - 5 / 24) / 31 * 100 * 0.10
    assert r["first_month_usd"] == pytest.approx(jan, abs=0.01)
    # year 1: month m keeps copies 1..m-1 all month and copy m from the 1st 05:00
    total = 0.0
    for m in range(1, 13):
        days = calendar.monthrange(year, m)[1]
        total += ((m - 1) + (days - 5 / 24) / days) * 100 * 0.10
    assert r["first_12_months_usd"] == pytest.approx(total, abs=0.05)
    assert data["totals"]["first_12_months_usd"] == pytest.approx(total, abs=0.05)


def data_year(data) -> int:
    import datetime

    return datetime.date.today().year


def test_never_expiring_rule_shows_growth_and_12_months(run_cost) -> None:
    src = (
        PROVIDER
        + TABLE
        + SELECT_ORDERS
        + plan(
            'rule {\n rule_name = "forever"\n target_vault_name = "v"\n'
            ' schedule = "cron(0 5 ? * * *)"\n }'
        )
    )
    data = run_cost({"main.tf": src}, "--table-size", "orders=100")
    tot = data["totals"]
    # every month adds 365.25/12 daily copies of 100 GB at 0.10 = 304.38
    assert tot["monthly_growth_usd"] == pytest.approx(365.25 / 12 * 100 * 0.10, abs=0.01)
    assert tot["growing_tables"] == ["aws_dynamodb_table.orders"]
    assert tot["first_12_months_usd"] > 0


def test_global_table_two_us_replicas_pitr_billed_per_replica(run_cost) -> None:
    cfn = """
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Catalog:
    Type: AWS::DynamoDB::GlobalTable
    Properties:
      TableName: catalog
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      Replicas:
        - Region: us-east-1
          PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}
        - Region: us-east-2
          PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}
"""
    data = run_cost({"template.yaml": cfn}, "--table-size", "catalog=100")
    t = data["tables"][0]
    # 100 GB x 0.20 (us-east-1) + 100 GB x 0.20 (us-east-2) = 40
    assert t["pitr_monthly_usd"] == 40.0
    assert data["totals"]["monthly_pitr_cost_usd"] == 40.0


def test_recommendation_with_its_saving(run_cost) -> None:
    src = (
        PROVIDER
        + TABLE
        + SELECT_ORDERS
        + plan(rule("daily", "cron(0 3 ? * * *)", 35), rule("weekly", "cron(0 3 ? * SUN *)", 365))
    )
    data = run_cost({"main.tf": src}, "--table-size", "orders=100")
    recs = {r["rule"]: r for r in data["recommendations"]}
    daily = recs["aws_backup_plan.p.rule[daily]"]
    # daily-35 (30 copies after overlap = 300) -> PITR on orders: 100 x 0.20 = 20
    assert daily["current_monthly_usd"] == pytest.approx(300.0, abs=0.01)
    assert daily["proposed_monthly_usd"] == 20.0
    assert daily["monthly_saving_usd"] == pytest.approx(280.0, abs=0.01)
    weekly = recs["aws_backup_plan.p.rule[weekly]"]
    # weekly-365: 35/7 warm copies x 10 + 330/7 cold copies x 100 x 0.03 = 50 + 141.43
    proposed = 35 / 7 * 100 * 0.10 + 330 / 7 * 100 * 0.03
    assert weekly["proposed_monthly_usd"] == pytest.approx(proposed, abs=0.01)
    assert weekly["monthly_saving_usd"] == pytest.approx(365 / 7 * 10 - proposed, abs=0.01)
    assert data["totals"]["monthly_savings_usd"] == pytest.approx(
        280 + 365 / 7 * 10 - proposed, abs=0.02
    )


def test_unknown_region_is_an_error_listing_known_ones(tmp_path, monkeypatch) -> None:
    from click.testing import CliRunner

    from ddb_guard.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "main.tf").write_text(PROVIDER.replace("us-east-1", "eu-west-9") + TABLE)
    result = CliRunner().invoke(main, ["cost", str(tmp_path)])
    assert result.exit_code == 2
    assert "unknown region 'eu-west-9'" in result.stderr
    assert "eu-west-1" in result.stderr
    result = CliRunner().invoke(main, ["cost", str(tmp_path), "--region", "mars-1"])
    assert result.exit_code == 2 and "unknown region 'mars-1'" in result.stderr


def test_table_named_only_by_arn_is_sized_by_name(run_cost) -> None:
    src = (
        PROVIDER
        + plan(rule("daily", "cron(0 5 ? * * *)", 30))
        + SELECT_ORDERS.replace(
            "[aws_dynamodb_table.orders.arn]",
            '["arn:aws:dynamodb:us-east-1:123456789012:table/orders"]',
        )
    )
    data = run_cost({"main.tf": src}, "--table-size", "orders=100")
    # no scanned table: the ARN's table/orders is sized by --table-size orders=100
    assert data["totals"]["monthly_backup_cost_usd"] == 300.0  # 30 x 100 x 0.10
    row = data["tables"][0]
    assert row["name"] == "orders" and row["scanned"] is False and row["size_gb"] == 100
    assert data["kpis"]["tables"] == 0  # KPIs count scanned tables only
    text = run_cost({"main.tf": src}, "--table-size", "orders=100", fmt="text")
    assert "orders (ARN)" in text


def test_infracost_measured_backup_storage_overrides_the_model(run_cost, tmp_path) -> None:
    src = (
        PROVIDER
        + TABLE.replace(
            'hash_key = "id"',
            'hash_key = "id"\n  point_in_time_recovery {\n    enabled = true\n  }',
        )
        + SELECT_ORDERS
        + plan(rule("daily", "cron(0 5 ? * * *)", 30))
    )
    (tmp_path / "usage.yml").write_text(
        "version: 0.1\nresource_usage:\n  aws_dynamodb_table.orders:\n    storage_gb: 100\n"
        "    pitr_backup_storage_gb: 150\n    on_demand_backup_storage_gb: 2000\n"
    )
    data = run_cost({"main.tf": src}, "--usage-file", str(tmp_path / "usage.yml"))
    t = data["tables"][0]
    # measured: PITR 150 GB x 0.20 = 30 (table + LSIs), backups 2000 GB x 0.10 = 200
    assert t["pitr_monthly_usd"] == 30.0 and t["backup_monthly_usd"] == 200.0
    assert t["measured"]["on_demand_backup_storage_gb"] == 2000
    assert data["totals"]["monthly_protection_cost_usd"] == 230.0


def test_scan_also_rejects_an_unknown_default_region(tmp_path, monkeypatch) -> None:
    from click.testing import CliRunner

    from ddb_guard.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "main.tf").write_text(TABLE)
    result = CliRunner().invoke(main, ["scan", str(tmp_path), "--region", "mars-1"])
    assert result.exit_code == 2 and "unknown region 'mars-1' (--region)" in result.stderr
    (tmp_path / ".ddb-guard.toml").write_text('region = "eu-west-9"\n')
    result = CliRunner().invoke(main, ["scan", str(tmp_path)])
    assert result.exit_code == 2
    assert "unknown region 'eu-west-9' (region in .ddb-guard.toml)" in result.stderr


def test_configured_prices_are_marked_configured(run_cost, tmp_path) -> None:
    (tmp_path / ".ddb-guard.toml").write_text("[pricing.us-east-1]\nbackup_warm = 0.08\n")
    src = PROVIDER + TABLE + SELECT_ORDERS + plan(rule("daily", "cron(0 5 ? * * *)", 30))
    data = run_cost({"main.tf": src}, "--table-size", "orders=100")
    r = data["rules"][0]
    # 30 copies x 100 GB x 0.08 (negotiated) = 240
    assert r["monthly_usd"] == 240.0 and r["price_source"] == "configured"
    assert data["tables"][0]["price_source"] == "configured"
    text = run_cost({"main.tf": src}, "--table-size", "orders=100", fmt="text")
    assert "^ us-east-1: configured" in text and "daily^" in text


def test_copy_action_retention_from_a_parameter_without_default(run_cost) -> None:
    cfn = """
Parameters:
  DrRetentionDays:
    Type: Number
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: orders
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      BillingMode: PAY_PER_REQUEST
  Plan:
    Type: AWS::Backup::BackupPlan
    Properties:
      BackupPlan:
        BackupPlanName: p
        BackupPlanRule:
          - RuleName: daily
            TargetBackupVault: v
            ScheduleExpression: cron(0 5 ? * * *)
            Lifecycle: {DeleteAfterDays: 7}
            CopyActions:
              - DestinationBackupVaultArn: arn:aws:backup:us-west-2:123456789012:backup-vault:dr
                Lifecycle: {DeleteAfterDays: !Ref DrRetentionDays}
  Selection:
    Type: AWS::Backup::BackupSelection
    Properties:
      BackupPlanId: !Ref Plan
      BackupSelection:
        SelectionName: s
        IamRoleArn: arn:aws:iam::123456789012:role/backup
        Resources: [!GetAtt Orders.Arn]
"""
    for fmt in ("json", "text", "markdown"):
        out = run_cost({"template.yaml": cfn}, "--table-size", "orders=100", fmt=fmt)
        assert out
    data = run_cost({"template.yaml": cfn}, "--table-size", "orders=100")
    assert data["rules"][0]["copies_kept"] is None  # what the copy action keeps is unknown
