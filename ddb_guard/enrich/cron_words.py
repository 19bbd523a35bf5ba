"""A parsed cron expression in words: ``daily at 05:00 UTC``, ``every Monday at 05:00 UTC``,
``on the last Friday of the month at 03:00 (Europe/Paris)``."""

from __future__ import annotations

import calendar

from ddb_guard.enrich.cron import Cron

_DAY_WORDS = ("", "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
_MONTH_WORDS = tuple(calendar.month_name)
_ORDINAL_WORDS = ("", "first", "second", "third", "fourth", "fifth")


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


def describe(cron: Cron, timezone: str | None) -> str:
    """What ``cron`` runs, in words, with its timezone (``UTC`` or ``(zone)``)."""
    day = _day_phrase(cron)
    time = _time_phrase(cron)
    if day == "every day":
        day = "" if time.startswith("every hour") or " times a day" in time else "daily"
    tz = "UTC" if timezone in (None, "Etc/UTC", "UTC", "Etc/GMT", "GMT") else f"({timezone})"
    return " ".join(p for p in (day, time, tz) if p)
