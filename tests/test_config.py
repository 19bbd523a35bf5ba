"""Configuration loading and validation: unknown keys and bad values name file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from ddb_guard.config import Config, from_mapping, load_config
from ddb_guard.engine.loader import load_rules
from ddb_guard.errors import ConfigError


def test_pyproject_table_found_upwards(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text('[tool.ddb-guard]\nfail-on = "error"\n')
    sub = tmp_path / "infra" / "prod"
    sub.mkdir(parents=True)
    assert load_config(None, sub).fail_on == "error"


def test_dot_file_wins_over_pyproject(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text('[tool.ddb-guard]\nfail-on = "error"\n')
    (tmp_path / ".ddb-guard.toml").write_text('fail-on = "note"\n')
    assert load_config(None, tmp_path).fail_on == "note"


def test_pyproject_without_table_is_ignored(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert load_config(None, tmp_path) == Config()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"fail_on": "error"}, "x.toml: fail_on: unknown key"),
        ({"fail-on": "sometimes"}, "x.toml: fail-on: must be one of"),
        ({"serverless-stage": ""}, "x.toml: serverless-stage: must be a stage name"),
        ({"select": [1]}, "x.toml: select: must be a list of strings"),
        ({"pricing": {"us-east-1": {"backup": 0.1}}}, "pricing.us-east-1.backup: unknown price"),
        ({"pricing": {"us-east-1": {"pitr": -1}}}, "must be a finite non-negative number"),
        ({"tables": {"orders": {"size": 5}}}, "tables.orders: only 'size_gb'"),
    ],
)
def test_bad_config_is_a_clear_error(data, message):
    with pytest.raises(ConfigError, match=message.replace(".", r"\.").replace("(", r"\(")):
        from_mapping(data, "x.toml")


def test_invalid_toml_names_file(tmp_path: Path):
    bad = tmp_path / ".ddb-guard.toml"
    bad.write_text("fail-on = \n")
    with pytest.raises(ConfigError, match=r"\.ddb-guard\.toml: invalid TOML"):
        load_config(None, tmp_path)


def test_rule_overrides_and_selection():
    cfg = from_mapping(
        {
            "select": ["DDB"],
            "ignore": ["DDB004"],
            "rules": {"DDB002": {"level": "note", "min_days": 14}},
        },
        "x.toml",
    )
    rules = {r.id: r for r in cfg.apply(load_rules())}
    assert "DDB004" not in rules and all(r.startswith("DDB") for r in rules)
    assert rules["DDB002"].level == "note"
    assert rules["DDB002"].param_values["min_days"] == 14
    # the shipped defaults are untouched for the next load
    assert {r.id: r for r in load_rules()}["DDB002"].param_values["min_days"] == 35


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ({"DDB999": {"level": "note"}}, "rules.DDB999: no such rule"),
        ({"DDB002": {"min_dayz": 3}}, "rules.DDB002: unknown key 'min_dayz'"),
        ({"DDB002": {"min_days": "many"}}, "rules.DDB002.min_days: must be a number"),
        ({"DDB001": {"level": "fatal"}}, "rules.DDB001.level: must be one of"),
        (
            {"BKP001": {"max_days": 14}},
            "rules.BKP001.max_days: this parameter was replaced by max_copies",
        ),
    ],
)
def test_bad_rule_settings(rules, message):
    with pytest.raises(ConfigError, match=message.replace(".", r"\.")):
        from_mapping({"rules": rules}, "x.toml").apply(load_rules())


def test_bkp001_counts_copies_with_max_copies():
    cfg = from_mapping({"rules": {"BKP001": {"max_copies": 14}}}, "x.toml")
    rules = {r.id: r for r in cfg.apply(load_rules())}
    assert rules["BKP001"].param_values["max_copies"] == 14
    assert {r.id: r for r in load_rules()}["BKP001"].param_values["max_copies"] == 7


def test_select_pattern_matching_nothing_is_an_error():
    with pytest.raises(ConfigError, match="no rule matches 'XYZ'"):
        from_mapping({"select": ["XYZ"]}, "x.toml").apply(load_rules())


def test_exclude_globs():
    cfg = from_mapping({"exclude": ["legacy/**", "*.generated.yaml"]}, "x.toml")
    assert cfg.excluded("legacy/a/main.tf")
    assert cfg.excluded("stack.generated.yaml")
    assert not cfg.excluded("live/main.tf")
