"""The cost report in GitHub Markdown (PR comments, the step summary): the text tables, the
12-month cost ramp as a Mermaid ``xychart-beta`` (GitHub renders Mermaid; numbers equal the
JSON ``totals.ramp_usd``), recommendations, totals, KPIs and price provenance."""

from __future__ import annotations

from ddb_guard.costreport.data import CostReport, cents
from ddb_guard.costreport.render_text import (
    PLAN_HEAD,
    RAMP_HEAD,
    TABLE_HEAD,
    headline,
    money,
    plan_rows,
    table_rows,
)
from ddb_guard.enums import PriceSource
from ddb_guard.report import safe


def _cell(s: str) -> str:
    return safe.markdown(s)


def md_table(head: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join(" --- " for _ in head) + "|"]
    out += ["| " + " | ".join(_cell(c) for c in r) + " |" for r in rows]
    return out


def _num(x: float | None) -> str:
    return f"{(x or 0.0):.2f}"


def mermaid_ramp(report: CostReport) -> list[str]:
    """``xychart-beta``: monthly cost of the sized tables over the first 12 months."""
    ramp = [cents(x) or 0.0 for x in report.totals.ramp_usd]
    top = max(ramp) if ramp else 0.0
    ceiling = max(1.0, float(int(top * 1.1) + 1))
    months = ", ".join(f'"M{i}"' for i in range(1, len(ramp) + 1))
    return [
        "```mermaid",
        "xychart-beta",
        '    title "Protection cost per month, first 12 months (USD, sized tables)"',
        f"    x-axis [{months}]",
        f'    y-axis "USD per month" 0 --> {ceiling:.0f}',
        "    bar [" + ", ".join(_num(x) for x in ramp) + "]",
        "```",
    ]


def render(report: CostReport) -> str:
    out = ["## ddb-guard: DynamoDB protection cost", ""]
    if report.empty:
        out += ["No DynamoDB tables or backup rules found.", ""]
    out += [
        f"**{_cell(line.strip())}**" if i == 0 else f"- {_cell(line.strip())}"
        for i, line in enumerate(headline(report))
    ]
    out.append("")
    if any(report.totals.ramp_usd):
        out += ["### First 12 months", "", *mermaid_ramp(report), ""]
    if report.tables:
        out += ["### Tables", "", *md_table(TABLE_HEAD, table_rows(report)), ""]
    if report.rules:
        out += [
            "### Backup plans",
            "",
            *md_table(PLAN_HEAD + RAMP_HEAD, plan_rows(report, ramp=True)),
            "",
        ]
    if report.recommendations:
        out += ["### Cheaper with the same recovery guarantees", ""]
        head = ["Rule", "Now", "Proposed", "$/mo now", "$/mo proposed", "Saving/mo"]
        rows = [
            [
                r.rule,
                r.current,
                r.proposed + (" (per 100 GB of each table)" if r.per_100gb else ""),
                money(r.current_usd),
                money(r.proposed_usd),
                money(r.saving_usd),
            ]
            for r in report.recommendations
        ]
        out += [*md_table(head, rows), ""]
    kpis = [f"- {_cell(k.label)}: {_cell(k.text)}" for k in report.kpis if k.label]
    out += ["### KPIs", "", *kpis, ""]
    if report.prices:
        out += ["### Prices", ""]
        for p in report.prices:
            kind = p.kind if p.kind == PriceSource.EXACT else f"**{p.kind}**"
            partial = p.kind != PriceSource.EXACT and p.exact
            exact = f" (exact: {', '.join(p.exact)})" if partial else ""
            out.append(f"- {p.region}: {kind}{exact}, as of {p.as_of or '?'}")
        notes = sorted(
            {d for t in report.tables for d in t.price.detail}
            | {d for r in report.rules for d in r.price.detail}
        )
        if notes:
            out += ["", "Prices that are not the region's own price-list figure (`*`):", ""]
            out += [f"- {_cell(n)}" for n in notes]
        out.append("")
    return "\n".join(out)
