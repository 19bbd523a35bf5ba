"""A fix whose re-scan still shows its finding, or breaks parsing, is rolled back and said."""

from __future__ import annotations

from pathlib import Path

from ddb_guard.config import Config
from ddb_guard.context import ScanContext
from ddb_guard.fix.run import fix
from ddb_guard.model import Notice
from ddb_guard.pipeline import scan

TF = """\
resource "aws_dynamodb_table" "orders" {
  name     = "orders"
  hash_key = "id"

  attribute {
    name = "id"
    type = "S"
  }
}
"""


def _scanner(root: Path, tamper):
    ctx = ScanContext(root=root)
    config = Config()
    config.select = ["DDB001", "DDB003"]
    calls: list[int] = []

    def run():
        result = scan([root / "main.tf"], ctx, config)
        calls.append(1)
        if len(calls) > 1:  # the verifying re-scan
            tamper(result)
        return result

    return run


def test_finding_that_stays_rolls_the_fix_back(tmp_path):
    (tmp_path / "main.tf").write_text(TF)
    first = scan([tmp_path / "main.tf"], ScanContext(root=tmp_path), Config())
    ddb001 = next(f for f in first.findings if f.rule_id == "DDB001")

    def keep_ddb001(result):
        result.findings.append(ddb001)

    outcome = fix(_scanner(tmp_path, keep_ddb001), tmp_path)
    reasons = {n.rule: n.reason for n in outcome.not_fixed}
    assert "the fix did not remove the finding" in reasons["DDB001"]
    # the other fix in the same file stands
    assert [e.rule for e in outcome.applied] == ["DDB003"]
    assert "point_in_time_recovery" not in outcome.texts["main.tf"]
    assert "deletion_protection_enabled = true" in outcome.texts["main.tf"]


def test_broken_parse_rolls_the_file_back(tmp_path):
    (tmp_path / "main.tf").write_text(TF)

    def break_parse(result):
        result.notices.append(
            Notice("main.tf", "syntax error", 1, level="error", kind="parse-error")
        )

    outcome = fix(_scanner(tmp_path, break_parse), tmp_path)
    assert outcome.texts == {} and outcome.applied == []
    assert all("no longer parses (rolled back main.tf)" in n.reason for n in outcome.not_fixed)
    assert {n.rule for n in outcome.not_fixed} == {"DDB001", "DDB003"}
    assert (tmp_path / "main.tf").read_text() == TF
