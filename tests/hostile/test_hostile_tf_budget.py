"""Terraform evaluation budgets: each reproduction returns within seconds and a few hundred
MB, the value that went over is unknown ("exceeds the evaluation budget"), the scan goes on.

Each case runs in a fresh interpreter under an address-space cap (``run_limited``)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from hostile_helpers import run_cli, run_limited

BIG_LIST = "[" + ", ".join(map(str, range(10000))) + "]"
TABLE = 'resource "aws_dynamodb_table" "ok" {\n  name     = "ok"\n  hash_key = "pk"\n}\n'


def _doubling_resources(n: int = 40) -> str:
    out = ['resource "aws_dynamodb_table" "t0" {\n  name = "ab"\n  hash_key = "pk"\n}\n']
    for i in range(1, n):
        prev = f"aws_dynamodb_table.t{i - 1}.name"
        out.append(
            f'resource "aws_dynamodb_table" "t{i}" {{\n'
            f'  name = "${{{prev}}}${{{prev}}}"\n  hash_key = "pk"\n}}\n'
        )
    return "".join(out)


def _chain(n: int, expr: str, first: str) -> str:
    lines = [f"  l0 = {first}"]
    lines += [f"  l{i} = {expr.format(p=f'local.l{i - 1}')}" for i in range(1, n)]
    use = f'resource "aws_dynamodb_table" "x" {{\n  name = local.l{n - 1}\n  hash_key = "pk"\n}}\n'
    return "locals {\n" + "\n".join(lines) + "\n}\n" + use


def _nested_dynamic() -> str:
    return textwrap.dedent(
        """\
        locals {
          items = range(1000)
        }
        resource "aws_dynamodb_table" "d" {
          name     = "d"
          hash_key = "pk"
          dynamic "global_secondary_index" {
            for_each = local.items
            content {
              name = "a"
              dynamic "x" {
                for_each = local.items
                content {
                  dynamic "y" {
                    for_each = local.items
                    content {
                      v = y.value
                    }
                  }
                }
              }
            }
          }
        }
        """
    )


def _module_tree(root: Path) -> None:
    for level in ("a", "b", "c"):
        (root / level).mkdir()
    (root / "main.tf").write_text('module "a" {\n  source = "./a"\n  count = 1000\n}\n' + TABLE)
    (root / "a" / "main.tf").write_text('module "b" {\n  source = "../b"\n  count = 1000\n}\n')
    (root / "b" / "main.tf").write_text('module "c" {\n  source = "../c"\n  count = 1000\n}\n')
    (root / "c" / "main.tf").write_text(TABLE.replace('"ok"', '"deep"'))


CASES = {
    "nested for over 10,000 items": "locals {\n  l = " + BIG_LIST + "\n"
    "  x = [for a in local.l : [for b in local.l : b]]\n}\n"
    'resource "aws_dynamodb_table" "x" {\n  name = length(local.x)\n  hash_key = "pk"\n}\n',
    "40 resources doubling": _doubling_resources(),
    "40 locals squaring": _chain(40, "{p} * {p}", "3"),
    "40 locals doubling strings": _chain(40, '"${{{p}}}${{{p}}}"', '"abcdefgh"'),
    "format width": 'resource "aws_dynamodb_table" "x" {\n  name = format("%1000000000s", "x")\n'
    '  hash_key = "pk"\n}\n',
    "catastrophic regex": 'resource "aws_dynamodb_table" "x" {\n'
    f'  name = replace("{"a" * 32}", "/(a+)+b/", "c")\n  hash_key = "pk"\n}}\n',
    "nested dynamic blocks": _nested_dynamic(),
}


def _scan_code(root: Path) -> str:
    return (
        "import os, json\n"
        "os.environ['DDB_GUARD_DEBUG'] = ''\n"
        "from pathlib import Path\n"
        "from ddb_guard.context import ScanContext\n"
        "from ddb_guard.pipeline import scan\n"
        f"root = Path({str(root)!r})\n"
        "r = scan([root], ScanContext(root=root, env={}))\n"
        "print(json.dumps(sorted({f.rule_id + ' ' + f.address for f in r.findings})))\n"
        "print(json.dumps(sorted(f.message for f in r.findings if f.outcome == 'unknown')))\n"
    )


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_hostile_module_is_evaluated_within_the_budget(tmp_path: Path, case: str):
    (tmp_path / "main.tf").write_text(CASES[case])
    (tmp_path / "ok.tf").write_text(TABLE)
    out, peak = run_limited(_scan_code(tmp_path), seconds=60, mb=2048)
    findings_line, _unknowns = out.strip().splitlines()[-2:]
    findings = json.loads(findings_line)
    assert "DDB001 aws_dynamodb_table.ok" in findings  # the scan went on
    assert peak < 600, peak


def test_module_count_1000_three_levels_deep(tmp_path: Path):
    _module_tree(tmp_path)
    out, peak = run_limited(_scan_code(tmp_path), seconds=60, mb=2048)
    findings = json.loads(out.strip().splitlines()[-2])
    assert "DDB001 aws_dynamodb_table.ok" in findings
    assert "DDB001 module.a.module.b.module.c.aws_dynamodb_table.deep" in findings
    assert peak < 600, peak


def test_over_budget_values_say_so():
    from ddb_guard.terraform.budget import OVER_BUDGET
    from ddb_guard.terraform.evaluate import Scope, evaluate
    from ddb_guard.terraform.hcl import parse_expression

    for text in (
        f"[for a in {BIG_LIST} : [for b in {BIG_LIST} : b]]",
        'format("%1000000000s", "x")',
    ):
        expr, file = parse_expression(text)
        value = evaluate(expr, file, Scope(None))
        assert value.unknown is not None and OVER_BUDGET in value.unknown, value


def test_tf_var_values_are_literals_only(tmp_path: Path, monkeypatch):
    (tmp_path / "main.tf").write_text(
        'variable "n" {\n  type = number\n}\n'
        'resource "aws_dynamodb_table" "t" {\n  name = "t"\n  hash_key = "pk"\n'
        "  read_capacity = var.n\n}\n"
    )
    monkeypatch.setenv("TF_VAR_n", 'length(format("%1000000000s", "x"))')
    monkeypatch.setenv("TF_VAR_undeclared", "[for a in range(10000) : range(10000)]")
    result = run_cli(tmp_path, "scan", "--var", "n=sum(range(100))", "--format", "json", ".")
    assert result.exit_code in (0, 1), result.output
