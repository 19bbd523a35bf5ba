"""`ddb-guard scan`: findings as text, JSON, SARIF or GitHub annotations; exit code gate."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ddb_guard import baseline as baseline_file
from ddb_guard.commands.common import (
    EXIT_CLEAN,
    EXIT_ERROR,
    EXIT_FINDINGS,
    enrich_settings,
    guarded,
    prepare_cli,
    select_rules,
    write_output,
)
from ddb_guard.enums import Level
from ddb_guard.errors import ConfigError
from ddb_guard.pipeline import scan
from ddb_guard.report import ReportOptions, get_reporter
from ddb_guard.report.safe import clean
from ddb_guard.report.summary import count, failing, summary_line

if TYPE_CHECKING:  # the report and enrichment modules load when the scan runs
    from ddb_guard.config import Config
    from ddb_guard.context import ScanContext
    from ddb_guard.enrich.settings import EnrichSettings
    from ddb_guard.report import ReportOptions
    from ddb_guard.result import ScanResult


def exit_code(result, fail_on: str, strict: bool) -> int:
    """0: nothing at or above ``fail_on``; 1: findings; 2: an internal error (contained: the
    other findings are printed), or --strict and a file failed to parse."""
    if result.internal_errors or (strict and result.parse_errors):
        return EXIT_ERROR

    return EXIT_FINDINGS if failing(result, fail_on) else EXIT_CLEAN


def _use_color(flag: bool | None, output: Path | None) -> bool:
    if flag is not None:
        return flag
    if output is not None or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def run(
    paths: tuple[Path, ...],
    config_file: Path | None,
    tf_vars: tuple[str, ...],
    tf_var_files: tuple[Path, ...],
    region: str | None,
    fmt: str,
    output: Path | None,
    fail_on: str | None,
    statistics: bool,
    strict: bool,
    select: tuple[str, ...],
    ignore_rules: tuple[str, ...],
    color: bool | None,
    stage: str | None = None,
    exclude: tuple[str, ...] = (),
    baseline: Path | None = None,
    write_baseline: Path | None = None,
    quiet: bool = False,
    sarif_output: Path | None = None,
    json_output: Path | None = None,
    junit_output: Path | None = None,
    gitlab_output: Path | None = None,
    fix: bool = False,
    unsafe: bool = False,
    allow_empty: bool = False,
    **sizes,
) -> int:
    def body() -> int:
        if unsafe and not fix:
            raise ConfigError("--unsafe changes what --fix does; it needs --fix")
        targets, ctx, config = prepare_cli(
            paths, config_file, tf_vars, tf_var_files, region, stage, sizes
        )
        select_rules(config, select, ignore_rules)
        config.cli_exclude = list(exclude)
        known = baseline_file.read(baseline) if baseline is not None else None
        result = _scan(targets, ctx, config, enrich_settings(config, ctx, sizes), fix, unsafe)
        if write_baseline is not None:
            n = baseline_file.write(result, write_baseline)
            print(f"ddb-guard: wrote {n} fingerprints to {write_baseline}", file=sys.stderr)
            known = {f.fingerprint for f in result.active} | (known or set())
        if known is not None:
            baseline_file.apply(result, known)
        if quiet:
            result.notices = [n for n in result.notices if n.level == Level.ERROR]  # errors speak
        gate = fail_on or config.fail_on
        options = ReportOptions(
            color=_use_color(color, output), statistics=statistics, fail_on=gate
        )
        extra = {
            "sarif": sarif_output,
            "json": json_output,
            "junit": junit_output,
            "gitlab": gitlab_output,
        }
        _write_reports(result, fmt, output, extra, options)
        if not allow_empty and (empty := _empty_directories(targets, result)):
            print(
                f"ddb-guard: error: no Terraform or CloudFormation file found in "
                f"{', '.join(empty)}: nothing was checked (--allow-empty accepts this)",
                file=sys.stderr,
            )
            return EXIT_ERROR
        return exit_code(result, gate, strict)

    return guarded(body)


def _empty_directories(targets: list[Path], result: ScanResult) -> list[str]:
    """The directories among ``targets`` when the scan read no IaC file at all: a gate
    pointed at the wrong directory (or one whose files are all excluded) must not pass.
    Files named one by one (pre-commit passes them) are never "empty": a changed README.json
    is simply not IaC."""
    if result.files:
        return []
    return [str(t) for t in targets if t.is_dir()]


def _scan(
    targets: list[Path],
    ctx: ScanContext,
    config: Config,
    settings: EnrichSettings,
    fix: bool,
    unsafe: bool,
) -> ScanResult:
    """The scan's result; with ``fix``, of the code after the safe fixes (changes on stderr;
    ``unsafe``: deciding expressions replaced too)."""

    if not fix:
        return scan(targets, ctx, config, settings)
    # lazy: the fixers only with --fix
    from ddb_guard.fix.report import apply_fixes

    outcome = apply_fixes(
        lambda: scan(targets, ctx, config, settings),
        ctx.root,
        report=sys.stderr,
        unsafe=unsafe,
    )
    return outcome.after


def _write_reports(
    result: ScanResult,
    fmt: str,
    output: Path | None,
    extra: dict[str, Path | None],
    options: ReportOptions,
) -> None:
    """The ``fmt`` report to ``output``, each ``extra`` format to its path (several reports
    from one scan), and on stderr what that report does not show: notices, the summary."""

    write_output(get_reporter(fmt).render(result, options), output)
    for name, path in extra.items():
        if path is not None:
            write_output(get_reporter(name).render(result, options), path)
    if fmt in ("json", "sarif"):  # text and github show notices themselves
        for notice in result.notices:
            print(f"ddb-guard: {clean(str(notice))}", file=sys.stderr)
    to_stdout = output is None or str(output) == "-"
    if not (fmt == "text" and to_stdout):
        # the text report ends with the summary; anything else says it on stderr, so
        # a failing CI step that writes SARIF to a file is never silent

        print(f"ddb-guard: {summary_line(count(result))}", file=sys.stderr)
