"""Three-valued rule evaluation over hand-built entities."""

from __future__ import annotations

import pytest

from ddb_guard.engine.evaluate import check, entity_data, evaluate, root_paths
from ddb_guard.engine.rule import Param, Rule
from ddb_guard.model import Entity, Location, Value

HDR = Location("main.tf", 3, 1, 3, 40)
ATTR = Location("main.tf", 6, 5, 6, 20)


def table(**attrs) -> Entity:
    return Entity(
        kind="table",
        address="aws_dynamodb_table.t",
        resource_type="aws_dynamodb_table",
        source="terraform",
        loc=HDR,
        attrs=attrs,
    )


def rule(fail, messages=None, params=None, **kw) -> Rule:
    return Rule(
        id="DDB001",
        name="x",
        severity="error",
        short="Table without PITR",
        on="table",
        fail=fail,
        messages=messages or [(None, "Table {address} bad")],
        docs={},
        path="x.yaml",
        params={k: Param(k, v) for k, v in (params or {}).items()},
        **kw,
    )


def test_root_paths_skip_projection_context():
    assert root_paths("pitr_enabled != `true`") == (("pitr_enabled",),)
    assert root_paths("a.b > params.x && c") == (("a", "b"), ("params", "x"), ("c",))
    assert root_paths("tags[?k == 'x'] && length(items[*].v) > `0`") == (("tags",), ("items",))


def test_fail_at_attribute_location():
    f = check(rule("pitr_enabled != `true`"), table(pitr_enabled=Value.of(False, ATTR)))
    assert f.outcome == "fail" and f.level == "error" and f.loc == ATTR
    assert f.message == "Table aws_dynamodb_table.t bad"


def test_absent_attribute_located_at_header():
    f = check(rule("pitr_enabled != `true`"), table(pitr_enabled=Value.absent(False)))
    assert f.outcome == "fail" and f.loc == HDR


def test_pass():
    assert check(rule("pitr_enabled != `true`"), table(pitr_enabled=Value.of(True, ATTR))) is None


def test_unknown_is_note_naming_reason():
    v = Value.unknown_because("depends on var.pitr, which has no default", ATTR)
    f = check(rule("pitr_enabled != `true`"), table(pitr_enabled=v))
    assert f.outcome == "unknown" and f.level == "note" and f.loc == ATTR
    assert "var.pitr, which has no default" in f.message


@pytest.mark.parametrize(
    ("op", "other", "expected"),
    [
        ("all", False, "pass"),  # a known-false conjunct decides despite the unknown
        ("all", True, "unknown"),
        ("any", True, "fail"),  # a known-true disjunct decides despite the unknown
        ("any", False, "unknown"),
    ],
)
def test_kleene_logic(op, other, expected):
    e = table(a=Value.unknown_because("depends on var.a"), b=Value.of(other, ATTR))
    cond = {op: ["a == `true`", "b == `true`"]}
    assert evaluate(cond, e, entity_data(e, {})).state == expected


def test_not_keeps_unknown():
    e = table(a=Value.unknown_because("x"))
    assert evaluate({"not": "a"}, e, entity_data(e, {})).state == "unknown"


def test_params_and_message_formatting():
    r = rule(
        "pitr_days < params.min_days",
        messages=[
            ("pitr_days < `7`", "very short {pitr_days}"),
            (None, "{pitr_days} < {params.min_days} ({cost:.1f})"),
        ],
        params={"min_days": 35},
    )
    e = table(pitr_days=Value.of(14, ATTR), cost=Value.of(3.14159))
    assert check(r, e).message == "14 < 35 (3.1)"
    e = table(pitr_days=Value.of(3, ATTR), cost=Value.of(1))
    assert check(r, e).message == "very short 3"


def test_nested_unknown_inside_enriched_dict():
    e = table(retained=Value.unknown_because("delete_after depends on var.days"))
    out = evaluate("retained.copies > `7`", e, entity_data(e, {}))
    assert out.state == "unknown" and out.unknowns[0][0] == "retained.copies"


def test_nested_known_dict_path_uses_parent_location():
    e = table(retained=Value.of({"copies": 30}, ATTR))
    out = evaluate("retained.copies > `7`", e, entity_data(e, {}))
    assert out.state == "fail" and out.decisive[0].loc == ATTR


def test_defaults_list_available():
    r = rule({"all": ["pitr_enabled == `false`", "!contains(defaults, 'pitr_enabled')"]})
    assert check(r, table(pitr_enabled=Value.absent(False))) is None
    assert check(r, table(pitr_enabled=Value.of(False, ATTR))).outcome == "fail"


def test_module_resource_reported_at_outermost_call_site():
    call = Location("main.tf", 20, 3, 20, 30)
    inner = Location("modules/t/main.tf", 8, 5, 8, 30)
    e = table(pitr_enabled=Value.of(False, inner, trace=(call,)))
    e.report_loc = Location("main.tf", 18, 1, 18, 20)
    f = check(rule("pitr_enabled != `true`"), e)
    assert f.loc == call
    assert (inner, "value set here, inside the module") in f.related


def test_memoized_leaves_distinguish_types_and_values():
    cond = "pitr_enabled == `true`"
    for value, expected in [(True, "fail"), (1, "pass"), (True, "fail"), ("true", "pass")]:
        e = table(pitr_enabled=Value.of(value, ATTR))
        assert evaluate(cond, e, entity_data(e, {})).state == expected, value


def test_expression_reading_the_root_is_not_memoized():
    cond = "length(keys(@)) > `12`"  # depends on every attribute, not on a named field
    small = table(a=Value.of(1))
    big = table(**{f"a{i}": Value.of(i) for i in range(20)})
    assert evaluate(cond, small, entity_data(small, {})).state == "pass"
    assert evaluate(cond, big, entity_data(big, {})).state == "fail"


def test_params_are_part_of_the_memo_key():
    e = table(pitr_days=Value.of(14, ATTR))
    assert evaluate("pitr_days < params.min", e, entity_data(e, {"min": 35})).state == "fail"
    assert evaluate("pitr_days < params.min", e, entity_data(e, {"min": 7})).state == "pass"
