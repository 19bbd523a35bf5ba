"""Scan-wide settings handed to every stage (no globals)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

MAX_FILE_BYTES = 5 * 1024 * 1024


@dataclass(slots=True)
class ScanContext:
    """What the front-ends need besides the files themselves.

    ``root`` is the directory reported paths are relative to (the working directory).
    ``tf_vars``/``tf_var_files`` are ``--var NAME=VALUE`` / ``--var-file FILE`` in order;
    ``env`` supplies ``TF_VAR_name`` values.
    """

    root: Path
    tf_vars: list[tuple[str, str]] = field(default_factory=list)
    tf_var_files: list[Path] = field(default_factory=list)
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    default_region: str = "us-east-1"
    max_file_bytes: int = MAX_FILE_BYTES

    def rel(self, path: Path | str) -> str:
        """The path as reported: relative to ``root`` when inside it, POSIX separators."""
        p = Path(path)
        with contextlib.suppress(ValueError):
            p = p.resolve().relative_to(self.root.resolve())
        return p.as_posix()
