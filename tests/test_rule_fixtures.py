"""Every rule fixture produces exactly the findings its annotations announce.

semgrep ``--test`` semantics: each finding of the fixture's rule must be annotated
(``# ruleid:`` for a failing finding, ``# unknown:`` for an unknown-outcome note, on the
line above the finding's primary location), each annotation must be matched, and no
finding of the rule may land on a line marked ``# ok:``. Suppressed findings are not
reported, so they count as absent. Other rules' findings in the same fixture are ignored.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rule_fixtures import (
    RULES_DIR,
    Expected,
    expectations,
    fixture_config_path,
    fixtures,
    rule_id_of,
)

from ddb_guard.config import Config
from ddb_guard.context import ScanContext
from ddb_guard.engine.loader import load_rules

FIXTURES = fixtures()
LEVELS = {r.id: r.severity for r in load_rules(RULES_DIR)}


def _scan(fixture: Path):
    from ddb_guard.config import load_config
    from ddb_guard.pipeline import scan

    config_path = fixture_config_path(fixture)
    config = load_config(config_path, RULES_DIR) if config_path else Config()
    return scan([fixture], ScanContext(root=RULES_DIR, env={}), config)


def _show(items, messages: dict | None = None) -> str:
    lines = []
    for e in sorted(items):
        text = f"  {e.path}:{e.line} {e.outcome}" + (f" ({e.level})" if e.level else "")
        if messages and (e.path, e.line, e.outcome) in messages:
            text += f": {messages[(e.path, e.line, e.outcome)]}"
        lines.append(text)
    return "\n".join(lines) or "  (none)"


@pytest.mark.parametrize(
    "fixture", FIXTURES, ids=[f.relative_to(RULES_DIR).as_posix() for f in FIXTURES]
)
def test_fixture(fixture: Path) -> None:
    rule_id = rule_id_of(fixture)
    assert rule_id in LEVELS, f"{fixture.name}: no rule file {rule_id}.yaml in {RULES_DIR}"
    want = expectations(fixture, LEVELS[rule_id])
    assert want.findings or want.ok, f"{fixture}: no annotations for {rule_id}"

    result = _scan(fixture)
    # a fixture must parse, except where unreadable input is the point (PARSE001)
    parse_errors = [] if rule_id == "PARSE001" else [str(n) for n in result.parse_errors]
    mine = [f for f in result.findings if f.rule_id == rule_id and f.suppression is None]
    got = {Expected(f.loc.path, f.loc.line, f.outcome, f.level) for f in mine}
    messages = {(f.loc.path, f.loc.line, f.outcome): f"[{f.address}] {f.message}" for f in mine}

    # compare level only where the expectation names one
    def key(e: Expected) -> tuple:
        return (e.path, e.line, e.outcome)

    want_keys = {key(e) for e in want.findings}
    got_keys = {key(e) for e in got}
    missing = {e for e in want.findings if key(e) not in got_keys}
    unexpected = {e for e in got if key(e) not in want_keys}
    wrong_level = {
        (e, g.level)
        for e in want.findings
        for g in got
        if key(e) == key(g) and e.level is not None and e.level != g.level
    }
    on_ok = {e for e in got if (e.path, e.line) in want.ok}

    if missing or unexpected or wrong_level or on_ok or parse_errors:
        report = [f"{fixture.relative_to(RULES_DIR)} ({rule_id}) does not match its annotations"]
        if parse_errors:
            report.append("parse errors:\n  " + "\n  ".join(parse_errors))
        if missing:
            report.append("expected but not reported:\n" + _show(missing))
        if unexpected:
            report.append("reported but not annotated:\n" + _show(unexpected, messages))
        if on_ok:
            report.append("reported on an `ok:` line:\n" + _show(on_ok, messages))
        for e, level in sorted(wrong_level):
            report.append(f"level at {e.path}:{e.line}: expected {e.level}, got {level}")
        report.append("all findings of the rule:\n" + _show(got, messages))
        other = [n for n in result.notices if n.kind != "parse-error"]
        if other:
            report.append("notices:\n  " + "\n  ".join(str(n) for n in other))
        pytest.fail("\n".join(report), pytrace=False)
