"""The bundled price table: sources, derivations, overrides."""

from __future__ import annotations

import pytest

from ddb_guard.enrich import pricing
from ddb_guard.enrich.pricing import PRICE_KEYS, PriceBook


def test_us_east_1_published_prices() -> None:
    p = PriceBook().region("us-east-1")
    assert (p["table_storage"], p["pitr"], p["backup_warm"], p["restore"]) == (
        0.25,
        0.20,
        0.10,
        0.15,
    )
    assert not p.prices["backup_warm"].derived and not p.prices["backup_warm"].assumption
    assert "Infracost" in p.prices["pitr"].source and p.prices["pitr"].as_of == "2026-08"
    assert p.prices["backup_cold"].assumption is True
    assert p.currency == "USD" and p.note is None


def test_us_east_2_and_us_west_1() -> None:
    book = PriceBook()
    assert book.region("us-east-2")["backup_warm"] == 0.10
    w1 = book.region("us-west-1")
    assert w1["backup_warm"] == pytest.approx(0.112) and w1["restore"] == pytest.approx(0.168)
    assert w1["pitr"] == pytest.approx(0.224) and w1.prices["pitr"].derived


def test_us_west_2_derived_from_its_pitr_price() -> None:
    p = PriceBook().region("us-west-2")
    assert p["pitr"] == 0.20 and not p.prices["pitr"].derived
    assert p["backup_warm"] == pytest.approx(0.10) and p.prices["backup_warm"].derived


@pytest.mark.parametrize(
    "region",
    [
        "us-west-1",
        "us-west-2",
        "ca-central-1",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
        "eu-central-1",
        "eu-north-1",
        "eu-south-1",
        "ap-south-1",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-northeast-3",
        "ap-southeast-1",
        "ap-southeast-2",
        "sa-east-1",
        "me-south-1",
        "af-south-1",
    ],
)
def test_every_commercial_region_is_listed_with_all_prices(region: str) -> None:
    book = PriceBook()
    assert region in book.regions()
    p = book.region(region)
    assert set(PRICE_KEYS) <= set(p.prices)


def test_regions_without_source_say_derived_from_us_east_1() -> None:
    p = PriceBook().region("sa-east-1")
    assert p.note == "derived from us-east-1 (sa-east-1: no bundled price source)"
    assert all(x.derived for x in p.prices.values())
    assert p["backup_warm"] == 0.10
    assert "derived from us-east-1" in p.summary()


def test_unlisted_region_falls_back_and_says_so() -> None:
    p = PriceBook().region("xx-nowhere-9")
    assert "not in the bundled table" in p.note


def test_ratios_hold_for_sourced_regions() -> None:
    for region in ("us-east-1", "us-east-2", "cn-north-1"):
        p = PriceBook().region(region)
        s = p["table_storage"]
        assert p["pitr"] == pytest.approx(0.8 * s)
        assert p["backup_warm"] == pytest.approx(0.4 * s)
        assert p["restore"] == pytest.approx(0.6 * s)


def test_china_is_in_cny() -> None:
    assert PriceBook().region("cn-north-1").currency == "CNY"


def test_override_replaces_one_price() -> None:
    book = PriceBook({"us-east-1": {"backup_warm": 0.08}})
    p = book.region("us-east-1")
    assert p["backup_warm"] == 0.08 and p["pitr"] == 0.20
    assert p.prices["backup_warm"].source == "config [tool.ddb-guard.pricing]"
    assert "override for backup_warm" in p.summary()
    assert book.region("us-east-2")["backup_warm"] == 0.10


def test_yaml_loaded_lazily() -> None:
    pricing.load_data.cache_clear()
    book = PriceBook()
    assert pricing.load_data.cache_info().currsize == 0
    book.region("us-east-1")
    assert pricing.load_data.cache_info().currsize == 1


def test_every_price_has_source_and_date() -> None:
    data = pricing.load_data()
    for region, spec in data["regions"].items():
        for key, price in spec.items():
            if key in PRICE_KEYS:
                assert price["source"] and price["as_of"], (region, key)


def test_bundled_table_prices_the_default_region() -> None:
    """The CLI checks no region when none is named: the bundled table must price it."""
    assert "us-east-1" in PriceBook().regions()


def test_a_scan_without_backup_rules_loads_no_prices(tmp_path, monkeypatch) -> None:
    from click.testing import CliRunner

    from ddb_guard import cli
    from ddb_guard.enrich import pricing

    def loaded(*args, **kwargs):
        raise AssertionError("pricing data loaded")

    monkeypatch.setattr(pricing, "load_data", loaded)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "main.tf").write_text('resource "aws_dynamodb_table" "t" {\n  name = "t"\n}\n')
    result = CliRunner().invoke(cli.main, ["scan", "main.tf"])
    assert result.exit_code == 1 and "DDB001" in result.output
