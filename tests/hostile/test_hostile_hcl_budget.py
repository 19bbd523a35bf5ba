"""HCL: error recovery and suppression lookup stay linear on generated hostile files."""

from __future__ import annotations

import time

from hostile_helpers import run_limited

from ddb_guard.terraform.hcl import parse_hcl

TABLE = (
    'resource "aws_dynamodb_table" "t%d" {\n  name = "t%d"\n  hash_key = "pk"\n'
    "  point_in_time_recovery {\n    enabled = true\n  }\n}\n"
)


def test_recovery_after_many_lines_is_linear():
    code = (
        "from ddb_guard.terraform.hcl import parse_hcl\n"
        'text = \'resource "aws_dynamodb_table" "t" {\\n\' + '
        "''.join(f'a{i} = 1\\n' for i in range(20000)) + 'broken = \"x\\n'\n"
        "hf = parse_hcl(text, 'x.tf')\n"
        "assert any(n.kind == 'parse-error' for n in hf.notices)\n"
    )
    start = time.perf_counter()
    _, peak = run_limited(code, seconds=30, mb=1500)
    assert time.perf_counter() - start < 15
    assert peak < 400, peak  # was 4.45 GB for 10,000 lines (SIGSEGV at 20,000)


def test_recovery_in_a_file_of_3000_tables_keeps_them_all():
    code = (
        "from ddb_guard.terraform.hcl import parse_hcl\n"
        f"table = {TABLE!r}\n"
        "text = ''.join(table % (i, i) for i in range(3000))\n"
        'text += \'resource "aws_dynamodb_table" "bad" {\\n  name = \\n}\\n\'\n'
        "text += table % (3000, 3000)\n"
        "hf = parse_hcl(text, 'x.tf')\n"
        "names = {b.labels[1] for b in hf.blocks}\n"
        "assert {'t0', 't2999', 't3000'} <= names, len(names)\n"
        "last = next(b for b in hf.blocks if b.labels[1] == 't3000')\n"
        "assert last.loc.line == 3000 * 7 + 4, last.loc\n"
        "print(hf.notices[0].line)\n"
    )
    out, peak = run_limited(code, seconds=30, mb=1500)
    assert out.strip() == str(3000 * 7 + 2)  # the error's own line, counted across chunks
    assert peak < 400, peak  # was 3.66 GB


def test_a_suppression_above_many_comment_lines_is_found_quickly():
    text = (
        "# ddb-guard:ignore DDB001 reviewed\n"
        + "#\n" * 20000
        + 'resource "aws_dynamodb_table" "t" {\n  hash_key = "pk"\n}\n'
    )
    hf = parse_hcl(text, "x.tf")
    start = time.perf_counter()
    found = hf.suppressions_for(hf.blocks[0])
    assert time.perf_counter() - start < 1
    assert [s.rule for s in found] == ["DDB001"]
