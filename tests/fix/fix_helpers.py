"""Shared helpers of the fix tests: run the command in a copy, read edited files."""

from __future__ import annotations

import difflib
import re
import shutil
from pathlib import Path

import yaml
from click.testing import CliRunner

from ddb_guard.cli import main

REPO = Path(__file__).resolve().parents[2]


def copy(src: Path, tmp: Path) -> Path:
    """``src`` (file or directory) copied under ``tmp/work`` (the scan root)."""
    work = tmp / "work"
    work.mkdir(exist_ok=True)
    if src.is_dir():
        shutil.copytree(src, work / src.name)
    else:
        shutil.copy2(src, work / src.name)
    return work


def fix(root: Path, *args: str):
    """``ddb-guard fix`` with ``--root root`` on ``args`` (relative to the root)."""
    import os

    old = os.getcwd()
    os.chdir(root)
    try:
        return CliRunner().invoke(main, ["fix", "--root", str(root), *args])
    finally:
        os.chdir(old)


def scan_json(root: Path, *args: str) -> dict:
    import json
    import os

    old = os.getcwd()
    os.chdir(root)
    try:
        out = CliRunner().invoke(main, ["scan", "--root", str(root), "--format", "json", *args])
    finally:
        os.chdir(old)
    return json.loads(out.stdout)


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


class _CfnLoader(yaml.SafeLoader):
    """PyYAML with CloudFormation's short-form tags (!Ref, !If, ...)."""


def _tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> object:
    if isinstance(node, yaml.ScalarNode):
        return {suffix: loader.construct_scalar(node)}
    if isinstance(node, yaml.SequenceNode):
        return {suffix: loader.construct_sequence(node, deep=True)}
    return {suffix: loader.construct_mapping(node, deep=True)}


_CfnLoader.add_multi_constructor("!", _tag)


def still_reads(path: Path) -> None:
    """python-hcl2 (Terraform) or PyYAML with CloudFormation tags reads the file."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".tf":
        import hcl2

        hcl2.loads(text)
    elif path.suffix in (".yaml", ".yml"):
        yaml.load(text, Loader=_CfnLoader)  # a SafeLoader subclass
    elif path.suffix == ".json":
        import json

        json.loads(text)


_PROTECTED = {
    "false": "true",
    "False": "True",
    "FALSE": "TRUE",
    "Delete": "Retain",
    "Snapshot": "Retain",
}
_FLIP = re.compile(r"\b(false|False|FALSE|Delete|Snapshot)\b")
_ALIGN = re.compile(r"^(\s*[\w\"-]+?)[ \t]+=(?!=)")
_DAYS = re.compile(r"\b\d+\b")


def _aligned(line: str) -> str:
    """A line as it compares: the spaces before ``=`` (re-aligned as ``terraform fmt``
    does when a longer name joins the block) and a number of days (DDB002) do not count."""
    return _DAYS.sub("0", _ALIGN.sub(r"\1 =", line))


def only_inserted_or_flipped(old: bytes, new: bytes) -> None:
    """Every original line is still there, unchanged, except a literal turned protective
    or text inserted into it (a JSON comma before an added member)."""
    a = [_aligned(line) for line in old.decode().split("\n")]
    b = [_aligned(line) for line in new.decode().split("\n")]
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag in ("equal", "insert"):
            continue
        assert tag == "replace" and (i2 - i1) <= (j2 - j1), (tag, a[i1:i2], b[j1:j2])
        # each old line, in order, is a new line: as it was, flipped, or inserted into
        j = j1
        for i in range(i1, i2):
            flipped = _FLIP.sub(lambda m: _PROTECTED[m.group(1)], a[i])
            while j < j2 and b[j] != flipped and not _inserted_into(flipped, b[j]):
                j += 1
            assert j < j2, (a[i], b[j1:j2])
            j += 1


def _inserted_into(old: str, new: str) -> bool:
    """``new`` is ``old`` with text inserted at one place (a JSON comma, a flow member), or
    with a number changed (a PITR window raised to the rule's minimum)."""
    if re.sub(r"\d+", "0", old) == re.sub(r"\d+", "0", new):
        return True
    if len(new) <= len(old):
        return False
    k = 0
    while k < len(old) and old[k] == new[k]:
        k += 1
    return new.endswith(old[k:])
