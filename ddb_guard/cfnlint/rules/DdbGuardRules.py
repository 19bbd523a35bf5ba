"""ddb-guard's rules as cfn-lint custom rules, one adapter per level (see
:mod:`ddb_guard.cfnlint`). Loaded by ``cfn-lint --append-rules DIR``."""

from __future__ import annotations

from ddb_guard.enums import Level

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from ddb_guard.cfnlint import findings_for


class _DdbGuard(CloudFormationLintRule):
    ddb_level = Level.ERROR
    source_url = "https://github.com/ddb-guard/ddb-guard"
    tags = ["ddb-guard", "dynamodb", "backup"]

    def match(self, cfn):  # noqa: ANN001, ANN201 - cfn-lint's signature
        return [
            RuleMatch(["Resources"], message, location=span)
            for level, message, span in findings_for(str(cfn.filename))
            if level == self.ddb_level
        ]


class DdbGuardError(_DdbGuard):
    id = "E9100"
    shortdesc = "ddb-guard error"
    description = "A ddb-guard finding at level error (the ddb-guard rule id leads the message)"
    ddb_level = Level.ERROR


class DdbGuardWarning(_DdbGuard):
    id = "W9100"
    shortdesc = "ddb-guard warning"
    description = "A ddb-guard finding at level warning"
    ddb_level = Level.WARNING


class DdbGuardNote(_DdbGuard):
    id = "I9100"
    shortdesc = "ddb-guard note"
    description = "A ddb-guard finding at level note (the outcome depends on an input)"
    ddb_level = Level.NOTE
