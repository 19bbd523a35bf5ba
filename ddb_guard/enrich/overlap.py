"""Overlapping rules of one backup plan: AWS Backup takes one backup, for the longer retention.

AWS Backup developer guide (backup plan options): "If you have a backup plan with multiple
rules and the time frames of the two rules overlap, AWS Backup optimizes the backup and takes
a backup for the rule with the longer retention time. The optimization takes into account the
full start window."

Two runs overlap when their start windows ``[start, start + start_window)`` intersect. Over a
four-year sample of real firing times (UTC), the run of the rule with the shorter retention is
skipped when it overlaps a run of a rule with a longer one (never-expiring counts as longest;
on equal retention the rule written first wins). :func:`skipped_shares` returns, per rule, the
share of its runs that AWS skips, so copies and costs use ``runs_per_day x (1 - share)``.
"""

from __future__ import annotations

import bisect
import datetime as _dt
from dataclasses import dataclass

from ddb_guard.enrich.schedule import Schedule

SAMPLE_YEARS = 28  # a full weekday/leap-year cycle: weekly against daily gives exactly 1/7
SHORT_SAMPLE_YEARS = 4  # for sub-daily rules (hourly over 28 years is 245,000 runs)
DEFAULT_WINDOW_MINUTES = 60


@dataclass(frozen=True, slots=True)
class PlanRule:
    """What the overlap analysis needs of one rule."""

    address: str  # the rule's identity (unique across templates)
    schedule: Schedule
    retention_days: int | None  # None: never expires
    start_window: int  # minutes
    order: int  # position in the plan (tie-break)
    label: str = ""  # the address users see (default: ``address``)


@dataclass(frozen=True, slots=True)
class Overlap:
    """``share`` of the rule's runs that AWS skips in favour of ``winners``."""

    share: float
    winners: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {"skipped_share": round(self.share, 4), "in_favour_of": list(self.winners)}


def _utc_minutes(schedule: Schedule, year: int, years: int) -> list[float]:
    """Firing instants over the sample, in minutes since ``year``-01-01 00:00 UTC."""
    if schedule.cron is None:
        return []
    start = _dt.datetime(year, 1, 1)
    end = _dt.datetime(year + years, 1, 1)
    times = schedule.cron.firings(start, end)
    tz = schedule.timezone
    offset_of = None
    if tz and tz not in ("UTC", "Etc/UTC"):
        try:
            from zoneinfo import ZoneInfo

            zone = ZoneInfo(tz)
            offset_of = zone
        except Exception:  # an invalid zone already made the schedule invalid
            offset_of = None
    out = []
    for t in times:
        if offset_of is not None:
            t = t.replace(tzinfo=offset_of).astimezone(_dt.timezone.utc).replace(tzinfo=None)
        out.append((t - start).total_seconds() / 60.0)
    return out


def _longer(a: PlanRule, b: PlanRule) -> bool:
    """Whether ``b`` wins over ``a`` (longer retention; written first on a tie)."""
    ra = float("inf") if a.retention_days is None else a.retention_days
    rb = float("inf") if b.retention_days is None else b.retention_days
    return rb > ra or (rb == ra and b.order < a.order)


def skipped_shares(rules: list[PlanRule], year: int) -> dict[str, Overlap]:
    """Per rule address, the share of runs skipped because a longer-retention rule overlaps."""
    valid = [r for r in rules if r.schedule.valid and r.schedule.cron is not None]
    if len(valid) < 2:
        return {}
    busy = any(r.schedule.runs_per_day > 4 for r in valid)
    years = SHORT_SAMPLE_YEARS if busy else SAMPLE_YEARS
    firings = {r.address: _utc_minutes(r.schedule, year, years) for r in valid}
    out: dict[str, Overlap] = {}
    for a in valid:
        mine = firings[a.address]
        if not mine:
            continue
        rivals = [b for b in valid if b is not a and _longer(a, b)]
        skipped = 0
        winners: list[str] = []
        for t in mine:
            for b in rivals:
                theirs = firings[b.address]
                # b's window [s, s + wb) meets a's [t, t + wa) iff t - wb < s < t + wa
                i = bisect.bisect_right(theirs, t - b.start_window)
                if i < len(theirs) and theirs[i] < t + a.start_window:
                    skipped += 1
                    name = b.label or b.address
                    if name not in winners:
                        winners.append(name)
                    break
        if skipped:
            out[a.address] = Overlap(skipped / len(mine), tuple(winners))
    return out
