"""Built-in KPIs of the cost report (guardrail practice): PITR compliance rate, snapshot gap,
unprotected tables, protection cost as a share of table storage cost, one restore drill."""

from __future__ import annotations

from ddb_guard.costreport.data import CostReport, Kpi


def _money(x: float) -> str:
    return f"${x:,.2f}"


def builtin_kpis(report: CostReport) -> list[Kpi]:
    tables = [t for t in report.tables if t.scanned]
    n = len(tables)
    with_pitr = [t for t in tables if t.pitr]
    gap = sorted(t.address for t in tables if not t.pitr and t.rules)
    unprotected = sorted(t.address for t in tables if t.pitr is False and not t.rules)
    rate = round(len(with_pitr) / n, 4) if n else None
    tot = report.totals
    share = round(tot.protection_usd / tot.storage_usd, 4) if tot.storage_usd else None
    drill = tot.restore_drill_usd
    drill_text = _money(drill)
    if tot.restore_drill_per_100gb:
        drill_text += f" + {_money(tot.restore_drill_per_100gb)} per 100 GB of unsized tables"
    return [
        Kpi("tables", "Tables", n, str(n)),
        Kpi(
            "pitr_compliance_rate",
            "PITR compliance rate",
            rate,
            "n/a" if rate is None else f"{len(with_pitr)}/{n} ({rate:.0%})",
        ),
        Kpi(
            "snapshot_gap",
            "Snapshot gap (only periodic backups, no PITR)",
            gap,
            str(len(gap)),
        ),
        Kpi("unprotected_tables", "Unprotected tables", unprotected, str(len(unprotected))),
        Kpi(
            "protection_share_of_storage",
            "Protection cost / table storage cost (sized tables)",
            share,
            "n/a (no table size known)" if share is None else f"{share:.0%}",
        ),
        Kpi("restore_drill_usd", "One restore drill of every table", round(drill, 2), drill_text),
    ]
