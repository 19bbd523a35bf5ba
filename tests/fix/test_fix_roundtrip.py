"""Round trip: fix every DynamoDB rule fixture and the examples in a copy, then re-scan.

The fixed findings are gone, the ones reported as not fixed remain, edited files still read
with python-hcl2 / PyYAML, original lines survive unchanged (inserted lines and flipped
literals only), and a second run changes nothing."""

from __future__ import annotations

import re

import pytest
from fix_helpers import REPO, copy, fix, only_inserted_or_flipped, scan_json, snapshot, still_reads

FIXABLE = ("DDB001", "DDB002", "DDB003", "DDB004", "DDB005", "DDB006")
SELECT = ",".join(FIXABLE)
_NOT_FIXED = re.compile(r"^(\S+):(\d+): (DDB\d{3}): (\S+): not fixed: ")

_SUFFIXES = (".tf", ".cfn.yaml", ".sam.yaml", ".cfn.json")
CASES = [
    *sorted(
        p.relative_to(REPO).as_posix()
        for p in (REPO / "rules" / "dynamodb").iterdir()
        if p.name.startswith(FIXABLE) and (p.is_dir() or p.name.endswith(_SUFFIXES))
    ),
    "examples",
]


def _fails(report: dict) -> set[tuple[str, str]]:
    return {
        (f["rule_id"], f["address"])
        for f in report["findings"]
        if f["rule_id"] in FIXABLE and f["outcome"] == "fail" and not f["suppressed"]
    }


@pytest.mark.parametrize("case", CASES)
def test_fix_round_trip(case, tmp_path):
    root = copy(REPO / case, tmp_path)
    name = (REPO / case).name
    before_files = snapshot(root)
    before = _fails(scan_json(root, name, "--select", SELECT))

    first = fix(root, name, "--select", SELECT)
    assert first.exit_code in (0, 1), first.output
    assert "Traceback" not in first.output
    not_fixed = {
        (m.group(3), m.group(4))
        for line in first.stdout.splitlines()
        if (m := _NOT_FIXED.match(line))
    }
    after = _fails(scan_json(root, name, "--select", SELECT))
    # every fixable failure is gone; what remains was reported as not fixed, with a reason
    assert after <= before
    assert after == not_fixed & before, (after, not_fixed)

    after_files = snapshot(root)
    assert after_files.keys() == before_files.keys()
    edited = [p for p in after_files if after_files[p] != before_files[p]]
    if before - not_fixed:
        assert edited, "findings were fixed but no file changed"
    for path in edited:
        still_reads(root / path)
        only_inserted_or_flipped(before_files[path], after_files[path])

    second = fix(root, name, "--select", SELECT)
    assert snapshot(root) == after_files, "a second fix run changed files"
    assert not re.search(r": DDB\d{3}: fixed: ", second.stdout), second.stdout


def test_examples_fix_counts(tmp_path):
    """examples/: the fixable findings that go away, and the ones that stay (and why)."""
    root = copy(REPO / "examples", tmp_path)
    before = _fails(scan_json(root, "examples"))
    result = fix(root, "examples")
    after = _fails(scan_json(root, "examples"))
    assert len(before) == 23 and len(after) == 9, (sorted(before), sorted(after))
    reasons = "\n".join(line for line in result.stdout.splitlines() if "not fixed" in line)
    assert "cdk.out/ShopStack.template.json:36: DDB001" in reasons
    assert "fix the source (construct ShopStack/InventoryTable) instead" in reasons
    assert "decided by the expression at examples/cloudformation/template.yaml:45" in reasons
    assert "AWS::Serverless::SimpleTable has no deletion protection setting" in reasons
