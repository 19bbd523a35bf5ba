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

from typing import Any, TextIO

from ddb_guard.commands.common import enrich_settings, guarded, prepare_cli, write_output
from ddb_guard.costreport.build import build_report
from ddb_guard.enrich.settings import EnrichSettings
from ddb_guard.enums import NoticeKind
from ddb_guard.model import Model, Value
from ddb_guard.pipeline import build_model, enrich_model
from ddb_guard.report import get_cost_reporter
from ddb_guard.report.safe import clean


def run(result_model: Model, settings: EnrichSettings, fmt: str, out: TextIO) -> int:
    """Write the cost report of an enriched model in ``fmt`` (a registry cost format); exit 0."""
    out.write(get_cost_reporter(fmt).render(build_report(result_model, settings)))
    return 0


def check_regions(model: Model, settings: EnrichSettings) -> None:
    """Exit 2 (ConfigError) for a region name, in the code or the options, with no prices."""

    book = settings.prices()
    book.check_region(settings.default_region, settings.default_region_source)
    for ent in sorted(model.entities, key=lambda e: e.address):
        v = ent.attrs.get("region")
        if isinstance(v, Value) and v.known and isinstance(v.value, str) and v.value:
            where = f"{ent.address}, {v.loc}" if v.loc else ent.address
            book.check_region(v.value, where)


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

    def body() -> int:

        targets, ctx, config = prepare_cli(
            paths, config_file, tf_vars, tf_var_files, region, stage, sizes
        )
        settings = enrich_settings(config, ctx, sizes)
        model = build_model(targets, ctx, config)
        enrich_model(model, ctx, config, settings)
        check_regions(model, settings)
        for notice in sorted(set(model.notices)):
            print(f"ddb-guard: {clean(str(notice))}", file=sys.stderr)
        buffer = io.StringIO()
        code = run(model, settings, fmt, buffer)
        write_output(buffer.getvalue(), output)
        if any(n.kind == NoticeKind.INTERNAL_ERROR for n in model.notices):
            return 2  # a contained bug: the rest of the report is printed
        return code

    return guarded(body)
