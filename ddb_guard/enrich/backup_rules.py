"""The enriched attributes of backup rules, as the :mod:`ddb_guard.enrich` docstring lists them:
``schedule_info``, coverage (``covers_dynamodb``, ``covered_tables``, ...), ``arn_tables``,
the lifecycle errors, ``retained`` and ``cost``.

:class:`RuleScan` reads once what every rule of a scan shares (tables, plans, selections
indexed per account, region settings, the price book, overlapping rules); :func:`enrich_rule`
fills one rule's attributes.
"""

from __future__ import annotations

import datetime as _date_mod
from collections.abc import Callable
from typing import Any

from ddb_guard.enrich import schedule as schedules  # looked up per call: tests inject a bug
from ddb_guard.enrich.cost import PER_100GB, rule_cost, rule_ramp
from ddb_guard.enrich.overlap import DEFAULT_WINDOW_MINUTES, Overlap, PlanRule, skipped_shares
from ddb_guard.enrich.pricing import RegionPrices
from ddb_guard.enrich.ramp import run_days
from ddb_guard.enrich.retention import RetentionResult, check_days, compute_retention
from ddb_guard.enrich.schedule import Schedule
from ddb_guard.enrich.selection import Coverage, CoverageIndex, arn_tables, selection_notices
from ddb_guard.enrich.settings import EnrichSettings
from ddb_guard.enums import AdvancedBackup
from ddb_guard.model import (
    BACKUP_PLAN,
    BACKUP_REGION_SETTINGS,
    BACKUP_SELECTION,
    BACKUP_VAULT,
    CLOUDFORMATION,
    TABLE,
    Entity,
    Location,
    Model,
    Value,
    contain,
    identity,
)

TableSizes = dict[str, tuple[float, str]]
"""Table identity -> (GB, where the size came from), for the tables whose size is known."""


def enrich_backup_rules(
    model: Model, settings: EnrichSettings, sizes: TableSizes, rules: list[Entity]
) -> None:
    """Fill the enriched attributes of ``rules``; a bug is contained to its rule (exit 2)."""
    selections = model.of_kind(BACKUP_SELECTION)
    model.notices.extend(selection_notices(selections))
    scan = RuleScan(model, settings, sizes, selections, rules)
    for rule in rules:
        try:
            enrich_rule(rule, scan)
        except Exception as exc:  # a bug: contained to this rule, said, exit 2
            contain(model, rule, exc, ("schedule_info", "retained", "cost"))


class RuleScan:
    """What every backup rule of one scan reads, computed once."""

    def __init__(
        self,
        model: Model,
        settings: EnrichSettings,
        sizes: TableSizes,
        selections: list[Entity],
        rules: list[Entity],
    ) -> None:
        self.settings = settings
        self.sizes = sizes
        tables = model.of_kind(TABLE)
        self.by_id = {t.identity: t for t in tables}
        self.plans = {e.identity: e for e in model.entities if e.kind == BACKUP_PLAN}
        self._of_account: dict[str, tuple[list[Entity], list[Entity]]] = {}
        for sel in selections:
            self._of_account.setdefault(sel.account, ([], []))[0].append(sel)
        for t in tables:
            self._of_account.setdefault(t.account, ([], []))[1].append(t)
        self._indexes: dict[str, CoverageIndex] = {}
        self._position = {id(s): i for i, s in enumerate(selections)}
        self._by_address: dict[tuple[str, str], list[Entity]] = {}
        for sel in selections:
            self._by_address.setdefault((sel.scope, sel.address), []).append(sel)
        self._coverage: dict[str, Coverage] = {}
        self.region_settings = model.of_kind(BACKUP_REGION_SETTINGS)
        self.book = settings.prices()
        self.year = settings.this_year or _date_mod.date.today().year
        self.overlaps = _overlaps(rules, self.year)
        self.vault_region = _vault_regions(model)

    def coverage(self, rule: Entity) -> Coverage:
        """What the rule's plan covers, asked once per plan: a plan backs up resources of its
        own account only (``ddb_guard.accounts``), so it asks that account's index."""
        plan_address, plan_id = _plan(rule)
        if plan_id not in self._coverage:
            if rule.account not in self._indexes:
                self._indexes[rule.account] = CoverageIndex(
                    *self._of_account.get(rule.account, ([], []))
                )
            self._coverage[plan_id] = self._indexes[rule.account].plan_coverage(
                plan_address, rule.source, rule.scope
            )
        return self._coverage[plan_id]

    def selections(self, scope: str, addresses: list[str]) -> list[Entity]:
        """The selections of ``scope`` at ``addresses``, in model order."""
        found = {id(s): s for a in addresses for s in self._by_address.get((scope, a), ())}
        return [found[k] for k in sorted(found, key=self._position.__getitem__)]


def _plan(rule: Entity) -> tuple[str, str]:
    """The address and identity of the rule's backup plan."""
    plan_address = rule.parent or str(_known(rule.attrs.get("plan_name")) or "")
    return plan_address, identity(rule.scope, plan_address)


def enrich_rule(rule: Entity, scan: RuleScan) -> None:
    """Fill one backup rule's enriched attributes."""
    a = rule.attrs
    schedule = _schedule_info(a, scan.settings.this_year)
    cov = scan.coverage(rule)
    if cov.covers is None:
        a["covers_dynamodb"] = Value.unknown_because(cov.reason)
    else:
        a["covers_dynamodb"] = Value.of(cov.covers)
    a["covered_tables"] = Value.of([scan.by_id[t].address for t in cov.tables])
    a["covered_table_ids"] = Value.of(list(cov.tables))
    a["coverage_reason"] = Value.of(cov.reason)
    external = _arn_tables(rule, cov, scan)
    a["arn_tables"] = Value.of(external)

    # -- region, prices, retention
    covered = [scan.by_id[t] for t in cov.tables if t in scan.by_id]
    region, region_source = _rule_region(
        rule, scan.plans.get(_plan(rule)[1]), covered, scan.settings
    )
    prices = scan.book.region(region)
    ratio = prices["backup_cold"] / prices["backup_warm"] if prices["backup_warm"] else 1.0
    advanced = _advanced([e for e in scan.region_settings if e.account == rule.account], region)
    overlap = scan.overlaps.get(rule.identity)
    runs = None
    if schedule is not None and overlap is not None:
        runs = schedule.runs_per_day * (1 - overlap.share)
    ret = compute_retention(
        a, schedule, advanced, ratio, runs, lambda v, s=rule.scope: scan.vault_region(v, s)
    )
    delete_loc = _loc(a.get("delete_after")) or _loc(a.get("cold_after"))
    a["lifecycle_error"] = _error_value(ret.lifecycle_error, ret.lifecycle_unknown, delete_loc)
    a["retention_value_error"] = _error_value(ret.value_error, ret.value_unknown, delete_loc)
    a["start_window_error"] = _start_window_error(a.get("start_window"))
    a["effective_cold_after"] = _effective_cold_after(a.get("cold_after"), advanced)
    info_v: Value = a["schedule_info"]
    if not info_v.known:
        reason = info_v.unknown or "schedule unknown"
        a["retained"] = Value.unknown_because(reason, info_v.loc, refs=info_v.refs)
        a["cost"] = Value.unknown_because(reason, info_v.loc, refs=info_v.refs)
        return
    if ret.retained is None:
        why = ret.unknown or "retention unknown"
        a["retained"] = Value.unknown_because(why, delete_loc)
        a["cost"] = Value.unknown_because(why, delete_loc)
        return
    a["retained"] = Value.of(ret.retained, delete_loc)
    blocker = _cost_blocker(ret, schedule, prices, region)
    if blocker is not None:
        a["cost"] = Value.unknown_because(blocker, delete_loc)
        return
    assert schedule is not None
    a["cost"] = Value.of(
        _cost(ret.retained, schedule, cov, external, region, region_source, prices, overlap, scan),
        delete_loc,
    )


def _schedule_info(a: dict[str, Any], this_year: int | None) -> Schedule | None:
    """Set ``schedule_info``; the analysed schedule (None when it is unknown)."""
    sched_v = a.get("schedule")
    tz = _known(a.get("timezone"))
    if isinstance(sched_v, Value) and not sched_v.known:
        a["schedule_info"] = Value.unknown_because(
            f"schedule: {sched_v.unknown}", sched_v.loc, refs=sched_v.refs
        )
        return None
    if sched_v is None or (isinstance(sched_v, Value) and sched_v.value is None):
        schedule = schedules.default_schedule(tz, this_year)
        a["schedule_info"] = Value.of(schedule.info(), _loc(sched_v))
        return schedule
    schedule = schedules.analyze(sched_v.value, tz, this_year)
    a["schedule_info"] = Value.of(schedule.info(), sched_v.loc)
    return schedule


def _arn_tables(rule: Entity, cov: Coverage, scan: RuleScan) -> list[dict[str, Any]]:
    """Tables the plan's selections name only by ARN and the scan does not hold (sized by
    name when a size is given)."""
    scanned_names = {_known(scan.by_id[t].attrs.get("table_name")) for t in cov.tables}
    external: list[dict[str, Any]] = []
    for sel in scan.selections(rule.scope, cov.selections):
        for name, reg, arn in arn_tables(sel):
            if name in scanned_names or any(e["name"] == name for e in external):
                continue
            size = scan.settings.sizes().sizes.get(name)
            external.append(
                {
                    "name": name,
                    "region": reg,
                    "arn": arn,
                    "size_gb": None if size is None else size.gb,
                    "size_source": None if size is None else size.source,
                }
            )
    return external


def _cost_blocker(
    ret: RetentionResult, schedule: Schedule | None, prices: RegionPrices, region: str
) -> str | None:
    """Why the rule's cost cannot be estimated (None: it can)."""
    assert ret.retained is not None
    if ret.retained.get("destinations_unknown"):
        return (
            "the copies its copy actions keep cannot be counted "
            f"({ret.retained['destinations_unknown']})"
        )
    if schedule is None:
        return "the rule has no schedule (it runs only on demand): copies not estimated"
    if not schedule.valid:
        return f"invalid schedule: {schedule.error}"
    if ret.value_error:
        return f"invalid lifecycle: {ret.value_error}"
    if prices.currency != "USD":
        return (
            f"prices for {region} are in {prices.currency}; set USD prices with "
            f"[tool.ddb-guard.pricing.{region}]"
        )
    return None


def _cost(
    retained: dict[str, Any],
    schedule: Schedule,
    cov: Coverage,
    external: list[dict[str, Any]],
    region: str,
    region_source: str,
    prices: RegionPrices,
    overlap: Overlap | None,
    scan: RuleScan,
) -> dict[str, Any]:
    """The ``cost`` dict: for the covered tables' size, else per 100 GB."""
    sizes, by_id = scan.sizes, scan.by_id
    known_sizes = [sizes[t] for t in cov.tables if t in sizes]
    known_sizes += [(e["size_gb"], e["size_source"]) for e in external if e["size_gb"]]
    missing = [t for t in cov.tables if t not in sizes]
    ext_missing = [e["name"] for e in external if e["size_gb"] is None]
    if (cov.tables or external) and not missing and not ext_missing:
        size_gb = sum(s for s, _ in known_sizes)
        size_source = "; ".join(dict.fromkeys(src for _, src in known_sizes))
        per_100 = False
    else:
        size_gb, per_100 = PER_100GB, True
        size_source = (
            "unknown: per 100 GB (no scanned table is covered)"
            if not cov.tables and not external
            else "unknown: per 100 GB (size of "
            + ", ".join([by_id[t].address for t in missing] + ext_missing)
            + " not supplied)"
        )
    weight = 1 - overlap.share if overlap is not None else 1.0
    ramp = rule_ramp(
        retained, run_days(schedule, scan.year), weight, scan.year, region, prices, scan.book.region
    )
    return rule_cost(
        retained=retained,
        runs_per_day=schedule.runs_per_day * weight,
        size_gb=size_gb,
        size_source=size_source,
        per_100gb=per_100,
        region=region,
        region_source=region_source,
        prices=prices,
        prices_for=scan.book.region,
        covered_tables=[by_id[t].address for t in cov.tables],
        tables_without_size=[by_id[t].address for t in missing] + ext_missing,
        ramp=ramp,
        overlap=overlap.as_dict() if overlap is not None else None,
    )


def _known(v: Any) -> Any:
    return v.value if isinstance(v, Value) and v.known else None


def _loc(v: Any) -> Location | None:
    return v.loc if isinstance(v, Value) else None


def _advanced(region_settings: list[Entity], region: str) -> AdvancedBackup:
    """DynamoDB advanced backup for ``region``: ``on``/``off`` when the scan says, else
    ``assumed on``."""
    verdict = AdvancedBackup.ASSUMED_ON
    for ent in region_settings:
        ent_region = _known(ent.attrs.get("region"))
        if ent_region is not None and ent_region != region:
            continue
        flag = ent.attrs.get("dynamodb_advanced")
        if isinstance(flag, Value) and flag.known and isinstance(flag.value, bool):
            if flag.value is False:
                return AdvancedBackup.OFF
            verdict = AdvancedBackup.ON
    return verdict


def _rule_region(
    rule: Entity, plan: Entity | None, covered: list[Entity], settings: EnrichSettings
) -> tuple[str, str]:
    regions = {_known(t.attrs.get("region")) for t in covered}
    regions.discard(None)
    if len(regions) == 1:
        return regions.pop(), "region of the covered tables"
    for ent in (rule, plan):
        r = _known(ent.attrs.get("region")) if ent is not None else None
        if isinstance(r, str) and r:
            return r, "region of the backup plan"
    if rule.source == CLOUDFORMATION:
        why = "CloudFormation templates name no region"
    elif len(regions) > 1:
        why = "covered tables are in several regions"
    else:
        why = "the plan's region is not known"
    return settings.default_region, f"{settings.default_region_source} ({why})"


def _start_window_error(v: Any) -> Value:
    if not isinstance(v, Value):
        return Value.of(None)
    if not v.known:
        return Value.unknown_because(f"start_window: {v.unknown}", v.loc, refs=v.refs)
    x = v.value
    if x is None:
        return Value.of(None, v.loc)
    if isinstance(x, str):
        try:
            x = int(x.strip())
        except ValueError:
            return Value.of(f"start_window is the string {v.value!r}, not minutes", v.loc)
    if isinstance(x, bool) or not isinstance(x, (int, float)) or float(x) != int(x):
        return Value.of(f"start_window must be a whole number of minutes, not {v.value!r}", v.loc)
    if x < 60:
        return Value.of(f"start_window is {int(x)} minutes; AWS Backup requires at least 60", v.loc)
    return Value.of(None, v.loc)


def _effective_cold_after(cold: Any, advanced: AdvancedBackup) -> Value:
    """``cold_after`` as AWS applies it to DynamoDB: None when advanced DynamoDB backup is
    off (AWS ignores the setting), else as written."""
    if not isinstance(cold, Value):
        return Value.absent(None)
    if advanced == AdvancedBackup.OFF and cold.known and cold.value is not None:
        return Value.of(None, cold.loc)
    return cold


def _error_value(error: str | None, unknown: str | None, loc: Location | None) -> Value:
    if error is None and unknown is not None:
        return Value.unknown_because(unknown, loc)
    return Value.of(error, loc)


def _overlaps(rules: list[Entity], year: int) -> dict[str, Overlap]:
    """Per rule identity, the :class:`~ddb_guard.enrich.overlap.Overlap` with rules of its plan."""
    by_plan: dict[str, list[PlanRule]] = {}
    for i, rule in enumerate(rules):
        sched_v = rule.attrs.get("schedule")
        if isinstance(sched_v, Value) and not sched_v.known:
            continue
        delete = check_days(rule.attrs.get("delete_after"), "delete_after")
        if delete.unknown or delete.error:
            continue
        window = _known(rule.attrs.get("start_window"))
        if isinstance(window, str) and window.strip().isascii() and window.strip().isdigit():
            window = int(window.strip())
        if isinstance(window, bool) or not isinstance(window, int) or window < 60:
            window = DEFAULT_WINDOW_MINUTES
        tz = _known(rule.attrs.get("timezone"))
        if sched_v is None or sched_v.value is None:
            schedule = schedules.default_schedule(tz, year)  # AWS runs it daily at 05:00 UTC
        else:
            try:
                schedule = schedules.analyze(sched_v.value, tz, year)
            except Exception:  # a bug: contained and reported when the rule is enriched
                continue
        plan = rule.parent_identity or str(_known(rule.attrs.get("plan_name")) or "")
        by_plan.setdefault(plan, []).append(
            PlanRule(
                rule.identity,
                schedule,
                None if delete.indefinite else delete.days,
                window,
                i,
                rule.address,
            )
        )
    out: dict[str, Overlap] = {}
    for plan_rules in by_plan.values():
        out.update(skipped_shares(plan_rules, year))
    return out


def _vault_regions(model: Model) -> Callable[[Any, str], str | None]:
    """A resolver: the region of a destination vault written as a reference to a scanned vault
    (``aws_backup_vault.dr.arn`` with its provider alias; CloudFormation ``DrVault.Arn``)."""
    by_address: dict[tuple[str, str], str] = {}  # the first vault with a region wins
    for e in model.of_kind(BACKUP_VAULT):
        region = _known(e.attrs.get("region"))
        if region:
            by_address.setdefault((e.scope, e.address), region)

    def resolve(v: Any, scope: str) -> str | None:
        for ref in v.refs if isinstance(v, Value) else ():
            # the addresses ``ref`` can name: itself and each prefix ending before a "."
            for key in [ref] + [ref[:i] for i, c in enumerate(ref) if c == "."]:
                if (scope, key) in by_address:
                    return by_address[(scope, key)]
        return None

    return resolve
