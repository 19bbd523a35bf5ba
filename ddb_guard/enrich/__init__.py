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

from typing import Any

from ddb_guard.enrich.iam import enrich_access
from ddb_guard.enrich.selection import arn_tables
from ddb_guard.enrich.settings import EnrichSettings
from ddb_guard.enrich.vault_lock import enrich_vault_locks
from ddb_guard.enums import Level
from ddb_guard.model import BACKUP_RULE, BACKUP_SELECTION, TABLE, Model, Notice, Value

__all__ = ["EnrichSettings", "enrich"]


def _known(v: Any) -> Any:
    return v.value if isinstance(v, Value) and v.known else None


def _enrich_tables(model: Model, settings: EnrichSettings) -> dict[str, tuple[float, str]]:
    """Set ``size_gb``/``size_source`` of every table; table identity -> (GB, source) of the
    sized ones. A size that matches no table is a notice."""
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


def enrich(model: Model, settings: EnrichSettings) -> None:
    """Fill the enriched attributes of tables and backup rules (see the module docstring)."""

    sizes = _enrich_tables(model, settings)
    enrich_access(model)
    enrich_vault_locks(model)
    rules = model.of_kind(BACKUP_RULE)
    if not rules:
        return
    # lazy: a scan without backup rules never loads the schedule, retention, price book and
    # cost modules (start-up time of the one-file pre-commit path)
    from ddb_guard.enrich.backup_rules import enrich_backup_rules

    enrich_backup_rules(model, settings, sizes, rules)
