"""`ddb-guard fix` on Terraform: one snapshot of `fix --diff` (and of what it reports) per
front-end under ``tf_cases/``, and the round trip of each: python-hcl2 still reads every
edited file, the fixed findings are gone, original lines survive (inserted lines, flipped
literals and ``=`` re-alignment only), a second run changes nothing, and files that were
``terraform fmt``-clean stay so.

``DDB_GUARD_UPDATE_SNAPSHOTS=1`` rewrites the snapshots under ``snapshots/``."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from fix_helpers import copy, fix, only_inserted_or_flipped, scan_json, snapshot

CASES_DIR = Path(__file__).parent / "tf_cases"
SNAPSHOTS = Path(__file__).parent / "snapshots"
CASES = sorted(p.name for p in CASES_DIR.iterdir() if p.is_dir())
FIXABLE = ("DDB001", "DDB002", "DDB003", "DDB005", "DDB006")
_NOT_FIXED = re.compile(r"^(\S+):(\d+): (DDB\d{3}): (\S+): not fixed: ")


def _check(path: Path, text: str) -> None:
    if os.environ.get("DDB_GUARD_UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing snapshot {path}; run with DDB_GUARD_UPDATE_SNAPSHOTS=1"
    assert text == path.read_text(encoding="utf-8")


def _fails(report: dict) -> set[tuple[str, str]]:
    return {
        (f["rule_id"], f["address"])
        for f in report["findings"]
        if f["rule_id"] in FIXABLE and f["outcome"] == "fail" and not f["suppressed"]
    }


def _reads(path: Path) -> None:
    import hcl2

    hcl2.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES)
def test_fix_diff_snapshot(case, tmp_path):
    root = copy(CASES_DIR / case, tmp_path)
    before = snapshot(root)
    result = fix(root, case, "--diff")
    assert snapshot(root) == before, "--diff wrote a file"
    assert "Traceback" not in result.output
    report = "".join(
        line + "\n" for line in result.stderr.splitlines() if not line.startswith("ddb-guard:")
    )
    _check(SNAPSHOTS / f"tf_{case}.diff", result.stdout)
    _check(SNAPSHOTS / f"tf_{case}.report", report)


@pytest.mark.parametrize("case", CASES)
def test_fix_round_trip(case, tmp_path):
    root = copy(CASES_DIR / case, tmp_path)
    before_files = snapshot(root)
    before = _fails(scan_json(root, case))
    first = fix(root, case)
    assert first.exit_code in (0, 1), first.output
    not_fixed = {
        (m.group(3), m.group(4))
        for line in first.stdout.splitlines()
        if (m := _NOT_FIXED.match(line))
    }
    after = _fails(scan_json(root, case))
    assert after == not_fixed & before, (after, not_fixed)
    after_files = snapshot(root)
    edited = [p for p in after_files if after_files[p] != before_files[p]]
    assert edited
    for path in edited:
        _reads(root / path)
        only_inserted_or_flipped(before_files[path], after_files[path])
    second = fix(root, case)
    assert snapshot(root) == after_files, "a second fix run changed files"
    assert not re.search(r": DDB\d{3}: fixed: ", second.stdout), second.stdout


def _unformatted(root: Path) -> set[str]:
    out = subprocess.run(
        ["terraform", "fmt", "-check", "-recursive", "-list=true", str(root)],
        capture_output=True,
        text=True,
        check=False,
    )
    return {line.strip() for line in out.stdout.splitlines() if line.strip()}


@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not installed")
@pytest.mark.parametrize("case", CASES)
def test_fixed_files_stay_terraform_fmt_clean(case, tmp_path):
    root = copy(CASES_DIR / case, tmp_path)
    unformatted = _unformatted(root)
    fix(root, case)
    assert _unformatted(root) <= unformatted


REPLICA_CRLF = (
    'resource "aws_dynamodb_table_replica" "eu" {\r\n'
    '  global_table_arn = "arn:aws:dynamodb:us-east-1:1234:table/orders"\r\n'
    "}"
)


def test_replica_insert_keeps_crlf_and_missing_final_newline(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    (root / "main.tf").write_bytes(REPLICA_CRLF.encode())
    result = fix(root, "main.tf")
    assert result.exit_code == 0, result.output
    assert (root / "main.tf").read_bytes() == (
        b'resource "aws_dynamodb_table_replica" "eu" {\r\n'
        b'  global_table_arn            = "arn:aws:dynamodb:us-east-1:1234:table/orders"\r\n'
        b"  point_in_time_recovery      = true\r\n"
        b"  deletion_protection_enabled = true\r\n"
        b"}"
    )


def test_expression_in_a_replica_is_reported_or_replaced_with_unsafe(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    text = REPLICA_CRLF.replace("\r\n", "\n").replace(
        "\n}",
        '\n  point_in_time_recovery      = var.env == "prod"\n'
        "  deletion_protection_enabled = true\n}\n",
    )
    text = 'variable "env" {\n  default = "dev"\n}\n\n' + text
    (root / "main.tf").write_text(text)
    safe = fix(root, "main.tf")
    assert "not fixed: decided by the expression at main.tf:7" in safe.stdout
    assert (root / "main.tf").read_text() == text
    unsafe = fix(root, "main.tf", "--unsafe")
    assert 'unsafe: replaced expression var.env == "prod" at main.tf:7' in unsafe.stdout
    assert "  point_in_time_recovery      = true\n" in (root / "main.tf").read_text()


def test_fix_the_source_instead_names_the_module_call(tmp_path):
    root = copy(CASES_DIR / "module_local", tmp_path)
    result = fix(root, "module_local", "--select", "DDB003")
    assert result.exit_code == 1
    assert (
        "module_local/main.tf:10: DDB003: module.sessions.aws_dynamodb_table.this: not fixed: "
        "set by the module source (module_local/modules/table/main.tf:10), not by an input of "
        'the call; fix the source instead (module "sessions" at module_local/main.tf:10)'
    ) in result.stdout


def test_unsafe_replaces_an_expression_in_the_call_never_the_module_source(tmp_path):
    root = copy(CASES_DIR / "module_local", tmp_path)
    modules = snapshot(root / "module_local" / "modules")
    result = fix(root, "module_local", "--unsafe")
    assert (
        'module_local/main.tf:30: DDB001: fixed: unsafe: replaced expression var.env == "prod" '
        "at module_local/main.tf:30"
    ) in result.stdout
    assert (
        "  pitr   = true\n}\n\n# the module's own resource"
        in (root / "module_local" / "main.tf").read_text()
    )
    assert snapshot(root / "module_local" / "modules") == modules
    assert (
        "module.legacy.aws_dynamodb_table.this: not fixed: decided inside the module source at "
        'module_local/modules/legacy/main.tf:16; fix the source instead (module "legacy" at '
        "module_local/main.tf:34)"
    ) in result.stdout


def test_readme_fix_diff_is_what_fix_prints(tmp_path):
    """The README's before/after example is the output of `fix --diff` on tf_cases/resource."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```diff\n\$ ddb-guard fix --diff main\.tf\n(.*?)```", readme, re.S)
    assert block is not None, "the README's fix example is missing"
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy(CASES_DIR / "resource" / "main.tf", root / "main.tf")
    assert fix(root, "main.tf", "--diff").stdout == block.group(1)
