"""How many full copies a backup rule keeps at steady state, warm and cold, here and in
copy destinations.

Every DynamoDB backup is a full copy of the table. With ``r`` runs per day (from the real
schedule) and retention ``D`` days, ``r x D`` copies exist on average (weekly with 35 days:
exactly 5; daily with 30 days: 30). Copies older than ``cold_after`` days are cold, when cold
storage applies: DynamoDB cold tiering needs AWS Backup advanced DynamoDB features, assumed
on unless the scanned code turns them off (``aws_backup_region_settings``
``resource_type_management_preference = {DynamoDB = false}``); when off, AWS silently ignores
the cold setting and the copies stay warm. Without ``delete_after`` nothing expires
(``unbounded``). Copy actions keep their own copies in the destination vault, with their own
lifecycle.

Validation: lifecycle day values must be whole numbers of days, 1-36500 (numeric strings are
accepted, as Terraform and CloudFormation convert them); ``-1`` means "keep indefinitely"
(AWS API). ``delete_after`` must be at least ``cold_after + 90`` (AWS rejects the plan
otherwise: BKP004).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ddb_guard.enrich.schedule import Schedule
from ddb_guard.enums import AdvancedBackup
from ddb_guard.model import Value

MAX_DAYS = 36500
COLD_MIN_DAYS = 90
_ROUND = 4


@dataclass(frozen=True, slots=True)
class Days:
    """A validated lifecycle value: ``days`` (None = not set / indefinite), an ``error``
    (invalid value), or ``unknown`` (the reason it cannot be known)."""

    days: int | None = None
    error: str | None = None
    unknown: str | None = None
    indefinite: bool = False


def check_days(v: Any, what: str) -> Days:
    """Validate one lifecycle value (``what`` names it in messages, e.g. ``delete_after``)."""
    if isinstance(v, Value):
        if not v.known:
            return Days(unknown=f"{what}: {v.unknown}")
        v = v.value
    if v is None:
        return Days()
    if isinstance(v, bool):
        return Days(error=f"{what} must be a number of days, not {str(v).lower()}")
    if isinstance(v, str):
        text = v.strip()
        try:
            v = int(text)
        except ValueError:
            try:
                v = float(text)
            except ValueError:
                return Days(error=f"{what} is the string {text!r}, not a number of days")
    if isinstance(v, float):
        if not v.is_integer():
            return Days(error=f"{what} must be a whole number of days, not {v:g}")
        v = int(v)
    if not isinstance(v, int):
        return Days(error=f"{what} must be a number of days, not {type(v).__name__}")
    if v == -1:
        return Days(indefinite=True)
    if v < 0:
        return Days(error=f"{what} is negative ({v}); use a number of days (or -1: keep forever)")
    if v == 0:
        return Days(error=f"{what} is 0; a retention must be at least 1 day")
    if v > MAX_DAYS:
        return Days(error=f"{what} is {v} days, above the AWS maximum of {MAX_DAYS}")
    return Days(days=v)


def lifecycle_error(cold: Days, delete: Days, where: str = "") -> str | None:
    """The AWS rule ``delete_after >= cold_after + 90`` (None when it holds or is moot)."""
    if cold.days is None or delete.days is None:
        return None
    need = cold.days + COLD_MIN_DAYS
    if delete.days < need:
        prefix = f"{where}: " if where else ""
        return (
            f"{prefix}delete_after ({delete.days}) must be at least cold_storage_after "
            f"({cold.days}) + 90 = {need} days; AWS rejects this lifecycle"
        )
    return None


@dataclass(slots=True)
class Split:
    """Copies kept under one lifecycle: warm, cold, billed cold (90-day minimum)."""

    warm: float | None
    cold: float | None
    cold_billed: float | None
    unbounded: bool
    cold_effective: bool
    cold_ignored: bool


def split_copies(runs_per_day: float, cold: Days, delete: Days, advanced_off: bool) -> Split:
    """Average copies at steady state under (cold_after, delete_after)."""
    expire = None if (delete.days is None or delete.indefinite) else delete.days
    cold_days = None if cold.indefinite else cold.days
    cold_ignored = cold_days is not None and advanced_off
    if cold_ignored:
        cold_days = None
    if expire is None:
        warm = None if cold_days is None else runs_per_day * cold_days
        return Split(warm, None, None, True, cold_days is not None, cold_ignored)
    if cold_days is None or cold_days >= expire:
        return Split(runs_per_day * expire, 0.0, 0.0, False, False, cold_ignored)
    cold_span = expire - cold_days
    return Split(
        runs_per_day * cold_days,
        runs_per_day * cold_span,
        runs_per_day * max(cold_span, COLD_MIN_DAYS),
        False,
        True,
        cold_ignored,
    )


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, _ROUND)


def _region_of_arn(v: Any) -> str | None:
    if isinstance(v, Value):
        v = v.value if v.known else None
    if isinstance(v, str) and v.startswith("arn:"):
        parts = v.split(":")
        if len(parts) > 4 and parts[3] and "$" not in parts[3] and "*" not in parts[3]:
            return parts[3]
    return None


@dataclass(slots=True)
class RetentionResult:
    """``retained`` (dict or unknown reason) plus the two error attributes."""

    retained: dict[str, Any] | None
    unknown: str | None
    lifecycle_error: str | None
    lifecycle_unknown: str | None
    value_error: str | None
    value_unknown: str | None


def _copy_items(copies: Any) -> tuple[list[dict[str, Any]], str | None]:
    if copies is None:
        return [], None
    if isinstance(copies, Value):
        if not copies.known:
            return [], f"copy_actions: {copies.unknown}"
        copies = copies.value or []
    if not isinstance(copies, (list, tuple)):
        return [], None
    out = []
    for c in copies:
        if isinstance(c, Value):
            if not c.known:
                return [], f"copy_actions: {c.unknown}"
            c = c.value
        if isinstance(c, dict):
            out.append(c)
    return out, None


@dataclass(slots=True)
class _Lifecycles:
    """The rule's lifecycle values and each copy action's (``(action, cold, delete, where)``),
    validated; ``errors``/``unknowns`` of any of them."""

    cold: Days
    delete: Days
    dests: list[tuple[dict[str, Any], Days, Days, str]]
    errors: list[str]
    unknowns: list[str]


def _lifecycles(attrs: dict[str, Any]) -> _Lifecycles:
    """Validate the rule's ``cold_after``/``delete_after`` and its copy actions'."""
    cold = check_days(attrs.get("cold_after"), "cold_storage_after")
    delete = check_days(attrs.get("delete_after"), "delete_after")
    copies, copies_unknown = _copy_items(attrs.get("copy_actions"))
    dests = []
    for i, c in enumerate(copies):
        where = f"copy_action[{i}]"
        dests.append(
            (
                c,
                check_days(c.get("cold_after"), f"{where}.cold_storage_after"),
                check_days(c.get("delete_after"), f"{where}.delete_after"),
                where,
            )
        )
    all_days = [cold, delete] + [d for _, cd, dd, _ in dests for d in (cd, dd)]
    errors = [d.error for d in all_days if d.error]
    unknowns = [d.unknown for d in all_days if d.unknown]
    if copies_unknown:
        unknowns.append(copies_unknown)
    return _Lifecycles(cold, delete, dests, errors, unknowns)


def _errors(lc: _Lifecycles) -> RetentionResult:
    """The result before copies are counted: the value and lifecycle errors, or why they are
    unknown."""
    value_error = "; ".join(lc.errors) if lc.errors else None
    value_unknown = None if lc.errors or not lc.unknowns else "; ".join(lc.unknowns)
    life_errors = [e for e in [lifecycle_error(lc.cold, lc.delete)] if e]
    life_errors += [e for _, cd, dd, w in lc.dests if (e := lifecycle_error(cd, dd, w))]
    life_unknown = None
    if not life_errors and lc.unknowns:
        life_unknown = "; ".join(lc.unknowns)
    return RetentionResult(
        None,
        None,
        "; ".join(life_errors) if life_errors else None,
        life_unknown,
        value_error,
        value_unknown,
    )


def compute_retention(
    attrs: dict[str, Any],
    schedule: Schedule | None,
    advanced: AdvancedBackup,
    cold_warm_ratio: float,
    effective_runs_per_day: float | None = None,
    vault_region: Callable[[Any], str | None] | None = None,
) -> RetentionResult:
    """Retention of one backup rule.

    ``attrs``: the rule's attributes (``cold_after``, ``delete_after``, ``copy_actions``).
    ``schedule``: the analysed schedule (None: no schedule, on-demand only).
    ``advanced``: ``"on"``, ``"off"`` or ``"assumed on"`` (DynamoDB advanced backup).
    ``effective_runs_per_day``: runs AWS actually takes when overlapping rules skip some
    (default: the schedule's). ``vault_region``: the region of a destination vault reference.
    """
    lc = _lifecycles(attrs)
    result = _errors(lc)
    unknowns, errors = lc.unknowns, lc.errors
    src_unknowns = [d.unknown for d in (lc.cold, lc.delete) if d.unknown]
    if unknowns and not errors and (src_unknowns or schedule is None):
        result.unknown = "; ".join(unknowns)
        return result
    # only what copy actions keep is unknown: the rule's own copies are still counted
    dest_unknown = "; ".join(unknowns) if unknowns and not errors else None
    dests = [] if dest_unknown else lc.dests
    retained = _retained(schedule, lc, advanced, cold_warm_ratio, bool(dests), dest_unknown)
    result.retained = retained
    notes = retained["notes"]
    if lc.delete.indefinite:
        notes.append("delete_after -1 keeps backups indefinitely")
    if errors:
        notes.append("invalid lifecycle values: copies not estimated")
        return result
    if schedule is None:
        notes.append("no schedule: the rule only runs on demand, so copies are not estimated")
        return result
    if not schedule.valid:
        notes.append(f"invalid schedule ({schedule.error}): copies not estimated")
        return result
    runs_per_day = (
        schedule.runs_per_day if effective_runs_per_day is None else effective_runs_per_day
    )
    src = _own_copies(retained, schedule, runs_per_day, lc.cold, lc.delete)
    dest_total, dest_warm_eq = _destination_copies(
        retained, dests, runs_per_day, cold_warm_ratio, vault_region
    )
    if dests and not retained["destination_unbounded"]:
        retained["destination_copies"] = _r(dest_total)
    if not src.unbounded and not retained["destination_unbounded"]:
        retained["total_copies"] = _r((src.warm or 0) + (src.cold or 0) + dest_total)
        retained["warm_equivalent"] = _r(
            (src.warm or 0) + (src.cold or 0) * cold_warm_ratio + dest_warm_eq
        )
    if dest_unknown:
        # the rule's own copies are known; what its copy actions keep is not: every
        # total that includes them is an unknown Value (rules reading it are unknown)
        for key in ("destination_copies", "total_copies", "warm_equivalent"):
            retained[key] = Value.unknown_because(dest_unknown)
    retained["copies_words"] = copies_words(retained["copies"], src.unbounded)
    if src.cold_ignored:
        retained["cold_ignored_words"] = (
            f" (its cold storage after {lc.cold.days} days is ignored: advanced DynamoDB backup "
            "is off in aws_backup_region_settings)"
        )
    retained["destination_words"] = destination_words(retained, len(dests))
    retained["total_words"] = " in all" if retained["destination_words"] else ""
    return result


def _retained(
    schedule: Schedule | None,
    lc: _Lifecycles,
    advanced: AdvancedBackup,
    cold_warm_ratio: float,
    has_dests: bool,
    dest_unknown: str | None,
) -> dict[str, Any]:
    """The ``retained`` dict with every key, before any copy is counted."""
    return {
        "on_demand": schedule is None,
        "retention_days": lc.delete.days,
        "cold_after_days": lc.cold.days,
        "unbounded": (lc.delete.days is None or lc.delete.indefinite) and not lc.delete.error,
        "advanced_backup": advanced,
        "cold_warm_ratio": round(cold_warm_ratio, 6),
        "warm_copies": None,
        "cold_copies": None,
        "cold_billed_copies": None,
        "copies": None,
        "peak_copies": None,
        "copies_after_year": None,
        "cold_effective": False,
        "cold_ignored": False,
        "destination_copies": 0.0 if not has_dests else None,
        "destination_unbounded": False,
        "destinations": [],
        "total_copies": None,
        "warm_equivalent": None,
        "destinations_unknown": dest_unknown,
        "copies_words": "",
        "cold_ignored_words": "",
        "total_words": "",
        "year_words": "",
        "destination_words": "",
        "notes": [],
    }


def _own_copies(
    retained: dict[str, Any], schedule: Schedule, runs_per_day: float, cold: Days, delete: Days
) -> Split:
    """Count the copies the rule keeps in its own vault into ``retained``."""
    advanced = retained["advanced_backup"]
    notes = retained["notes"]
    src = split_copies(runs_per_day, cold, delete, advanced == AdvancedBackup.OFF)
    retained["cold_effective"] = src.cold_effective
    retained["cold_ignored"] = src.cold_ignored
    if src.cold_ignored:
        notes.append(
            "cold storage is ignored for DynamoDB without advanced backup "
            "(turned off in aws_backup_region_settings): copies stay warm"
        )
    elif src.cold_effective and advanced == AdvancedBackup.ASSUMED_ON:
        notes.append("cold storage assumes AWS Backup advanced DynamoDB backup is on")
    retained["warm_copies"] = _r(src.warm)
    retained["cold_copies"] = _r(src.cold)
    retained["cold_billed_copies"] = _r(src.cold_billed)
    if src.cold is not None and src.cold_billed is not None and src.cold_billed > src.cold:
        notes.append("cold copies are billed for at least 90 days each")
    if not src.unbounded:
        retained["copies"] = _r((src.warm or 0) + (src.cold or 0))
        retained["peak_copies"] = schedule.peak_firings(delete.days) if delete.days else None
    year_days = 365 if delete.days is None else min(365, delete.days)
    retained["copies_after_year"] = _r(runs_per_day * year_days)
    retained["year_words"] = copies_words(retained["copies_after_year"], False)
    return src


def _destination_copies(
    retained: dict[str, Any],
    dests: list[tuple[dict[str, Any], Days, Days, str]],
    runs_per_day: float,
    cold_warm_ratio: float,
    vault_region: Callable[[Any], str | None] | None,
) -> tuple[float, float]:
    """Count what each copy action keeps in its destination vault into ``retained``; the
    copies of the bounded ones, and the same with cold copies at the cold/warm price ratio."""
    advanced_off = retained["advanced_backup"] == AdvancedBackup.OFF
    dest_total = 0.0
    dest_warm_eq = 0.0
    for c, cd, dd, where in dests:
        split = split_copies(runs_per_day, cd, dd, advanced_off)
        vault = c.get("destination_vault")
        entry = {
            "where": where,
            "vault": vault.value if isinstance(vault, Value) and vault.known else None,
            "region": _region_of_arn(vault) or (vault_region(vault) if vault_region else None),
            "retention_days": dd.days,
            "cold_after_days": cd.days,
            "unbounded": split.unbounded,
            "warm_copies": _r(split.warm),
            "cold_copies": _r(split.cold),
            "cold_billed_copies": _r(split.cold_billed),
            "copies": None if split.unbounded else _r((split.warm or 0) + (split.cold or 0)),
        }
        retained["destinations"].append(entry)
        if split.unbounded:
            retained["destination_unbounded"] = True
        else:
            dest_total += (split.warm or 0) + (split.cold or 0)
            dest_warm_eq += (split.warm or 0) + (split.cold or 0) * cold_warm_ratio
    return dest_total, dest_warm_eq


def copies_words(copies: float | None, unbounded: bool) -> str:
    """``about 35 full copies`` / ``about 1 full copy`` / the unbounded case, in words."""
    if unbounded or copies is None:
        return "every copy, none ever deleted"
    n = round(copies)
    if n == 0 and copies > 0:
        return "less than 1 full copy on average"
    return f"about {n:,} full cop{'y' if n == 1 else 'ies'}"


def destination_words(retained: dict[str, Any], count: int) -> str:
    """What the copy actions keep besides the rule's own copies ("" when there are none)."""
    if retained.get("destinations_unknown"):
        return (
            " in its vault, plus the copies its copy actions keep in other vaults, which "
            f"cannot be counted ({retained['destinations_unknown']})"
        )
    if not count:
        return ""
    vaults = "the copy destination's vault" if count == 1 else f"{count} copy destination vaults"
    if retained["destination_unbounded"]:
        return f" in its vault, plus copies in {vaults} that are never deleted"
    n = round(retained["destination_copies"] or 0)
    return f" in its vault, plus about {n:,} in {vaults}"
