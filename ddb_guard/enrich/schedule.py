"""The analysis of an AWS Backup schedule: how often it runs, at what intervals, in words.

:func:`analyze` never raises and returns a :class:`Schedule` whose :meth:`Schedule.info` is the
``schedule_info`` dict rules read. The cron syntax lives in :mod:`ddb_guard.enrich.cron`
(:func:`parse_cron` raises :class:`CronError` with a precise message), the description in words
in :mod:`ddb_guard.enrich.cron_words`.

Counting: minutes and hours have no special characters, so every firing day fires at the same
``len(minutes) * len(hours)`` times. Firing *days* are enumerated month by month over a
28-year window (10,227 days = exactly 1,461 weeks, with exactly 7 leap years between 1901 and
2099), so weekly and monthly densities are exact: weekly gives exactly 1/7 run per day.
A timezone (``schedule_expression_timezone``) shifts the firing instants but not the counts;
daylight-saving jumps (one skipped or repeated local hour twice a year) are ignored.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as _dt
import operator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import Any

from ddb_guard.enrich.cron import YEAR_MIN, Cron, CronError, firing_days, parse_cron
from ddb_guard.enrich.cron_words import describe
from ddb_guard.enums import Frequency

__all__ = [
    "DEFAULT_SCHEDULE",
    "Cron",
    "CronError",
    "Schedule",
    "analyze",
    "default_schedule",
    "no_schedule_info",
    "parse_cron",
]

# AWS Backup API, BackupRuleInput.ScheduleExpression: "When no CRON expression is provided,
# AWS Backup will use the default expression cron(0 5 ? * * *)".
DEFAULT_SCHEDULE = "cron(0 5 ? * * *)"
MIN_INTERVAL_MINUTES = 60
WINDOW_YEARS = 28
# The 28-year window must not cross 2100 (not a leap year) for exact densities.
_LATEST_WINDOW_START = 2100 - WINDOW_YEARS


@dataclass(slots=True)
class Schedule:
    """The analysis of one schedule expression.

    ``info()`` is the ``schedule_info`` dict (see ``ddb_guard.enrich`` for the keys).
    ``days`` are firing-day ordinals over ``window_days`` days starting at ``window_start``
    (ordinal); ``per_day`` firings on each firing day.
    """

    expression: str | None
    timezone: str | None
    valid: bool
    error: str | None = None
    cron: Cron | None = None
    days: list[int] = field(default_factory=list)
    per_day: int = 0
    window_start: int = 0
    window_days: int = 0
    window_years: int = 0
    runs_per_day: float = 0.0
    runs_per_year: float = 0.0
    min_interval_minutes: int | None = None
    max_interval_minutes: int | None = None
    frequency: Frequency = Frequency.IRREGULAR
    description: str = ""
    daily_or_more: bool = False
    periodic: bool = True
    default: bool = False  # no schedule written: AWS Backup's DEFAULT_SCHEDULE

    def info(self) -> dict[str, Any]:
        rpd = self.runs_per_day
        return {
            "valid": self.valid,
            "error": self.error,
            "expression": self.expression,
            "timezone": self.timezone,
            "on_demand": self.expression is None,
            "default": self.default,
            "runs_per_day": round(rpd, 4),
            "runs_per_month": round(self.runs_per_year / 12, 3),
            "runs_per_year": round(self.runs_per_year, 2),
            "runs_per_firing_day": self.per_day,
            "min_interval_minutes": self.min_interval_minutes,
            "max_interval_minutes": self.max_interval_minutes,
            "frequency": self.frequency,
            "description": self.description,
            "daily_or_more": self.daily_or_more,
        }

    def peak_firings(self, days: int) -> int:
        """The most firings inside any window of ``days`` consecutive days (a retention window).

        Counts over the analysis window, treating it as periodic when the year field is ``*``.
        """
        if not self.days or days <= 0:
            return 0
        n = self.window_days
        total = len(self.days)
        q, r = divmod(days, n) if self.periodic else (0, min(days, n))
        if r == 0:
            return q * total * self.per_day
        if total == n:  # fires every day
            return (q * total + r) * self.per_day
        ext = self.days + [d + n for d in self.days] if self.periodic else self.days
        best = 0
        j = 0
        for i in range(total):
            end = ext[i] + r
            if j < i:
                j = i
            while j < len(ext) and ext[j] < end:
                j += 1
            if j - i > best:
                best = j - i
        return (q * total + best) * self.per_day


def _classify(
    cron: Cron, days: list[int], per_day: int, window_days: int, nyears: int
) -> Frequency:
    fraction = len(days) / window_days if window_days else 0.0
    if fraction >= 5 / 7 - 1e-9:
        if per_day >= 24:
            return Frequency.HOURLY
        return Frequency.SUB_DAILY if per_day > 1 else Frequency.DAILY
    weekly_pattern = cron.dom.kind == "any" and cron.dow.kind == "set" and len(cron.months) == 12
    if weekly_pattern:
        return Frequency.WEEKLY
    per_year = len(days) / nyears if nyears else 0
    if abs(per_year - 1) < 1e-9:
        return Frequency.YEARLY
    if len(cron.months) == 12 and nyears:
        per_month = {}
        for o in days:
            d = _dt.date.fromordinal(o)
            per_month[(d.year, d.month)] = per_month.get((d.year, d.month), 0) + 1
        if len(per_month) == 12 * nyears and set(per_month.values()) == {1}:
            return Frequency.MONTHLY
    return Frequency.IRREGULAR


def _check_timezone(tz: str | None) -> str | None:
    if tz is None:
        return None
    try:
        import zoneinfo

        zoneinfo.ZoneInfo("Etc/UTC")
    except Exception:  # no timezone database on this machine: cannot check
        return None
    try:
        zoneinfo.ZoneInfo(tz)
    except Exception:
        return f"unknown timezone {tz!r} (schedule_expression_timezone must be an IANA name)"
    return None


def default_schedule(timezone: str | None = None, this_year: int | None = None) -> Schedule:
    """The schedule of a rule that writes none: AWS Backup runs it daily at 05:00 UTC."""
    found = analyze(DEFAULT_SCHEDULE, timezone, this_year)
    return dataclasses.replace(
        found,
        default=True,
        description=f"{found.description} (no schedule written: AWS Backup's default "
        f"{DEFAULT_SCHEDULE})",
    )


def no_schedule_info() -> dict[str, Any]:
    """``schedule_info`` for a rule without a schedule (it only runs on demand)."""
    return Schedule(
        expression=None,
        timezone=None,
        valid=True,
        frequency=Frequency.ON_DEMAND,
        description="no schedule: runs only when started on demand",
    ).info()


def analyze(expression: Any, timezone: str | None = None, this_year: int | None = None) -> Schedule:
    """Analyze a schedule expression; never raises (invalid -> ``valid=False`` + ``error``)."""
    year = this_year if this_year is not None else _dt.date.today().year
    return _analyze_cached(
        expression if isinstance(expression, str) else repr(expression),
        isinstance(expression, str),
        timezone,
        year,
    )


@lru_cache(maxsize=256)
def _analyze_cached(
    expression: str, is_str: bool, timezone: str | None, this_year: int
) -> Schedule:
    if not is_str:
        return Schedule(
            expression,
            timezone,
            False,
            f"the schedule must be a string, not {expression}",
            frequency=Frequency.INVALID,
        )
    try:
        cron = parse_cron(expression)
    except CronError as e:
        return Schedule(expression, timezone, False, str(e), frequency=Frequency.INVALID)
    tz_error = _check_timezone(timezone)
    start_year = min(max(this_year, YEAR_MIN), _LATEST_WINDOW_START)
    years, periodic = _window_years(cron, start_year)
    if not years:
        return Schedule(
            expression,
            timezone,
            False,
            f"year field {cron.fields[5]!r} only allows years before {start_year}: "
            "the schedule never runs again",
            cron,
            frequency=Frequency.INVALID,
        )
    days = firing_days(cron, years)
    window_start = _dt.date(years[0], 1, 1).toordinal()
    window_end = _dt.date(years[-1] + 1, 1, 1).toordinal()
    window_days = window_end - window_start
    counted_days = sum(366 if calendar.isleap(y) else 365 for y in years)
    sched = Schedule(
        expression,
        timezone,
        True,
        None,
        cron,
        window_start=window_start,
        window_days=window_days,
        window_years=len(years),
        periodic=periodic,
    )
    if not days:
        sched.valid = False
        sched.error = "the expression never fires (no date matches all fields)"
        sched.frequency = Frequency.INVALID
        return sched
    times = cron.times_of_day()
    per_day = len(times)
    total = len(days) * per_day
    sched.days = days
    sched.per_day = per_day
    sched.runs_per_day = total / counted_days
    sched.runs_per_year = total / len(years)
    sched.min_interval_minutes, sched.max_interval_minutes = _intervals(
        times, days, window_days if periodic else None
    )
    sched.frequency = _classify(cron, days, per_day, counted_days, len(years))
    sched.daily_or_more = sched.frequency.daily_or_more
    sched.description = describe(cron, timezone)
    if sched.min_interval_minutes is not None and sched.min_interval_minutes < MIN_INTERVAL_MINUTES:
        sched.valid = False
        sched.error = (
            f"runs as often as every {sched.min_interval_minutes} minutes; AWS Backup schedules "
            "can run at most hourly (at least 60 minutes apart)"
        )
    elif tz_error:
        sched.valid = False
        sched.error = tz_error
    return sched


def _window_years(cron: Cron, start_year: int) -> tuple[list[int], bool]:
    """The years the analysis counts over, from ``start_year``, and whether they repeat.

    With ``*`` as year field: ``WINDOW_YEARS`` years, periodic. Otherwise the field's years
    from ``start_year`` on (at most ``WINDOW_YEARS``; none when all lie in the past).
    """
    if cron.years is None:
        return list(range(start_year, start_year + WINDOW_YEARS)), True
    return sorted(y for y in cron.years if y >= start_year)[:WINDOW_YEARS], False


def _intervals(
    times: tuple[int, ...], days: list[int], period_days: int | None
) -> tuple[int | None, int | None]:
    """Shortest and longest gap in minutes between runs, at ``times`` of day on firing
    ``days``; ``period_days``: the window repeats after that many days (None: it does not)."""
    gaps = [b - a for a, b in pairwise(times)]
    day_gaps = list(map(operator.sub, days[1:], days[:-1]))
    if period_days is not None:
        day_gaps.append(days[0] + period_days - days[-1])
    if day_gaps:  # gap from the last run of a day to the first run of the next firing day
        span = times[-1] - times[0]
        gaps += [min(day_gaps) * 1440 - span, max(day_gaps) * 1440 - span]
    return (min(gaps), max(gaps)) if gaps else (None, None)
