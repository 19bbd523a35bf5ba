"""Retention a vault lock rejects (BKP010): ``vault_lock_error`` on backup rules.

A rule's target vault and each copy action's destination vault are looked up among the
scanned vaults (by reference, else by name; a destination ARN by its ``backup-vault:NAME``).
When the vault has a lock with a known minimum or maximum, a ``delete_after`` below the
minimum, above the maximum, or absent (kept forever) while a maximum is set makes AWS Backup
reject every job. The Value's ``trace`` holds the vault and lock locations.
"""

from __future__ import annotations

import re
from typing import Any

from ddb_guard.enrich.iam import referenced
from ddb_guard.model import BACKUP_RULE, BACKUP_VAULT, Entity, Location, Model, Value

_VAULT_ARN = re.compile(r":backup-vault:([^:/]+)$")


def _find(v: Any, owner: Entity, vaults: list[Entity], arn: bool) -> Entity | None:
    hit = referenced(v, owner, vaults)
    if hit is not None or not isinstance(v, Value) or not v.known:
        return hit
    name = v.value
    if arn and isinstance(name, str):
        m = _VAULT_ARN.search(name)
        name = m.group(1) if m else None
    for vault in vaults:
        vn = vault.attrs.get("vault_name")
        if isinstance(vn, Value) and vn.known and vn.value == name and name is not None:
            return vault
    return None


def _check(delete: Any, vault: Entity, where: str) -> tuple[str | None, str | None, list]:
    """(error, unknown reason, trace) for one lifecycle against one vault's lock."""
    lo, hi = vault.attrs.get("lock_min_days"), vault.attrs.get("lock_max_days")
    trace = [vault.loc] + [v.loc for v in (lo, hi) if isinstance(v, Value) and v.loc]
    trace += [loc for loc, what in vault.related if "lock" in what]
    name = vault.attrs.get("vault_name")
    label = name.value if isinstance(name, Value) and name.known and name.value else vault.address
    for v in (lo, hi):
        if isinstance(v, Value) and not v.known:
            return None, f"the lock of {vault.address}: {v.unknown}", [v.loc] if v.loc else []
    if not any(isinstance(v, Value) and isinstance(v.value, int) for v in (lo, hi)):
        return None, None, trace  # no lock (or no bound written)
    if isinstance(delete, Value) and not delete.known:
        return None, f"{where}: {delete.unknown}", [delete.loc] if delete.loc else []
    low = lo.value if isinstance(lo, Value) else None
    high = hi.value if isinstance(hi, Value) else None
    days = delete.value if isinstance(delete, Value) else None
    if not isinstance(low, int) and not isinstance(high, int):
        return None, None, trace
    lock = ", ".join(
        f"{k} {n} days" for k, n in (("minimum", low), ("maximum", high)) if isinstance(n, int)
    )
    if days is None or days == -1:
        if isinstance(high, int):
            return (
                f"{where} keeps recovery points forever, but the lock of vault {label} "
                f"sets a {lock}",
                None,
                trace,
            )
        return None, None, trace
    if not isinstance(days, int) or isinstance(days, bool):
        return None, None, trace
    if isinstance(low, int) and days < low:
        return (
            f"{where} deletes after {days} days, below the lock of vault {label} ({lock})",
            None,
            trace,
        )
    if isinstance(high, int) and days > high:
        return (
            f"{where} deletes after {days} days, above the lock of vault {label} ({lock})",
            None,
            trace,
        )
    return None, None, trace


def enrich_vault_locks(model: Model) -> None:
    vaults = model.of_kind(BACKUP_VAULT)
    for rule in model.of_kind(BACKUP_RULE):
        a = rule.attrs
        errors: list[str] = []
        unknown: list[str] = []
        unknown_loc: Location | None = None
        trace: list[Location] = []
        loc = None
        checks: list[tuple[Any, Any, str, Any, bool]] = [
            (
                a.get("target_vault"),
                a.get("delete_after"),
                "the rule",
                a.get("delete_after"),
                False,
            ),
        ]
        copies = a.get("copy_actions")
        if isinstance(copies, list):
            for c in copies:
                if isinstance(c, dict):
                    checks.append(
                        (
                            c.get("destination_vault"),
                            c.get("delete_after"),
                            "its copy action",
                            c.get("loc"),
                            True,
                        )
                    )
        for vault_v, delete, where, at, arn in checks:
            vault = _find(vault_v, rule, vaults, arn)
            if vault is None:
                continue
            error, why, found = _check(delete, vault, where)
            if error:
                errors.append(error)
                trace += found
                if loc is None:
                    loc = at.loc if isinstance(at, Value) else at
            elif why:
                unknown.append(why)
                unknown_loc = unknown_loc or next(iter(found), None)
        if errors:
            where_loc = loc if isinstance(loc, Location) else None
            a["vault_lock_error"] = Value(
                "; ".join(errors), where_loc or rule.loc, None, False, tuple(dict.fromkeys(trace))
            )
        elif unknown:
            a["vault_lock_error"] = Value.unknown_because(
                "; ".join(unknown), unknown_loc or rule.loc
            )
        else:
            a["vault_lock_error"] = Value.of(None)
