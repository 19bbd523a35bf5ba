"""The outcome of one scan, as every reporter receives it."""

from __future__ import annotations

from dataclasses import dataclass, field

from ddb_guard.engine.rule import Rule
from ddb_guard.model import Finding, Model, Notice


@dataclass(slots=True)
class ScanResult:
    """Findings (sorted, fingerprinted), notices, the rules that were run, the model.

    ``findings`` includes suppressed findings (``finding.suppression`` set); reporters show
    them as suppressed (SARIF ``suppressions``) and they never count toward the exit code.
    ``rules`` is every enabled rule, sorted by id; SARIF ``ruleIndex`` indexes this list.
    """

    findings: list[Finding] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    model: Model = field(default_factory=Model)
    files: list[str] = field(default_factory=list)

    @property
    def active(self) -> list[Finding]:
        return [f for f in self.findings if f.suppression is None]

    @property
    def parse_errors(self) -> list[Notice]:
        return [n for n in self.notices if n.kind == "parse-error"]
