"""ddb-guard's rules as cfn-lint custom rules (the ``cfn-lint`` extra): run cfn-lint with
``--append-rules "$(ddb-guard cfn-lint-rules)"`` when cfn-lint is installed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ddb_guard.cli import main

TEMPLATE = """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      BillingMode: PAY_PER_REQUEST
      KeySchema: [{AttributeName: pk, KeyType: HASH}]
      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
      PointInTimeRecoverySpecification:
        PointInTimeRecoveryEnabled: false
"""


def _rules_dir() -> str:
    result = CliRunner().invoke(main, ["cfn-lint-rules"])
    assert result.exit_code == 0
    return result.output.strip()


def test_cfn_lint_rules_prints_the_adapter_directory() -> None:
    directory = Path(_rules_dir())
    assert directory.is_dir()
    assert (directory / "DdbGuardRules.py").is_file()


def test_cfn_lint_reports_ddb_guard_findings_at_their_line(tmp_path: Path) -> None:
    pytest.importorskip("cfnlint")
    template = tmp_path / "template.yaml"
    template.write_text(TEMPLATE)
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from cfnlint.runner import main; main()",
            str(template),
            "--append-rules",
            _rules_dir(),
            "--format",
            "parseable",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    lines = proc.stdout.splitlines()
    ddb001 = [ln for ln in lines if ":E9100:DDB001: " in ln]
    assert ddb001, proc.stdout + proc.stderr
    assert ddb001[0].startswith(f"{template}:12:37:")  # the value's line and column
    assert any(":W9100:DDB003: " in ln for ln in lines)  # no deletion protection: a warning
    assert not any("DDB004" in ln for ln in lines)  # Retain policies: no finding
    assert proc.returncode != 0


def test_the_scan_path_does_not_import_cfn_lint(tmp_path: Path) -> None:
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    code = (
        "import sys; from click.testing import CliRunner; from ddb_guard.cli import main; "
        f"CliRunner().invoke(main, ['scan', {str(tmp_path)!r}]); "
        "print(any(m == 'cfnlint' or m.startswith('cfnlint.') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "False", out.stderr
