"""Terragrunt front-end: a directory with ``terragrunt.hcl`` is a unit.

Public API::

    load_units(loader, unit_files, ctx) -> (list of emitted resources per unit, notices,
                                             module directories the units deploy)

A unit's module is its ``terraform { source }`` (a local path, ``//`` sub-directories and
``?ref=`` allowed; ``tfr:///`` sources of modelled registry modules; a remote source is
read from the copy Terragrunt left in ``.terragrunt-cache``, else reported like an
unresolved module source) or, without one, the unit's
own directory. Its ``inputs`` are the module's root variables (see :mod:`.unit` for the
precedence), with ``include`` (shallow/deep/no_merge), ``locals``, ``dependency``
(outputs unknown, named) and the functions in :class:`.config.Context` evaluated
statically. A ``terragrunt.hcl`` that another scanned unit includes is a parent
configuration, not a unit. Findings are located at the unit's ``inputs`` line that decided
them, else at its ``source`` line, with the module's lines as related locations; the module
directory is then not analysed again as a root with its defaults.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from ddb_guard.context import ScanContext
from ddb_guard.enums import Level, NoticeKind
from ddb_guard.model import Notice
from ddb_guard.terraform.module import Emitted
from ddb_guard.terragrunt.config import Reader
from ddb_guard.terragrunt.unit import Loader, instantiate, load_config

__all__ = ["UNIT_FILE", "load_units"]

T = TypeVar("T")

UNIT_FILE = "terragrunt.hcl"


def load_units(
    loader: Loader, units: list[Path], ctx: ScanContext
) -> tuple[list[list[Emitted]], list[Notice], set[Path]]:
    """Evaluate each unit; see the module docstring."""
    reader = Reader(ctx)
    configs = []
    notices: list[Notice] = []
    for path in sorted({p.resolve() for p in units}):
        cfg = _guarded(notices, ctx.rel(path), load_config, reader, path)
        if cfg is not None:
            configs.append(cfg)
    included = {p for cfg in configs for p in cfg.includes}
    groups: list[list[Emitted]] = []
    module_dirs: set[Path] = set()
    for cfg in configs:
        if cfg.path in included:
            continue  # a parent configuration that scanned units include
        result = _guarded(notices, cfg.rel, instantiate, loader, cfg, reader)
        if result is None:
            continue
        emitted, used = result
        groups.append(emitted)
        module_dirs |= used
        notices.extend(cfg.notices)
    notices.extend(reader.notices)
    return groups, notices, module_dirs


def _guarded(notices: list[Notice], rel: str, fn: Callable[..., T], *args: Any) -> T | None:
    """One unit's unexpected error is a notice on that unit; the other units go on."""
    try:
        return fn(*args)
    except RecursionError:
        notices.append(
            Notice(rel, "Terragrunt unit nested too deeply to evaluate", level=Level.ERROR)
        )
    except Exception as exc:
        if os.environ.get("DDB_GUARD_DEBUG", "") not in ("", "0"):
            raise
        notices.append(
            Notice(
                rel,
                f"Terragrunt unit: internal error ({type(exc).__name__}: {exc}); please report "
                "this",
                level=Level.ERROR,
                kind=NoticeKind.PARSE_ERROR,
            )
        )
    return None
