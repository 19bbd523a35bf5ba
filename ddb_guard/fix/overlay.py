"""Scan edited texts without writing them: file reads of the edited paths return the new
bytes while the overlay is active (the scan reads every file through
``ddb_guard.parse.source``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ddb_guard.parse import source


@contextmanager
def overlay(files: dict[Path, str]) -> Iterator[None]:
    """Within the block, reading one of ``files`` yields its given text."""

    real = source._read_limited
    texts = {os.path.realpath(p): t.encode("utf-8") for p, t in files.items()}

    def read(path: Path, limit: int) -> bytes | None:
        data = texts.get(os.path.realpath(path))
        if data is None:
            return real(path, limit)
        return data if len(data) <= limit else None

    source._read_limited = read  # type: ignore[assignment]
    try:
        yield
    finally:
        source._read_limited = real  # type: ignore[assignment]
