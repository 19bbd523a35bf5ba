"""``ddb-guard cost``: what protecting each table costs per month, from an enriched model.

Per table: PITR on/off and its monthly price, the backup rules that cover it, copies kept,
its share of those rules' backup cost (costs scale with size), and the total. Per backup
rule: plan, rule, schedule in words, copies kept, monthly cost. Totals and resilience KPIs:
share of tables with PITR, tables relying only on periodic snapshots, tables with no
protection, monthly protection cost.

Only priced amounts enter the totals: a table of unknown size or a rule whose cost is
unknown, never expires or is per 100 GB is listed under ``totals.not_in_totals``.
Output is deterministic (sorted by address, amounts rounded to cents).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

from ddb_guard.enrich.fleet import failing_backups, failing_backups_lines
from ddb_guard.enrich.settings import EnrichSettings
from ddb_guard.model import BACKUP_RULE, REPLICA, TABLE, Entity, Model, Value
from ddb_guard.report import safe
from ddb_guard.report.safe import clean

FORMATS = ("text", "json", "markdown")


def _plain(v: Any) -> Any:
    return v.value if isinstance(v, Value) and v.known else None


def _cents(x: float | None) -> float | None:
    return None if x is None else round(x + 0.0, 2)


@dataclass(slots=True)
class _TableRow:
    address: str
    name: str
    region: str
    pitr: bool | None
    size_gb: float | None
    size_source: str | None
    pitr_usd: float | None
    pitr_usd_per_100gb: float | None
    rules: list[str] = field(default_factory=list)
    copies: float | None = 0.0
    backup_usd: float | None = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> float | None:
        if self.pitr_usd is None or self.backup_usd is None:
            return None
        return self.pitr_usd + self.backup_usd

    def as_dict(self) -> dict[str, Any]:
        return {
            "address": self.address,
            "name": self.name,
            "region": self.region,
            "pitr": self.pitr,
            "size_gb": self.size_gb,
            "size_source": self.size_source,
            "pitr_monthly_usd": _cents(self.pitr_usd),
            "pitr_monthly_usd_per_100gb": _cents(self.pitr_usd_per_100gb),
            "backup_rules": sorted(self.rules),
            "copies_kept": None if self.copies is None else round(self.copies, 2),
            "backup_monthly_usd": _cents(self.backup_usd),
            "total_monthly_usd": _cents(self.total),
            "notes": self.notes,
        }


def _rule_row(rule: Entity) -> dict[str, Any]:
    info = _plain(rule.attrs.get("schedule_info")) or {}
    retained = _plain(rule.attrs.get("retained")) or {}
    cost_v = rule.attrs.get("cost")
    cost = _plain(cost_v) or {}
    covers = rule.attrs.get("covers_dynamodb")
    copies = retained.get("total_copies")
    unbounded = bool(retained.get("unbounded") or retained.get("destination_unbounded"))
    if not isinstance(cost_v, Value) or not cost_v.known:
        why = cost_v.unknown if isinstance(cost_v, Value) else "not estimated"
    else:
        why = None
    return {
        "address": rule.address,
        "plan": rule.parent,
        "rule": _plain(rule.attrs.get("rule_name")) or rule.address,
        "schedule": info.get("description") if info.get("valid") else None,
        "schedule_error": info.get("error"),
        "covers_dynamodb": _plain(covers) if isinstance(covers, Value) and covers.known else None,
        "covered_tables": sorted(_plain(rule.attrs.get("covered_tables")) or []),
        "copies_kept": "unbounded" if unbounded else copies,
        "monthly_usd": cost.get("monthly_usd"),
        "per_100gb": bool(cost.get("per_100gb")),
        "monthly_growth_usd": cost.get("monthly_growth_usd"),
        "region": cost.get("region"),
        "not_estimated": why,
    }


def build_report(model: Model, settings: EnrichSettings) -> dict[str, Any]:
    """The cost report as plain data (what the JSON format prints)."""
    book = settings.prices()
    rules = sorted(model.of_kind(BACKUP_RULE), key=lambda e: e.address)
    rule_rows = [_rule_row(r) for r in rules]
    cost_by_rule = {r.identity: _plain(r.attrs.get("cost")) for r in rules}
    retained_by_rule = {r.identity: _plain(r.attrs.get("retained")) or {} for r in rules}
    replicas: dict[str, list[Entity]] = {}
    for rep in model.of_kind(REPLICA):
        replicas.setdefault(rep.parent_identity, []).append(rep)

    table_rows: list[_TableRow] = []
    for t in sorted(model.of_kind(TABLE), key=lambda e: e.address):
        region = _plain(t.attrs.get("region")) or settings.default_region
        prices = book.region(region)
        pitr_v = t.attrs.get("pitr_enabled")
        pitr = _plain(pitr_v) if isinstance(pitr_v, Value) and pitr_v.known else None
        own = replicas.get(t.identity, [])
        if t.resource_type == "AWS::DynamoDB::GlobalTable" and own:
            # CloudFormation global tables set PITR per replica, the first region included:
            # protected when every replica is
            states = [_plain(r.attrs.get("pitr_enabled")) for r in own]
            pitr = None if None in states else all(states)
        size = _plain(t.attrs.get("size_gb"))
        pitr_price = prices["pitr"]
        # PITR of replicas with PITR on, at their regions' prices
        replica_prices = [
            book.region(_plain(r.attrs.get("region")) or region)["pitr"]
            for r in replicas.get(t.identity, [])
            if _plain(r.attrs.get("pitr_enabled")) is True
        ]
        if t.resource_type == "AWS::DynamoDB::GlobalTable":
            pitr_price = 0.0  # every region, the first included, is one of the replicas
        per_gb = (pitr_price if pitr else 0.0) + sum(replica_prices)
        row = _TableRow(
            address=t.address,
            name=_plain(t.attrs.get("table_name")) or t.address,
            region=region,
            pitr=pitr,
            size_gb=size,
            size_source=_plain(t.attrs.get("size_source")),
            pitr_usd=None if pitr is None or size is None else size * per_gb,
            pitr_usd_per_100gb=None if pitr is None else 100 * per_gb,
        )
        if replica_prices:
            row.notes.append(f"PITR on {len(replica_prices)} replica(s) included")
        if pitr is None:
            row.notes.append("PITR setting unknown")
        if size is None:
            row.notes.append("size unknown: pass --table-size NAME=GB")
        for r in rules:
            covered = _plain(r.attrs.get("covered_table_ids")) or []
            if t.identity not in covered:
                continue
            row.rules.append(r.address)
            info = _plain(r.attrs.get("schedule_info")) or {}
            if info.get("valid") is False:
                row.notes.append(f"{r.address} not counted: invalid schedule")
                continue
            cost = cost_by_rule.get(r.identity)
            retained = retained_by_rule[r.identity]
            copies = retained.get("total_copies")
            row.copies = None if row.copies is None or copies is None else row.copies + copies
            monthly = cost.get("monthly_usd") if cost else None
            if monthly is None or size is None or not cost.get("table_size_gb"):
                row.backup_usd = None
            elif row.backup_usd is not None:
                row.backup_usd += monthly * size / cost["table_size_gb"]
        table_rows.append(row)

    not_in_totals: list[str] = []
    backup_total = backup_per_100 = 0.0
    for row in rule_rows:
        if row["covers_dynamodb"] is False:
            continue
        if row["monthly_usd"] is not None and row["per_100gb"]:
            backup_per_100 += row["monthly_usd"]
        if row["monthly_usd"] is None or row["per_100gb"]:
            not_in_totals.append(row["address"])
            continue
        backup_total += row["monthly_usd"]
    pitr_total = pitr_per_100 = 0.0
    for trow in table_rows:
        if trow.pitr and trow.pitr_usd is None:
            not_in_totals.append(trow.address)
            pitr_per_100 += trow.pitr_usd_per_100gb or 0.0
        elif trow.pitr_usd:
            pitr_total += trow.pitr_usd

    n = len(table_rows)
    with_pitr = [r.address for r in table_rows if r.pitr]
    snapshots_only = [r.address for r in table_rows if not r.pitr and r.rules]
    unprotected = [r.address for r in table_rows if r.pitr is False and not r.rules]
    return {
        "tables": [r.as_dict() for r in table_rows],
        "rules": rule_rows,
        "totals": {
            "monthly_backup_cost_usd": _cents(backup_total),
            "monthly_pitr_cost_usd": _cents(pitr_total),
            "monthly_protection_cost_usd": _cents(backup_total + pitr_total),
            "complete": not not_in_totals,
            # what the unpriced items cost per 100 GB of table (size unknown)
            "unpriced_backup_usd_per_100gb": _cents(backup_per_100),
            "unpriced_pitr_usd_per_100gb": _cents(pitr_per_100),
            "not_in_totals": sorted(set(not_in_totals)),
        },
        "kpis": {
            "tables": n,
            "tables_with_pitr": len(with_pitr),
            "pitr_share": round(len(with_pitr) / n, 4) if n else None,
            "snapshot_only_tables": snapshots_only,
            "unprotected_tables": unprotected,
            **failing_backups(model),
        },
        "currency": "USD",
    }


# ----------------------------------------------------------------------------- rendering


def _money(x: float | None, per_100: float | None = None) -> str:
    if x is not None:
        return f"${x:,.2f}"
    if per_100 is not None:
        return f"${per_100:,.2f}/100 GB"
    return "?"


def _copies(x: Any) -> str:
    if x is None:
        return "?"
    if isinstance(x, str):
        return x
    return f"{x:g}" if float(x).is_integer() else f"{x:.1f}"


def _pitr(p: bool | None) -> str:
    return {True: "on", False: "off"}.get(p, "?")  # type: ignore[arg-type]


def _schedule(r: dict[str, Any]) -> str:
    if r["schedule"]:
        return r["schedule"]
    if r["schedule_error"]:
        return "invalid: " + r["schedule_error"].split(";")[0]
    return "unknown"


def _rule_money(r: dict[str, Any]) -> str:
    if r["monthly_usd"] is None:
        if r["monthly_growth_usd"] is not None:
            return f"+${r['monthly_growth_usd']:,.2f}/month, growing"
        return "not estimated"
    return _money(r["monthly_usd"]) + (" per 100 GB" if r["per_100gb"] else "")


def _tables_rows(report: dict[str, Any]) -> list[list[str]]:
    return [
        [
            t["name"] if t["name"] == t["address"] else f"{t['name']} ({t['address']})",
            _pitr(t["pitr"]),
            _money(t["pitr_monthly_usd"], t["pitr_monthly_usd_per_100gb"]) if t["pitr"] else "-",
            ", ".join(t["backup_rules"]) or "-",
            _copies(t["copies_kept"]) if t["backup_rules"] else "-",
            _money(t["backup_monthly_usd"]) if t["backup_rules"] else "-",
            _money(t["total_monthly_usd"]),
        ]
        for t in report["tables"]
    ]


def _rules_rows(report: dict[str, Any]) -> list[list[str]]:
    return [
        [r["plan"], r["rule"], _schedule(r), _copies(r["copies_kept"]), _rule_money(r)]
        for r in report["rules"]
    ]


_TABLE_HEAD = ["Table", "PITR", "PITR $/mo", "Backup rules", "Copies", "Backup $/mo", "Total $/mo"]
_RULE_HEAD = ["Plan", "Rule", "Schedule", "Copies", "$/month"]


def _summary_lines(report: dict[str, Any], cell: Callable[[str], str] = clean) -> list[str]:
    tot, k = report["totals"], report["kpis"]
    share = "n/a" if k["pitr_share"] is None else f"{k['pitr_share'] * 100:.0f}%"

    def plus(key: str) -> str:
        extra = tot.get(key) or 0.0
        return f", plus {_money(extra)} per 100 GB of tables of unknown size" if extra else ""

    lines = [
        f"Monthly backup cost: {_money(tot['monthly_backup_cost_usd'])}"
        + plus("unpriced_backup_usd_per_100gb"),
        f"Monthly PITR cost: {_money(tot['monthly_pitr_cost_usd'])}"
        + plus("unpriced_pitr_usd_per_100gb"),
        f"Monthly protection cost: {_money(tot['monthly_protection_cost_usd'])}",
        f"Tables with PITR: {k['tables_with_pitr']}/{k['tables']} ({share})",
        f"Tables relying only on periodic snapshots: {len(k['snapshot_only_tables'])}",
        f"Tables with no protection: {len(k['unprotected_tables'])}",
        *failing_backups_lines(k),
    ]
    if tot["not_in_totals"]:
        lines.append(
            "Not in totals (size or cost unknown; pass --table-size NAME=GB): "
            + ", ".join(cell(name) for name in tot["not_in_totals"])
        )
    return lines


def _text_table(head: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    out = [fmt.format(*head).rstrip(), "  ".join("-" * w for w in widths)]
    out += [fmt.format(*r).rstrip() for r in rows]  # cells are cleaned by the caller
    return out


def render_text(report: dict[str, Any]) -> str:
    out: list[str] = []
    if report["tables"]:
        out += ["Tables", *_text_table(_TABLE_HEAD, _cleaned(_tables_rows(report))), ""]
    if report["rules"]:
        out += ["Backup rules", *_text_table(_RULE_HEAD, _cleaned(_rules_rows(report))), ""]
    if not report["tables"] and not report["rules"]:
        out += ["No DynamoDB tables or backup rules found.", ""]
    out += _summary_lines(report)
    return "\n".join(out) + "\n"


def _cleaned(rows: list[list[str]]) -> list[list[str]]:
    return [[clean(c) for c in r] for r in rows]


def _md_cell(s: str) -> str:
    return safe.markdown(s)


def _md_table(head: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join(" --- " for _ in head) + "|"]
    out += ["| " + " | ".join(_md_cell(c) for c in r) + " |" for r in rows]
    return out


def render_markdown(report: dict[str, Any]) -> str:
    out = ["## ddb-guard: DynamoDB protection cost", ""]
    if report["tables"]:
        out += ["### Tables", "", *_md_table(_TABLE_HEAD, _tables_rows(report)), ""]
    if report["rules"]:
        out += ["### Backup rules", "", *_md_table(_RULE_HEAD, _rules_rows(report)), ""]
    if not report["tables"] and not report["rules"]:
        out += ["No DynamoDB tables or backup rules found.", ""]
    out += ["### Totals", ""] + [f"- {line}" for line in _summary_lines(report, safe.markdown)]
    return "\n".join(out) + "\n"


def run(result_model: Model, settings: EnrichSettings, fmt: str, out: TextIO) -> int:
    """Write the cost report of an enriched model in ``fmt`` (text|json|markdown); exit 0."""
    report = build_report(result_model, settings)
    if fmt == "json":
        out.write(json.dumps(report, indent=2, sort_keys=True) + "\n")
    elif fmt == "markdown":
        out.write(render_markdown(report))
    else:
        out.write(render_text(report))
    return 0


def cli(
    paths: tuple,
    config_file: Any,
    tf_vars: tuple[str, ...],
    tf_var_files: tuple,
    region: str | None,
    fmt: str,
    output: Any,
    stage: str | None = None,
    **sizes: Any,
) -> int:
    """`ddb-guard cost PATHS`: parse, enrich and print the estimate (exit 0, or 2 on errors)."""
    import io
    import sys

    from ddb_guard.commands.common import enrich_settings, guarded, prepare, write_output

    def body() -> int:
        from ddb_guard.pipeline import build_model, enrich_model

        targets, ctx, config = prepare(
            paths,
            config_file,
            tf_vars,
            tf_var_files,
            region,
            follow_symlinks=sizes.pop("follow_symlinks", False),
            stage=stage,
        )
        settings = enrich_settings(config, ctx, sizes)
        model = build_model(targets, ctx, config)
        enrich_model(model, ctx, config, settings)
        for notice in sorted(set(model.notices)):
            print(f"ddb-guard: {clean(str(notice))}", file=sys.stderr)
        buffer = io.StringIO()
        code = run(model, settings, fmt, buffer)
        write_output(buffer.getvalue(), output)
        return code

    return guarded(body)
