"""`--unsafe`: a deciding expression is replaced with the protected literal, and the report
says so; without it the expression is left alone and reported."""

from __future__ import annotations

import os

from click.testing import CliRunner
from fix_helpers import fix

from ddb_guard.cli import main

TF = """\
variable "env" {
  default = "dev"
}

resource "aws_dynamodb_table" "orders" {
  name                        = "orders"
  hash_key                    = "id"
  deletion_protection_enabled = var.env == "prod" ? true : false

  attribute {
    name = "id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = var.env == "prod"
  }
}
"""

TF_UNSAFE_DIFF = """\
--- a/main.tf
+++ b/main.tf
@@ -5,7 +5,7 @@
 resource "aws_dynamodb_table" "orders" {
   name                        = "orders"
   hash_key                    = "id"
-  deletion_protection_enabled = var.env == "prod" ? true : false
+  deletion_protection_enabled = true
<SP>
   attribute {
     name = "id"
@@ -13,6 +13,6 @@
   }
<SP>
   point_in_time_recovery {
-    enabled = var.env == "prod"
+    enabled = true
   }
 }
""".replace("<SP>", " ")


def _repo(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    (root / "main.tf").write_text(TF)
    return root


def test_expressions_are_reported_without_unsafe(tmp_path):
    root = _repo(tmp_path)
    result = fix(root, "main.tf", "--diff")
    assert result.stdout == ""
    assert (
        "main.tf:8: DDB003: aws_dynamodb_table.orders: not fixed: "
        "decided by the expression at main.tf:8" in result.stderr
    )
    assert "not fixed: decided by the expression at main.tf:16" in result.stderr
    assert result.exit_code == 1


def test_unsafe_replaces_the_expression_and_says_so(tmp_path):
    root = _repo(tmp_path)
    result = fix(root, "main.tf", "--diff", "--unsafe")
    assert result.stdout == TF_UNSAFE_DIFF
    assert (
        'main.tf:8: DDB003: would fix: unsafe: replaced expression var.env == "prod" ? true : '
        "false at main.tf:8" in result.stderr
    )
    assert 'unsafe: replaced expression var.env == "prod" at main.tf:16' in result.stderr
    assert "not fixed" not in result.stderr.replace("0 not fixed", "")
    assert result.exit_code == 0
    # the variable it read is not touched: the expression decided
    assert '-  default = "dev"' not in result.stdout


def test_scan_fix_unsafe(tmp_path):
    root = _repo(tmp_path)
    old = os.getcwd()
    os.chdir(root)
    try:
        args = ["scan", "--root", str(root), "--fix", "--unsafe", "main.tf"]
        result = CliRunner().invoke(main, args)
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    assert "fixed: unsafe: replaced expression" in result.stderr
    text = (root / "main.tf").read_text()
    assert "enabled = true\n" in text and "var.env ==" not in text
    again = fix(root, "main.tf", "--unsafe")
    assert (root / "main.tf").read_text() == text
    assert "fixed:" not in again.stdout


def test_scan_unsafe_without_fix_is_an_error(tmp_path):
    root = _repo(tmp_path)
    result = CliRunner().invoke(main, ["scan", "--root", str(root), "--unsafe", str(root)])
    assert result.exit_code == 2
    assert "--unsafe changes what --fix does; it needs --fix" in result.stderr
    assert (root / "main.tf").read_text() == TF
