"""Build the typed :class:`~ddb_guard.costreport.data.CostReport` from an enriched model.

Rules carry their cost per GB of table (``cost.monthly_usd_per_gb``, ``ramp_usd_per_gb``,
``monthly_growth_usd_per_gb``; see :mod:`ddb_guard.enrich`), so every table gets its own
dollars from its own size, and totals are sums over tables: known sizes in dollars, the others
as a rate per 100 GB of each unsized table, never a made-up 0.
"""

from __future__ import annotations

from ddb_guard.costreport.data import (
    CostReport,
    PriceUse,
    Provenance,
    RuleCost,
    TableCost,
    Totals,
    external_id,
    plain,
)
from ddb_guard.costreport.extensions import providers
from ddb_guard.costreport.kpis import builtin_kpis
from ddb_guard.costreport.recommend import recommendations
from ddb_guard.enrich.settings import EnrichSettings
from ddb_guard.enums import PriceSource
from ddb_guard.model import BACKUP_RULE, REPLICA, TABLE, Entity, Model, Value

MONTHS = 12


def _table_cost(t: Entity, replicas: list[Entity], settings: EnrichSettings) -> TableCost:
    book = settings.prices()
    region = plain(t.attrs.get("region")) or settings.default_region
    prices = book.region(region)
    pitr_v = t.attrs.get("pitr_enabled")
    pitr = plain(pitr_v) if isinstance(pitr_v, Value) and pitr_v.known else None
    global_table = plain(t.attrs.get("protection_per_replica")) is True
    if global_table and replicas:
        # PITR set per replica (a CloudFormation GlobalTable), the first region included
        states = [plain(r.attrs.get("pitr_enabled")) for r in replicas]
        pitr = None if None in states else all(states)
    row = TableCost(
        identity=t.identity,
        address=t.address,
        name=plain(t.attrs.get("table_name")) or t.address,
        region=region,
        pitr=pitr,
        size_gb=plain(t.attrs.get("size_gb")),
        size_source=plain(t.attrs.get("size_source")),
        storage_per_gb=prices["table_storage"],
        restore_per_gb=prices["restore"],
        warm_price=prices["backup_warm"],
    )
    # PITR is billed per replica with PITR on, at each replica region's price (a
    # CloudFormation GlobalTable lists its first region among the replicas)
    pitr_regions = [] if global_table or not pitr else [region]
    pitr_regions += [
        plain(r.attrs.get("region")) or region
        for r in replicas
        if plain(r.attrs.get("pitr_enabled")) is True
    ]
    row.pitr_regions = list(pitr_regions)
    for reg in pitr_regions:
        rp = book.region(reg)
        row.pitr_per_gb += rp["pitr"]
        prov = rp.provenance(["pitr"])
        row.price.merge(prov.kind, list(prov.detail))
    if len(pitr_regions) > 1 or (replicas and pitr_regions and not global_table):
        row.notes.append(f"PITR billed per replica: {len(pitr_regions)} region(s)")
    if pitr is None:
        row.notes.append("PITR setting unknown")
    if row.size_gb is None:
        row.notes.append("size unknown: pass --table-size NAME=GB")
    measured = settings.measured().get(t.address)
    if measured is not None:
        row.measured_pitr_gb = measured.pitr_gb
        row.measured_backup_gb = measured.backup_gb
        row.measured_source = measured.source
        row.notes.append(f"measured backup storage from {measured.source} overrides the model")
    return row


def _external_rows(rules: list[Entity], settings: EnrichSettings) -> list[TableCost]:
    """Rows for tables that selections name by ARN only (not in the scanned files)."""
    book = settings.prices()
    rows: dict[str, TableCost] = {}
    for rule in rules:
        for e in plain(rule.attrs.get("arn_tables")) or []:
            ident = external_id(e)
            if ident in rows:
                continue
            region = e["region"] or settings.default_region
            prices = book.region(region)
            row = TableCost(
                identity=ident,
                address=f"table/{e['name']}",
                name=e["name"],
                region=region,
                pitr=None,
                size_gb=e["size_gb"],
                size_source=e["size_source"],
                scanned=False,
                storage_per_gb=prices["table_storage"],
                restore_per_gb=prices["restore"],
                warm_price=prices["backup_warm"],
            )
            row.notes.append(f"named only by ARN in a backup selection ({e['arn']}); not scanned")
            if row.size_gb is None:
                row.notes.append(f"size unknown: pass --table-size {e['name']}=GB")
            rows[ident] = row
    return list(rows.values())


def _rule_cost(rule: Entity, rows: dict[str, TableCost]) -> RuleCost:
    info = plain(rule.attrs.get("schedule_info")) or {}
    retained = plain(rule.attrs.get("retained")) or {}
    cost_v = rule.attrs.get("cost")
    cost = plain(cost_v) or {}
    covers = rule.attrs.get("covers_dynamodb")
    unbounded = bool(retained.get("unbounded") or retained.get("destination_unbounded"))
    why = None
    if not isinstance(cost_v, Value) or not cost_v.known:
        why = cost_v.unknown if isinstance(cost_v, Value) else "not estimated"
    covered = sorted(plain(rule.attrs.get("covered_table_ids")) or [])
    covered += [external_id(e) for e in plain(rule.attrs.get("arn_tables")) or []]
    rc = RuleCost(
        address=rule.address,
        plan=rule.parent,
        rule=plain(rule.attrs.get("rule_name")) or rule.address,
        schedule=info.get("description") if info.get("valid") else None,
        schedule_error=info.get("error"),
        covers_dynamodb=plain(covers) if isinstance(covers, Value) and covers.known else None,
        covered_tables=[rows[i].address if i in rows else i for i in covered],
        copies_kept="unbounded" if unbounded else retained.get("total_copies"),
        region=cost.get("region"),
        overlap=cost.get("overlap"),
        not_estimated=why,
        created_when=rule.exists.unknown if rule.exists is not None else None,
        plan_key=rule.parent_identity or rule.parent,
    )
    if not cost:
        return rc
    rc.price = Provenance(
        PriceSource(cost.get("price_source", PriceSource.EXACT)),
        list(cost.get("price_source_detail")),
    )
    per_gb = cost.get("monthly_usd_per_gb")
    growth_gb = cost.get("monthly_growth_usd_per_gb")
    ramp = cost.get("ramp_usd_per_gb") or [0.0] * MONTHS
    sized = [rows[a] for a in covered if a in rows and rows[a].size_gb is not None]
    rc.unsized = [rows[a].address for a in covered if a in rows and rows[a].size_gb is None]
    gb = sum(r.size_gb or 0.0 for r in sized)
    if sized:
        rc.monthly_usd = None if per_gb is None else per_gb * gb
        rc.growth_usd = None if growth_gb is None else growth_gb * gb
        rc.first_month_usd = ramp[0] * gb
        rc.first_year_usd = sum(ramp) * gb
    if rc.unsized or not covered:
        rc.per_100gb = None if per_gb is None else per_gb * 100
        if per_gb is None and growth_gb is not None and not sized:
            rc.growth_usd = None
    for address in covered:
        row = rows.get(address)
        if row is None:
            continue
        if info.get("valid") is False:
            continue
        row.copies = (
            None
            if row.copies is None or rc.copies_kept in (None, "unbounded")
            else (
                row.copies + float(rc.copies_kept)  # type: ignore[arg-type]
            )
        )
        if per_gb is None:
            row.backup_per_gb = None
            row.growth_per_gb += growth_gb or 0.0
        elif row.backup_per_gb is not None:
            row.backup_per_gb += per_gb
        row.ramp_per_gb = [a + b for a, b in zip(row.ramp_per_gb, ramp, strict=False)]
        row.price.merge(rc.price.kind, rc.price.detail)
    return rc


def _totals(report: CostReport) -> Totals:
    tot = Totals()
    for t in report.tables:
        protected = bool(t.pitr_per_gb) or bool(t.rules)
        if t.size_gb is None:
            tot.restore_drill_per_100gb += 100 * t.restore_per_gb
            if protected:
                tot.unsized_tables.append(t.address)
                if t.per_100gb is not None:
                    tot.unsized_per_100gb += t.per_100gb
                else:
                    tot.growing.append(t.address)
            continue
        tot.storage_usd += t.size_gb * t.storage_per_gb
        tot.restore_drill_usd += t.size_gb * t.restore_per_gb
        tot.pitr_usd += t.pitr_usd or 0.0
        if t.backup_usd is not None:
            tot.backup_usd += t.backup_usd
        else:
            tot.growing.append(t.address)
            tot.growth_usd += t.growth_per_gb * t.size_gb
        ramp = t.ramp_usd() or []
        if t.measured_backup_gb is not None:
            ramp = [(t.pitr_usd or 0.0) + (t.backup_usd or 0.0)] * MONTHS
        tot.ramp_usd = [a + b for a, b in zip(tot.ramp_usd, ramp, strict=False)]
    for r in report.rules:
        if r.covers_dynamodb is False:
            continue
        if r.not_estimated is not None:
            tot.not_estimated.append(r.address)
        elif not r.covered_tables:
            tot.unscanned_rules.append(r.address)
            tot.unscanned_per_100gb += r.per_100gb or 0.0
    return tot


def _prices_used(report: CostReport, settings: EnrichSettings) -> list[PriceUse]:
    book = settings.prices()
    regions = sorted(
        {t.region for t in report.tables}
        | {r.region for r in report.rules if r.region}
        | {reg for t in report.tables for reg in t.pitr_regions}
    )
    out = []
    for region in regions:
        rp = book.region(region)
        keys = ["table_storage", "pitr", "backup_warm", "restore", "backup_cold", "copy_transfer"]
        prov = rp.provenance(keys)
        core = rp.provenance(["pitr", "backup_warm", "restore", "table_storage"])
        as_of = sorted({p.as_of for p in rp.prices.values() if p.as_of})
        sources = sorted({p.source for p in rp.prices.values()})
        kind = core.kind if prov.kind != PriceSource.CONFIGURED else PriceSource.CONFIGURED
        exact = [k for k in keys if k in rp.prices and rp.prices[k].kind == PriceSource.EXACT]
        out.append(PriceUse(region, kind, ", ".join(as_of), sources, exact))
    return out


def build_report(model: Model, settings: EnrichSettings) -> CostReport:
    """The cost report of an enriched model."""

    replicas: dict[str, list[Entity]] = {}
    for rep in model.of_kind(REPLICA):
        replicas.setdefault(rep.parent_identity, []).append(rep)
    report = CostReport()
    for t in sorted(model.of_kind(TABLE), key=lambda e: e.address):
        report.tables.append(_table_cost(t, replicas.get(t.identity, []), settings))
    rules = sorted(model.of_kind(BACKUP_RULE), key=lambda e: e.address)
    report.tables += _external_rows(rules, settings)
    rows = {t.identity: t for t in report.tables}
    for rule in rules:
        rc = _rule_cost(rule, rows)
        report.rules.append(rc)
        info = plain(rule.attrs.get("schedule_info")) or {}
        if info.get("valid") is False:
            for ident in plain(rule.attrs.get("covered_table_ids")) or []:
                if ident in rows:
                    rows[ident].notes.append(f"{rule.address} not counted: invalid schedule")
    for rule in rules:
        ids = list(plain(rule.attrs.get("covered_table_ids")) or [])
        ids += [external_id(e) for e in plain(rule.attrs.get("arn_tables")) or []]
        for ident in ids:
            if ident in rows and rule.address not in rows[ident].rules:
                rows[ident].rules.append(rule.address)
    report.totals = _totals(report)
    report.recommendations = recommendations(model, report, settings)
    report.totals.savings_usd = sum(r.saving_usd for r in report.recommendations if not r.per_100gb)
    report.totals.savings_per_100gb = sum(
        r.saving_usd for r in report.recommendations if r.per_100gb
    )
    report.prices = _prices_used(report, settings)
    report.kpis = builtin_kpis(report)
    for provider in providers():
        report.kpis.extend(provider(model, report))
    return report
