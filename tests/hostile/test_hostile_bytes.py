"""Bytes are budgeted: YAML aliases count characters, modules and scans have a byte cap."""

from __future__ import annotations

from pathlib import Path

from ddb_guard.context import MAX_MODULE_BYTES, MAX_SCAN_BYTES, ScanContext
from ddb_guard.parse.yaml_loader import load_yaml
from ddb_guard.pipeline import scan

TABLE = 'resource "aws_dynamodb_table" "t{i}" {{\n  name = "t{i}"\n  hash_key = "pk"\n}}\n'


def test_a_large_anchored_scalar_aliased_many_times_is_a_bomb():
    text = (
        "AWSTemplateFormatVersion: '2010-09-09'\n"
        f'Big: &a "{"x" * (1 << 20)}"\n'
        "Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n"
        "    Properties:\n      TableName: !Join ['', [" + ", ".join(["*a"] * 3000) + "]]\n"
    )
    data, notice = load_yaml(text, "t.yaml")
    assert data is None and notice is not None
    assert "alias" in notice.message


def test_a_module_over_its_byte_budget_is_reported(tmp_path: Path):
    filler = "# " + "x" * 98 + "\n"
    for i in range(3):
        (tmp_path / f"f{i}.tf").write_text(TABLE.format(i=i) + filler * 1000)
    ctx = ScanContext(root=tmp_path, env={}, max_module_bytes=250_000)
    result = scan([tmp_path], ctx)
    failures = [f"{n.path}: {n.message}" for n in result.parse_failures]
    assert any(f.startswith("f2.tf: skipped: the module's Terraform files") for f in failures)
    assert {f.address for f in result.findings if f.rule_id == "DDB001"} == {
        "aws_dynamodb_table.t0",
        "aws_dynamodb_table.t1",
    }
    assert MAX_MODULE_BYTES >= 8 << 20


def test_a_scan_over_its_byte_budget_stops_reading(tmp_path: Path):
    for i in range(3):
        (tmp_path / f"d{i}").mkdir()
        (tmp_path / f"d{i}" / "main.tf").write_text(TABLE.format(i=i) + "#" * 100_000 + "\n")
    ctx = ScanContext(root=tmp_path, env={}, max_scan_bytes=150_000)
    result = scan([tmp_path], ctx)
    said = [n.message for n in (*result.parse_failures, *result.notices)]
    assert any("the scan has read more than" in m for m in said), said
    assert MAX_SCAN_BYTES >= 256 << 20
