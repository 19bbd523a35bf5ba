"""The pre-commit path pays only for what it scans: a Terraform-only scan never imports
the CloudFormation front-end, the price book or the cost report (each costs tens of ms)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

TABLE = """resource "aws_dynamodb_table" "t" {
  name     = "t"
  hash_key = "id"
  attribute {
    name = "id"
    type = "S"
  }
}
"""


def _modules_after_scan(tmp_path: Path, *args: str) -> set[str]:
    code = (
        "import sys; from click.testing import CliRunner; from ddb_guard.cli import main; "
        f"r = CliRunner().invoke(main, ['scan', *{list(args)!r}]); "
        "assert r.exit_code == 1, r.output; "
        "print(' '.join(m for m in sys.modules if m.startswith('ddb_guard.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert out.returncode == 0, out.stderr
    return set(out.stdout.split())


def test_terraform_scan_imports_no_cloudformation_pricing_or_cost(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(TABLE)
    loaded = _modules_after_scan(tmp_path, "main.tf")
    assert "ddb_guard.terraform.load" in loaded  # the scan did run
    unexpected = sorted(
        m
        for m in loaded
        if m.startswith(("ddb_guard.cloudformation", "ddb_guard.costreport"))
        or m == "ddb_guard.enrich.pricing"
    )
    assert unexpected == []


def test_a_param_option_still_loads_what_it_needs(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(TABLE)
    (tmp_path / "params.json").write_text('[{"ParameterKey": "A", "ParameterValue": "1"}]')
    loaded = _modules_after_scan(tmp_path, "--param-file", "params.json", "main.tf")
    assert "ddb_guard.cloudformation.params" in loaded


def test_a_warm_terraform_scan_does_not_import_yaml(tmp_path: Path, monkeypatch) -> None:
    """The rules come from the data cache (ddb_guard.parse.datacache) once it is warm."""
    monkeypatch.setenv("DDB_GUARD_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "main.tf").write_text(TABLE)
    code = (
        "import sys; from click.testing import CliRunner; from ddb_guard.cli import main; "
        "r = CliRunner().invoke(main, ['scan', 'main.tf']); "
        "assert r.exit_code == 1, r.output; print('yaml' in sys.modules)"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path
        )
        for _ in range(2)
    ]
    assert [r.stdout.strip() for r in runs] == ["True", "False"], [r.stderr for r in runs]
