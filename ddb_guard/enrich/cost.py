"""Monthly cost of a backup rule's copies (and of PITR for the same tables).

Steady state, per AWS billing (every backup is a full copy, billed per GB-month):

    source      = warm copies x size x warm price + billed cold copies x size x cold price
    destination = the same with each copy action's lifecycle, at the destination region's
                  prices (the source region's when the destination region is unknown)
    transfer    = runs per month x size x cross-Region transfer price (cross-Region copies)
    monthly     = source + destination + transfer          (None when copies never expire)
    PITR        = size x PITR price

Published checks: 500 GB, daily, 30 days, us-east-1: 30 x 500 x 0.10 = $1,500/month and
PITR 500 x 0.20 = $100/month. When the size is unknown everything is per 100 GB
(``per_100gb`` True, ``table_size_gb`` 100): never a made-up size.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ddb_guard.enrich.pricing import Provenance, RegionPrices
from ddb_guard.enrich.ramp import Tier, ramp_per_gb
from ddb_guard.enums import AdvancedBackup, PriceSource

PER_100GB = 100.0


def _usd(x: float | None) -> float | None:
    return None if x is None else round(x, 2)


def _lifecycle_cost(
    copies_warm: float | None,
    copies_cold_billed: float | None,
    size: float,
    prices: RegionPrices,
) -> tuple[float | None, float | None]:
    warm = None if copies_warm is None else copies_warm * size * prices["backup_warm"]
    cold = None if copies_cold_billed is None else copies_cold_billed * size * prices["backup_cold"]
    return warm, cold


def _at_horizon(
    runs_per_day: float, cold_after: int | None, delete_after: int | None, horizon: int
) -> tuple[float, float]:
    """(warm, cold) copies ``horizon`` days after the first run (lifecycles capped)."""
    keep = horizon if delete_after is None else min(horizon, delete_after)
    if cold_after is None or cold_after >= keep:
        return runs_per_day * keep, 0.0
    return runs_per_day * cold_after, runs_per_day * (keep - cold_after)


def _combine(parts: list[Provenance]) -> Provenance:
    kind = PriceSource.weakest(p.kind for p in parts)
    detail = tuple(dict.fromkeys(d for p in parts for d in p.detail))
    return Provenance(kind, detail)


def _tiers(
    retained: dict[str, Any],
    region: str,
    prices: RegionPrices,
    prices_for: Callable[[str], RegionPrices],
) -> tuple[list[Tier], Provenance]:
    """Where the rule keeps copies (source vault, copy destinations) and the prices' provenance."""
    cold_effective = bool(retained["cold_effective"])
    src_cold = retained["cold_after_days"] if cold_effective else None
    tiers = [
        Tier(src_cold, retained["retention_days"], prices["backup_warm"], prices["backup_cold"])
    ]
    used = [prices.provenance(["backup_warm"] + (["backup_cold"] if src_cold else []))]
    for d in retained["destinations"]:
        d_prices = prices_for(d["region"]) if d["region"] else prices
        d_cold = d["cold_after_days"] if cold_effective or d["cold_copies"] else None
        cross = bool(d["region"] and d["region"] != region)
        tiers.append(
            Tier(
                d_cold,
                d["retention_days"],
                d_prices["backup_warm"],
                d_prices["backup_cold"],
                prices["copy_transfer"] if cross else 0.0,
            )
        )
        used.append(d_prices.provenance(["backup_warm"] + (["backup_cold"] if d_cold else [])))
        if cross:
            used.append(prices.provenance(["copy_transfer"]))
    return tiers, _combine(used)


def rule_ramp(
    retained: dict[str, Any],
    runs: list[float],
    weight: float,
    year: int,
    region: str,
    prices: RegionPrices,
    prices_for: Callable[[str], RegionPrices],
) -> list[float]:
    """Cost per GB of table in each of the first 12 months (see :mod:`ddb_guard.enrich.ramp`)."""
    tiers, _ = _tiers(retained, region, prices, prices_for)
    return ramp_per_gb(runs, weight, tiers, year)


@dataclass(slots=True)
class _Destinations:
    """What a rule's copy actions cost: steady state (None when some copies never expire),
    cross-Region transfer, monthly growth of never-expiring copies, and the month after a
    year (for the first-year ramp's end)."""

    usd: float | None = 0.0
    transfer: float = 0.0
    growth: float = 0.0
    year: float = 0.0


def _destinations(
    retained: dict[str, Any],
    runs_per_day: float,
    size: float,
    region: str,
    prices: RegionPrices,
    prices_for: Callable[[str], RegionPrices],
    notes: list[str],
) -> _Destinations:
    """The copy actions' destination vaults, priced at each destination region."""
    out = _Destinations()
    cold_effective = bool(retained["cold_effective"])
    runs_per_month = runs_per_day * 365.25 / 12
    for d in retained["destinations"]:
        d_prices = prices_for(d["region"]) if d["region"] else prices
        if d["region"] is None:
            notes.append(f"{d['where']}: destination region unknown, {region} prices used")
        if d["region"] and d["region"] != region:
            out.transfer += runs_per_month * size * prices["copy_transfer"]
        d_cold = d["cold_after_days"] if cold_effective or d["cold_copies"] else None
        wy, cy = _at_horizon(runs_per_day, d_cold, d["retention_days"], 365)
        out.year += wy * size * d_prices["backup_warm"] + cy * size * d_prices["backup_cold"]
        if d["unbounded"]:
            out.usd = None
            price = d_prices["backup_cold"] if d_cold is not None else d_prices["backup_warm"]
            out.growth += runs_per_month * size * price
            continue
        w, c = _lifecycle_cost(d["warm_copies"], d["cold_billed_copies"], size, d_prices)
        if out.usd is not None:
            out.usd += (w or 0.0) + (c or 0.0)
    if out.transfer:
        notes.append("cross-Region copy transfer priced at an assumed rate")
    return out


def _cold_saving(
    retained: dict[str, Any],
    runs_per_day: float,
    size: float,
    warm_usd: float | None,
    prices: RegionPrices,
    notes: list[str],
) -> float | None:
    """What moving copies to cold storage after 30 days would save (None: not possible)."""
    delete_after = retained["retention_days"]
    if retained["cold_effective"] or retained["unbounded"] or delete_after is None:
        return None
    if delete_after < 30 + 90:
        notes.append("cold storage needs delete_after >= cold_storage_after + 90 days")
        return None
    alt = _at_horizon(runs_per_day, 30, delete_after, delete_after)
    alt_usd = alt[0] * size * prices["backup_warm"] + alt[1] * size * prices["backup_cold"]
    if retained["advanced_backup"] == AdvancedBackup.OFF:
        notes.append("moving to cold storage needs advanced DynamoDB backup turned on")
    return (warm_usd or 0.0) - alt_usd


def _price_fields(
    retained: dict[str, Any],
    region: str,
    region_source: str,
    prices: RegionPrices,
    prices_for: Callable[[str], RegionPrices],
) -> dict[str, Any]:
    """The region, the prices used and their provenance (the first keys of ``cost``)."""
    _, provenance = _tiers(retained, region, prices, prices_for)
    return {
        "region": region,
        "region_source": region_source,
        "currency": "USD",
        "price_source": provenance.kind,
        "price_source_detail": list(provenance.detail),
        "price_summary": prices.summary(),
        "prices": {
            "backup_warm": prices["backup_warm"],
            "backup_cold": prices["backup_cold"],
            "pitr": prices["pitr"],
        },
    }


def _per_gb_fields(
    monthly: float | None, growth: float | None, size: float, ramp: list[float]
) -> dict[str, Any]:
    """Rates per GB of table and the first month / first year of the ramp."""
    per_gb = None if monthly is None or not size else monthly / size
    growth_per_gb = None if growth is None or not size else growth / size
    return {
        "monthly_usd_per_gb": None if per_gb is None else round(per_gb, 8),
        "monthly_growth_usd_per_gb": None if growth_per_gb is None else round(growth_per_gb, 8),
        "ramp_usd_per_gb": [round(x, 8) for x in ramp],
        "first_month_usd": _usd(ramp[0] * size) if ramp else None,
        "first_year_usd": _usd(sum(ramp) * size) if ramp else None,
    }


def rule_cost(
    *,
    retained: dict[str, Any],
    runs_per_day: float,
    size_gb: float,
    size_source: str,
    per_100gb: bool,
    region: str,
    region_source: str,
    prices: RegionPrices,
    prices_for: Callable[[str], RegionPrices],
    covered_tables: list[str],
    tables_without_size: list[str],
    ramp: list[float] | None = None,
    overlap: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The ``cost`` dict of one backup rule (see ``ddb_guard.enrich`` for the keys)."""
    notes: list[str] = []
    warm_price, cold_price = prices["backup_warm"], prices["backup_cold"]
    pitr_price = prices["pitr"]
    size = size_gb
    unbounded = bool(retained["unbounded"])
    cold_after = retained["cold_after_days"] if retained["cold_effective"] else None
    warm_usd, cold_usd = _lifecycle_cost(
        retained["warm_copies"], retained["cold_billed_copies"], size, prices
    )
    if unbounded:
        cold_usd = None
    dest = _destinations(retained, runs_per_day, size, region, prices, prices_for, notes)
    monthly: float | None = None
    if not unbounded and dest.usd is not None and warm_usd is not None:
        monthly = warm_usd + (cold_usd or 0.0) + dest.usd + dest.transfer
    growth: float | None = None
    if unbounded or dest.usd is None:
        growth = dest.growth
        if unbounded:
            runs_per_month = runs_per_day * 365.25 / 12
            growth += runs_per_month * size * (cold_price if cold_after is not None else warm_price)
        notes.append("backups never expire: the monthly cost grows every month")
    wy, cy = _at_horizon(runs_per_day, cold_after, retained["retention_days"], 365)
    after_year = wy * size * warm_price + cy * size * cold_price + dest.year + dest.transfer
    saving = _cold_saving(retained, runs_per_day, size, warm_usd, prices, notes)
    if per_100gb:
        notes.append("table size unknown: cost per 100 GB (pass --table-size NAME=GB)")
    if prices.note:
        notes.append(f"prices {prices.note}")
    if overlap:
        notes.append(
            f"{overlap['skipped_share']:.0%} of its runs overlap a longer-retention rule of the "
            "plan: AWS Backup takes one backup, for the longer retention"
        )
    total_copies = retained["total_copies"]
    return {
        **_price_fields(retained, region, region_source, prices, prices_for),
        "table_size_gb": round(size, 3),
        "size_source": size_source,
        "per_100gb": per_100gb,
        "covered_tables": list(covered_tables),
        "tables_without_size": list(tables_without_size),
        "advanced_backup": retained["advanced_backup"],
        "unbounded": unbounded or dest.usd is None,
        "monthly_usd": _usd(monthly),
        "warm_monthly_usd": _usd(warm_usd),
        "cold_monthly_usd": _usd(cold_usd),
        "destination_monthly_usd": _usd(dest.usd),
        "copy_transfer_monthly_usd": _usd(dest.transfer),
        "pitr_monthly_usd": _usd(size * pitr_price),
        "pitr_copies_equivalent": round(pitr_price / warm_price, 2) if warm_price else None,
        "multiple_of_table": None if total_copies is None else round(total_copies, 2),
        "cold_saving_usd": _usd(saving),
        "monthly_growth_usd": _usd(growth),
        "monthly_usd_after_year": _usd(after_year),
        **_per_gb_fields(monthly, growth, size, list(ramp or [])),
        "overlap": overlap,
        "notes": notes,
    }


def pitr_monthly(size_gb: float, prices: RegionPrices) -> float:
    """PITR storage per month for a table of ``size_gb`` (billed on table size)."""
    return round(size_gb * prices["pitr"], 2)
