"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` per finding.

``::error file=a.tf,line=3,col=1,endLine=3,endColumn=9,title=DDB001 name::message``.
Suppressed findings are omitted; notices (parse errors, skipped files) become annotations
on their file. Escaping follows the Actions toolkit (``@actions/core`` ``command.ts``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ddb_guard.enums import Level
from ddb_guard.report.safe import clean
from ddb_guard.report.summary import ordered

if TYPE_CHECKING:
    from ddb_guard.model import Finding, Notice
    from ddb_guard.report import ReportOptions
    from ddb_guard.result import ScanResult

_COMMANDS = {Level.ERROR: "error", Level.WARNING: "warning", Level.NOTE: "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message: ``%``, CR and LF."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value: as data, plus ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: Level, properties: dict[str, object], message: str) -> str:
    """One workflow command line, e.g. ``::warning file=x.tf,line=2::text``."""
    props = ",".join(f"{k}={escape_property(clean(str(v)))}" for k, v in properties.items())
    return f"::{_COMMANDS[level]} {props}::{escape_data(message)}"


def render(result: ScanResult, options: ReportOptions) -> str:
    """Workflow commands for every active finding and every notice."""
    names = {r.id: r.name for r in result.rules}
    active = ordered(f for f in result.findings if f.suppression is None)
    lines = [_finding(f, names.get(f.rule_id, "")) for f in active]
    lines += [_notice(n) for n in sorted(result.notices)]
    return "".join(line + "\n" for line in lines)


def _finding(f: Finding, name: str) -> str:
    loc = f.loc
    props: dict[str, object] = {
        "file": loc.path,
        "line": loc.line,
        "col": loc.column,
        "endLine": loc.end_line,
        "endColumn": loc.end_column,
        "title": f"{f.rule_id} {name}".rstrip(),
    }
    message = clean(f.message)  # the one line break left is ours, escaped as %0A
    for rel, what in f.related:
        message += f"\n↳ {clean(rel.path)}:{rel.line}: {clean(what)}"
    return command(f.level, props, message)


def _notice(n: Notice) -> str:
    props: dict[str, object] = {"file": n.path}
    if n.line:
        props["line"] = n.line
        if n.column:
            props["col"] = n.column
    return command(n.level, props, clean(n.message))
