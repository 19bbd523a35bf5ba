"""Fleet view of backups that will fail (the cost report's KPIs, issue 11).

Reads the enriched model: ``role_error`` on backup selections (BKP008), ``vault_lock_error``
on backup rules (BKP010) and the rules' ``covered_table_ids``. A table's backups fail when
every (selection, rule) pair that backs it up fails: the selection's role cannot back up, or
the rule's retention is rejected by a vault lock. Unknown outcomes never count as failing.
"""

from __future__ import annotations

from typing import Any

from ddb_guard.enrich.selection import plan_keys, selection_coverage, selection_plan_matches
from ddb_guard.enrich.selection_index import TableIndex
from ddb_guard.model import BACKUP_RULE, BACKUP_SELECTION, TABLE, Entity, Model, Value


def _error(v: Any) -> bool:
    return isinstance(v, Value) and v.known and v.value is not None


def failing_backups(model: Model) -> dict[str, Any]:
    """KPIs: selections whose role cannot back up, rules a vault lock rejects, and the tables
    whose only protection (no PITR) is a plan that will fail, with their share of tables."""
    selections = model.of_kind(BACKUP_SELECTION)
    rules = model.of_kind(BACKUP_RULE)
    tables = model.of_kind(TABLE)
    bad_selections = sorted(s.address for s in selections if _error(s.attrs.get("role_error")))
    bad_rules = sorted(r.address for r in rules if _error(r.attrs.get("vault_lock_error")))
    covering: dict[str, list[bool]] = {}  # table identity -> does each pair fail?
    index = TableIndex(tables)
    rules_of_plan: dict[tuple[str, str], list[Entity]] = {}
    for rule in rules:
        rules_of_plan.setdefault((rule.scope, rule.parent), []).append(rule)
    for sel in selections:
        sel_fails = _error(sel.attrs.get("role_error"))
        tables_of_sel = selection_coverage(sel, index).tables
        keys = plan_keys(sel)  # the plans it can belong to (None: any)
        mine = (
            rules
            if keys is None
            else [r for k in keys for r in rules_of_plan.get((sel.scope, k), ())]
        )
        for rule in mine:
            if selection_plan_matches(sel, rule.parent, rule.scope) is not True:
                continue
            fails = sel_fails or _error(rule.attrs.get("vault_lock_error"))
            for t in tables_of_sel:
                covering.setdefault(t, []).append(fails)
    only_failing = sorted(
        t.address
        for t in tables
        if covering.get(t.identity)
        and all(covering[t.identity])
        and not (isinstance(t.attrs.get("pitr_enabled"), Value) and t.attrs["pitr_enabled"].value)
    )
    n = len(tables)
    return {
        "selections_role_cannot_back_up": bad_selections,
        "rules_rejected_by_vault_lock": bad_rules,
        "tables_only_protected_by_failing_plans": only_failing,
        "failing_protection_share": round(len(only_failing) / n, 4) if n else None,
    }


def failing_backups_lines(kpis: dict[str, Any]) -> list[str]:
    """The text report's lines for :func:`failing_backups`."""
    share = kpis.get("failing_protection_share")
    pct = "n/a" if share is None else f"{share * 100:.0f}%"
    lines = [
        "Backup selections whose role cannot back up (BKP008): "
        f"{len(kpis['selections_role_cannot_back_up'])}",
        f"Backup rules a vault lock rejects (BKP010): {len(kpis['rules_rejected_by_vault_lock'])}",
        "Tables whose only protection is a plan that will fail: "
        f"{len(kpis['tables_only_protected_by_failing_plans'])} ({pct})",
    ]
    names = kpis["tables_only_protected_by_failing_plans"]
    if names:
        lines[-1] += ": " + ", ".join(names)
    return lines
