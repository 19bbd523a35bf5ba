"""The GitHub Action (action.yml) and its shell part (scripts/action.sh), run locally with
GITHUB_STEP_SUMMARY and GITHUB_OUTPUT pointing at temporary files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "action.sh"

TABLE_TF = """resource "aws_dynamodb_table" "orders" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}
"""

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")


def _run(tmp_path: Path, **inputs: str) -> tuple[subprocess.CompletedProcess, dict, str]:
    repo = tmp_path / "repo"
    (repo / "infra").mkdir(parents=True, exist_ok=True)
    (repo / "infra" / "main.tf").write_text(TABLE_TF)
    summary, output = tmp_path / "summary.md", tmp_path / "output.txt"
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "DDB_GUARD_INSTALL": "false",  # the test runs the checkout installed in this venv
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_OUTPUT": str(output),
        "RUNNER_TEMP": str(tmp_path),
        **{f"INPUT_{k.upper()}": v for k, v in inputs.items()},
    }
    env.pop("DDB_GUARD_DEBUG", None)
    proc = subprocess.run(
        ["bash", str(SCRIPT)], cwd=repo, env=env, capture_output=True, text=True, timeout=120
    )
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)
    return proc, outputs, summary.read_text() if summary.exists() else ""


def test_findings_sarif_and_summary(tmp_path: Path) -> None:
    proc, outputs, summary = _run(tmp_path, paths="infra")
    assert proc.returncode == 0, proc.stderr  # the last action step fails, after upload
    assert outputs["exit-code"] == "1"
    assert "infra/main.tf:1:1: DDB001 [error]" in proc.stdout
    sarif = json.loads(Path(outputs["sarif-file"]).read_text())
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} >= {"DDB001", "DDB003"}
    assert summary.startswith("## ddb-guard: DynamoDB protection cost")
    assert "| orders |" in summary or "orders" in summary


def test_fail_on_and_switches(tmp_path: Path) -> None:
    proc, outputs, summary = _run(
        tmp_path, paths="infra\n", **{"fail_on": "never", "sarif": "false", "summary": "false"}
    )
    assert proc.returncode == 0, proc.stderr
    assert outputs == {"exit-code": "0", "sarif-file": ""}
    assert summary == ""
    assert not (tmp_path / "ddb-guard.sarif").exists()


def test_missing_path_is_exit_2_without_sarif(tmp_path: Path) -> None:
    _, outputs, _ = _run(tmp_path, paths="nope", summary="false")
    assert outputs["exit-code"] == "2"
    assert outputs["sarif-file"] == ""


def test_action_yml_wires_the_script() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert set(action["inputs"]) == {"paths", "fail-on", "config", "sarif", "summary"}
    assert action["inputs"]["sarif"]["default"] == "true"
    assert action["inputs"]["summary"]["default"] == "true"
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    scan = next(s for s in steps if s.get("id") == "scan")
    assert "scripts/action.sh" in scan["run"]
    assert scan["env"]["ACTION_PATH"] == "${{ github.action_path }}"
    upload = next(s for s in steps if "upload-sarif" in s.get("uses", ""))
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert "steps.scan.outputs.sarif-file" in upload["with"]["sarif_file"]
    assert steps[-1]["run"] == 'exit "${{ steps.scan.outputs.exit-code }}"'
    # every input reaches the script
    for name in action["inputs"]:
        assert f"inputs.{name}" in scan["env"][f"INPUT_{name.upper().replace('-', '_')}"]
