"""`ddb-guard fix`: apply the safe fixes in place (or print them as a diff with --diff) and
say what was changed and what was not, and why."""

from __future__ import annotations

import sys
from pathlib import Path

from ddb_guard.commands.common import EXIT_ERROR, guarded, prepare
from ddb_guard.commands.scan import _split, exit_code


def run(
    paths: tuple[Path, ...],
    config_file: Path | None,
    tf_vars: tuple[str, ...],
    tf_var_files: tuple[Path, ...],
    region: str | None,
    select: tuple[str, ...],
    ignore_rules: tuple[str, ...],
    diff: bool,
    stage: str | None = None,
    **sizes,
) -> int:
    def body() -> int:
        from ddb_guard.pipeline import scan
        from ddb_guard.report.summary import count, summary_line

        targets, ctx, config = prepare(
            paths,
            config_file,
            tf_vars,
            tf_var_files,
            region,
            follow_symlinks=sizes.pop("follow_symlinks", False),
            stage=stage,
            root=sizes.pop("root", None),
            tf_order=sizes.pop("tf_order", None),
            sizes=sizes,
        )
        if select:
            config.select = _split(select)
        if ignore_rules:
            config.ignore = [*config.ignore, *_split(ignore_rules)]
        outcome = apply_fixes(lambda: scan(targets, ctx, config), ctx.root, diff)
        if outcome.before.internal_errors:
            return EXIT_ERROR
        print(
            f"ddb-guard: after fixing: {summary_line(count(outcome.after))}",
            file=sys.stderr,
        )
        return exit_code(outcome.after, config.fail_on, strict=False)

    return guarded(body)


def apply_fixes(scan, root: Path, diff: bool = False, report=None):
    """Plan, verify and (unless ``diff``) write the fixes; print what was fixed and what
    was not (to ``report``; standard output, or standard error with ``diff``, whose
    standard output is the diff). Returns the :class:`~ddb_guard.fix.run.Outcome`."""
    from ddb_guard.fix.run import fix, unified_diff, write
    from ddb_guard.report.safe import clean

    outcome = fix(scan, root)
    if outcome.before.internal_errors:
        for n in outcome.before.internal_errors:
            print(f"ddb-guard: {clean(str(n))}", file=sys.stderr)
        return outcome
    if report is None:
        report = sys.stderr if diff else sys.stdout
    if diff:
        sys.stdout.write(unified_diff(outcome))
    else:
        write(outcome, root)
    verb = "would fix" if diff else "fixed"
    for e in outcome.applied:
        print(clean(f"{e.path}:{e.line}: {e.rule}: {verb}: {e.what}"), file=report)
    for n in outcome.not_fixed:
        print(clean(f"{n.path}:{n.line}: {n.rule}: {n.address}: {n.reason}"), file=report)
    print(
        f"ddb-guard: {len(outcome.applied)} fix(es) in {len(outcome.texts)} file(s)"
        f"{' (not written: --diff)' if diff else ''}; {len(outcome.not_fixed)} not fixed",
        file=sys.stderr,
    )
    return outcome
