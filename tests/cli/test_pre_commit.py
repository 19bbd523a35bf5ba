"""The pre-commit hook end to end: `pre-commit try-repo` on a throwaway git repository.

This installs ddb-guard into pre-commit's own virtualenv (from PyPI for its dependencies),
so it takes a few seconds; it is the real user path, so it stays in the suite.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

BAD_TF = """resource "aws_dynamodb_table" "orders" {
  name     = "orders"
  hash_key = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}
"""

GOOD_TF = """resource "aws_dynamodb_table" "orders" {
  name     = "orders"
  hash_key = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  point_in_time_recovery {
    enabled = true
  }
  deletion_protection_enabled = true
}
"""


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    proj = tmp_path / "project"
    proj.mkdir()
    git(proj, "init", "-q")
    git(proj, "config", "user.email", "t@example.com")
    git(proj, "config", "user.name", "t")
    (proj / "variables.tf").write_text('variable "env" {\n  default = "prod"\n}\n')
    (proj / "README.md").write_text("not scanned\n")
    return proj


def try_repo(proj: Path, *files: str) -> subprocess.CompletedProcess:
    pre_commit = shutil.which("pre-commit")
    cmd = [pre_commit] if pre_commit else [sys.executable, "-m", "pre_commit"]
    return subprocess.run(
        [*cmd, "try-repo", str(REPO), "ddb-guard", "--files", *files],
        cwd=proj,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PRE_COMMIT_HOME": str(proj.parent / "pc-home")},
    )


def test_hook_fails_on_unprotected_table_and_passes_when_fixed(project: Path):
    (project / "main.tf").write_text(BAD_TF)
    git(project, "add", ".")
    result = try_repo(project, "main.tf", "variables.tf", "README.md")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "main.tf:1:1: DDB001" in result.stdout
    assert "Failed" in result.stdout

    (project / "main.tf").write_text(GOOD_TF)
    git(project, "add", ".")
    result = try_repo(project, "main.tf", "variables.tf")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout
