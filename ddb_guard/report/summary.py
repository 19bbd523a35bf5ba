"""Counts and wording shared by the reporters (summary line, statistics, fail-on)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ddb_guard.enums import FAIL_ON, NEVER, Level, NoticeKind

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ddb_guard.model import Finding
    from ddb_guard.result import ScanResult


@dataclass(frozen=True, slots=True)
class Counts:
    """Active findings by level, plus suppressed findings, files and notice counts."""

    error: int = 0
    warning: int = 0
    note: int = 0
    suppressed: int = 0
    files: int = 0
    parse_errors: int = 0  # distinct files that could not be parsed
    skipped: int = 0  # distinct files that were skipped
    baselined: int = 0  # findings not reported because the --baseline file lists them

    @property
    def active(self) -> int:
        return self.error + self.warning + self.note


def count(result: ScanResult) -> Counts:
    """Count the findings and notices of ``result``."""
    levels = Counter(f.level for f in result.findings if f.suppression is None)
    suppressed = sum(1 for f in result.findings if f.suppression is not None)
    broken = {n.path for n in result.parse_errors}
    skipped = {n.path for n in result.notices if n.kind == NoticeKind.SKIPPED}
    return Counts(
        error=levels[Level.ERROR],
        warning=levels[Level.WARNING],
        note=levels[Level.NOTE],
        suppressed=suppressed,
        files=len(result.files),
        parse_errors=len(broken),
        skipped=len(skipped),
        baselined=result.baselined,
    )


def ordered(findings: Iterable[Finding]) -> list[Finding]:
    """Findings in report order: path, line, column, rule, address (then message, fingerprint)."""
    return sorted(findings, key=lambda f: (*f.sort_key(), f.message, f.fingerprint))


def plural(n: int, word: str) -> str:
    """``1 error``, ``2 errors``."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def summary_line(c: Counts) -> str:
    """``Found 3 errors, 1 note in 5 files (2 suppressed, 4 baselined). 1 file could not be
    parsed.``"""
    files = plural(c.files, "file")
    held = [f"{c.suppressed} suppressed"] if c.suppressed else []
    if c.baselined:
        held.append(f"{c.baselined} baselined")
    suppressed = f" ({', '.join(held)})" if held else ""
    if c.active:
        by_level = ((c.error, Level.ERROR), (c.warning, Level.WARNING), (c.note, Level.NOTE))
        parts = [plural(n, word) for n, word in by_level if n]
        line = f"Found {', '.join(parts)} in {files}{suppressed}."
    else:
        line = f"No problems found in {files}{suppressed}."
    if c.parse_errors:
        line += f" {plural(c.parse_errors, 'file')} could not be parsed."
    if c.skipped:
        line += f" {plural(c.skipped, 'file')} skipped."
    return line


def rule_counts(result: ScanResult) -> list[tuple[int, str]]:
    """``(count, rule_id)`` of active findings, most frequent first, then by id."""
    counts = Counter(f.rule_id for f in result.findings if f.suppression is None)
    return sorted(((n, rid) for rid, n in counts.items()), key=lambda t: (-t[0], t[1]))


def failing(result: ScanResult, fail_on: str) -> list[Finding]:
    """Active findings at or above ``fail_on`` (error|warning|note; never -> none)."""
    if fail_on not in FAIL_ON:
        raise ValueError(f"fail_on must be one of {', '.join(FAIL_ON)}, not {fail_on!r}")
    if fail_on == NEVER:
        return []
    limit = Level(fail_on).rank
    return [f for f in result.findings if f.suppression is None and f.level.rank <= limit]
