"""The table index: selections look up their candidates, and that never changes an outcome;
the work grows linearly with tables + selections."""

from __future__ import annotations

import itertools
import random

import pytest
from enrich_builders import CLOUDFORMATION, ref, selection, table, v
from hypothesis import given, settings
from hypothesis import strategies as st

from ddb_guard.enrich import selection as sel_mod
from ddb_guard.enrich.selection import CoverageIndex, selection_coverage
from ddb_guard.enrich.selection_index import TableIndex
from ddb_guard.model import Value

NAMES = ["orders", "orders-archive", "users", "prod-orders", "prod-users", "ord", None, None]
KEYS = ["backup", "env", "Service"]
VALUES = ["daily", "weekly", "prod", "svc1", "svc12", "svc2"]
PATTERNS = [*VALUES, "svc1*", "*", "d*", "*ly"]


def _table(r: random.Random, i: int):
    name = r.choice(NAMES)
    tags = {k: r.choice(VALUES) for k in KEYS if r.random() < 0.5}
    source = r.choice(["terraform", CLOUDFORMATION])
    t = table(
        name or "unnamed",
        address=f"aws_dynamodb_table.t{i}" if source == "terraform" else f"T{i}",
        region=r.choice(["us-east-1", "eu-west-1", None]),
        tags=Value.unknown_because("depends on var.tags") if r.random() < 0.1 else tags,
        source=source,
    )
    if name is None:
        t.attrs["table_name"] = Value.unknown_because("depends on var.name")
        t.attrs["arn_hint"] = Value.absent(None) if r.random() < 0.7 else v(f"T{i}")
    return t


def _resource(r: random.Random, n: int):
    pick = r.randrange(14)
    other = r.randrange(n + 1)
    return [
        v("*"),
        v(
            f"arn:aws:dynamodb:{r.choice(['*', 'us-east-1', 'eu-*'])}:*:table/"
            + r.choice(["*", "ord*", "prod-*", "*-orders", "orders", "users"])
        ),
        v("arn:aws:ec2:us-east-1:1:instance/i-1"),
        ref(f"aws_dynamodb_table.t{other}.arn"),
        ref(f"T{other}.Arn"),
        ref(f"T{other}"),
        Value.unknown_because("depends on var.arn"),
        ref("var.table_arn"),
        v("not-an-arn"),
        v("arn:aws:dynamodb:us-east-1:1:backup/*"),
        ref("aws_s3_bucket.b.arn"),
        v("arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/" + r.choice(NAMES[:-2])),
        Value.unknown_because(
            "depends on var.env", pieces=("arn:aws:dynamodb:us-east-1:1:table/", None, "-orders")
        ),
        Value.unknown_because("depends on var.region", pieces=("arn:aws:ec2:", None, ":1:i/x")),
    ][pick]


def _tag(r: random.Random, condition: bool) -> dict | Value:
    if r.random() < 0.08:
        return Value.unknown_because("depends on var.tag")
    ops = ["string_equals", "string_like", "string_not_equals", "string_not_like"]
    op = r.choice(ops if condition else ["STRINGEQUALS", "STRINGLIKE"])
    key = r.choice(KEYS)
    key = f"aws:ResourceTag/{key}" if r.random() < 0.3 else key
    return {"op" if condition else "type": op, "key": key, "value": r.choice(PATTERNS)}


def _selection(r: random.Random, n: int):
    def some(make, *counts):
        return [make() for _ in range(r.choice(counts))]

    return (
        selection(
            resources=some(lambda: _resource(r, n), 0, 0, 1, 1, 2),
            not_resources=some(lambda: _resource(r, n), 0, 0, 0, 1),
            tags=[],
            conditions=[],
        ),
        some(lambda: _tag(r, False), 0, 0, 1, 2),
        some(lambda: _tag(r, True), 0, 0, 1, 2),
    )


def _with_tags(sel, tags, conditions):
    def wrap(items):
        return [i if isinstance(i, Value) else {k: v(x) for k, x in i.items()} for i in items]

    sel.attrs["tags"] = wrap(tags)
    sel.attrs["conditions"] = wrap(conditions)
    return sel


@settings(max_examples=500, deadline=None)
@given(st.randoms(use_true_random=False))
def test_index_never_changes_an_outcome(r: random.Random) -> None:
    n = r.randrange(0, 9)
    tables = [_table(r, i) for i in range(n)]
    sel = _with_tags(*_selection(r, n))
    indexed = selection_coverage(sel, tables)
    everything = sel_mod._candidates
    try:  # the same test against every table, as before the index
        sel_mod._candidates = lambda s, index: range(len(index))
        exhaustive = selection_coverage(sel, tables)
    finally:
        sel_mod._candidates = everything
    assert (indexed.covers, indexed.tables, indexed.maybe) == (
        exhaustive.covers,
        exhaustive.tables,
        exhaustive.maybe,
    )
    assert set(indexed.reason.split("; ")) <= set(exhaustive.reason.split("; ")) or (
        indexed.covers is None
    )


def _monorepo(services: int) -> tuple[list, list]:
    """``services`` services of 5 tables each, and per service one selection by tag, by ARN
    prefix, by wildcard with a StringLike condition, or by reference (as real repos)."""
    tables, selections = [], []
    for s in range(services):
        svc = f"svc{s:05d}"
        for j in range(5):
            tables.append(
                table(
                    f"prod-{svc}-t{j}",
                    address=f"module.{svc}.aws_dynamodb_table.t{j}",
                    tags={"Service": svc, "backup": "daily" if j == 0 else "none"},
                )
            )
        kind = s % 4
        plan = v(f"module.{svc}.aws_backup_plan.p")
        address = f"module.{svc}.aws_backup_selection.s"
        if kind == 0:
            sel = selection(
                tags=[{"type": "STRINGEQUALS", "key": "Service", "value": svc}],
                plan_value=plan,
                address=address,
            )
        elif kind == 1:
            sel = selection(
                resources=[f"arn:aws:dynamodb:*:*:table/prod-{svc}-*"],
                plan_value=plan,
                address=address,
            )
        elif kind == 2:
            sel = selection(
                resources=["arn:aws:dynamodb:*:*:table/*"],
                conditions=[
                    {"op": "string_like", "key": "aws:ResourceTag/Service", "value": f"{svc}*"}
                ],
                plan_value=plan,
                address=address,
            )
        else:
            sel = selection(
                resources=[ref(f"module.{svc}.aws_dynamodb_table.t1.arn")],
                plan_value=ref(f"module.{svc}.aws_backup_plan.p.id"),
                address=address,
            )
        selections.append(sel)
    return tables, selections


def _operations(services: int) -> tuple[int, int]:
    tables, selections = _monorepo(services)
    index = CoverageIndex(selections, TableIndex(tables))
    covered = 0
    for s in range(services):
        cov = index.plan_coverage(f"module.svc{s:05d}.aws_backup_plan.p", "terraform")
        covered += len(cov.tables)
    return index.ops, covered


def test_selection_matching_grows_linearly() -> None:
    sizes = [100, 200, 400, 800]
    ops = {}
    for n in sizes:
        ops[n], covered = _operations(n)
        # each selection covers its service's 5 tables (the reference one table)
        assert covered == n // 4 * (5 + 5 + 5 + 1)
        assert ops[n] <= 12 * (5 * n + n)  # a constant per table and selection
    for small, big in itertools.pairwise(sizes):
        assert ops[big] / ops[small] == pytest.approx(2, rel=0.1)


def test_all_pairs_would_be_quadratic() -> None:
    """The counter counts what an all-pairs pass would do: the test above can fail."""
    everything = sel_mod._candidates
    try:
        sel_mod._candidates = lambda s, index: range(len(index))
        small, _ = _operations(50)
        big, _ = _operations(100)
    finally:
        sel_mod._candidates = everything
    assert big / small > 3.5
