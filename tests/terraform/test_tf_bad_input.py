"""Bad input never crashes or hangs: it yields notices (or unknown values)."""

from __future__ import annotations

import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tf_helpers import load

from ddb_guard.context import ScanContext
from ddb_guard.terraform.hcl import parse_hcl
from ddb_guard.terraform.load import Loader
from ddb_guard.terraform.module import ModuleDef, ModuleInstance

GOOD = 'resource "aws_dynamodb_table" "ok" {\n  name = "ok"\n}\n'


def test_empty_binary_and_non_utf8_files(tmp_path: Path) -> None:
    res, notices = load(
        tmp_path,
        {
            "ok.tf": GOOD,
            "empty.tf": "",
            "binary.tf": b"\x00\x01\x02resource",
            "latin1.tf": "# caf\xe9\n".encode("latin-1"),
        },
    )
    assert list(res) == ["aws_dynamodb_table.ok"]
    by_path = {n.path: n for n in notices}
    assert set(by_path) == {"binary.tf", "latin1.tf"}
    assert by_path["binary.tf"].kind == "skipped"
    assert by_path["latin1.tf"].kind == "parse-error" and by_path["latin1.tf"].line == 1


def test_malformed_hcl_in_a_module(tmp_path: Path) -> None:
    res, notices = load(
        tmp_path,
        {
            "main.tf": GOOD + 'resource "aws_dynamodb_table" "bad" {\n  name = "unterminated\n}\n',
        },
    )
    assert "aws_dynamodb_table.ok" in res
    assert notices and notices[0].path == "main.tf" and notices[0].kind == "parse-error"


def test_directory_without_terraform_files(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("hi")
    assert load(tmp_path) == ({}, [])


def test_pathological_inputs_finish_quickly(tmp_path: Path) -> None:
    deep = "x = " + "[" * 3000 + "]" * 3000 + "\n"
    cyclic_modules = {
        "main.tf": 'module "self" {\n  source = "./"\n}\n' + GOOD,
    }
    start = time.perf_counter()
    parse_hcl(deep, "deep.tf")
    res, notices = load(tmp_path, cyclic_modules)
    assert "aws_dynamodb_table.ok" in res
    assert any("module cycle" in n.message for n in notices)
    assert time.perf_counter() - start < 5


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet='resourcvaiblq{}[]()"=$%~<>-.,:?!*/\n #\\0123456789', max_size=200))
def test_random_text_never_raises(text: str) -> None:
    src = GOOD.replace('"ok"\n', '"ok"\n  tags = ' + text.replace("\n", " ") + "\n", 1)
    hf = parse_hcl(src + text, "fuzz.tf")
    for n in hf.notices:
        assert n.path == "fuzz.tf"
    mdef = ModuleDef(Path("/nonexistent-ddb-guard"), ".")
    mdef.add(hf)
    inst = ModuleInstance(Loader(ScanContext(root=Path("/"), env={})), mdef, root_values={})
    for emitted in inst.collect():
        assert emitted.resource.type.startswith(("aws_dynamodb_", "aws_backup_"))
