"""Scan-wide settings handed to every stage (no globals)."""

from __future__ import annotations

import datetime
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_MODULE_BYTES = 8 * 1024 * 1024  # Terraform files of one module directory
MAX_SCAN_BYTES = 256 * 1024 * 1024  # everything one scan reads


@dataclass(slots=True)
class ScanContext:
    """What the front-ends need besides the files themselves.

    ``root`` is the directory reported paths are relative to: ``--root``, else the git
    top-level of the first scanned path, else the working directory.
    ``tf_vars``/``tf_var_files`` are ``--var NAME=VALUE`` / ``--var-file FILE`` in order;
    ``env`` supplies ``TF_VAR_name`` values. ``scan_roots`` (the directories scanned,
    filled by discovery) and ``root`` bound where a symbolic link may lead.
    ``serverless_stage`` is the Serverless Framework stage (``--stage``); None means the
    service's own default.
    """

    root: Path
    tf_vars: list[tuple[str, str]] = field(default_factory=list)
    tf_var_files: list[Path] = field(default_factory=list)
    # --var / --var-file in command-line order: ("var", (name, raw)) | ("file", Path);
    # empty: files first, then variables
    tf_order: list[tuple[str, Any]] = field(default_factory=list)
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    default_region: str = "us-east-1"
    max_file_bytes: int = MAX_FILE_BYTES
    max_module_bytes: int = MAX_MODULE_BYTES
    max_scan_bytes: int = MAX_SCAN_BYTES
    bytes_read: int = 0  # by read_text, against max_scan_bytes
    follow_symlinks: bool = False  # read links whose target is outside the scanned tree
    scan_roots: list[Path] = field(default_factory=list)  # the scanned paths (discover)
    serverless_stage: str | None = None  # --stage / config serverless-stage
    # CloudFormation parameter values (--param-file, --param), and the samconfig environment
    cfn_params: dict[str, str] = field(default_factory=dict)
    cfn_config_env: str = "default"
    today: datetime.date | None = None  # for ``until=`` suppressions; None: the UTC date

    _rel_cache: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def rel(self, path: Path | str) -> str:
        """The path as reported: relative to ``root`` when inside it, POSIX separators.

        Tried lexically first (no system calls), then with symlinks resolved; cached."""
        key = os.fspath(path)
        hit = self._rel_cache.get(key)
        if hit is None:
            hit = Path(key).as_posix()
            for resolve in (os.path.abspath, os.path.realpath):  # lexical first: no syscalls
                absolute, root = resolve(key), resolve(self.root)
                if absolute == root or absolute.startswith(root.rstrip(os.sep) + os.sep):
                    hit = Path(os.path.relpath(absolute, root)).as_posix()
                    break
            self._rel_cache[key] = hit
        return hit
