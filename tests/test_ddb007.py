"""DDB007 (required tags) is inactive by default and, once configured, reports exactly the
lines its fixtures mark ``# active: fail`` / ``# active: unknown``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rule_fixtures import RULES_DIR

from ddb_guard.config import Config, ConfigError, from_mapping
from ddb_guard.context import ScanContext
from ddb_guard.pipeline import scan

FIXTURES = [RULES_DIR / "dynamodb" / "DDB007.tf", RULES_DIR / "dynamodb" / "DDB007.cfn.yaml"]
ACTIVE = {
    "rules": {
        "DDB007": {
            "required_tags": ["owner"],
            "allowed_values": {"env": ["prod", "staging", "dev"]},
        }
    }
}
_MARK = re.compile(r"^\s*#\s*active:\s*(fail|unknown)\s*$")


def _marked(path: Path) -> set[tuple[int, str]]:
    """(line, outcome) of each ``# active:`` mark: the first non-comment line below it."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out = set()
    for i, text in enumerate(lines):
        m = _MARK.match(text)
        if not m:
            continue
        j = i + 1
        while lines[j].lstrip().startswith("#"):
            j += 1
        out.add((j + 1, m.group(1)))
    return out


def _ddb007(path: Path, config: Config) -> set[tuple[int, str]]:
    result = scan([path], ScanContext(root=RULES_DIR, env={}), config)
    return {(f.loc.line, f.outcome) for f in result.findings if f.rule_id == "DDB007"}


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_inactive_by_default(path: Path) -> None:
    assert _ddb007(path, Config()) == set()


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_active_reports_the_marked_lines(path: Path) -> None:
    want = _marked(path)
    assert want, f"{path.name} marks no active outcome"
    assert _ddb007(path, from_mapping(ACTIVE, "test")) == want


def test_messages_name_the_policy() -> None:
    result = scan([FIXTURES[0]], ScanContext(root=RULES_DIR, env={}), from_mapping(ACTIVE, "t"))
    by_address = {f.address: f.message for f in result.findings if f.rule_id == "DDB007"}
    assert "required: owner" in by_address["aws_dynamodb_table.ddb007_unowned"]
    assert "allowed: " in by_address["aws_dynamodb_table.ddb007_bad_env"]


def test_config_checks_parameter_types() -> None:
    bad = {"rules": {"DDB007": {"required_tags": "owner"}}}
    from_mapping(bad, "t")  # a single string is a list of one
    with pytest.raises(ConfigError, match="allowed_values"):
        scan(
            [FIXTURES[0]],
            ScanContext(root=RULES_DIR, env={}),
            from_mapping({"rules": {"DDB007": {"allowed_values": ["prod"]}}}, "t"),
        )
