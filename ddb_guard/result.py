"""The outcome of one scan, as every reporter receives it."""

from __future__ import annotations

from dataclasses import dataclass, field

from ddb_guard.engine.rule import Rule
from ddb_guard.enums import NoticeKind
from ddb_guard.model import Finding, Model, Notice


@dataclass(slots=True)
class ScanResult:
    """Findings (sorted, fingerprinted), notices, the rules that were run, the model.

    ``findings`` includes suppressed findings (``finding.suppression`` set); reporters show
    them as suppressed (SARIF ``suppressions``) and they never count toward the exit code.
    ``rules`` is every enabled rule, sorted by id; SARIF ``ruleIndex`` indexes this list.
    ``parse_failures`` are the parse-error notices at level error that PARSE001 reports as
    findings (so they are not in ``notices``, which reporters show).
    """

    findings: list[Finding] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    model: Model = field(default_factory=Model)
    files: list[str] = field(default_factory=list)
    parse_failures: list[Notice] = field(default_factory=list)  # reported as PARSE001
    baselined: int = 0  # active findings dropped because --baseline lists them

    @property
    def active(self) -> list[Finding]:
        return [f for f in self.findings if f.suppression is None]

    @property
    def internal_errors(self) -> list[Notice]:
        """Bugs contained to one file or entity: the run exits 2."""
        return [n for n in self.notices if n.kind == NoticeKind.INTERNAL_ERROR]

    @property
    def parse_errors(self) -> list[Notice]:
        """Every parse problem: the notices, and those reported as PARSE001 findings."""
        return [n for n in self.notices if n.kind == NoticeKind.PARSE_ERROR] + self.parse_failures
