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


@pytest.fixture(scope="module")
def pc_home(tmp_path_factory) -> Path:
    """One pre-commit home for the module: with a committed checkout the hook's
    environment is installed once."""
    return tmp_path_factory.mktemp("pc-home")


def try_repo(
    proj: Path, *files: str, home: Path | None = None, hook: str = "ddb-guard"
) -> subprocess.CompletedProcess:
    pre_commit = shutil.which("pre-commit")
    cmd = [pre_commit] if pre_commit else [sys.executable, "-m", "pre_commit"]
    return subprocess.run(
        [*cmd, "try-repo", str(REPO), hook, "--files", *files],
        cwd=proj,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PRE_COMMIT_HOME": str(home or proj.parent / "pc-home")},
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


def test_fix_hook_fixes_the_file_and_fails_the_commit_once(project: Path):
    (project / "main.tf").write_text(BAD_TF)
    git(project, "add", ".")
    result = try_repo(project, "main.tf", "variables.tf", hook="ddb-guard-fix")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "files were modified by this hook" in result.stdout
    text = (project / "main.tf").read_text()
    assert "point_in_time_recovery {\n    enabled = true\n  }" in text
    assert "deletion_protection_enabled = true" in text

    git(project, "add", ".")
    result = try_repo(project, "main.tf", "variables.tf", hook="ddb-guard-fix")
    assert result.returncode == 0, result.stdout + result.stderr


# A root module whose PITR is decided by a variable, and a local module it calls.
LIVE_TABLES = """resource "aws_dynamodb_table" "direct" {
  name     = "direct"
  hash_key = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  point_in_time_recovery {
    enabled = var.pitr
  }
  deletion_protection_enabled = true
}

module "orders" {
  source = "../modules/table"
}
"""

MODULE_TF = """resource "aws_dynamodb_table" "this" {
  name     = "orders"
  hash_key = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  point_in_time_recovery {
    enabled = var.pitr
  }
  deletion_protection_enabled = true
}
"""


@pytest.fixture
def layered(project: Path) -> Path:
    """live/ (tables.tf, variables.tf) calling modules/table (main.tf, variables.tf), all
    protected and committed: each test then changes one file, as a commit would."""
    (project / "live").mkdir()
    (project / "modules" / "table").mkdir(parents=True)
    (project / "live" / "tables.tf").write_text(LIVE_TABLES)
    (project / "live" / "variables.tf").write_text(PITR_VARIABLE.format("true"))
    (project / "modules" / "table" / "main.tf").write_text(MODULE_TF)
    (project / "modules" / "table" / "variables.tf").write_text(PITR_VARIABLE.format("true"))
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "protected")
    return project


PITR_VARIABLE = 'variable "pitr" {{\n  default = {}\n}}\n'


def test_changing_only_a_variable_default_reports_the_table_it_decides(layered, pc_home):
    (layered / "live" / "variables.tf").write_text(PITR_VARIABLE.format("false"))
    git(layered, "add", ".")
    result = try_repo(layered, "live/variables.tf", home=pc_home)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "live/tables.tf:9:15: DDB001" in result.stdout
    assert "live/variables.tf:2: value decided here" in result.stdout


def test_changing_only_a_tfvars_file_runs_the_hook(layered, pc_home):
    (layered / "live" / "terraform.tfvars").write_text("pitr = false\n")
    git(layered, "add", ".")
    result = try_repo(layered, "live/terraform.tfvars", home=pc_home)
    assert "no files to check" not in result.stdout
    assert result.returncode == 1, result.stdout + result.stderr
    assert "live/tables.tf:9:15: DDB001" in result.stdout


def test_changing_a_file_inside_a_local_module_reports_its_callers(layered, pc_home):
    (layered / "modules" / "table" / "variables.tf").write_text(PITR_VARIABLE.format("false"))
    git(layered, "add", ".")
    result = try_repo(layered, "modules/table/variables.tf", home=pc_home)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "DDB001 [error] Table module.orders.aws_dynamodb_table.this" in result.stdout
    assert "aws_dynamodb_table.direct" not in result.stdout  # not affected by the change


def test_one_summary_and_no_notices_about_files_not_passed(layered, pc_home):
    (layered / "live" / "broken.tf").write_text('resource "aws_dynamodb_table" "x" {\n  name = \n')
    names = "abcdefgh"  # pre-commit splits 9+ files into one batch per CPU unless serial
    for name in names:
        (layered / f"{name}.tf").write_text(GOOD_TF.replace('"orders"', f'"{name}"'))
    git(layered, "add", ".")
    files = (*(f"{name}.tf" for name in names), "live/tables.tf", "live/variables.tf")
    result = try_repo(layered, *files, "--verbose", home=pc_home)  # shows a passing output
    summaries = [ln for ln in result.stdout.splitlines() if ln.startswith("No problems found")]
    assert summaries == ["No problems found in 10 files."], result.stdout  # one, not per batch
    # live/broken.tf was read for context only: its parse error belongs to whoever changes it
    assert "broken.tf" not in result.stdout
    assert result.returncode == 0, result.stdout + result.stderr
