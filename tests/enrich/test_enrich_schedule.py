"""AWS cron parsing and firing counts, checked against an independent brute-force oracle."""

from __future__ import annotations

import calendar
import datetime as dt
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ddb_guard.enrich.schedule import CronError, analyze, no_schedule_info, parse_cron

# ----------------------------------------------------------------------------- oracle
# A deliberately naive, independent matcher: it checks one timestamp against the raw field
# text, with no shared code besides the standard library.

_MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
_DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]


def _num(tok: str, names: list[str] | None) -> int:
    if names and tok.upper() in names:
        return names.index(tok.upper()) + 1
    return int(tok)


def _field_matches(text: str, v: int, lo: int, hi: int, names: list[str] | None = None) -> bool:
    for part in text.split(","):
        base, _, step = part.partition("/")
        step_n = int(step) if step else 1
        if base == "*":
            a, b = lo, hi
        elif "-" in base:
            x, y = base.split("-")
            a, b = _num(x, names), _num(y, names)
        else:
            a = _num(base, names)
            b = hi if step else a
        seq = list(range(a, b + 1)) if a <= b else list(range(a, hi + 1)) + list(range(lo, b + 1))
        if v in seq[::step_n]:
            return True
    return False


def _aws_dow(d: dt.date) -> int:
    return {6: 1, 0: 2, 1: 3, 2: 4, 3: 5, 4: 6, 5: 7}[d.weekday()]


def _is_weekday(d: dt.date) -> bool:
    return d.weekday() < 5


def _dom_matches(text: str, d: dt.date) -> bool:
    last = calendar.monthrange(d.year, d.month)[1]
    up = text.upper()
    if up in ("?", "*"):
        return True
    if up == "L":
        return d.day == last
    if up == "LW":
        weekdays = [x for x in range(1, last + 1) if _is_weekday(d.replace(day=x))]
        return d.day == weekdays[-1]
    if up.endswith("W"):
        n = int(up[:-1])
        if n > last:
            return False
        weekdays = [x for x in range(1, last + 1) if _is_weekday(d.replace(day=x))]
        nearest = min(weekdays, key=lambda x: (abs(x - n), x))
        return d.day == nearest
    return _field_matches(text, d.day, 1, 31)


def _dow_matches(text: str, d: dt.date) -> bool:
    up = text.upper()
    if up in ("?", "*"):
        return True
    if up == "L":
        return _aws_dow(d) == 7
    if "#" in up:
        n, k = up.split("#")
        return _aws_dow(d) == _num(n, _DAYS) and (d.day - 1) // 7 + 1 == int(k)
    if up.endswith("L"):
        n = _num(up[:-1], _DAYS)
        return _aws_dow(d) == n and (d + dt.timedelta(days=7)).month != d.month
    return _field_matches(text, _aws_dow(d), 1, 7, _DAYS)


def oracle_day(expr: str, d: dt.date) -> bool:
    f = expr[5:-1].split()
    return (
        _field_matches(f[3], d.month, 1, 12, _MONTHS)
        and _field_matches(f[5], d.year, 1970, 2199)
        and _dom_matches(f[2], d)
        and _dow_matches(f[4], d)
    )


def oracle_minutes(expr: str, start: dt.datetime, minutes: int) -> list[dt.datetime]:
    """Minute-by-minute enumeration of firing instants in ``[start, start+minutes)``."""
    f = expr[5:-1].split()
    out = []
    day_ok: dict[dt.date, bool] = {}
    t = start
    one = dt.timedelta(minutes=1)
    for _ in range(minutes):
        d = t.date()
        if d not in day_ok:
            day_ok[d] = oracle_day(expr, d)
        if (
            day_ok[d]
            and _field_matches(f[1], t.hour, 0, 23)
            and _field_matches(f[0], t.minute, 0, 59)
        ):
            out.append(t)
        t += one
    return out


# ----------------------------------------------------------------------------- strategies


def _numeric_field(lo: int, hi: int, names: list[str] | None = None) -> st.SearchStrategy[str]:
    def name_or_num(n: int, use_name: bool) -> str:
        return names[n - 1] if names and use_name else str(n)

    single = st.builds(name_or_num, st.integers(lo, hi), st.booleans())
    rng = st.builds(
        lambda a, b, u: f"{name_or_num(a, u)}-{name_or_num(b, u)}",
        st.integers(lo, hi),
        st.integers(lo, hi),
        st.booleans(),
    )
    stepped = st.builds(
        lambda a, s: f"{a}/{s}", st.integers(lo, hi), st.integers(1, max(1, hi - lo))
    ) | st.builds(lambda s: f"*/{s}", st.integers(1, max(1, hi - lo)))
    range_step = st.builds(
        lambda a, b, s: f"{min(a, b)}-{max(a, b)}/{s}",
        st.integers(lo, hi),
        st.integers(lo, hi),
        st.integers(1, 10),
    )
    lst = st.lists(single, min_size=2, max_size=4, unique=True).map(",".join)
    return st.one_of(single, rng, stepped, range_step, lst, st.just("*"))


_minutes = st.one_of(
    st.integers(0, 59).map(str),
    st.lists(st.integers(0, 59), min_size=1, max_size=3, unique=True).map(
        lambda xs: ",".join(map(str, xs))
    ),
)
_hours = _numeric_field(0, 23)
_months = _numeric_field(1, 12, _MONTHS)
_dom_special = st.one_of(
    st.just("L"),
    st.just("LW"),
    st.integers(1, 31).map(lambda n: f"{n}W"),
)
_dom = st.one_of(_numeric_field(1, 31), _dom_special)
_dow_plain = st.one_of(
    st.integers(1, 7).map(str),
    st.sampled_from(_DAYS),
    st.builds(lambda a, b: f"{_DAYS[a - 1]}-{_DAYS[b - 1]}", st.integers(1, 7), st.integers(1, 7)),
    st.lists(st.integers(1, 7), min_size=2, max_size=4, unique=True).map(
        lambda xs: ",".join(map(str, xs))
    ),
    st.just("*"),
)
_dow_special = st.one_of(
    st.just("L"),
    st.builds(lambda n: f"{n}L", st.integers(1, 7)),
    st.builds(lambda n, k: f"{n}#{k}", st.integers(1, 7), st.integers(1, 5)),
)
_dow = st.one_of(_dow_plain, _dow_special)


@st.composite
def cron_exprs(draw) -> str:
    minute = draw(_minutes)
    hour = draw(_hours)
    month = draw(_months)
    if draw(st.booleans()):
        dom, dow = draw(_dom), "?"
    else:
        dom, dow = "?", draw(_dow)
    year = draw(st.sampled_from(["*", "*", "2025-2030", "2026,2027", "2024/2"]))
    return f"cron({minute} {hour} {dom} {month} {dow} {year})"


# ----------------------------------------------------------------------------- property tests


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expr=cron_exprs(), month=st.integers(1, 12), year=st.sampled_from([2026, 2027, 2028]))
def test_firing_instants_match_minute_by_minute_oracle(expr: str, month: int, year: int) -> None:
    cron = parse_cron(expr)
    start = dt.datetime(year, month, 1)
    minutes = 32 * 1440  # a whole month plus a day
    expected = oracle_minutes(expr, start, minutes)
    assert cron.firings(start, start + dt.timedelta(minutes=minutes)) == expected


@settings(max_examples=60, deadline=None)
@given(expr=cron_exprs())
def test_yearly_counts_match_day_by_day_oracle(expr: str) -> None:
    sched = analyze(expr, this_year=2026)
    cron = parse_cron(expr)
    years = list(range(2026, 2026 + 28))
    if cron.years is not None:  # the first 28 allowed years from this year on
        years = sorted(y for y in cron.years if y >= 2026)[:28]
    days = [
        dt.date(y, 1, 1) + dt.timedelta(days=i)
        for y in years
        for i in range(366 if calendar.isleap(y) else 365)
    ]
    firing = [d for d in days if oracle_day(expr, d)]
    per_day = len(cron.minutes) * len(cron.hours)
    if not firing:
        assert not sched.valid and "never fires" in (sched.error or "")
        return
    assert sched.days == [d.toordinal() for d in firing]
    assert sched.runs_per_year == pytest.approx(len(firing) * per_day / len(years))
    assert sched.runs_per_day == pytest.approx(len(firing) * per_day / len(days))
    # min interval: brute force over consecutive firing instants of the window
    times = sorted(h * 60 + m for h in cron.hours for m in cron.minutes)
    instants = [d.toordinal() * 1440 + t for d in firing for t in times]
    gaps = [b - a for a, b in itertools.pairwise(instants)]
    if cron.years is None:  # periodic window: the wrap-around gap counts too
        gaps.append(instants[0] + len(days) * 1440 - instants[-1])
    if gaps:
        assert sched.min_interval_minutes == min(gaps)
        assert sched.max_interval_minutes == max(gaps)
        assert sched.valid == (min(gaps) >= 60)


@settings(max_examples=40, deadline=None)
@given(expr=cron_exprs(), window=st.integers(1, 400))
def test_peak_firings_match_sliding_window_oracle(expr: str, window: int) -> None:
    sched = analyze(expr, this_year=2026)
    if not sched.days:
        return
    marks = [0] * sched.window_days
    for o in sched.days:
        marks[o - sched.window_start] = 1
    seq = marks + marks if sched.periodic else marks
    starts = (
        range(sched.window_days)
        if sched.periodic
        else range(max(1, sched.window_days - window + 1))
    )
    best = max(sum(seq[a : a + window]) for a in starts)
    assert sched.peak_firings(window) == best * sched.per_day


# ----------------------------------------------------------------------------- examples


@pytest.mark.parametrize(
    ("expr", "frequency", "runs_per_day", "description"),
    [
        ("cron(0 5 ? * * *)", "daily", 1.0, "daily at 05:00 UTC"),
        ("cron(0 12 * * ? *)", "daily", 1.0, "daily at 12:00 UTC"),
        ("cron(15 * ? * * *)", "hourly", 24.0, "every hour at :15 UTC"),
        ("cron(0 */6 ? * * *)", "sub-daily", 4.0, "daily at 00:00, 06:00, 12:00 and 18:00 UTC"),
        ("cron(0 5 ? * MON *)", "weekly", 1 / 7, "every Monday at 05:00 UTC"),
        ("cron(0 5 ? * 2 *)", "weekly", 1 / 7, "every Monday at 05:00 UTC"),
        ("cron(0 5 ? * MON-FRI *)", "daily", 5 / 7, "on weekdays (MON-FRI) at 05:00 UTC"),
        (
            "cron(0 5 ? * MON,WED,FRI *)",
            "weekly",
            3 / 7,
            "every Monday, Wednesday and Friday at 05:00 UTC",
        ),
        ("cron(0 5 1 * ? *)", "monthly", 12 / 365.25, "on the 1st of the month at 05:00 UTC"),
        ("cron(0 5 L * ? *)", "monthly", 12 / 365.25, "on the last day of the month at 05:00 UTC"),
        (
            "cron(0 5 ? * 6L *)",
            "monthly",
            12 / 365.25,
            "on the last Friday of the month at 05:00 UTC",
        ),
        (
            "cron(0 5 ? * 6#3 *)",
            "monthly",
            12 / 365.25,
            "on the third Friday of the month at 05:00 UTC",
        ),
        (
            "cron(0 5 LW * ? *)",
            "monthly",
            12 / 365.25,
            "on the last weekday of the month at 05:00 UTC",
        ),
        (
            "cron(0 5 15W * ? *)",
            "monthly",
            12 / 365.25,
            "on the weekday nearest the 15th of the month at 05:00 UTC",
        ),
        ("cron(0 5 1 JAN ? *)", "yearly", 1 / 365.25, "yearly on January 1st at 05:00 UTC"),
        (
            "cron(0 5 1 1,4,7,10 ? *)",
            "irregular",
            4 / 365.25,
            "on the 1st of the month in January, April, July and October at 05:00 UTC",
        ),
        ("cron(0 5 ? * SUN *)", "weekly", 1 / 7, "every Sunday at 05:00 UTC"),
    ],
)
def test_known_schedules(expr: str, frequency: str, runs_per_day: float, description: str) -> None:
    info = analyze(expr, "Etc/UTC", this_year=2026).info()
    assert info["valid"] is True, info["error"]
    assert info["frequency"] == frequency
    assert info["runs_per_day"] == pytest.approx(runs_per_day, abs=1e-4)
    assert info["description"] == description
    assert info["daily_or_more"] == (frequency in ("hourly", "sub-daily", "daily"))


def test_weekly_is_exactly_one_seventh_per_day() -> None:
    sched = analyze("cron(0 5 ? * MON *)", this_year=2026)
    assert sched.runs_per_day * 35 == pytest.approx(5.0, abs=1e-12)
    assert sched.peak_firings(35) == 5


def test_daily_counts() -> None:
    info = analyze("cron(0 5 ? * * *)", this_year=2026).info()
    assert info["runs_per_year"] == 365.25
    assert info["runs_per_month"] == pytest.approx(30.438, abs=1e-3)
    assert info["min_interval_minutes"] == 1440


def test_timezone_named_in_description_but_counts_unchanged() -> None:
    utc = analyze("cron(0 5 ? * * *)", "Etc/UTC", this_year=2026).info()
    paris = analyze("cron(0 5 ? * * *)", "Europe/Paris", this_year=2026).info()
    assert paris["description"] == "daily at 05:00 (Europe/Paris)"
    assert paris["runs_per_day"] == utc["runs_per_day"]


def test_unknown_timezone_is_invalid() -> None:
    info = analyze("cron(0 5 ? * * *)", "Mars/Olympus", this_year=2026).info()
    assert info["valid"] is False
    assert "unknown timezone 'Mars/Olympus'" in info["error"]


def test_case_insensitive_names() -> None:
    assert parse_cron("cron(0 5 ? jan-mar mon-fri *)").months == frozenset({1, 2, 3})


def test_wrapping_day_range() -> None:
    assert parse_cron("cron(0 5 ? * FRI-MON *)").dow.values == frozenset({6, 7, 1, 2})


def test_steps() -> None:
    assert parse_cron("cron(0/15 0 ? * * *)").minutes == (0, 15, 30, 45)
    assert parse_cron("cron(*/20 0 ? * * *)").minutes == (0, 20, 40)
    assert parse_cron("cron(10-50/10 0 ? * * *)").minutes == (10, 20, 30, 40, 50)
    assert parse_cron("cron(0 5 1/10 * ? *)").dom.values == frozenset({1, 11, 21, 31})


@pytest.mark.parametrize(
    ("expr", "error"),
    [
        ("rate(1 day)", "rate() expressions are not accepted by AWS Backup"),
        ("rate(12 hours)", "rate() expressions are not accepted by AWS Backup"),
        ("0 5 * * ? *", "is not a cron(...) expression"),
        ("cron(0 5 * * ?)", "expected 6 fields"),
        ("cron(0 5 * * *)", "looks like a 5-field Unix cron"),
        ("cron(0 5 ? * * * *)", "found 7"),
        ("cron(0 5 * * * *)", "one of day-of-month and day-of-week must be '?'"),
        ("cron(0 5 1 * MON *)", "one of day-of-month and day-of-week must be '?'"),
        ("cron(0 5 ? * ? *)", "cannot both be '?'"),
        ("cron(60 5 ? * * *)", "minutes: 60 is out of range 0-59"),
        ("cron(0 24 ? * * *)", "hours: 24 is out of range 0-23"),
        ("cron(0 5 32 * ? *)", "day-of-month: 32 is out of range 1-31"),
        ("cron(0 5 ? 13 * *)", "month: 13 is out of range 1-12"),
        ("cron(0 5 ? * 8 *)", "day-of-week: 8 is out of range 1-7"),
        ("cron(0 5 ? * 0 *)", "day-of-week: 0 is out of range 1-7"),
        ("cron(0 5 ? * * 1969)", "year: 1969 is out of range 1970-2199"),
        ("cron(0 5 ? * * 2200)", "year: 2200 is out of range 1970-2199"),
        ("cron(0 5 ? * FOO *)", "day-of-week: 'FOO' is not a number"),
        ("cron(0 5 ? * 6#6 *)", "must be 1-5"),
        ("cron(0 5 L,15 * ? *)", "'L' and 'W' must stand alone"),
        ("cron(0 5 L-3 * ? *)", "'L-n' offsets are not supported"),
        ("cron(0 5 ? * MON#2,FRI *)", "'L' and '#' must stand alone"),
        ("cron(0 5 ? * MON/2 *)", "'/' steps are not allowed in day-of-week"),
        ("cron(0 ? ? * * *)", "hours: '?' is only allowed"),
        ("cron(0 5L ? * * *)", "only allowed in the day fields"),
        ("cron(0 5 ? * 3W *)", "'W' is only allowed in day-of-month"),
        ("cron(0 5 1#2 * ? *)", "'#' is only allowed in day-of-week"),
        ("cron(0 5 ? * * 0/0)", "step '0' must be a positive number"),
        ("cron(0 5 ? * 1- *)", "malformed range"),
        ("cron(0 5 1,,2 * ? *)", "empty list element"),
        ("cron(0,30 5 ? * * *)", "every 30 minutes"),
        ("cron(* * ? * * *)", "every 1 minutes"),
        ("cron(0 5 30 2 ? *)", "never fires"),
        ("cron(0 5 31 4 ? *)", "never fires"),
        ("cron(0 5 ? * * 2019)", "never runs again"),
    ],
)
def test_invalid_expressions(expr: str, error: str) -> None:
    info = analyze(expr, this_year=2026).info()
    assert info["valid"] is False
    assert error in info["error"]


@pytest.mark.parametrize("bad", [None, 5, ["cron(0 5 ? * * *)"]])
def test_non_string_never_raises(bad) -> None:
    info = analyze(bad).info()
    assert info["valid"] is False
    assert "must be a string" in info["error"]


def test_parse_cron_raises_cron_error() -> None:
    with pytest.raises(CronError):
        parse_cron("cron(bad)")


def test_hourly_minimum_is_accepted_and_sub_hourly_rejected() -> None:
    assert analyze("cron(0 * ? * * *)").valid
    assert analyze("cron(0 0-23 ? * * *)").valid
    assert not analyze("cron(0,59 * ? * * *)").valid


def test_sub_hourly_across_midnight_is_rejected() -> None:
    info = analyze("cron(30 0,23 ? * * *)", this_year=2026).info()
    assert info["valid"] is True  # 23:30 -> 00:30 is 60 minutes
    info = analyze("cron(50 23 ? * * *)", this_year=2026).info()
    assert info["valid"] is True
    info = analyze("cron(10,50 0,23 ? * * *)", this_year=2026).info()
    assert info["valid"] is False
    assert info["min_interval_minutes"] == 20


def test_future_years_only() -> None:
    info = analyze("cron(0 5 ? * * 2150-2151)", this_year=2026).info()
    assert info["valid"] is True
    assert info["runs_per_year"] == pytest.approx(365.0)


def test_no_schedule_info() -> None:
    info = no_schedule_info()
    assert info["valid"] is True
    assert info["on_demand"] is True
    assert info["frequency"] == "on-demand"
    assert info["runs_per_day"] == 0
    assert info["daily_or_more"] is False


def test_analysis_is_fast_enough() -> None:
    import time

    t0 = time.perf_counter()
    for i in range(50):
        analyze(f"cron({i % 60} 5 ? * MON-FRI *)", this_year=2000 + i)
    per_call = (time.perf_counter() - t0) / 50
    assert per_call < 0.02
