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

from pathlib import Path

from ddb_guard.context import ScanContext
from ddb_guard.model import Notice
from ddb_guard.terraform.load import Loader
from ddb_guard.terraform.module import Emitted
from ddb_guard.terragrunt.config import Reader
from ddb_guard.terragrunt.unit import instantiate, load_config

__all__ = ["UNIT_FILE", "load_units"]

UNIT_FILE = "terragrunt.hcl"


def load_units(
    loader: Loader, units: list[Path], ctx: ScanContext
) -> tuple[list[list[Emitted]], list[Notice], set[Path]]:
    """Evaluate each unit; see the module docstring."""
    reader = Reader(ctx)
    configs = []
    for path in sorted({p.resolve() for p in units}):
        cfg = load_config(reader, path)
        if cfg is not None:
            configs.append(cfg)
    included = {p for cfg in configs for p in cfg.includes}
    groups: list[list[Emitted]] = []
    notices: list[Notice] = []
    module_dirs: set[Path] = set()
    for cfg in configs:
        if cfg.path in included:
            continue  # a parent configuration that scanned units include
        emitted, used = instantiate(loader, cfg, reader)
        groups.append(emitted)
        module_dirs |= used
        notices.extend(cfg.notices)
    notices.extend(reader.notices)
    return groups, notices, module_dirs
