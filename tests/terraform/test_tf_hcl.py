"""The tree-sitter HCL reader: structure, positions, ignore comments, syntax errors."""

from __future__ import annotations

from ddb_guard.model import Location
from ddb_guard.terraform.hcl import parse_expression, parse_hcl, parse_ignore

SRC = """# header comment
resource "aws_dynamodb_table" "orders" {
  name = "orders"
  point_in_time_recovery {
    enabled = true
  }
}
"""


def test_blocks_attributes_and_positions() -> None:
    hf = parse_hcl(SRC, "main.tf")
    assert not hf.notices
    (block,) = hf.blocks
    assert (block.type, block.labels) == ("resource", ("aws_dynamodb_table", "orders"))
    assert block.loc == Location("main.tf", 2, 1, 2, 41)  # through the opening brace
    assert block.end_line == 7
    name = block.attrs["name"]
    assert name.loc == Location("main.tf", 3, 10, 3, 18)  # the expression, end exclusive
    assert name.name_loc == Location("main.tf", 3, 3, 3, 18)
    (pitr,) = block.blocks
    assert pitr.type == "point_in_time_recovery"
    assert pitr.attrs["enabled"].loc.line == 5


def test_columns_count_characters_not_bytes() -> None:
    hf = parse_hcl('locals {\n  é = "ü"\n  x = 1\n}\n', "u.tf")
    (block,) = hf.blocks
    assert block.attrs["x"].loc.column == 7
    assert block.attrs["é"].loc == Location("u.tf", 2, 7, 2, 10)


def test_ignore_comments_in_all_styles() -> None:
    src = """# ddb-guard:ignore DDB001 legacy table
// unrelated comment
resource "aws_dynamodb_table" "a" {
  name = "a" // ddb-guard:ignore DDB002, DDB003 reason two
  /* ddb-guard:ignore BAK001 */
  description = "# ddb-guard:ignore DDB009 not a comment"
}

# ddb-guard:ignore DDB004 far away

resource "aws_dynamodb_table" "b" {
  name = "b"
}
"""
    hf = parse_hcl(src, "s.tf")
    a, b = hf.blocks
    got = [(s.rule, s.reason, s.loc.line) for s in hf.suppressions_for(a)]
    assert got == [
        ("DDB001", "legacy table", 1),
        ("DDB002", "reason two", 4),
        ("DDB003", "reason two", 4),
        ("BAK001", "", 5),
    ]
    assert hf.suppressions_for(b) == []  # a blank line separates the comment from the block
    first = hf.suppressions_for(a)[0]
    assert first.loc.column == 1


def test_parse_ignore_forms() -> None:
    assert parse_ignore(" DDB001 reason here") == (("DDB001",), "reason here")
    assert parse_ignore(" DDB001 DDB002: because */") == (("DDB001", "DDB002"), "because")
    assert parse_ignore(" ddb001,ddb002") == (("DDB001", "DDB002"), "")
    assert parse_ignore(" no ids here") is None


def test_ignore_without_rule_id_is_a_suppression_of_no_rule() -> None:
    # SUP001 reports it (it suppresses nothing); not a notice that pre-commit may hide
    hf = parse_hcl("# ddb-guard:ignore\nlocals {}\n", "n.tf")
    assert hf.notices == []
    assert [(i.rules, i.loc.line) for i in hf.ignores] == [(("",), 1)]


def test_ignore_with_spaces_around_the_colon_is_read() -> None:
    hf = parse_hcl("# ddb-guard: ignore DDB001 state locks\n# DDB-GUARD : IGNORE ddb003\n", "n.tf")
    assert [(i.rules, i.reason) for i in hf.ignores] == [
        (("DDB001",), "state locks"),
        (("DDB003",), ""),
    ]


def test_syntax_error_is_a_notice_and_other_blocks_survive() -> None:
    src = """resource "aws_dynamodb_table" "ok1" {
  name = "ok1"
}

resource "aws_dynamodb_table" "broken" {
  name =
}

resource "aws_dynamodb_table" "ok2" {
  name = "ok2"
}
"""
    hf = parse_hcl(src, "bad.tf")
    assert hf.notices
    n = hf.notices[0]
    assert (n.path, n.kind, n.level) == ("bad.tf", "parse-error", "error")
    assert 5 <= n.line <= 7 and n.column >= 1
    assert str(n).startswith(f"bad.tf:{n.line}:{n.column}: HCL syntax error")
    names = {b.labels[1] for b in hf.blocks}
    assert names == {"ok1", "ok2"}  # the broken block is left out, not guessed
    ok2 = next(b for b in hf.blocks if b.labels[1] == "ok2")
    assert ok2.attrs["name"].loc.line == 10


def test_whole_file_error_recovery_keeps_later_blocks() -> None:
    src = 'locals {\n  x = 1e\n}\nresource "aws_dynamodb_table" "t" {\n  name = "t"\n}\n'
    hf = parse_hcl(src, "r.tf")
    assert hf.notices and hf.notices[0].line == 1
    assert any(b.type == "resource" and b.attrs["name"].loc.line == 5 for b in hf.blocks)


def test_parse_expression() -> None:
    parsed = parse_expression('["a", 1]')
    assert parsed is not None
    assert parse_expression("not valid ][") is None


def test_empty_file() -> None:
    hf = parse_hcl("", "e.tf")
    assert hf.blocks == [] and hf.attrs == {} and hf.notices == []


def test_truncated_block_is_left_out() -> None:
    hf = parse_hcl('resource "aws_dynamodb_table" "x" {\n', "broken.tf")
    assert hf.blocks == []
    assert hf.notices[0].kind == "parse-error"
