"""Run the fixes and say what was changed and what was not (shared by `fix` and
`scan --fix`)."""

from __future__ import annotations

import sys
from pathlib import Path

from ddb_guard.fix.run import fix, unified_diff, write
from ddb_guard.report.safe import clean


def apply_fixes(scan, root: Path, diff: bool = False, report=None, unsafe: bool = False):
    """Plan, verify and (unless ``diff``) write the fixes; print what was fixed and what
    was not (to ``report``; standard output, or standard error with ``diff``, whose
    standard output is the diff); ``unsafe`` also replaces deciding expressions.
    Returns the :class:`~ddb_guard.fix.run.Outcome`."""

    outcome = fix(scan, root, unsafe=unsafe)
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
    shown = [e for e in outcome.applied if e.what]  # not the re-alignments of neighbours
    for e in shown:
        print(clean(f"{e.path}:{e.line}: {e.rule}: {verb}: {e.what}"), file=report)
    for n in outcome.not_fixed:
        print(clean(f"{n.path}:{n.line}: {n.rule}: {n.address}: {n.reason}"), file=report)
    print(
        f"ddb-guard: {len(shown)} fix(es) in {len(outcome.texts)} file(s)"
        f"{' (not written: --diff)' if diff else ''}; {len(outcome.not_fixed)} not fixed",
        file=sys.stderr,
    )
    return outcome
