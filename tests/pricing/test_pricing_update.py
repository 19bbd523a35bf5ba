"""`ddb-guard pricing update` against recorded-format offer files (never the network)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from ddb_guard.cli import main
from ddb_guard.enrich.offers import prices_from_offer

FIXTURES = Path(__file__).parent / "offers"


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    import urllib.request

    def refuse(*args, **kwargs):
        raise AssertionError("tests must not touch the network")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)


def update(tmp_path: Path, *extra: str):
    out = tmp_path / "prices.yaml"
    result = CliRunner().invoke(
        main,
        ["pricing", "update", "--source", str(FIXTURES.parent), "--output", str(out), *extra],
    )
    return result, out


def test_update_writes_a_book_with_sources(tmp_path: Path) -> None:
    result, out = update(tmp_path)
    assert result.exit_code == 0, result.output
    book = yaml.safe_load(out.read_text())
    use1 = book["regions"]["us-east-1"]
    # storage past the free 25 GB tier; IA storage is not table storage
    assert use1["table_storage"]["price"] == 0.25
    assert use1["pitr"]["price"] == 0.20 and use1["backup_warm"]["price"] == 0.10
    assert use1["restore"]["price"] == 0.15
    assert use1["backup_cold"]["price"] == 0.03 and use1["copy_transfer"]["price"] == 0.02
    assert "SKU FIXUSE1PITRSTO01" in use1["pitr"]["source"]
    assert "usagetype TimedPITRStorage-ByteHrs" in use1["pitr"]["source"]
    assert use1["pitr"]["as_of"] == "2026-08-01"
    assert book["regions"]["us-east-2"]["pitr"]["source"].endswith(
        "usagetype USE2-TimedPITRStorage-ByteHrs, per GB-Mo"
    )
    assert set(book["regions"]["us-west-2"]) == {"pitr"}
    # regions the offers lack keep the bundled entry: the book still knows every region
    assert book["regions"]["sa-east-1"] == {"derived_from": "us-east-1"}
    assert book["regions"]["eu-west-1"]["pitr"]["price"] == 0.22  # bundled, not in the offers
    assert book["as_of"] == "2026-08-01" and book["ratios"]["pitr"] == 0.8
    assert "wrote" in result.stderr


def test_the_written_book_prices_the_cost_report_as_exact(tmp_path: Path, monkeypatch) -> None:
    _, out = update(tmp_path, "-q")
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".ddb-guard.toml").write_text(f'price-book = "{out.name}"\n')
    (tmp_path / "main.tf").write_text(
        """
provider "aws" {
  region = "us-east-1"
}
resource "aws_dynamodb_table" "orders" {
  name     = "orders"
  hash_key = "id"
}
resource "aws_backup_plan" "p" {
  name = "p"
  rule {
    rule_name         = "monthly"
    target_vault_name = "v"
    schedule          = "cron(0 5 1 * ? *)"
    lifecycle {
      cold_storage_after = 30
      delete_after       = 365
    }
  }
}
resource "aws_backup_selection" "s" {
  name         = "s"
  plan_id      = aws_backup_plan.p.id
  iam_role_arn = "arn:aws:iam::123456789012:role/backup"
  resources    = [aws_dynamodb_table.orders.arn]
}
"""
    )
    result = CliRunner().invoke(
        main, ["cost", ".", "--format", "json", "--table-size", "orders=100"]
    )
    assert result.exit_code == 0, result.output
    rule = json.loads(result.stdout)["rules"][0]
    assert rule["price_source"] == "exact"  # cold price from the (fixture) price list
    # bundled book: the cold price is an assumption, so the same rule is derived
    (tmp_path / ".ddb-guard.toml").write_text("")
    bundled = CliRunner().invoke(
        main, ["cost", ".", "--format", "json", "--table-size", "orders=100"]
    )
    assert json.loads(bundled.stdout)["rules"][0]["price_source"] == "derived"


def test_a_missing_source_is_an_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["pricing", "update", "--source", str(tmp_path / "nowhere"), "-q"]
    )
    assert result.exit_code == 2
    assert "cannot read" in result.stderr and "region_index.json" in result.stderr


def test_a_bad_price_book_is_a_config_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "book.yaml").write_text("regions: {eu-west-1: {}}\n")
    (tmp_path / ".ddb-guard.toml").write_text('price-book = "book.yaml"\n')
    (tmp_path / "main.tf").write_text('resource "aws_dynamodb_table" "t" {\n  name = "t"\n}\n')
    result = CliRunner().invoke(main, ["cost", "."])
    assert result.exit_code == 2 and "needs a 'regions' table with us-east-1" in result.stderr


def test_offer_parsing_keeps_the_price_past_the_free_tier() -> None:
    offer = json.loads(
        (FIXTURES / "v1.0/aws/AmazonDynamoDB/20260801000000/us-east-1/index.json").read_text()
    )
    found = prices_from_offer(offer, "AmazonDynamoDB")
    assert found["table_storage"]["price"] == 0.25
    assert "IA-" not in found["table_storage"]["source"]
    assert prices_from_offer(offer, "AWSBackup") == {}
