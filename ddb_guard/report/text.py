"""Human-readable output.

Plain (default): one ``path:line:col: DDB001 [level] message`` line per active finding,
related locations indented beneath, then ``path:line: notice [level]: message`` lines, optional
per-rule statistics and a summary line. With ``options.color`` findings are grouped under a
header per file and coloured. Suppressed findings are only counted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ddb_guard.enums import Level
from ddb_guard.report.safe import clean, clean_path
from ddb_guard.report.summary import count, ordered, rule_counts, summary_line

if TYPE_CHECKING:
    from ddb_guard.model import Finding, Location, Notice
    from ddb_guard.report import ReportOptions
    from ddb_guard.result import ScanResult

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_COLORS = {Level.ERROR: "\x1b[31m", Level.WARNING: "\x1b[33m", Level.NOTE: "\x1b[36m"}


class _Style:
    """ANSI styling that collapses to plain text when colour is off."""

    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, text: str, *codes: str) -> str:
        if not self.color or not codes:
            return text
        return "".join(codes) + text + _RESET

    def level(self, level: Level) -> str:
        return self(f"[{level}]", _COLORS[level])


def render(result: ScanResult, options: ReportOptions) -> str:
    """The text report (ends with a newline)."""
    style = _Style(options.color)
    findings = ordered(f for f in result.findings if f.suppression is None)
    notices = sorted(result.notices)
    if options.color:
        lines = _grouped(findings, notices, style)
    else:
        lines = [
            ln for f in findings for ln in _finding_lines(f, clean_path(str(f.loc)), "  ", style)
        ]
        for n in notices:
            prefix = clean_path(n.path) + (f":{n.line}: " if n.line else ": ")
            lines.append(_notice_line(n, prefix, style))
    if lines:
        lines.append("")
    if options.statistics:
        stats = _statistics(result, style)
        if stats:
            lines += [*stats, ""]
    lines.append(style(summary_line(count(result)), _BOLD))
    return "\n".join(lines) + "\n"


def _finding_lines(f: Finding, where: str, indent: str, style: _Style) -> list[str]:
    head = f"{where}: {style(f.rule_id, _BOLD)} {style.level(f.level)} {clean(f.message)}"
    return [head] + [
        f"{indent}↳ {style(_short(loc), _DIM)}: {clean(what)}" for loc, what in f.related
    ]


def _notice_line(n: Notice, prefix: str, style: _Style) -> str:
    # with its level, as --format github gives it (::error / ::warning / ::notice)
    notice = style("notice", _COLORS[n.level])
    return f"{prefix}{notice} {style.level(n.level)}: {clean(n.message)}"


def _short(loc: Location) -> str:
    return f"{clean(loc.path)}:{loc.line}"


def _grouped(findings: list[Finding], notices: list[Notice], style: _Style) -> list[str]:
    by_file: dict[str, list[str]] = {}
    for f in findings:
        where = f"  {f.loc.line}:{f.loc.column}"
        by_file.setdefault(f.loc.path, []).extend(_finding_lines(f, where, "      ", style))
    for n in notices:
        prefix = f"  {n.line}: " if n.line else "  "
        by_file.setdefault(n.path, []).append(_notice_line(n, prefix, style))
    lines: list[str] = []
    for path in sorted(by_file):
        if lines:
            lines.append("")
        lines.append(style(clean_path(path), _BOLD, "\x1b[4m"))
        lines += by_file[path]
    return lines


def _statistics(result: ScanResult, style: _Style) -> list[str]:
    """A ``ruff --statistics`` style table: count, rule id, rule name."""
    rows = rule_counts(result)
    if not rows:
        return []
    names = {r.id: r.name for r in result.rules}
    width_n = max(len(str(n)) for n, _ in rows)
    width_id = max(len(rid) for _, rid in rows)
    return [
        f"{n:>{width_n}}  {style(rid.ljust(width_id), _BOLD)}  {clean(names.get(rid, ''))}".rstrip()
        for n, rid in rows
    ]
