"""For each DynamoDB backup rule, the cheapest plan that keeps its recovery guarantees.

A rule keeping copies ``D`` days gives a restore point per run for the last ``D`` days.

- ``D <= 35``: point-in-time recovery restores to any second of the last 35 days, which
  covers every restore point the rule offers: PITR replaces the rule. Proposed cost: PITR on
  the covered tables that lack it (counted once per table across recommendations).
- ``D > 35`` with copies kept warm past day 35: PITR covers the first 35 days, and the same
  schedule keeps its copies for ``D`` days but moves them to cold storage after 35 days (AWS
  requires ``delete_after >= cold_storage_after + 90``, so ``D >= 125``; cold storage for
  DynamoDB needs advanced DynamoDB backup). Proposed per GB of table:
  ``runs_per_day x (35 x warm + (D - 35) x cold)``, copy actions and transfer unchanged.

Anything else (never-expiring copies, already cold by day 35, ``35 < D < 125``) gets no
recommendation. Savings are in dollars when every covered table is sized, else per 100 GB of
each covered table.
"""

from __future__ import annotations

from ddb_guard.costreport.data import CostReport, Recommendation, TableCost, external_id, plain
from ddb_guard.enrich.settings import EnrichSettings
from ddb_guard.enums import AdvancedBackup, PriceSource
from ddb_guard.model import BACKUP_RULE, Model

PITR_DAYS = 35
COLD_AFTER = 35
COLD_MIN = 90


def _sizes(rows: list[TableCost]) -> tuple[dict[str, float], bool]:
    """GB per table: their sizes when all are known, else 100 GB each (``per_100gb``)."""
    if all(r.size_gb is not None for r in rows):
        return {r.address: float(r.size_gb or 0.0) for r in rows}, False
    return {r.address: 100.0 for r in rows}, True


def recommendations(
    model: Model, report: CostReport, settings: EnrichSettings
) -> list[Recommendation]:
    """One recommendation per rule that a cheaper plan with the same guarantees can replace."""
    book = settings.prices()
    rows = {t.identity: t for t in report.tables}
    pitr_counted: set[str] = set()
    out: list[Recommendation] = []
    for rule in sorted(model.of_kind(BACKUP_RULE), key=lambda e: e.address):
        cost = plain(rule.attrs.get("cost"))
        retained = plain(rule.attrs.get("retained"))
        if not cost or not retained or cost.get("monthly_usd_per_gb") is None:
            continue
        ids = list(plain(rule.attrs.get("covered_table_ids")) or [])
        ids += [external_id(e) for e in plain(rule.attrs.get("arn_tables")) or []]
        covered = [rows[i] for i in ids if i in rows]
        if not covered:
            continue
        days = retained.get("retention_days")
        copies = retained.get("copies")
        if days is None or not copies:
            continue
        sizes, per_100 = _sizes(covered)
        gb = sum(sizes.values())
        current = cost["monthly_usd_per_gb"] * gb
        # PITR off, unknown, or a table outside the scan: counted as needing it
        new_pitr = [t for t in covered if t.pitr is not True and t.identity not in pitr_counted]
        pitr_usd = sum(book.region(t.region)["pitr"] * sizes[t.address] for t in new_pitr)
        name = plain(rule.attrs.get("rule_name")) or rule.address
        now = f"{name}: {round(copies, 1):g} copies kept {days} days"
        notes: list[str] = []
        if days <= PITR_DAYS:
            proposed = (
                "point-in-time recovery (any second of the last 35 days) instead of this rule"
            )
            proposed_usd = pitr_usd
        else:
            cold_after = retained.get("cold_after_days") if retained.get("cold_effective") else None
            if cold_after is not None and cold_after <= COLD_AFTER:
                continue
            if days < COLD_AFTER + COLD_MIN:
                continue
            runs = copies / days
            prices = cost["prices"]
            source_now = (cost.get("warm_monthly_usd") or 0.0) + (
                cost.get("cold_monthly_usd") or 0.0
            )
            source_now_per_gb = source_now / cost["table_size_gb"] if cost["table_size_gb"] else 0.0
            source_new_per_gb = runs * (
                COLD_AFTER * prices["backup_warm"] + (days - COLD_AFTER) * prices["backup_cold"]
            )
            proposed_usd = current - (source_now_per_gb - source_new_per_gb) * gb + pitr_usd
            proposed = (
                "point-in-time recovery for the last 35 days + the same schedule with copies "
                "moved to cold storage after 35 days"
            )
            if retained.get("advanced_backup") == AdvancedBackup.OFF:
                notes.append("cold storage needs advanced DynamoDB backup turned on")
            cold = book.region(cost["region"]).prices["backup_cold"]
            if cold.kind != PriceSource.EXACT:
                notes.append(f"cold storage price is {cold.kind}: {cold.source}")
        if new_pitr:
            notes.append("turns PITR on for " + ", ".join(t.name for t in new_pitr))
        pitr_counted.update(t.identity for t in new_pitr)
        if proposed_usd >= current - 0.005:
            continue
        out.append(
            Recommendation(
                rule=rule.address,
                plan=rule.parent,
                current=now,
                proposed=proposed,
                current_usd=current,
                proposed_usd=proposed_usd,
                per_100gb=per_100,
                notes=notes,
            )
        )
    return out
