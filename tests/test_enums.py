"""The string enums of ddb_guard.enums: each member is its plain string in every output
(``str()``, f-strings, ``%``, JSON), on Python 3.10 (the compat class) as on 3.11+, and
unknown values are refused where they enter."""

from __future__ import annotations

import json

import pytest

from ddb_guard import enums
from ddb_guard.enums import (
    FAIL_ON,
    AdvancedBackup,
    CompatStrEnum,
    Frequency,
    Kind,
    Level,
    NoticeKind,
    Outcome,
    PriceSource,
    Source,
)
from ddb_guard.errors import ConfigError, RuleError
from ddb_guard.model import KINDS, Finding, Location, Notice

ALL = (Level, Outcome, Kind, Source, NoticeKind, AdvancedBackup, Frequency, PriceSource)


class _Compat(CompatStrEnum):
    ERROR = "error"
    ASSUMED_ON = "assumed on"


def _members():
    yield from _Compat
    for enum_class in ALL:
        yield from enum_class


@pytest.mark.parametrize("member", list(_members()), ids=repr)
def test_a_member_renders_as_its_plain_value(member) -> None:
    value = member.value
    assert type(value) is str
    assert member == value and hash(member) == hash(value)
    assert str(member) == value and type(str(member)) is str
    assert f"{member}" == value and f"[{member:>12}]" == f"[{value:>12}]"
    assert "%s" % member == value  # noqa: UP031 - the %-format is what is tested
    assert json.dumps(member) == json.dumps(value)
    assert json.dumps({member: [member]}) == json.dumps({value: [value]})
    assert ", ".join([member, member]) == f"{value}, {value}"
    assert {value: 1}[member] == 1 and {member: 1}[value] == 1


def test_the_compat_class_is_used_only_before_python_3_11() -> None:
    import sys

    assert (enums.StrEnum is CompatStrEnum) == (sys.version_info < (3, 11))


def test_unknown_values_are_refused() -> None:
    with pytest.raises(ValueError):
        Level("fatal")
    with pytest.raises(ValueError):
        Notice("a.tf", "m", level="fatal")
    with pytest.raises(ValueError):
        Notice("a.tf", "m", kind="parse_error")  # the notice kind is parse-error
    loc = Location("a.tf")
    with pytest.raises(ValueError):
        Finding("DDB001", "fatal", "m", loc, "t", "table", "fail")


def test_notices_and_findings_hold_members() -> None:
    n = Notice("a.tf", "m", level="error", kind="parse-error")
    assert n.level is Level.ERROR and n.kind is NoticeKind.PARSE_ERROR
    assert Notice("a.tf", "m").level is Level.WARNING
    f = Finding("DDB001", "note", "m", Location("a.tf"), "t", "table", "unknown")
    assert (f.level, f.kind, f.outcome) == (Level.NOTE, Kind.TABLE, Outcome.UNKNOWN)


def test_vocabularies() -> None:
    assert Kind.SUPPRESSION not in KINDS and len(KINDS) == len(Kind) - 1
    assert FAIL_ON == ("error", "warning", "note", "never")
    assert all(type(v) is str for v in FAIL_ON)  # click.Choice matches Enum members by name
    assert [level.rank for level in Level] == [0, 1, 2]
    assert PriceSource.weakest([]) is PriceSource.EXACT
    assert PriceSource.weakest(["exact", "derived"]) is PriceSource.DERIVED
    assert PriceSource.weakest(["derived", "configured", "exact"]) is PriceSource.CONFIGURED
    assert {f for f in Frequency if f.daily_or_more} == {"hourly", "sub-daily", "daily"}


def test_a_rule_file_with_an_unknown_level_is_a_clear_error() -> None:
    from ddb_guard.engine.loader import parse_rule

    data = {
        "id": "DDB999",
        "name": "x",
        "severity": "fatal",
        "short": "x",
        "condition": {"kind": "table", "fail": "`true`"},
        "message": "x",
        "docs": {},
    }
    with pytest.raises(RuleError, match="severity must be one of error, warning, note"):
        parse_rule(data, "DDB999.yaml")
    rule = parse_rule({**data, "severity": "warning"}, "DDB999.yaml")
    assert rule.severity is Level.WARNING and rule.level is Level.WARNING
    assert rule.on is Kind.TABLE


def test_a_config_level_override_is_a_member() -> None:
    from ddb_guard.config import from_mapping
    from ddb_guard.engine.loader import load_rules

    cfg = from_mapping({"rules": {"DDB001": {"level": "note"}}}, "test")
    rules = {r.id: r for r in cfg.apply(load_rules())}
    assert rules["DDB001"].level is Level.NOTE and rules["DDB001"].severity is Level.ERROR
    cfg = from_mapping({"rules": {"DDB001": {"level": "fatal"}}}, "test")
    with pytest.raises(ConfigError, match="level: must be one of error, warning, note"):
        cfg.apply(load_rules())


def test_enrichment_produces_members() -> None:
    from ddb_guard.enrich.pricing import Price, RegionPrices
    from ddb_guard.enrich.schedule import analyze, no_schedule_info

    assert analyze("cron(0 5 * * ? *)").frequency is Frequency.DAILY
    assert analyze("cron(0 * * * ? *)").frequency is Frequency.HOURLY
    assert analyze("cron(0 5 ? * SUN *)").frequency is Frequency.WEEKLY
    assert analyze("cron(not a schedule)").frequency is Frequency.INVALID
    assert no_schedule_info()["frequency"] is Frequency.ON_DEMAND
    exact, derived = Price(1.0, "list"), Price(0.5, "ratio", derived=True)
    configured = Price(2.0, "config", configured=True)
    assert (exact.kind, derived.kind, configured.kind) == (
        PriceSource.EXACT,
        PriceSource.DERIVED,
        PriceSource.CONFIGURED,
    )
    prices = RegionPrices("r", "USD", {"pitr": exact, "backup_cold": derived})
    assert prices.provenance(["pitr"]).kind is PriceSource.EXACT
    assert prices.provenance(["pitr", "backup_cold"]).kind is PriceSource.DERIVED
    from ddb_guard.enrich.backup_rules import _advanced

    assert _advanced([], "eu-west-1") is AdvancedBackup.ASSUMED_ON


def test_the_rule_schema_names_the_same_levels_and_kinds() -> None:
    """rule.schema.json (validate-rules) and the loader accept the same vocabulary."""
    from ddb_guard.engine.validate import schema as rule_schema

    schema = rule_schema()
    assert schema["properties"]["severity"]["enum"] == [level.value for level in Level]
    kinds = schema["properties"]["condition"]["properties"]["kind"]["enum"]
    assert kinds == [kind.value for kind in Kind]


def _literal_uses() -> list[str]:
    """``x.level == "error"``, ``n.kind != "parse-error"``, ``level="note"``, ... in
    ddb_guard: a vocabulary value written as a bare string where a member belongs."""
    import ast
    from pathlib import Path

    vocab = {
        "level": {v.value for v in Level},
        "outcome": {v.value for v in Outcome},
        "kind": {v.value for v in (*Kind, *NoticeKind)},
        "source": {v.value for v in Source},
        "frequency": {v.value for v in Frequency},
        "advanced": {v.value for v in AdvancedBackup},
        "advanced_backup": {v.value for v in AdvancedBackup},
        "mode": {v.value for v in AdvancedBackup},
    }

    def strings(node: ast.AST) -> set[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return {node.value}
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            return {s for elt in node.elts for s in strings(elt)}
        return set()

    def name(node: ast.AST) -> str | None:
        if isinstance(node, ast.Attribute):
            return node.attr
        if isinstance(node, ast.Name):
            return node.id
        if isinstance(node, ast.Subscript):  # retained["advanced_backup"]
            return next(iter(strings(node.slice)), None)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            return next(iter(strings(node.args[0])), None) if node.args else None  # .get("x")
        return None

    package = Path(__file__).resolve().parent.parent / "ddb_guard"
    found = []
    for path in sorted(package.rglob("*.py")):
        if path.name == "enums.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            pairs: list[tuple[str | None, ast.AST]] = []
            if isinstance(node, ast.Compare):
                operands = [node.left, *node.comparators]
                pairs = [(name(a), b) for a in operands for b in operands if a is not b]
            elif isinstance(node, ast.keyword):
                pairs = [(node.arg, node.value)]
            for field, value in pairs:
                bad = strings(value) & vocab.get(field or "", set())
                if bad:
                    where = f"{path.relative_to(package.parent)}:{node.lineno}"  # type: ignore[attr-defined]
                    found.append(f"{where}: {field} vs {sorted(bad)}")
    return found


def test_no_vocabulary_literal_is_compared_or_produced() -> None:
    assert _literal_uses() == []
