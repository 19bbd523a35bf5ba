"""Terraform edge inputs: the offending block is dropped (not the module), long module
chains are checked past the cut, grammar gaps and invalid configurations are reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from ddb_guard.context import ScanContext
from ddb_guard.parse.yaml_loader import load_json, load_yaml
from ddb_guard.pipeline import scan
from ddb_guard.terraform.evaluate import Scope, evaluate
from ddb_guard.terraform.hcl import parse_hcl

TABLE = 'resource "aws_dynamodb_table" "{name}" {{\n  hash_key = "pk"\n{extra}}}\n'


@pytest.fixture(autouse=True)
def _contained(monkeypatch):
    monkeypatch.setenv("DDB_GUARD_DEBUG", "")


def _scan(root: Path):
    return scan([root], ScanContext(root=root, env={}))


def _ddb001(result) -> set[str]:
    return {f.address for f in result.findings if f.rule_id == "DDB001"}


def test_a_deeply_nested_block_drops_that_block_not_the_module(tmp_path: Path):
    (tmp_path / "a.tf").write_text(TABLE.format(name="a", extra=""))
    deep = "x {\n" * 1000 + "}\n" * 1000
    (tmp_path / "z.tf").write_text(TABLE.format(name="z", extra=deep))
    result = _scan(tmp_path)
    assert _ddb001(result) == {"aws_dynamodb_table.a"}
    failures = [str(n) for n in result.parse_failures]
    assert any("aws_dynamodb_table.z is nested too deeply" in f for f in failures), failures


def test_directories_past_the_module_nesting_limit_are_checked_on_their_own(tmp_path: Path):
    for i in range(50):
        module = tmp_path / f"m{i}"
        module.mkdir()
        call = f'module "next" {{\n  source = "../m{i + 1}"\n}}\n' if i < 49 else ""
        (module / "main.tf").write_text(TABLE.format(name=f"t{i}", extra="") + call)
    result = _scan(tmp_path)
    names = {a.rsplit(".", 1)[-1] for a in _ddb001(result)}
    assert names == {f"t{i}" for i in range(50)}


def test_an_exponent_without_fraction_is_read(tmp_path: Path):
    (tmp_path / "main.tf").write_text(
        TABLE.format(name="t", extra="  read_capacity = 1e3\n  write_capacity = 1E+2\n")
    )
    result = _scan(tmp_path)
    assert not result.parse_errors
    assert _ddb001(result) == {"aws_dynamodb_table.t"}
    hf = parse_hcl((tmp_path / "main.tf").read_text(), "main.tf")
    attr = hf.blocks[0].attrs["read_capacity"]
    assert evaluate(attr.expr, attr.file, Scope(None)).value == 1000


def test_a_duplicated_attribute_is_reported(tmp_path: Path):
    (tmp_path / "main.tf").write_text(TABLE.format(name="t", extra='  name = "a"\n  name = "b"\n'))
    result = _scan(tmp_path)
    (failure,) = result.parse_failures
    assert failure.line == 4 and "'name' is set twice" in failure.message


def test_a_negative_count_is_reported(tmp_path: Path):
    (tmp_path / "main.tf").write_text(TABLE.format(name="t", extra="  count = -5\n"))
    result = _scan(tmp_path)
    assert any("count = -5 is negative" in n.message for n in result.parse_failures)


@pytest.mark.parametrize("sep", ["\u2028", "\u2029", "\x85"])
def test_unicode_line_separators_do_not_shift_line_numbers(sep: str):
    yaml_text = f'Description: "a{sep}b"\nResources:\n  T:\n    Type: AWS::DynamoDB::Table\n'
    data, _ = load_yaml(yaml_text, "t.yaml")
    assert data["Resources"].key_span("T")[0] == 3
    json_text = f'{{\n "Description": "a{sep}b",\n "Resources": {{"T": 1}}\n}}\n'
    data, _ = load_json(json_text, "t.json")
    assert data.value_span("Resources")[0] == 3
