"""scripts/validate-sarif.sh: the gate around Microsoft's SARIF Multitool.

The gate logic runs against a stand-in Multitool that writes a canned output log; the real
Multitool runs only when it is already installed (the script installs it with npm, which
tests must not do).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from ddb_guard.report import get_reporter

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "validate-sarif.sh"
BIN = Path("node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool")

FAKE = """#!/usr/bin/env bash
# Stand-in for Sarif.Multitool: `validate FILE --rule-kind K -o OUT` copies $FAKE_OUT to OUT.
[ "$1" = validate ] || exit 9
[ "$3 $4" = "--rule-kind Ghas;Sarif" ] || exit 8
[ "$5" = -o ] || exit 7
echo "$2" >> "$FAKE_CALLS"
cp "$FAKE_OUT" "$6"
echo "Analysis completed successfully."
"""

GH1013 = {
    "id": "GH1013",
    "messageStrings": {
        "Warning_Default": {
            "text": "{0}: The SARIF log file does not contain a '$schema' property."
        }
    },
}


def out_log(results: list[dict]) -> dict:
    return {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "Sarif.Multitool",
            "rules": [GH1013]}}, "results": results}]}  # fmt: skip


def problem(level: str) -> dict:
    return {
        "ruleId": "GH1013",
        "ruleIndex": 0,
        "level": level,
        "message": {"id": "Warning_Default", "arguments": ["runs[0]", "GitHub"]},
        "locations": [{"physicalLocation": {"region": {"startLine": 1}}}],
    }


@pytest.fixture
def fake(tmp_path: Path):
    """Install the stand-in; return ``run(out_results, *files) -> CompletedProcess``."""
    tool = tmp_path / "mt" / BIN
    tool.parent.mkdir(parents=True)
    tool.write_text(FAKE)
    tool.chmod(0o755)
    calls = tmp_path / "calls.txt"

    def run(results: list[dict], *files: str) -> subprocess.CompletedProcess[str]:
        out = tmp_path / "out.sarif"
        out.write_text(json.dumps(out_log(results)))
        env = {**os.environ, "SARIF_MULTITOOL_DIR": str(tmp_path / "mt"), "FAKE_OUT": str(out),
               "FAKE_CALLS": str(calls)}  # fmt: skip
        return subprocess.run(["bash", str(SCRIPT), *files], env=env, capture_output=True,
                              text=True, check=False)  # fmt: skip

    run.calls = calls  # type: ignore[attr-defined]
    return run


@pytest.fixture
def sarif_file(tmp_path: Path, result, options) -> str:
    path = tmp_path / "scan.sarif"
    path.write_text(get_reporter("sarif").render(result, options), encoding="utf-8")
    return str(path)


def test_clean_output_passes(fake, sarif_file: str) -> None:
    proc = fake([problem("note")], sarif_file)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"{sarif_file}: valid" in proc.stdout


@pytest.mark.parametrize("level", ["error", "warning"])
def test_errors_and_warnings_fail_and_are_printed(fake, sarif_file: str, level: str) -> None:
    proc = fake([problem(level)], sarif_file)
    assert proc.returncode == 1
    assert (
        f"{sarif_file}:1: {level} GH1013: runs[0]: "
        "The SARIF log file does not contain a '$schema' property."
    ) in proc.stdout.splitlines()


def test_every_file_is_checked(fake, sarif_file: str, tmp_path: Path) -> None:
    other = tmp_path / "other.sarif"
    other.write_text("{}")
    proc = fake([], sarif_file, str(other))
    assert proc.returncode == 0
    assert fake.calls.read_text().split() == [sarif_file, str(other)]


def test_missing_file_fails(fake, tmp_path: Path) -> None:
    proc = fake([], str(tmp_path / "nope.sarif"))
    assert proc.returncode == 1
    assert "no such file" in proc.stderr


def test_no_arguments_is_a_usage_error() -> None:
    proc = subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert "usage:" in proc.stderr


def _installed_multitool() -> Path | None:
    base = os.environ.get("SARIF_MULTITOOL_DIR") or str(
        Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        / "ddb-guard"
        / "sarif-multitool"
    )
    return Path(base) if (Path(base) / BIN).is_file() else None


@pytest.mark.skipif(_installed_multitool() is None, reason="SARIF Multitool not installed")
@pytest.mark.skipif(shutil.which("python3") is None, reason="python3 not on PATH")
def test_real_multitool_accepts_our_sarif(
    sarif_file: str, tmp_path: Path, make_finding, make_result, options
) -> None:
    env = {**os.environ, "SARIF_MULTITOOL_DIR": str(_installed_multitool())}
    files = [sarif_file]
    variants = {
        "zero": make_result(files=["a.tf"]),
        "unlisted-rule": make_result([make_finding("DDB999")]),
        "suppressed": make_result(
            [make_finding(suppressed=""), make_finding("DDB002", suppressed="x")]
        ),
    }
    variants["unlisted-rule"].rules = []
    for name, res in variants.items():
        path = tmp_path / f"{name}.sarif"
        path.write_text(get_reporter("sarif").render(res, options), encoding="utf-8")
        files.append(str(path))
    proc = subprocess.run(["bash", str(SCRIPT), *files], env=env, capture_output=True,
                          text=True, check=False, timeout=300)  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count(": valid") == len(files)
    broken = tmp_path / "broken.sarif"
    log = json.loads(Path(sarif_file).read_text(encoding="utf-8"))
    del log["$schema"]
    broken.write_text(json.dumps(log))
    proc = subprocess.run(["bash", str(SCRIPT), str(broken)], env=env, capture_output=True,
                          text=True, check=False, timeout=120)  # fmt: skip
    assert proc.returncode == 1
    assert "GH1013" in proc.stdout
