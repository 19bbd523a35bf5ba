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


# cfn-lint as a test oracle for the CloudFormation front-end: the resource tree
# ddb-guard's loader reads (logical ids, types, properties with intrinsics in long form)
# equals cfn-lint's decoder's, for the examples, rule fixtures and test fixtures.
ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = sorted(
    p
    for pattern in (
        "examples/**/*.yaml",
        "examples/cdk/cdk.out/*.template.json",
        "rules/**/*.cfn.yaml",
        "tests/fixtures/**/*.yaml",
        "tests/fixtures/**/*.json",
    )
    for p in ROOT.glob(pattern)
    if "serverless" not in p.parts and "Resources" in p.read_text(errors="replace")
)
EXAMPLES = [
    ROOT / "examples/cloudformation/template.yaml",
    ROOT / "examples/sam/template.yaml",
    ROOT / "examples/cdk/cdk.out/ShopStack.template.json",
]


def _plain(doc: object) -> object:
    import json

    return json.loads(json.dumps(doc, default=str))


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_loader_reads_the_resources_cfn_lint_reads(path: Path) -> None:
    decode = pytest.importorskip("cfnlint.decode")
    from ddb_guard.parse.yaml_loader import load_json, load_yaml

    text = path.read_text()
    theirs, errors = decode.decode_str(text)
    if errors or not isinstance(theirs, dict) or not isinstance(theirs.get("Resources"), dict):
        pytest.skip("not a template cfn-lint decodes (a deliberately broken fixture)")
    ours, _ = (load_json if path.suffix == ".json" else load_yaml)(text, str(path))
    assert isinstance(ours, dict)
    assert _plain(ours["Resources"]) == _plain(theirs["Resources"])


def test_cfn_lint_finds_no_errors_in_the_examples() -> None:
    pytest.importorskip("cfnlint")
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from cfnlint.runner import main; main()",
            "--format",
            "parseable",
            *map(str, EXAMPLES),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    errors = [ln for ln in proc.stdout.splitlines() if ":E" in ln]
    assert not errors, proc.stdout
