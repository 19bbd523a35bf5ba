"""Property: any expression tree the evaluator is given returns within the budget.

Hypothesis builds random HCL expressions (literals, lists, maps, templates, arithmetic,
comparisons, conditionals, nested ``for`` expressions, function calls); each evaluation
must finish quickly, never raise, and stay within the budget's counters (an over-budget
value is unknown with the reason)."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ddb_guard.terraform import budget as limits
from ddb_guard.terraform.evaluate import Scope, evaluate
from ddb_guard.terraform.hcl import parse_expression

_NAMES = ("a", "b", "c")

leaf = st.one_of(
    st.integers(min_value=-(10**6), max_value=10**6).map(str),
    st.sampled_from(['"x"', '"abcdefgh"', "true", "false", "null", "3.5"]),
    st.builds(lambda n: "[" + ", ".join(str(i) for i in range(n)) + "]", st.integers(0, 3000)),
    st.sampled_from(_NAMES),  # a for-variable, or an unknown name outside one
)


def _extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.builds(lambda a, b: f"[{a}, {b}]", inner, inner),
        st.builds(lambda a, b: f"{{k = {a}, j = {b}}}", inner, inner),
        st.builds(lambda a, b: f'"${{{a}}}${{{b}}}"', inner, inner),
        st.builds(lambda a, o, b: f"({a} {o} {b})", inner, st.sampled_from("+-*/%"), inner),
        st.builds(
            lambda a, o, b: f"({a} {o} {b})", inner, st.sampled_from(["==", "<", "&&"]), inner
        ),
        st.builds(lambda c, a, b: f"({c} ? {a} : {b})", inner, inner, inner),
        st.builds(lambda v, c, e: f"[for {v} in {c} : {e}]", st.sampled_from(_NAMES), inner, inner),
        st.builds(
            lambda v, c, e: f"{{for {v} in {c} : {v} => {e}...}}",
            st.sampled_from(_NAMES),
            inner,
            inner,
        ),
        st.builds(
            lambda f, a, b: f"{f}({a}, {b})",
            st.sampled_from(["concat", "join", "format", "coalesce", "max", "merge"]),
            inner,
            inner,
        ),
        st.builds(
            lambda f, a: f"{f}({a})",
            st.sampled_from(["length", "upper", "flatten", "tostring", "jsonencode", "keys"]),
            inner,
        ),
    )


expressions = st.recursive(leaf, _extend, max_leaves=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions)
def test_random_expressions_return_within_the_budget(text: str) -> None:
    parsed = parse_expression(text)
    if parsed is None:
        return
    scope = Scope(None)
    start = time.perf_counter()
    value = evaluate(parsed[0], parsed[1], scope)
    elapsed = time.perf_counter() - start
    assert elapsed < 5, (elapsed, text[:200])
    spent = scope.budget
    assert spent.ops <= limits.MAX_OPS + 1
    assert spent.elements <= limits.MAX_ELEMENTS + limits.MAX_ELEMENTS  # one step over
    assert spent.chars <= limits.MAX_CHARS + limits.MAX_STRING
    if value.unknown is None and isinstance(value.value, str):
        assert len(value.value) <= limits.MAX_STRING


def test_nested_fors_hit_the_operation_budget() -> None:
    big = "[" + ", ".join(map(str, range(3000))) + "]"
    parsed = parse_expression(f"[for a in {big} : [for b in {big} : [a, b]]]")
    assert parsed is not None
    value = evaluate(parsed[0], parsed[1], Scope(None))
    assert value.unknown is not None and limits.OVER_BUDGET in value.unknown
