"""Fleet KPIs of backups that will fail (:mod:`ddb_guard.enrich.fleet`), as report KPIs."""

from __future__ import annotations

from ddb_guard.costreport.data import CostReport, Kpi
from ddb_guard.costreport.extensions import register
from ddb_guard.enrich.fleet import failing_backups, failing_backups_lines
from ddb_guard.model import Model


@register
def fleet_kpis(model: Model, report: CostReport) -> list[Kpi]:
    """Selections whose role cannot back up, rules a vault lock rejects, tables whose only
    protection is a plan that will fail (JSON keys as :func:`failing_backups` names them)."""
    values = failing_backups(model)
    lines = failing_backups_lines(values)
    keys = [
        "selections_role_cannot_back_up",
        "rules_rejected_by_vault_lock",
        "tables_only_protected_by_failing_plans",
    ]
    out = []
    for key, line in zip(keys, lines, strict=True):
        label, _, text = line.partition(": ")
        out.append(Kpi(key, label, values[key], text))
    share = values["failing_protection_share"]
    out.append(Kpi("failing_protection_share", "", share, ""))
    return out
