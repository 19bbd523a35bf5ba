"""DDB007 (required tags) is inactive by default: its fixtures, which report the annotated
findings under DDB007.config.toml (tests/test_rule_fixtures.py), report nothing without it."""

from __future__ import annotations

from pathlib import Path

import pytest
from rule_fixtures import RULES_DIR, fixtures, rule_id_of

from ddb_guard.config import Config, ConfigError, from_mapping
from ddb_guard.context import ScanContext
from ddb_guard.engine.loader import load_rules
from ddb_guard.pipeline import scan

FIXTURES = [f for f in fixtures() if rule_id_of(f) == "DDB007"]
ACTIVE = {
    "rules": {
        "DDB007": {"required_tags": ["owner"], "allowed_values": {"env": ["prod", "staging"]}}
    }
}


def _ddb007(path: Path, config: Config) -> list:
    result = scan([path], ScanContext(root=RULES_DIR, env={}), config)
    return [f for f in result.findings if f.rule_id == "DDB007"]


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_inactive_by_default(path: Path) -> None:
    assert _ddb007(path, Config()) == []


def test_pyproject_table_activates_it() -> None:
    found = _ddb007(RULES_DIR / "dynamodb" / "DDB007.tf", from_mapping(ACTIVE, "pyproject.toml"))
    by_address = {f.address: f.message for f in found}
    assert "required: owner" in by_address["aws_dynamodb_table.ddb007_unowned"]
    assert "allowed: " in by_address["aws_dynamodb_table.ddb007_bad_env"]
    assert "aws_dynamodb_table.ddb007_owned" not in by_address


def test_allowed_values_alone_does_not_require_the_tag() -> None:
    only_env = {"rules": {"DDB007": {"allowed_values": {"env": ["prod", "staging", "dev"]}}}}
    found = _ddb007(RULES_DIR / "dynamodb" / "DDB007.tf", from_mapping(only_env, "t"))
    assert {f.address for f in found if f.outcome == "fail"} == {
        "aws_dynamodb_table.ddb007_bad_env"
    }


def test_config_checks_parameter_types() -> None:
    bad = {"rules": {"DDB007": {"allowed_values": ["prod"]}}}
    with pytest.raises(ConfigError, match="allowed_values"):
        from_mapping(bad, "t").apply(load_rules())
