"""CloudFormation parameter chains (Sub/Join/FindInMap) are bounded: fast, small, unknown."""

from __future__ import annotations

import time

import pytest

from ddb_guard.cloudformation.intrinsics import MAX_STRING, OVER_BUDGET, Resolver


def _chain(kind: str, depth: int = 30) -> dict:
    params = {"P0": {"Type": "String", "Default": "abcd"}}
    for i in range(1, depth + 1):
        prev = f"P{i - 1}"
        if kind == "sub":
            default = {"Fn::Sub": "${%s}${%s}${%s}${%s}" % ((prev,) * 4)}
        else:
            default = {"Fn::Join": ["", [{"Ref": prev}] * 4]}
        params[f"P{i}"] = {"Type": "String", "Default": default}
    return params


@pytest.mark.parametrize("kind", ["sub", "join"])
def test_a_doubling_parameter_chain_is_unknown_within_the_budget(kind: str):
    params = _chain(kind)
    resolver = Resolver("t.yaml", parameters={n: {n: p} for n, p in params.items()})
    start = time.perf_counter()
    result = resolver.value({"V": {"Ref": "P30"}}, "V")
    assert time.perf_counter() - start < 2
    assert result is not None and not result.known  # too deep, before the budget
    over = Resolver("t.yaml", parameters={n: {n: p} for n, p in _chain(kind, 12).items()})
    result = over.value({"V": {"Ref": "P12"}}, "V")
    assert result is not None and OVER_BUDGET in (result.unknown or "")
    small = resolver.value({"V": {"Ref": "P3"}}, "V")
    assert small is not None and small.value == "abcd" * 64


def test_find_in_map_chains_are_bounded():
    params = _chain("sub")
    mappings = {"M": {"k": {"v": {"Fn::Sub": "${P30}"}}}}
    resolver = Resolver(
        "t.yaml",
        parameters={n: {n: p} for n, p in params.items()},
        mappings={"M": mappings},
    )
    start = time.perf_counter()
    result = resolver.value({"V": {"Fn::FindInMap": ["M", "k", "v"]}}, "V")
    assert time.perf_counter() - start < 2
    assert result is not None and not result.known
    assert MAX_STRING >= 1 << 20
