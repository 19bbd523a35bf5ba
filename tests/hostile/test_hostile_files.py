"""Hostile files: devices, FIFOs, links out of the tree, unreadable and non-UTF-8 files.

Only regular files are read, with a byte limit; links leaving the scanned tree are not
followed by default; a file that failed to parse is located, never quoted; every file or
directory that could not be read is a notice (an error when it is infrastructure code)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hostile_helpers import TABLE_TF, run_cli

from ddb_guard.context import ScanContext
from ddb_guard.parse.source import read_text

SECRET = "ghp_Zx9SECRETtoken0123456789abcdefGHIJ"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "main.tf").write_text(TABLE_TF)
    return root


def _problems(result) -> dict[str, dict]:
    """Notices and PARSE001 findings (what cannot be read fails the gate), by path."""
    doc = json.loads(result.stdout)
    out = {n["path"]: n for n in doc["notices"]}
    out.update({f["path"]: f for f in doc["findings"] if f["rule_id"] == "PARSE001"})
    return out


def _findings(result) -> list[str]:
    return [f["rule_id"] for f in json.loads(result.stdout)["findings"]]


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_link_to_a_device_is_skipped_and_findings_stay(repo: Path):
    (repo / "zero.yaml").symlink_to("/dev/zero")
    result = run_cli(repo, "scan", "--format", "json", ".", seconds=10)
    assert "DDB001" in _findings(result)
    notices = json.loads(result.stdout)["notices"]
    assert any(n["path"] == "zero.yaml" for n in notices), notices
    assert result.exit_code == 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_does_not_hang_the_scan(repo: Path):
    os.mkfifo(repo / "pipe.yaml")
    os.mkfifo(repo / "pipe.tf")
    result = run_cli(repo, "scan", "--format", "json", ".", seconds=10)
    paths = _problems(result)
    assert "not a regular file" in paths["pipe.yaml"]["message"]
    assert paths["pipe.tf"]["rule_id"] == "PARSE001"  # a .tf file that cannot be read
    assert result.exit_code == 1
    assert "DDB001" in _findings(result)


def test_the_byte_limit_does_not_trust_the_file_size(tmp_path: Path):
    big = tmp_path / "big.yaml"
    big.write_text("a" * 2000)
    ctx = ScanContext(root=tmp_path, max_file_bytes=1000)
    notice = read_text(big, ctx)
    assert not isinstance(notice, str) and "larger than" in notice.message


def _outside_secret(tmp_path: Path) -> Path:
    creds = tmp_path / "home" / ".git-credentials"
    creds.parent.mkdir()
    creds.write_text(f"https://user:{SECRET}@github.com\npassword = {SECRET}\n")
    return creds


@pytest.mark.parametrize("fmt", ["text", "github", "sarif", "json"])
def test_a_link_out_of_the_tree_is_not_followed(repo: Path, tmp_path: Path, fmt: str):
    (repo / "creds.tf").symlink_to(_outside_secret(tmp_path))
    result = run_cli(repo, "scan", "--format", fmt, ".")
    assert SECRET not in result.output
    assert "creds.tf" in result.output and "outside the scanned tree" in result.output
    assert result.exit_code == 1  # infrastructure code that was not read fails the gate


@pytest.mark.parametrize("fmt", ["text", "github", "sarif"])
def test_a_parse_error_says_where_not_what(repo: Path, tmp_path: Path, fmt: str):
    (repo / "creds.tf").symlink_to(_outside_secret(tmp_path))
    result = run_cli(repo, "scan", "--follow-symlinks", "--format", fmt, ".")
    assert "creds.tf" in result.output and "syntax error" in result.output
    assert SECRET not in result.output
    assert "@github.com" not in result.output and "user:" not in result.output


def test_a_link_inside_the_tree_is_read(repo: Path):
    (repo / "sub").mkdir()
    (repo / "sub" / "table.tf.txt").write_text(TABLE_TF.replace("orders", "other"))
    (repo / "sub" / "link.tf").symlink_to(repo / "sub" / "table.tf.txt")
    result = run_cli(repo, "scan", "--format", "json", ".")
    assert _findings(result).count("DDB001") == 2, result.output


def test_a_latin1_template_is_an_error_notice(repo: Path):
    (repo / "template.yaml").write_bytes(
        b"AWSTemplateFormatVersion: '2010-09-09'\n# caf\xe9\nResources: {}\n"
    )
    (repo / "notes.yaml").write_bytes(b"title: caf\xe9\n")
    result = run_cli(repo, "scan", "--format", "json", "--strict", ".")
    notices = _problems(result)
    assert notices["template.yaml"]["level"] == "error"
    assert notices["template.yaml"]["line"] == 2
    assert notices["notes.yaml"]["level"] == "warning"  # not infrastructure code: said
    assert result.exit_code == 2


def _deny(monkeypatch, denied: Path) -> None:
    """Permission denied for one path, also when the tests run as root."""
    real_open, real_scandir = os.open, os.scandir

    def fake_open(path, *args, **kwargs):
        if Path(path).resolve() == denied:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    def fake_scandir(path="."):
        if Path(path).resolve() == denied:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "open", fake_open)
    monkeypatch.setattr(os, "scandir", fake_scandir)


def test_an_unreadable_tf_file_is_an_error_notice(repo: Path, monkeypatch):
    (repo / "secret.tf").write_text(TABLE_TF.replace("orders", "hidden"))
    _deny(monkeypatch, (repo / "secret.tf").resolve())
    result = run_cli(repo, "scan", "--format", "json", ".")
    notices = _problems(result)
    assert "Permission denied" in notices["secret.tf"]["message"]
    assert notices["secret.tf"]["level"] == "error"
    assert notices["secret.tf"]["rule_id"] == "PARSE001"
    assert "DDB001" in _findings(result)


def test_an_unreadable_directory_is_a_notice(repo: Path, monkeypatch):
    (repo / "locked").mkdir()
    (repo / "locked" / "t.yaml").write_text("AWSTemplateFormatVersion: '2010-09-09'\n")
    _deny(monkeypatch, (repo / "locked").resolve())
    result = run_cli(repo, "scan", "--format", "json", "--strict", ".")
    notices = _problems(result)
    assert "cannot read directory" in notices["locked"]["message"]
    assert result.exit_code == 2


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_a_chmod_000_file_is_a_notice(repo: Path):
    path = repo / "other.tf"
    path.write_text(TABLE_TF)
    path.chmod(0)
    try:
        result = run_cli(repo, "scan", "--format", "json", ".")
    finally:
        path.chmod(0o644)
    assert any(n["path"] == "other.tf" for n in json.loads(result.stdout)["notices"])
