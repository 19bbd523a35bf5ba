"""The partial evaluator: literals, templates, operators, collections, functions, unknowns."""

from __future__ import annotations

import sys

import pytest
from tf_helpers import ev, val

from ddb_guard.model import Value
from ddb_guard.terraform.evaluate import known


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("1", 1),
        ("1.5", 1.5),
        ("1.0e3", 1000),
        ("0.25e1", 2.5),
        ("true", True),
        ("false", False),
        ("null", None),
        ('"plain"', "plain"),
        (r'"a\nb\t\"q\" \\ \u00e9"', 'a\nb\t"q" \\ é'),
        ('"$${not} %%{x}"', "${not} %{x}"),
        ('[1, "a", true]', [1, "a", True]),
        ('{a = 1, "b" = 2, c: 3}', {"a": 1, "b": 2, "c": 3}),
        ("(1 + 2) * 3", 9),
        ("7 / 2", 3.5),
        ("8 / 2", 4),
        ("7 % 3", 1),
        ("-2 + 1", -1),
        ('"5" + 1', 6),
        ("1 < 2 && 2 >= 2", True),
        ("1 == 1.0", True),
        ('1 == "1"', False),
        ("!true || false", False),
        ("[1, 2] == [1, 2]", True),
        ("{a = 1} != {a = 2}", True),
        ("true ? 1 : 2", 1),
        ('false ? 1 : "two"', "two"),
        ("[10, 20, 30][1]", 20),
        ("{a = {b = [1, 2]}}.a.b[1]", 2),
        ('{a = 1}["a"]', 1),
        ("[{n = 1}, {n = 2}][*].n", [1, 2]),
        ("[{n = 1}, {n = 2}].*.n", [1, 2]),
        ("[for x in [1, 2, 3] : x * 2 if x != 2]", [2, 6]),
        ("{for k, v in {a = 1, b = 2} : v => k}", {"1": "a", "2": "b"}),
        ('{for s in ["a", "b", "a"] : s => 1...}', {"a": [1, 1], "b": [1]}),
        ('[for i, x in ["p", "q"] : "${i}${x}"]', ["0p", "1q"]),
        ('"x-${1 + 1}-${true}"', "x-2-true"),
        ('"${1}"', 1),
        ('"%{if true}yes%{else}no%{endif}"', "yes"),
        ('"%{if false}yes%{else}no%{endif}"', "no"),
        ('"%{for x in ["a", "b"]}${x},%{endfor}"', "a,b,"),
    ],
)
def test_expression_values(expr: str, expected: object) -> None:
    got = val(expr)
    assert got == expected
    assert type(got) is type(expected)


def test_heredocs_keep_text_and_flush_indentation() -> None:
    assert val("<<EOT\n  line ${1}\n    two\nEOT") == "  line 1\n    two\n"
    assert val('<<-EOT\n    line ${"x"}\n      two\n    EOT') == "line x\n  two\n"
    assert val("<<EOT\nno \\n escapes $${x}\nEOT") == "no \\n escapes ${x}\n"


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("merge({a = 1, b = 1}, {b = 2}, null)", {"a": 1, "b": 2}),
        ('lookup({a = 1}, "a", 0)', 1),
        ('lookup({a = 1}, "z", 0)', 0),
        ('try({a = 1}.z, "fallback")', "fallback"),
        ('try({a = 1}.a, "fallback")', 1),
        ('coalesce(null, "", "x")', "x"),
        ("can({a = 1}.z)", False),
        ("can({a = 1}.a)", True),
        ('tobool("true")', True),
        ("tostring(5)", "5"),
        ('tonumber("35")', 35),
        ("length([1, 2, 3])", 3),
        ('length("abc")', 3),
        ("length({a = 1})", 1),
        ('contains(["a", "b"], "b")', True),
        ('contains(["a", "b"], "c")', False),
        ("concat([1], [2, 3])", [1, 2, 3]),
        ('lower("AbC")', "abc"),
        ('upper("AbC")', "ABC"),
        ('format("%s-%03d-%.1f-%t-%q", "a", 7, 1.25, true, "x")', 'a-007-1.2-true-"x"'),
        ('format("%v%%", 50)', "50%"),
        ('join("-", ["a", "b"], ["c"])', "a-b-c"),
        ("keys({b = 1, a = 2})", ["a", "b"]),
        ("values({b = 1, a = 2})", [2, 1]),
        ('toset(["b", "a", "b"])', ["a", "b"]),
        ('tolist(["x"])', ["x"]),
        ("tomap({a = 1})", {"a": 1}),
        ("flatten([[1, [2]], 3, []])", [1, 2, 3]),
        ('element(["a", "b"], 3)', "b"),
        ("min(3, 1.5, 2)", 1.5),
        ("max(3, 1, 2)", 3),
        ("abs(-4)", 4),
        ('replace("a-b-c", "-", "_")', "a_b_c"),
        ('replace("a1b22", "/[0-9]+/", "#")', "a#b#"),
        ('split(",", "a,b")', ["a", "b"]),
        ('trimspace("  x \\n")', "x"),
        ('startswith("prod-x", "prod")', True),
        ('endswith("prod-x", "y")', False),
        ("distinct([1, 2, 1])", [1, 2]),
        ('zipmap(["a", "b"], [1, 2])', {"a": 1, "b": 2}),
        ("merge([{a = 1}, {b = 2}]...)", {"a": 1, "b": 2}),
    ],
)
def test_functions(expr: str, expected: object) -> None:
    assert val(expr) == expected


def test_unknown_reasons_are_human() -> None:
    pre = 'variable "pitr" {}\nvariable "set" { default = true }'
    v = ev("var.pitr", pre)
    assert v.unknown == "depends on var.pitr, which has no default"
    assert ev("var.nope", pre).unknown == "refers to var.nope, which is not declared"
    assert ev('sha256("x")').unknown == "function sha256() is not evaluated"
    data = ev("data.aws_caller_identity.me.account_id")
    assert data.unknown == "depends on data.aws_caller_identity.me (known only after apply)"
    assert data.refs == ("data.aws_caller_identity.me.account_id",)
    # an unknown condition whose branches agree is known
    assert ev("var.pitr ? true : true", pre).value is True
    assert ev("var.pitr ? 1 : 2", pre).unknown == "depends on var.pitr, which has no default"
    # short-circuit on the known side
    assert ev("var.set || var.pitr", pre).value is True
    assert ev("false && var.pitr", pre).value is False
    assert ev("var.pitr && false", pre).value is False


def test_resource_references_are_unknown_with_refs_unless_written() -> None:
    pre = 'resource "aws_dynamodb_table" "orders" {\n  name = "orders-${1}"\n}'
    arn = ev("aws_dynamodb_table.orders.arn", pre)
    assert not arn.known
    assert arn.refs == ("aws_dynamodb_table.orders.arn",)
    assert arn.unknown == "depends on aws_dynamodb_table.orders.arn (known only after apply)"
    name = ev("aws_dynamodb_table.orders.name", pre)
    assert name.value == "orders-1"
    assert ev("aws_dynamodb_table.orders.id", pre).value == "orders-1"
    missing = ev("aws_dynamodb_table.other.arn", pre)
    assert "not declared" in (missing.unknown or "")


def test_partially_known_containers_hold_unknown_values() -> None:
    pre = 'variable "x" {}'
    v = ev('[1, var.x, "a"]', pre)
    assert v.known
    assert v.value[0] == 1 and v.value[2] == "a"
    assert isinstance(v.value[1], Value) and not v.value[1].known
    assert ev("[1, var.x][0]", pre).value == 1
    assert not ev("[1, var.x][1]", pre).known
    assert ev("length([1, var.x])", pre).value == 2
    assert ev("{a = var.x, b = 2}.b", pre).value == 2
    assert ev('contains([var.x, "a"], "a")', pre).value is True
    assert not ev('contains([var.x, "a"], "b")', pre).known


def test_errors_become_unknown_never_exceptions() -> None:
    for expr in (
        "{a = 1}.b",
        "[1][5]",
        '1 + "x"',
        "null.x",
        '"x${[1]}"',
        'lookup({}, "k")',
        "1 / 0",
        'tonumber("x")',
        "element([], 0)",
        'format("%d")',
    ):
        v = ev(expr)
        assert not v.known, expr
        assert v.unknown


def test_bindings_each_count_and_iterators() -> None:
    each = known({"key": "a", "value": {"pitr": True}})
    assert val("each.value.pitr", each=each) is True
    assert val('"t-${each.key}"', each=each) == "t-a"
    assert val("count.index + 1", count=known({"index": 2})) == 3
    assert ev("each.key").unknown == "each.key is used outside a for_each"
    assert val("path.module") == "."


def test_trace_lists_deciding_locations() -> None:
    pre = 'variable "env" {\n  default = "prod"\n}\nlocals {\n  n = "${var.env}-t"\n}'
    v = ev("local.n", pre)
    assert v.value == "prod-t"
    lines = [t.line for t in v.trace]
    assert lines[0] == 5  # the local
    assert 2 in lines  # the variable default


def test_deep_expression_does_not_crash() -> None:
    expr = "(" * 400 + "1" + ")" * 400
    v = ev(expr)
    assert v.value == 1 or not v.known


def test_templates_with_unknown_parts_keep_their_known_pieces() -> None:
    pre = 'variable "region" {}\nvariable "env" { default = "prod" }'
    arn = ev('"arn:aws:ec2:${var.region}:1:${var.env}/${var.region}"', pre)
    assert arn.unknown == "depends on var.region, which has no default"
    assert arn.pieces == ("arn:aws:ec2:", None, ":1:prod/", None)
    outer = ev('"x-${"arn:${var.region}"}"', pre)  # a nested template keeps its pieces
    assert outer.pieces == ("x-arn:", None)
    assert ev("var.region", pre).pieces == ()


def test_regex_replace_without_re2_is_unknown_not_backtracking(monkeypatch):
    monkeypatch.setitem(sys.modules, "re2", None)  # import re2 -> ImportError
    value = ev('replace("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "/(a+)+b/", "x")')
    assert not value.known and "google-re2 is not installed" in value.unknown
