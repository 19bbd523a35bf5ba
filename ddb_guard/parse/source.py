"""Read a scanned file safely, never an exception.

Only regular files are read (a FIFO would block, a device never ends), with a byte limit
counted while reading (``st_size`` is 0 for devices and may change under us). A symbolic
link whose target lies outside the scanned tree is not followed unless the user opts in
(``--follow-symlinks``): a pull request must not make the gate read the runner's files.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ddb_guard.context import ScanContext
from ddb_guard.enums import Level, NoticeKind
from ddb_guard.model import Notice

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
_OPEN_FLAGS |= getattr(os, "O_NOCTTY", 0)


# substrings every CloudFormation template / Serverless file / plan holds
IAC_MARKERS = ("AWSTemplateFormatVersion", "AWS::", "format_version", "resource_changes")


def looks_like_iac(text: str) -> bool:
    return any(m in text for m in IAC_MARKERS)


def _inside(path: str, roots: list[str]) -> bool:
    return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


def link_escapes(path: Path, ctx: ScanContext) -> str | None:
    """The resolved target of ``path`` when it is a symbolic link leaving the scanned tree
    (the scan root, a scanned path, or the link's own directory), else ``None``."""
    if ctx.follow_symlinks or not os.path.islink(path):
        return None
    target = os.path.realpath(path)
    roots = [os.path.realpath(r) for r in (ctx.root, *ctx.scan_roots)]
    roots.append(os.path.realpath(os.path.dirname(os.path.abspath(path))))
    return None if _inside(target, roots) else target


def read_text(path: Path, ctx: ScanContext, iac: bool = False) -> str | Notice:
    """Return the file's text, or a :class:`Notice` saying why it was not read.

    ``iac``: the file is known to be infrastructure code (``.tf``), so a file that cannot
    be read is an error (the gate fails closed); otherwise a warning."""
    rel = ctx.rel(path)
    # infrastructure code that cannot be read fails the gate (PARSE001): the tool cannot
    # vouch for what it did not read
    level, skipped = (
        (Level.ERROR, NoticeKind.PARSE_ERROR) if iac else (Level.WARNING, NoticeKind.SKIPPED)
    )
    if link_escapes(path, ctx) is not None:
        return Notice(
            rel,
            "skipped: symbolic link to a file outside the scanned tree "
            "(use --follow-symlinks to read it)",
            kind=skipped,
            level=level,
        )
    if ctx.bytes_read > ctx.max_scan_bytes:
        mb = ctx.max_scan_bytes / (1024 * 1024)
        return Notice(
            rel,
            f"skipped: the scan has read more than {mb:g} MB (evaluation budget)",
            kind=skipped,
            level=level,
        )
    limit = ctx.max_file_bytes
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            return Notice(rel, "skipped: not a regular file", kind=skipped, level=level)
        data = _read_limited(path, limit)
    except OSError as exc:
        return Notice(
            rel,
            f"cannot read file: {exc.strerror or exc}",
            kind=NoticeKind.PARSE_ERROR,
            level=level,
        )
    if data is not None:
        ctx.bytes_read += len(data)
    if data is None:
        mb = limit / (1024 * 1024)
        return Notice(rel, f"skipped: file is larger than {mb:g} MB", kind=skipped, level=level)
    if b"\x00" in data[:8192]:
        return Notice(rel, "skipped: binary file", kind=NoticeKind.SKIPPED)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        if not iac:  # a template is still infrastructure code when one byte is Latin-1
            iac = looks_like_iac(data.decode("utf-8", "replace"))
        return Notice(
            rel,
            "file is not valid UTF-8",
            line=line,
            kind=NoticeKind.PARSE_ERROR,
            level=Level.ERROR if iac else Level.WARNING,
        )


def read_small(path: Path | str, limit: int = 1 << 20) -> bytes | None:
    """A small regular file's bytes (a manifest), or ``None`` if it is not one."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        return _read_limited(path, limit)
    except OSError:
        return None


def _read_limited(path: Path | str, limit: int) -> bytes | None:
    """At most ``limit`` bytes of a regular file; ``None`` when it holds more."""
    fd = os.open(path, _OPEN_FLAGS)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced since the stat
            raise OSError(0, "not a regular file")
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                return None
        return b"".join(chunks)
    finally:
        os.close(fd)
