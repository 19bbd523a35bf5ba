"""`ddb-guard fix`: apply the safe fixes in place (or print them as a diff with --diff) and
say what was changed and what was not, and why."""

from __future__ import annotations

import sys
from pathlib import Path

from ddb_guard.commands.common import EXIT_ERROR, guarded, prepare_cli, select_rules
from ddb_guard.commands.scan import exit_code
from ddb_guard.fix.report import apply_fixes
from ddb_guard.pipeline import scan
from ddb_guard.report.summary import count, summary_line


def run(
    paths: tuple[Path, ...],
    config_file: Path | None,
    tf_vars: tuple[str, ...],
    tf_var_files: tuple[Path, ...],
    region: str | None,
    select: tuple[str, ...],
    ignore_rules: tuple[str, ...],
    diff: bool,
    unsafe: bool = False,
    stage: str | None = None,
    **sizes,
) -> int:
    def body() -> int:

        targets, ctx, config = prepare_cli(
            paths, config_file, tf_vars, tf_var_files, region, stage, sizes
        )
        select_rules(config, select, ignore_rules)

        outcome = apply_fixes(lambda: scan(targets, ctx, config), ctx.root, diff, unsafe=unsafe)
        if outcome.before.internal_errors:
            return EXIT_ERROR
        print(
            f"ddb-guard: after fixing: {summary_line(count(outcome.after))}",
            file=sys.stderr,
        )
        return exit_code(outcome.after, config.fail_on, strict=False)

    return guarded(body)
