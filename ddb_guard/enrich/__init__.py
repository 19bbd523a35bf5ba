"""Enrichment: the computed attributes backup rules (BKP001-BKP007) and ``cost`` read.

``enrich(model, settings)`` runs after parsing and before the rules. It never raises on bad
input and never invents a number: an input that cannot be known makes the attribute an
unknown :class:`~ddb_guard.model.Value` whose reason names it. Problems that are not rule
findings (a selection that selects everything, a size file that does not parse, a
``--table-size`` that matches no table) are appended to ``model.notices``.

This docstring is the contract rule authors read. JMESPath sees each Value's plain value
(unknown -> null, and a leaf reading an unknown attribute is *unknown*).

Table (``kind == "table"``)
---------------------------
- ``size_gb``: float GB. Unknown ("table size unknown: pass --table-size NAME=GB") when no
  source names the table. Sources, highest precedence first: ``--table-size NAME=GB``,
  describe-table JSON, Infracost usage file, config ``[tool.ddb-guard.tables."NAME"]``.
  NAME may be the table name, Terraform address or CloudFormation logical id.
- ``size_source``: str, where the size came from (e.g. ``"--table-size orders=500"``);
  unknown when the size is.

Backup rule (``kind == "backup_rule"``)
---------------------------------------
``schedule_info`` (dict; unknown when the schedule expression cannot be resolved):
  - ``valid`` bool; ``error`` str|null: why AWS would reject it (not ``cron(...)``,
    ``rate()``, wrong field count, bad field, both/neither day field ``?``, never fires,
    more often than hourly, unknown timezone). **BKP005** fails on ``valid == `false```.
  - ``expression``, ``timezone``; ``default`` bool: true when the rule writes no schedule,
    which AWS Backup runs at its default ``cron(0 5 ? * * *)`` (daily at 05:00 UTC; the
    analysis is of that expression). ``on_demand`` bool: kept for compatibility, false.
  - ``runs_per_day``, ``runs_per_month``, ``runs_per_year``: averages over a 28-year
    calendar cycle (weekly = exactly 1/7 per day); ``runs_per_firing_day`` int.
  - ``min_interval_minutes``, ``max_interval_minutes``: shortest/longest gap between runs.
  - ``frequency``: ``hourly`` | ``sub-daily`` | ``daily`` | ``weekly`` | ``monthly`` |
    ``yearly`` | ``irregular`` | ``on-demand`` | ``invalid``. Daily classes mean runs on at
    least 5 days a week (so MON-FRI is ``daily``); ``weekly``: a fixed set of 1-4 weekdays.
  - ``daily_or_more`` bool: frequency is hourly, sub-daily or daily.
  - ``description``: in words, e.g. ``"daily at 05:00 UTC"``, ``"every Monday at 05:00 UTC"``.

``retained`` (dict; unknown when a lifecycle value, copy action or the schedule is unknown):
  - ``retention_days`` int|null (``delete_after``; null when never deleted);
    ``cold_after_days`` int|null (as written); ``on_demand`` bool.
  - ``unbounded`` bool: source copies never expire (no ``delete_after``, or -1).
  - ``warm_copies``, ``cold_copies``, ``copies`` (= warm + cold): average full copies kept
    in the rule's vault at steady state (runs per day x days); null when unbounded or not
    computable (invalid schedule or lifecycle values, on-demand). ``cold_billed_copies``:
    cold copies as billed (90-day minimum per cold copy). ``peak_copies`` int: most copies
    at any moment. ``copies_after_year``: copies one year after the first run (finite even
    when unbounded).
  - ``cold_effective`` bool: copies actually move to cold storage. ``cold_ignored`` bool:
    a cold setting AWS ignores because advanced DynamoDB backup is off.
    ``advanced_backup``: ``"on"`` | ``"off"`` | ``"assumed on"`` (from
    ``backup_region_settings.dynamodb_advanced``).
  - ``destinations``: per copy action ``{where, vault, region, retention_days,
    cold_after_days, unbounded, warm_copies, cold_copies, cold_billed_copies, copies}``;
    ``destination_copies`` (sum; null if any is unbounded); ``destination_unbounded`` bool.
  - ``total_copies``: source + destination copies (null when anything is unbounded).
  - ``warm_equivalent``: total copies with each cold copy counted at the cold/warm price
    ratio (``cold_warm_ratio``); what **BKP002** compares with ``max_copies``.
  - ``destinations_unknown``: str|null: why the copy actions cannot be evaluated; the
    rule's own copies are still counted, and ``destination_copies``, ``total_copies`` and
    ``warm_equivalent`` are then unknown (a rule reading them is unknown).
  - ``copies_words``: the rule's own copies in words (``"about 35 full copies"``,
    ``"about 1 full copy"``, ``"every copy, none ever deleted"``);
    ``destination_words``: what copy actions add (``" in its vault, plus about 30 in the
    copy destination's vault"``, or that they cannot be counted and why; ``""`` without
    any); ``total_words``: ``" in all"`` when there are copy actions, else ``""``.
    ``year_words``: ``copies_after_year`` in words (``"about 1 full copy"``).
    ``cold_ignored_words``: ``" (its cold storage after 30 days is ignored: ...)"`` when
    ``cold_ignored``, else ``""``.
  - ``notes``: list of strings (assumptions made).

``arn_tables`` (list of ``{name, region, arn, size_gb, size_source}``): tables the plan's
selections name only by a literal ARN and the scan does not hold (sized by name).

``covers_dynamodb`` (bool; unknown with the reason when it cannot be known, e.g. "no
aws_backup_selection for this plan in the scanned files"): a selection of the rule's plan
includes a scanned table, names a DynamoDB ARN/reference/wildcard, or selects everything.
Only selections and tables of the rule's own account count (``Entity.account``: one scan
is one account unless ``[tool.ddb-guard.accounts]`` or a CDK manifest says otherwise).
``covered_tables`` (list of table addresses, possibly empty), ``covered_table_ids`` (their
identities, :attr:`Entity.identity`: addresses are per template in CloudFormation),
``coverage_reason`` (str).

``cost`` (dict; unknown when the schedule is unknown/invalid/absent, retention is unknown or
invalid, or prices are not in USD). Amounts are USD per month, rounded to cents:
  - ``monthly_usd``: total (null when copies never expire; see ``monthly_growth_usd``).
  - ``warm_monthly_usd``, ``cold_monthly_usd``, ``destination_monthly_usd``,
    ``copy_transfer_monthly_usd`` (cross-Region copies, assumed rate).
  - ``pitr_monthly_usd``: PITR for the same tables (size x PITR price);
    ``pitr_copies_equivalent``: PITR price / warm price (2.0 in us-east-1).
  - ``multiple_of_table``: total copies stored, as a multiple of the table size.
  - ``cold_saving_usd``: monthly saving from moving copies to cold after 30 days (null when
    cold is already effective, retention < 120 days or unbounded).
  - ``monthly_growth_usd``: for never-expiring copies, what each month adds;
    ``monthly_usd_after_year``: monthly cost one year after the first run.
  - ``table_size_gb`` (sum of covered tables; 100 when ``per_100gb``), ``size_source``,
    ``per_100gb`` bool, ``covered_tables``, ``tables_without_size``.
  - ``monthly_usd_per_gb``, ``monthly_growth_usd_per_gb``: the same per GB of table (the
    cost report multiplies them by each table's size); ``ramp_usd_per_gb``: the first 12
    calendar months from the schedule's real runs (:mod:`ddb_guard.enrich.ramp`);
    ``first_month_usd``, ``first_year_usd`` for ``table_size_gb``.
  - ``overlap``: ``{skipped_share, in_favour_of}`` when rules of the plan overlap (AWS takes
    one backup, for the longer retention; :mod:`ddb_guard.enrich.overlap`), else null.
  - ``price_source``: ``exact`` | ``derived`` | ``configured`` (weakest price used);
    ``price_source_detail``: why each non-exact price is what it is.
  - ``region``, ``region_source`` (e.g. "default region us-east-1 (CloudFormation templates
    name no region)"), ``price_summary``, ``prices`` {backup_warm, backup_cold, pitr},
    ``advanced_backup``, ``unbounded``, ``currency`` ("USD"), ``notes``.
  SARIF properties: ``retainedCopies`` = ``retained.total_copies``,
  ``estimatedMonthlyCostUsd`` = ``cost.monthly_usd``, ``tableSizeGb`` =
  ``cost.table_size_gb``, ``sizeSource`` = ``cost.size_source``.

``effective_cold_after`` (int days|null): ``cold_after`` as AWS applies it to DynamoDB, the
same lifecycle the cost estimate reads: null when advanced DynamoDB backup is off in a
scanned ``aws_backup_region_settings`` (AWS ignores the cold setting; copies stay warm).

Errors (str|null; null when fine; unknown when an input is unknown):
  - ``lifecycle_error``: ``delete_after < cold_after + 90`` (rule or copy action), **BKP004**.
  - ``retention_value_error``: a lifecycle value that is negative, 0, a non-numeric string,
    fractional, boolean or above 36500 days.
  - ``start_window_error``: ``start_window`` below 60 minutes or not a whole number
    (**BKP006**).
  - ``vault_lock_error``: the rule's (or a copy action's) ``delete_after`` outside the lock
    of a scanned vault (**BKP010**; :mod:`ddb_guard.enrich.vault_lock`).

Backup selections get ``role_address``/``role_error`` (**BKP008**) and tables
``backup_key_error`` (**BKP009**): see :mod:`ddb_guard.enrich.iam`.
"""

from __future__ import annotations

import datetime as _date_mod
from typing import Any

from ddb_guard.enrich.settings import EnrichSettings
from ddb_guard.enums import AdvancedBackup, Level
from ddb_guard.model import (
    BACKUP_PLAN,
    BACKUP_REGION_SETTINGS,
    BACKUP_RULE,
    BACKUP_SELECTION,
    BACKUP_VAULT,
    CLOUDFORMATION,
    TABLE,
    Entity,
    Model,
    Notice,
    Value,
    contain,
    identity,
)

__all__ = ["EnrichSettings", "enrich"]


def _known(v: Any) -> Any:
    return v.value if isinstance(v, Value) and v.known else None


def _loc(v: Any):
    return v.loc if isinstance(v, Value) else None


def _enrich_tables(model: Model, settings: EnrichSettings) -> dict[str, tuple[float, str]]:
    sizes = settings.sizes()
    model.notices.extend(settings.notices())
    found: dict[str, tuple[float, str]] = {}
    for table in model.of_kind(TABLE):
        hit = sizes.lookup(table)
        if hit is None:
            name = _known(table.attrs.get("table_name")) or table.address
            reason = f"table size unknown: pass --table-size {name}=GB"
            table.attrs["size_gb"] = Value.unknown_because(reason)
            table.attrs["size_source"] = Value.unknown_because(reason)
            continue
        _, size = hit
        table.attrs["size_gb"] = Value.of(size.gb)
        table.attrs["size_source"] = Value.of(size.source)
        found[table.identity] = (size.gb, size.source)
    # tables named only by ARN in a selection can be sized by name too
    from ddb_guard.enrich.selection import arn_tables

    for sel in model.of_kind(BACKUP_SELECTION):
        for name, _, _ in arn_tables(sel):
            if name in sizes.sizes:
                sizes.used.add(name)
    for key, size in sizes.unused():
        model.notices.append(
            Notice(
                size.origin or "ddb-guard",
                f"table size for {key!r} matches no scanned table (name, address or logical id)",
                level=Level.NOTE,
            )
        )
    return found


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


def _error_value(error: str | None, unknown: str | None, loc) -> Value:
    if error is None and unknown is not None:
        return Value.unknown_because(unknown, loc)
    return Value.of(error, loc)


def _overlaps(rules: list[Entity], year: int) -> dict[str, Any]:
    """Per rule identity, the :class:`~ddb_guard.enrich.overlap.Overlap` with rules of its plan."""
    from ddb_guard.enrich.overlap import DEFAULT_WINDOW_MINUTES, PlanRule, skipped_shares
    from ddb_guard.enrich.retention import check_days
    from ddb_guard.enrich.schedule import analyze, default_schedule

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
            schedule = default_schedule(tz, year)  # AWS runs it daily at 05:00 UTC
        else:
            try:
                schedule = analyze(sched_v.value, tz, year)
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
    out: dict[str, Any] = {}
    for plan_rules in by_plan.values():
        out.update(skipped_shares(plan_rules, year))
    return out


def _vault_regions(model: Model):
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


def enrich(model: Model, settings: EnrichSettings) -> None:
    """Fill the enriched attributes of tables and backup rules (see the module docstring)."""
    from ddb_guard.enrich.iam import enrich_access
    from ddb_guard.enrich.schedule import analyze, default_schedule
    from ddb_guard.enrich.vault_lock import enrich_vault_locks

    sizes = _enrich_tables(model, settings)
    enrich_access(model)
    enrich_vault_locks(model)
    rules = model.of_kind(BACKUP_RULE)
    if not rules:
        return
    from ddb_guard.enrich.cost import PER_100GB, rule_cost, rule_ramp
    from ddb_guard.enrich.ramp import run_days
    from ddb_guard.enrich.retention import compute_retention
    from ddb_guard.enrich.selection import CoverageIndex, arn_tables, selection_notices

    tables = model.of_kind(TABLE)
    by_id = {t.identity: t for t in tables}
    plans = {e.identity: e for e in model.entities if e.kind == BACKUP_PLAN}
    selections = model.of_kind(BACKUP_SELECTION)
    model.notices.extend(selection_notices(selections))
    of_account: dict[str, tuple[list[Entity], list[Entity]]] = {}
    for sel in selections:
        of_account.setdefault(sel.account, ([], []))[0].append(sel)
    for t in tables:
        of_account.setdefault(t.account, ([], []))[1].append(t)
    indexes: dict[str, CoverageIndex] = {}

    position = {id(s): i for i, s in enumerate(selections)}
    by_address: dict[tuple[str, str], list[Entity]] = {}
    for sel in selections:
        by_address.setdefault((sel.scope, sel.address), []).append(sel)

    def _used(scope: str, addresses: list[str]) -> list[Entity]:
        """The selections of ``scope`` at ``addresses``, in model order."""
        found = {id(s): s for a in addresses for s in by_address.get((scope, a), ())}
        return [found[k] for k in sorted(found, key=position.__getitem__)]

    def coverage(account: str) -> CoverageIndex:
        """The selections and tables of one account, indexed once."""
        if account not in indexes:
            indexes[account] = CoverageIndex(*of_account.get(account, ([], [])))
        return indexes[account]

    coverage_cache: dict[str, Any] = {}
    region_settings = model.of_kind(BACKUP_REGION_SETTINGS)
    book = settings.prices()
    year = settings.this_year or _date_mod.date.today().year
    overlaps = _overlaps(rules, year)
    vault_region = _vault_regions(model)

    def one(rule: Entity) -> None:
        a = rule.attrs
        # -- schedule
        sched_v = a.get("schedule")
        tz = _known(a.get("timezone"))
        schedule = None
        if isinstance(sched_v, Value) and not sched_v.known:
            a["schedule_info"] = Value.unknown_because(
                f"schedule: {sched_v.unknown}", sched_v.loc, refs=sched_v.refs
            )
        elif sched_v is None or (isinstance(sched_v, Value) and sched_v.value is None):
            schedule = default_schedule(tz, settings.this_year)
            a["schedule_info"] = Value.of(schedule.info(), _loc(sched_v))
        else:
            schedule = analyze(sched_v.value, tz, settings.this_year)
            a["schedule_info"] = Value.of(schedule.info(), sched_v.loc)

        # -- coverage
        plan_address = rule.parent or str(_known(a.get("plan_name")) or "")
        plan_id = identity(rule.scope, plan_address)
        if plan_id not in coverage_cache:
            # a plan backs up resources of its own account only (ddb_guard.accounts)
            coverage_cache[plan_id] = coverage(rule.account).plan_coverage(
                plan_address, rule.source, rule.scope
            )
        cov = coverage_cache[plan_id]
        if cov.covers is None:
            a["covers_dynamodb"] = Value.unknown_because(cov.reason)
        else:
            a["covers_dynamodb"] = Value.of(cov.covers)
        a["covered_tables"] = Value.of([by_id[t].address for t in cov.tables])
        a["covered_table_ids"] = Value.of(list(cov.tables))
        a["coverage_reason"] = Value.of(cov.reason)

        # -- tables named only by ARN in the plan's selections (not scanned)
        scanned_names = {_known(by_id[t].attrs.get("table_name")) for t in cov.tables}
        external: list[dict[str, Any]] = []
        for sel in _used(rule.scope, cov.selections):
            for name, reg, arn in arn_tables(sel):
                if name in scanned_names or any(e["name"] == name for e in external):
                    continue
                size = settings.sizes().sizes.get(name)
                external.append(
                    {
                        "name": name,
                        "region": reg,
                        "arn": arn,
                        "size_gb": None if size is None else size.gb,
                        "size_source": None if size is None else size.source,
                    }
                )
        a["arn_tables"] = Value.of(external)

        # -- region, prices, retention
        covered = [by_id[t] for t in cov.tables if t in by_id]
        region, region_source = _rule_region(rule, plans.get(plan_id), covered, settings)
        prices = book.region(region)
        ratio = prices["backup_cold"] / prices["backup_warm"] if prices["backup_warm"] else 1.0
        advanced = _advanced([e for e in region_settings if e.account == rule.account], region)
        overlap = overlaps.get(rule.identity)
        runs = None
        if schedule is not None and overlap is not None:
            runs = schedule.runs_per_day * (1 - overlap.share)
        ret = compute_retention(
            a, schedule, advanced, ratio, runs, lambda v, s=rule.scope: vault_region(v, s)
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

        # -- cost
        cost_reason = None
        if ret.retained.get("destinations_unknown"):
            cost_reason = (
                "the copies its copy actions keep cannot be counted "
                f"({ret.retained['destinations_unknown']})"
            )
        elif schedule is None:
            cost_reason = "the rule has no schedule (it runs only on demand): copies not estimated"
        elif not schedule.valid:
            cost_reason = f"invalid schedule: {schedule.error}"
        elif ret.value_error:
            cost_reason = f"invalid lifecycle: {ret.value_error}"
        elif prices.currency != "USD":
            cost_reason = (
                f"prices for {region} are in {prices.currency}; set USD prices with "
                f"[tool.ddb-guard.pricing.{region}]"
            )
        if cost_reason is not None:
            a["cost"] = Value.unknown_because(cost_reason, delete_loc)
            return
        assert schedule is not None
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
            ret.retained,
            run_days(schedule, year),
            weight,
            year,
            region,
            prices,
            book.region,
        )
        a["cost"] = Value.of(
            rule_cost(
                retained=ret.retained,
                runs_per_day=schedule.runs_per_day * weight,
                size_gb=size_gb,
                size_source=size_source,
                per_100gb=per_100,
                region=region,
                region_source=region_source,
                prices=prices,
                prices_for=book.region,
                covered_tables=[by_id[t].address for t in cov.tables],
                tables_without_size=[by_id[t].address for t in missing] + ext_missing,
                ramp=ramp,
                overlap=overlap.as_dict() if overlap is not None else None,
            ),
            delete_loc,
        )

    for rule in rules:
        try:
            one(rule)
        except Exception as exc:  # a bug: contained to this rule, said, exit 2
            contain(model, rule, exc, ("schedule_info", "retained", "cost"))
