"""The operators and the Value helpers of the evaluator, on Values (no syntax needed)."""

from __future__ import annotations

import pytest

from ddb_guard.model import Location, Value
from ddb_guard.terraform.budget import Budget
from ddb_guard.terraform.functions import EvalError
from ddb_guard.terraform.operators import binary, conditional, unary
from ddb_guard.terraform.scope import first_unknown, iterate, join_traces, known, unknown

A = Location("a.tf", 1, 1)
B = Location("b.tf", 2, 1)


def _never() -> Value:
    raise AssertionError("a short-circuit evaluated its right operand")


def test_logic_short_circuits_on_a_known_left_operand() -> None:
    assert binary("&&", known(False, (A,)), _never, Budget()) == known(False, (A,))
    assert binary("||", known(True), _never, Budget()).value is True


def test_a_known_right_operand_decides_logic_over_an_unknown_left() -> None:
    left = unknown("depends on var.x")
    assert binary("&&", left, lambda: known(False, (B,)), Budget()) == known(False, (B,))
    assert binary("&&", left, lambda: known(True), Budget()) is left


def test_arithmetic_joins_traces_and_reports_the_first_unknown() -> None:
    out = binary("+", known(1, (A,)), lambda: known(2, (B,)), Budget())
    assert (out.value, out.trace) == (3, (A, B))
    bad = binary("*", unknown("x", refs=("r1",)), lambda: unknown("y", refs=("r2",)), Budget())
    assert (bad.unknown, bad.refs) == ("x", ("r1", "r2"))


def test_unary_operators() -> None:
    assert unary("!", known(True)).value is False
    assert unary("-", known("2")).value == -2
    u = unknown("why")
    assert unary("-", u) is u


def test_conditional_with_an_unknown_condition_is_known_when_both_branches_agree() -> None:
    cond = unknown("depends on var.c")
    assert conditional(cond, lambda: known("x"), lambda: known("x")).value == "x"
    assert conditional(cond, lambda: known("x"), lambda: known("y")).unknown == "depends on var.c"
    assert conditional(known(False), _never, lambda: known(5)).value == 5


def test_value_helpers() -> None:
    assert join_traces(known(1, (A, B)), known(2, (B, A))) == (A, B)
    assert first_unknown(known(1), known(2)) is None
    pairs = [(k.value, v.value) for k, v in iterate(known({"b": 2, "a": 1}))]
    assert pairs == [("a", 1), ("b", 2)]
    with pytest.raises(EvalError, match="null"):
        list(iterate(known(None)))
