"""The cost report as text that fits 120 columns: tables, plans (rules summarised), savings,
totals and KPIs. Non-exact prices are marked ``*`` (derived) or ``^`` (configured) and
explained under "Prices"; details per rule are in the JSON. Scanned names are untrusted:
every line goes through :func:`ddb_guard.report.safe.clean`."""

from __future__ import annotations

from ddb_guard.costreport.data import CostReport, RuleCost
from ddb_guard.enums import PriceSource
from ddb_guard.report.safe import clean

WIDTH = 120
MARK = {PriceSource.EXACT: "", PriceSource.DERIVED: "*", PriceSource.CONFIGURED: "^"}


def money(x: float | None) -> str:
    return "?" if x is None else f"${x:,.2f}"


def copies(x: object) -> str:
    if x is None:
        return "?"
    if isinstance(x, str):
        return x
    f = float(x)  # type: ignore[arg-type]
    return f"{f:g}" if f.is_integer() else f"{f:.1f}"


def table_rows(report: CostReport) -> list[list[str]]:
    out = []
    for t in report.tables:
        total = t.total_usd
        if not t.pitr and not t.rules:
            total_s = "-" if t.pitr is False else "?"
        elif t.size_gb is None:
            total_s = "?" if t.per_100gb is None else f"{money(t.per_100gb)}/100GB"
        elif total is None:
            total_s = "growing"
        else:
            total_s = money(total)
        out.append(
            [
                t.name + ("" if t.scanned else " (ARN)") + MARK[t.price.kind],
                t.region,
                {True: "on", False: "off"}.get(t.pitr, "?"),  # type: ignore[arg-type]
                "?" if t.size_gb is None else f"{t.size_gb:,.0f}",
                (money(t.pitr_usd) if t.size_gb is not None else "/100GB") if t.pitr else "-",
                str(len(t.rules)) if t.rules else "-",
                copies(t.copies) if t.rules else "-",
                (money(t.backup_usd) if t.backup_per_gb is not None else "growing")
                if t.rules and t.size_gb is not None
                else ("-" if not t.rules else "?"),
                total_s,
            ]
        )
    return out


TABLE_HEAD = [
    "Table",
    "Region",
    "PITR",
    "GB",
    "PITR/mo",
    "Rules",
    "Copies",
    "Backup/mo",
    "Total/mo",
]


def rule_money(r: RuleCost) -> str:
    if r.not_estimated is not None:
        return "not estimated"
    parts = []
    if r.monthly_usd is not None:
        parts.append(money(r.monthly_usd))
    elif r.growth_usd is not None:
        parts.append(f"+{money(r.growth_usd)}/mo growing")
    if r.per_100gb is not None and (r.unsized or not r.covered_tables):
        parts.append(f"{money(r.per_100gb)}/100GB")
    elif r.monthly_usd is None and r.growth_usd is None and r.per_100gb is None:
        parts.append("growing")
    return " + ".join(parts) or "-"


def plan_rows(report: CostReport, ramp: bool = False) -> list[list[str]]:
    """One row per rule, grouped by plan; ``ramp`` adds month 1 and the first 12 months."""
    plans: dict[str, list[RuleCost]] = {}
    for r in report.rules:
        plans.setdefault(r.plan_key or r.plan or r.address, []).append(r)
    out = []
    for _, rules in sorted(plans.items()):
        plan = rules[0].plan or rules[0].address
        for r in rules:
            sched = r.schedule or ("invalid: " + (r.schedule_error or "").split(";")[0])[:40]
            keep = copies(r.copies_kept)
            if r.overlap:
                keep += f" (-{r.overlap['skipped_share']:.0%})"
            row = [
                plan if r is rules[0] else "",
                r.label + MARK[r.price.kind],
                sched if r.schedule or r.schedule_error else "unknown",
                keep,
                rule_money(r),
            ]
            if ramp:
                row += [
                    money(r.first_month_usd) if r.first_month_usd is not None else "-",
                    money(r.first_year_usd) if r.first_year_usd is not None else "-",
                ]
            out.append(row)
    return out


PLAN_HEAD = ["Plan", "Rule", "Schedule", "Copies", "Steady/mo"]
RAMP_HEAD = ["Month 1", "12 months"]


def fit(head: list[str], rows: list[list[str]], shrink: int = 0) -> list[str]:
    """A left-aligned table; column ``shrink`` is cut (with '~') so lines fit WIDTH."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
    over = sum(widths) + 2 * (len(widths) - 1) - WIDTH
    if over > 0:
        widths[shrink] = max(len(head[shrink]), widths[shrink] - over)

    def cell(text: str, w: int) -> str:
        return text if len(text) <= w else text[: w - 1] + "~"

    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    out = [fmt.format(*head).rstrip(), "  ".join("-" * w for w in widths)]
    out += [
        fmt.format(*(cell(c, w) for c, w in zip(r, widths, strict=True))).rstrip() for r in rows
    ]
    return out


def headline(report: CostReport) -> list[str]:
    """The totals in words: known parts summed, unknown parts stated separately."""
    tot = report.totals
    unknown = []
    if tot.unsized_tables:
        n = len(tot.unsized_tables)
        unknown.append(
            f"plus {money(tot.unsized_per_100gb)} per 100 GB of each of {n} unsized "
            f"table{'s' if n > 1 else ''} (pass --table-size NAME=GB)"
        )
    if tot.unscanned_rules:
        unknown.append(
            f"plus {money(tot.unscanned_per_100gb)} per 100 GB of tables outside the scan "
            f"({len(tot.unscanned_rules)} rule(s))"
        )
    sized = [t for t in report.tables if t.size_gb is not None and (t.pitr or t.rules)]
    if not sized and (unknown or tot.growing):
        steady = "unknown (no protected table has a size)"
    else:
        steady = money(tot.protection_usd) + (" for sized tables" if unknown else "")
        if tot.growing:
            steady += f", plus never-expiring copies growing by {money(tot.growth_usd)}/month"
    lines = [f"Monthly protection cost (steady state): {steady}"]
    lines += [f"  {u}" for u in unknown]
    if sized:
        lines.append(
            f"  PITR {money(tot.pitr_usd)}, backups {money(tot.backup_usd)}; "
            f"first month {money(tot.ramp_usd[0])}, first 12 months {money(sum(tot.ramp_usd))}"
        )
    if tot.not_estimated:
        lines.append("  Not estimated (see JSON): " + ", ".join(sorted(set(tot.not_estimated))))
    if report.recommendations:
        parts = [money(tot.savings_usd)] if tot.savings_usd else []
        if tot.savings_per_100gb:
            parts.append(f"{money(tot.savings_per_100gb)} per 100 GB of each unsized table")
        lines.append(
            "Possible saving with the same recovery guarantees: " + " + ".join(parts) + " a month"
        )
    return lines


def price_lines(report: CostReport) -> list[str]:
    out = []
    for p in report.prices:
        mark = MARK[p.kind] or " "
        out.append(f"{mark} {p.region}: {p.label()} (as of {p.as_of or '?'})")
    notes = sorted(
        {d for t in report.tables for d in t.price.detail}
        | {d for r in report.rules for d in r.price.detail}
    )
    out += [f"  {n}" for n in notes]
    return out


def render(report: CostReport) -> str:
    """The text report: tables fit 120 columns, rules summarised per plan."""
    out: list[str] = ["DynamoDB protection cost (USD per month, steady state unless said)", ""]
    if report.empty:
        out += ["No DynamoDB tables or backup rules found.", ""]
    if report.tables:
        out += ["Tables", *fit(TABLE_HEAD, table_rows(report)), ""]
    if report.rules:
        out += ["Backup plans", *fit(PLAN_HEAD, plan_rows(report), shrink=2), ""]
    if report.recommendations:
        out.append("Cheaper with the same recovery guarantees")
        for r in report.recommendations:
            unit = " per 100 GB of each table" if r.per_100gb else ""
            out.append(
                f"- {r.rule}: save {money(r.saving_usd)}/month{unit} "
                f"({money(r.current_usd)} -> {money(r.proposed_usd)})"
            )
            out.append(f"  {r.proposed}")
        out.append("")
    out += headline(report)
    out += [""] + [f"{k.label}: {k.text}" for k in report.kpis if k.label]
    if report.prices:
        out += ["", "Prices (* derived, ^ configured; details in JSON)", *price_lines(report)]
    return "\n".join(_wrap(clean(line)) for line in out) + "\n"


def _wrap(line: str) -> str:
    if len(line) <= WIDTH:
        return line
    import textwrap

    indent = " " * (len(line) - len(line.lstrip()) + 2)
    return "\n".join(textwrap.wrap(line, WIDTH, subsequent_indent=indent, break_long_words=True))
