"""AWS six-field cron expressions (``cron(min hour dom month dow year)``) as AWS Backup uses them.

:func:`parse_cron` turns an expression into a :class:`Cron` (raising :class:`CronError` with a
precise message); :func:`firing_days` lists the days it fires on.

Syntax (EventBridge/AWS Backup): ``*``, ``?`` (day-of-month/day-of-week only; exactly one of the
two must be ``?``), lists ``a,b``, ranges ``a-b`` (wrapping ranges such as ``FRI-MON`` are
accepted, as Quartz does), steps ``a/s``, ``*/s``, ``a-b/s``, month names ``JAN``-``DEC``,
day names ``SUN``-``SAT`` with day-of-week 1-7 = SUN-SAT, ``L`` (last day of the month; in
day-of-week ``L`` alone is Saturday and ``nL`` the last weekday *n* of the month, e.g. ``6L``
the last Friday), ``nW`` (weekday nearest day *n*, never crossing the month), ``LW`` (last
weekday of the month), ``n#k`` (*k*-th weekday *n* of the month, e.g. ``6#3`` third Friday),
year 1970-2199. Names are case-insensitive.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from dataclasses import dataclass

YEAR_MIN, YEAR_MAX = 1970, 2199

MONTH_NAMES = {
    name: i + 1
    for i, name in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
    )
}
DAY_NAMES = {
    name: i + 1 for i, name in enumerate(("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"))
}


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
