"""Read a scanned file safely: size cap, binary and encoding checks, never an exception."""

from __future__ import annotations

from pathlib import Path

from ddb_guard.context import ScanContext
from ddb_guard.model import Notice


def read_text(path: Path, ctx: ScanContext) -> str | Notice:
    """Return the file's text, or a :class:`Notice` saying why it was not read."""
    rel = ctx.rel(path)
    try:
        size = path.stat().st_size
        if size > ctx.max_file_bytes:
            mb = ctx.max_file_bytes / (1024 * 1024)
            return Notice(rel, f"skipped: file is larger than {mb:g} MB", kind="skipped")
        data = path.read_bytes()
    except OSError as exc:
        return Notice(rel, f"cannot read file: {exc.strerror or exc}", kind="parse-error")
    if b"\x00" in data[:8192]:
        return Notice(rel, "skipped: binary file", kind="skipped")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return Notice(rel, "file is not valid UTF-8", line=line, kind="parse-error")
