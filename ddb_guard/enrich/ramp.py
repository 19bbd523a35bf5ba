"""The first twelve months of a backup rule's cost: copies accumulate until retention is reached.

A plan deployed on 1 January of the analysis year keeps nothing yet: each run adds a full copy
that is billed per GB-month while it exists (warm until ``cold_after``, cold until
``delete_after``; AWS bills storage per GB-hour, and DynamoDB's month-start charge is credited
back pro rata on deletion, which comes to the same). For a calendar month ``m`` of ``d`` days::

    copies(m) = sum over runs of (days the copy exists within m) / d      (warm and cold apart)
    cost(m)   = copies_warm(m) x warm price + copies_cold(m) x cold price (per GB of table)
              + the same for each copy action at its destination's prices
              + runs(m) x cross-Region transfer price (each cross-Region copy action)

Runs are the schedule's real firing times; a rule that loses runs to an overlapping rule
(see :mod:`ddb_guard.enrich.overlap`) keeps ``1 - skipped_share`` of each. All amounts are
per GB of table, so the report multiplies them by each table's size.
"""

from __future__ import annotations

import calendar
import datetime as _dt
from dataclasses import dataclass
from functools import lru_cache

from ddb_guard.enrich.schedule import Schedule

MONTHS = 12


@dataclass(frozen=True, slots=True)
class Tier:
    """One place copies are kept: lifecycle (days) and prices (per GB-month)."""

    cold_after: int | None  # None: never cold (or cold not in effect)
    delete_after: int | None  # None: never deleted
    warm_price: float
    cold_price: float
    transfer_price: float = 0.0  # per GB copied, paid by the source region


def month_bounds(year: int) -> list[tuple[float, float]]:
    """Start and end of each month of ``year``, in days since 1 January."""
    out = []
    start = 0.0
    for m in range(1, MONTHS + 1):
        days = calendar.monthrange(year, m)[1]
        out.append((start, start + days))
        start += days
    return out


def run_days(schedule: Schedule, year: int) -> list[float]:
    """Firing instants in the analysis year, in days since 1 January 00:00."""
    if schedule.cron is None or not schedule.valid:
        return []
    if schedule.expression is None:
        return _firing_days(schedule, year)
    key = (schedule.expression, schedule.timezone, year)  # rules share schedules
    hit = _RUN_DAYS.get(key)
    if hit is None:
        if len(_RUN_DAYS) >= 256:
            _RUN_DAYS.clear()
        hit = _RUN_DAYS[key] = tuple(_firing_days(schedule, year))
    return list(hit)


_RUN_DAYS: dict[tuple[str, str | None, int], tuple[float, ...]] = {}


def _firing_days(schedule: Schedule, year: int) -> list[float]:
    assert schedule.cron is not None
    start = _dt.datetime(year, 1, 1)
    end = _dt.datetime(year + 1, 1, 1)
    return [(t - start).total_seconds() / 86400.0 for t in schedule.cron.firings(start, end)]


def _span(a: float, b: float, lo: float, hi: float) -> float:
    return max(0.0, min(b, hi) - max(a, lo))


def ramp_per_gb(runs: list[float], weight: float, tiers: list[Tier], year: int) -> list[float]:
    """Cost per GB of table for each month of ``year`` (see the module docstring)."""
    return list(_ramp(tuple(runs), weight, tuple(tiers), year))


@lru_cache(maxsize=1024)  # rules with the same schedule, lifecycle and prices: computed once
def _ramp(
    runs: tuple[float, ...], weight: float, tiers: tuple[Tier, ...], year: int
) -> tuple[float, ...]:
    months = month_bounds(year)
    out = [0.0] * len(months)
    for i, (lo, hi) in enumerate(months):
        length = hi - lo
        total = 0.0
        for tier in tiers:
            warm = cold = 0.0
            for f in runs:
                if f >= hi:
                    break
                end = f + tier.delete_after if tier.delete_after is not None else float("inf")
                turn = f + tier.cold_after if tier.cold_after is not None else end
                turn = min(turn, end)
                warm += _span(f, turn, lo, hi)
                cold += _span(turn, end, lo, hi)
            total += (warm * tier.warm_price + cold * tier.cold_price) / length
            if tier.transfer_price:
                total += sum(1 for f in runs if lo <= f < hi) * tier.transfer_price
        out[i] = total * weight
    return tuple(out)
