"""AWS six-field cron expressions (``cron(min hour dom month dow year)``) as AWS Backup uses them.

:func:`parse_cron` turns an expression into a :class:`Cron` (raising :class:`CronError` with a
precise message); :func:`analyze` never raises and returns a :class:`Schedule` whose
:meth:`Schedule.info` is the ``schedule_info`` dict rules read.

Syntax (EventBridge/AWS Backup): ``*``, ``?`` (day-of-month/day-of-week only; exactly one of the
two must be ``?``), lists ``a,b``, ranges ``a-b`` (wrapping ranges such as ``FRI-MON`` are
accepted, as Quartz does), steps ``a/s``, ``*/s``, ``a-b/s``, month names ``JAN``-``DEC``,
day names ``SUN``-``SAT`` with day-of-week 1-7 = SUN-SAT, ``L`` (last day of the month; in
day-of-week ``L`` alone is Saturday and ``nL`` the last weekday *n* of the month, e.g. ``6L``
the last Friday), ``nW`` (weekday nearest day *n*, never crossing the month), ``LW`` (last
weekday of the month), ``n#k`` (*k*-th weekday *n* of the month, e.g. ``6#3`` third Friday),
year 1970-2199. Names are case-insensitive.

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
import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import Any

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
YEAR_MIN, YEAR_MAX = 1970, 2199
# The 28-year window must not cross 2100 (not a leap year) for exact densities.
_LATEST_WINDOW_START = 2100 - WINDOW_YEARS

MONTH_NAMES = {
    name: i + 1
    for i, name in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
    )
}
DAY_NAMES = {
    name: i + 1 for i, name in enumerate(("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"))
}
_DAY_WORDS = ("", "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
_MONTH_WORDS = tuple(calendar.month_name)
_ORDINAL_WORDS = ("", "first", "second", "third", "fourth", "fifth")


class CronError(ValueError):
    """The expression is not a valid AWS cron expression; the message says why."""


@dataclass(frozen=True, slots=True)
class DaySpec:
    """A day-of-month or day-of-week field.

    ``kind``: ``any`` (``?`` or ``*``), ``set`` (``values``), ``last`` (``L``), ``last_weekday``
    (``LW``), ``nearest_weekday`` (``nW``: ``n``), ``last_dow`` (``nL``: ``n``), ``nth_dow``
    (``n#k``: ``n``, ``k``).
    """

    kind: str
    values: frozenset[int] = frozenset()
    n: int = 0
    k: int = 0
    text: str = "*"
    question: bool = False


@dataclass(frozen=True, slots=True)
class Cron:
    """A parsed cron expression. ``years`` is None when the year field allows every year."""

    minutes: tuple[int, ...]
    hours: tuple[int, ...]
    dom: DaySpec
    months: frozenset[int]
    dow: DaySpec
    years: frozenset[int] | None
    fields: tuple[str, ...]

    def times_of_day(self) -> tuple[int, ...]:
        """Firing minutes after midnight on a firing day, sorted."""
        return tuple(sorted(h * 60 + m for h in self.hours for m in self.minutes))

    def firings(self, start: _dt.datetime, end: _dt.datetime) -> list[_dt.datetime]:
        """Every firing instant in ``[start, end)`` (naive datetimes in the schedule's zone)."""
        out: list[_dt.datetime] = []
        span = range(start.year, end.year + 1)
        years = [y for y in span if self.years is None or y in self.years]
        times = self.times_of_day()
        for o in firing_days(self, years):
            day = _dt.datetime.fromordinal(o)
            for t in times:
                at = day + _dt.timedelta(minutes=t)
                if start <= at < end:
                    out.append(at)
        return out

    def day_fires(self, day: _dt.date) -> bool:
        """Whether the expression fires on ``day`` (any time of day)."""
        if day.month not in self.months or (self.years is not None and day.year not in self.years):
            return False
        return day.day in _month_days(self, day.year, day.month)


# ----------------------------------------------------------------------------- parsing


def _digits(text: str) -> bool:
    """ASCII digits only: ``str.isdigit`` also accepts ``²``, which ``int`` rejects."""
    return text.isascii() and text.isdigit() and len(text) <= 12


def _number(tok: str, lo: int, hi: int, names: dict[str, int] | None, what: str) -> int:
    up = tok.upper()
    if names and up in names:
        return names[up]
    if not _digits(tok):
        allowed = f" or a name ({', '.join(names)})" if names else ""
        raise CronError(f"{what}: {tok!r} is not a number{allowed}")
    n = int(tok)
    if not lo <= n <= hi:
        raise CronError(f"{what}: {n} is out of range {lo}-{hi}")
    return n


def _range(a: int, b: int, step: int, lo: int, hi: int) -> list[int]:
    if a <= b:
        return list(range(a, b + 1, step))
    # wrapping range (e.g. FRI-MON, 22-2): a..hi then lo..b, stepping across the wrap
    seq = list(range(a, hi + 1)) + list(range(lo, b + 1))
    return seq[::step]


def _parse_set(
    text: str, lo: int, hi: int, what: str, names: dict[str, int] | None = None, steps: bool = True
) -> frozenset[int]:
    """Parse ``*``, lists, ranges and steps into the set of allowed values."""
    out: set[int] = set()
    for part in text.split(","):
        if not part:
            raise CronError(f"{what}: empty list element in {text!r}")
        base, slash, step_text = part.partition("/")
        step = 1
        if slash:
            if not steps:
                raise CronError(f"{what}: '/' steps are not allowed here ({part!r})")
            if not _digits(step_text) or int(step_text) == 0:
                raise CronError(f"{what}: step {step_text!r} must be a positive number")
            step = int(step_text)
        if base == "*":
            a, b = lo, hi
        elif "-" in base:
            left, _, right = base.partition("-")
            if not left or not right:
                raise CronError(f"{what}: malformed range {base!r}")
            a = _number(left, lo, hi, names, what)
            b = _number(right, lo, hi, names, what)
        else:
            a = _number(base, lo, hi, names, what)
            b = hi if slash else a
        out.update(_range(a, b, step, lo, hi))
    return frozenset(out)


_W_RE = re.compile(r"^(\d{1,2})W$")
_NTH_RE = re.compile(r"^([0-9A-Za-z]{1,3})#(\d)$")
_LAST_DOW_RE = re.compile(r"^([0-9A-Za-z]{1,3})L$")


def _parse_dom(text: str) -> DaySpec:
    what = "day-of-month"
    up = text.upper()
    if up == "?":
        return DaySpec("any", text=text, question=True)
    if up == "*":
        return DaySpec("any", text=text)
    if up == "L":
        return DaySpec("last", text=text)
    if up == "LW":
        return DaySpec("last_weekday", text=text)
    if "L" in up or "W" in up:
        m = _W_RE.match(up)
        if m:
            n = _number(m.group(1), 1, 31, None, what)
            return DaySpec("nearest_weekday", n=n, text=text)
        if up.startswith("L-"):
            raise CronError(f"{what}: 'L-n' offsets are not supported by AWS cron ({text!r})")
        raise CronError(
            f"{what}: {text!r}: 'L' and 'W' must stand alone ('L', 'LW', 'nW'), "
            "not in lists or ranges"
        )
    if "#" in up:
        raise CronError(f"{what}: '#' is only allowed in day-of-week ({text!r})")
    return DaySpec("set", values=_parse_set(text, 1, 31, what), text=text)


def _parse_dow(text: str) -> DaySpec:
    what = "day-of-week"
    up = text.upper()
    if up == "?":
        return DaySpec("any", text=text, question=True)
    if up == "*":
        return DaySpec("any", text=text)
    if up == "L":
        return DaySpec("set", values=frozenset({7}), text=text)
    m = _NTH_RE.match(up)
    if m:
        n = _number(m.group(1), 1, 7, DAY_NAMES, what)
        k = int(m.group(2))
        if not 1 <= k <= 5:
            raise CronError(f"{what}: {text!r}: the occurrence after '#' must be 1-5")
        return DaySpec("nth_dow", n=n, k=k, text=text)
    m = _LAST_DOW_RE.match(up)
    if m:
        n = _number(m.group(1), 1, 7, DAY_NAMES, what)
        return DaySpec("last_dow", n=n, text=text)
    if "#" in up or "L" in up:  # no day name contains L
        raise CronError(f"{what}: {text!r}: 'L' and '#' must stand alone ('L', 'nL', 'n#k')")
    if "W" in up.replace("WED", ""):
        raise CronError(f"{what}: 'W' is only allowed in day-of-month ({text!r})")
    if "/" in up:
        raise CronError(f"{what}: '/' steps are not allowed in day-of-week ({text!r})")
    return DaySpec("set", values=_parse_set(text, 1, 7, what, DAY_NAMES, steps=False), text=text)


def _no_question(text: str, what: str) -> None:
    if "?" in text:
        raise CronError(f"{what}: '?' is only allowed in day-of-month or day-of-week")


def parse_cron(expr: str) -> Cron:
    """Parse ``cron(...)``; raise :class:`CronError` with a precise message when invalid."""
    if not isinstance(expr, str):
        raise CronError(f"the schedule must be a string, not {type(expr).__name__}")
    s = expr.strip()
    low = s.lower()
    if low.startswith("rate(") or low.startswith("at("):
        kind = "rate" if low.startswith("rate(") else "at"
        raise CronError(
            f"{kind}() expressions are not accepted by AWS Backup; use cron(...), "
            "e.g. cron(0 5 ? * * *) for daily at 05:00 UTC"
        )
    if not (low.startswith("cron(") and s.endswith(")")):
        raise CronError(f"{s!r} is not a cron(...) expression")
    fields = tuple(s[5:-1].split())
    if len(fields) != 6:
        hint = ""
        if len(fields) == 5:
            hint = " (looks like a 5-field Unix cron: AWS needs a sixth year field, e.g. '*')"
        raise CronError(
            "expected 6 fields (minutes hours day-of-month month day-of-week year), "
            f"found {len(fields)}{hint}"
        )
    f_min, f_hour, f_dom, f_month, f_dow, f_year = fields
    for text, what in ((f_min, "minutes"), (f_hour, "hours"), (f_month, "month"), (f_year, "year")):
        _no_question(text, what)
        if re.search(r"[LW#]", text.upper().replace("JUL", "")):
            # month names contain no L/W/# except JUL; anything else is misplaced
            raise CronError(
                f"{what}: 'L', 'W' and '#' are only allowed in the day fields ({text!r})"
            )
    minutes = tuple(sorted(_parse_set(f_min, 0, 59, "minutes")))
    hours = tuple(sorted(_parse_set(f_hour, 0, 23, "hours")))
    months = _parse_set(f_month, 1, 12, "month", MONTH_NAMES)
    years = None if f_year == "*" else _parse_set(f_year, YEAR_MIN, YEAR_MAX, "year")
    dom = _parse_dom(f_dom)
    dow = _parse_dow(f_dow)
    if dom.question and dow.question:
        raise CronError("day-of-month and day-of-week cannot both be '?'; set one of them")
    if not dom.question and not dow.question:
        raise CronError(
            "one of day-of-month and day-of-week must be '?' "
            f"(got {f_dom!r} and {f_dow!r}); e.g. cron(0 5 ? * * *)"
        )
    return Cron(minutes, hours, dom, months, dow, years, fields)


# ----------------------------------------------------------------------------- firing days


def _aws_dow(year: int, month: int, day: int) -> int:
    """AWS day-of-week (1=SUN .. 7=SAT)."""
    return (_dt.date(year, month, day).weekday() + 1) % 7 + 1


def _dom_days(spec: DaySpec, year: int, month: int, ndays: int) -> set[int] | None:
    """Days of the month allowed by the day-of-month field (None = no restriction)."""
    if spec.kind == "any":
        return None
    if spec.kind == "set":
        return {d for d in spec.values if d <= ndays}
    if spec.kind == "last":
        return {ndays}
    first_dow = _aws_dow(year, month, 1)

    def dow_of(d: int) -> int:
        return (first_dow - 1 + d - 1) % 7 + 1

    if spec.kind == "last_weekday":
        d = ndays
        while dow_of(d) in (1, 7):
            d -= 1
        return {d}
    # nearest_weekday
    n = spec.n
    if n > ndays:
        return set()
    w = dow_of(n)
    if w == 7:  # Saturday -> Friday, or Monday when the 1st
        return {n - 1} if n > 1 else {n + 2}
    if w == 1:  # Sunday -> Monday, or Friday when the last day
        return {n + 1} if n < ndays else {n - 2}
    return {n}


def _dow_days(spec: DaySpec, year: int, month: int, ndays: int) -> set[int] | None:
    """Days of the month allowed by the day-of-week field (None = no restriction)."""
    if spec.kind == "any":
        return None
    first_dow = _aws_dow(year, month, 1)
    if spec.kind == "set":
        return {d for d in range(1, ndays + 1) if (first_dow - 1 + d - 1) % 7 + 1 in spec.values}
    first = 1 + (spec.n - first_dow) % 7  # first day of the month that is weekday n
    if spec.kind == "nth_dow":
        d = first + 7 * (spec.k - 1)
        return {d} if d <= ndays else set()
    # last_dow
    d = first
    while d + 7 <= ndays:
        d += 7
    return {d}


def _month_days(cron: Cron, year: int, month: int) -> set[int]:
    ndays = calendar.monthrange(year, month)[1]
    a = _dom_days(cron.dom, year, month, ndays)
    b = _dow_days(cron.dow, year, month, ndays)
    if a is None and b is None:
        return set(range(1, ndays + 1))
    if a is None:
        return b  # type: ignore[return-value]
    if b is None:
        return a
    return a & b


def firing_days(cron: Cron, years: list[int]) -> list[int]:
    """Ordinals (``date.toordinal()``) of every firing day in ``years``, ascending.

    A month's firing days depend only on its length and first weekday (and the month
    filter), so they are computed once per (length, first weekday) pair.
    """
    out: list[int] = []
    memo: dict[tuple[int, int], list[int]] = {}
    for y in years:
        for m in sorted(cron.months):
            first = _dt.date(y, m, 1)
            ndays = calendar.monthrange(y, m)[1]
            key = (ndays, first.weekday())
            days = memo.get(key)
            if days is None:
                days = memo[key] = sorted(_month_days(cron, y, m))
            if days:
                base = first.toordinal() - 1
                out.extend([base + d for d in days])
    return out


# ----------------------------------------------------------------------------- analysis


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


def _fmt_time(minute_of_day: int) -> str:
    return f"{minute_of_day // 60:02d}:{minute_of_day % 60:02d}"


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _time_phrase(cron: Cron) -> str:
    times = cron.times_of_day()
    if len(cron.hours) == 24 and len(cron.minutes) == 1:
        return f"every hour at :{cron.minutes[0]:02d}"
    if len(times) == 1:
        return f"at {_fmt_time(times[0])}"
    if len(times) <= 6:
        return "at " + _join([_fmt_time(t) for t in times])
    return f"{len(times)} times a day between {_fmt_time(times[0])} and {_fmt_time(times[-1])}"


def _day_phrase(cron: Cron) -> str:
    dom, dow = cron.dom, cron.dow
    if dow.kind == "set":
        vals = sorted(dow.values)
        if vals == [2, 3, 4, 5, 6]:
            day = "on weekdays (MON-FRI)"
        elif vals == [1, 7]:
            day = "on weekends"
        elif len(vals) == 7:
            day = "every day"
        else:
            day = "every " + _join([_DAY_WORDS[v] for v in vals])
    elif dow.kind == "nth_dow":
        day = f"on the {_ORDINAL_WORDS[dow.k]} {_DAY_WORDS[dow.n]} of the month"
    elif dow.kind == "last_dow":
        day = f"on the last {_DAY_WORDS[dow.n]} of the month"
    elif dom.kind == "set":
        vals = sorted(dom.values)
        if len(vals) == 31:
            day = "every day"
        elif len(vals) <= 6:
            day = "on the " + _join([_ordinal(v) for v in vals]) + " of the month"
        else:
            day = f"on {len(vals)} days of the month ({dom.text})"
    elif dom.kind == "last":
        day = "on the last day of the month"
    elif dom.kind == "last_weekday":
        day = "on the last weekday of the month"
    elif dom.kind == "nearest_weekday":
        day = f"on the weekday nearest the {_ordinal(dom.n)} of the month"
    else:
        day = "every day"
    if len(cron.months) == 1 and dom.kind == "set" and len(dom.values) == 1:
        (month,) = cron.months
        day = f"yearly on {_MONTH_WORDS[month]} {_ordinal(next(iter(dom.values)))}"
    elif len(cron.months) < 12:
        names = [_MONTH_WORDS[m] for m in sorted(cron.months)]
        if len(names) <= 4:
            day += " in " + _join(names)
        else:
            day += f" in {len(names)} months ({cron.fields[3]})"
    if cron.years is not None:
        day += f" in {cron.fields[5]}"
    return day


def _describe(cron: Cron, timezone: str | None) -> str:
    day = _day_phrase(cron)
    time = _time_phrase(cron)
    if day == "every day":
        day = "" if time.startswith("every hour") or " times a day" in time else "daily"
    tz = "UTC" if timezone in (None, "Etc/UTC", "UTC", "Etc/GMT", "GMT") else f"({timezone})"
    return " ".join(p for p in (day, time, tz) if p)


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
    if cron.years is None:
        years = list(range(start_year, start_year + WINDOW_YEARS))
        periodic = True
    else:
        years = sorted(y for y in cron.years if y >= start_year)[:WINDOW_YEARS]
        periodic = False
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
    gaps = [b - a for a, b in pairwise(times)]
    day_gaps = list(map(operator.sub, days[1:], days[:-1]))
    if periodic:
        day_gaps.append(days[0] + window_days - days[-1])
    if day_gaps:  # gap from the last run of a day to the first run of the next firing day
        span = times[-1] - times[0]
        gaps += [min(day_gaps) * 1440 - span, max(day_gaps) * 1440 - span]
    sched.min_interval_minutes = min(gaps) if gaps else None
    sched.max_interval_minutes = max(gaps) if gaps else None
    sched.frequency = _classify(cron, days, per_day, counted_days, len(years))
    sched.daily_or_more = sched.frequency.daily_or_more
    sched.description = _describe(cron, timezone)
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
