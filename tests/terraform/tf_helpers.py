"""Helpers for the Terraform front-end tests (HCL/tf.json loading and evaluation)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ddb_guard.context import ScanContext
from ddb_guard.model import Notice, Value
from ddb_guard.terraform.evaluate import evaluate
from ddb_guard.terraform.hcl import parse_hcl
from ddb_guard.terraform.load import Loader, load_terraform
from ddb_guard.terraform.module import ModuleDef, ModuleInstance
from ddb_guard.terraform.resource import TfResource


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def load(
    root: Path,
    files: dict[str, str | bytes] | None = None,
    *,
    scan: list[str] | None = None,
    env: dict[str, str] | None = None,
    tf_vars: list[tuple[str, str]] | None = None,
    tf_var_files: list[Path] | None = None,
) -> tuple[dict[str, TfResource], list[Notice]]:
    """Write ``files`` under ``root`` and load the directories in ``scan`` (default: root)."""
    if files:
        write(root, files)
    ctx = ScanContext(
        root=root, env=env or {}, tf_vars=tf_vars or [], tf_var_files=tf_var_files or []
    )
    dirs = [root / d for d in scan] if scan else [root]
    resources, notices = load_terraform({d: None for d in dirs}, ctx)
    by_address = {r.address: r for r in resources}
    assert len(by_address) == len(resources), [r.address for r in resources]
    return by_address, notices


def ev(expr: str, pre: str = "", **bindings: Value) -> Value:
    """Evaluate ``expr`` in a module holding the declarations in ``pre``."""
    hf = parse_hcl(f"{pre}\nlocals {{\n  __x = {expr}\n}}\n", "m.tf")
    assert not hf.notices, hf.notices
    mdef = ModuleDef(Path("/nonexistent-ddb-guard"), ".")
    mdef.add(hf)
    inst = ModuleInstance(Loader(ScanContext(root=Path("/"), env={})), mdef, root_values={})
    attr = mdef.locals["__x"]
    return evaluate(attr.expr, attr.file, inst.scope.bind(**bindings))


def val(expr: str, pre: str = "", **bindings: Value) -> Any:
    """The known value of ``expr`` (fails the test if unknown)."""
    v = ev(expr, pre, **bindings)
    assert v.known, v
    return v.value


def messages(notices: list[Notice]) -> str:
    return "\n".join(str(n) for n in notices)
