"""The YAML data shipped with ddb-guard (the rules, the price book), parsed once per text.

Importing PyYAML and parsing the rules costs a one-file scan (pre-commit) about 20 ms,
a fifth of its work, for data that changes only when ddb-guard does. So the parsed data
is kept as JSON in the user's cache directory (``$XDG_CACHE_HOME/ddb-guard``, else
``~/.cache/ddb-guard``; ``DDB_GUARD_CACHE_DIR`` chooses another, empty turns the cache
off) next to the exact texts it was parsed from. A text that differs is parsed again and
the entry replaced, so the cache can make a run faster, never different: data JSON would
not give back unchanged (a date, a non-string key) is never cached. An unreadable or
unwritable cache is no cache.
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

FORMAT = 1  # bump when the layout of a cache file changes


def cache_dir() -> Path | None:
    """Where the cache lives, or None when it is turned off."""
    chosen = os.environ.get("DDB_GUARD_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base, "ddb-guard")


def _entry(name: str, source: Path) -> Path | None:
    directory = cache_dir()
    if directory is None:
        return None
    # one entry per installed copy: a checkout and a wheel keep their own
    where = zlib.crc32(str(source).encode("utf-8", "surrogateescape"))
    return directory / f"{name}-{where:08x}.json"


def parsed(
    name: str, source: Path, texts: dict[str, str], parse: Callable[[str, str], Any]
) -> dict[str, Any]:
    """``{key: parse(key, text)}`` for ``texts`` (read from ``source``, a shipped file or
    directory), from the cache when it holds these very texts."""
    entry = _entry(name, source)
    if entry is not None:
        try:
            with open(entry, encoding="utf-8") as f:
                stored = json.load(f)
            if stored["format"] == FORMAT and stored["texts"] == texts:
                return stored["data"]
        except (OSError, ValueError, KeyError, TypeError):
            pass  # absent, unreadable or of another layout: parse
    data = {key: parse(key, text) for key, text in texts.items()}
    if entry is not None:
        _store(entry, {"format": FORMAT, "texts": texts, "data": data})
    return data


def _store(entry: Path, content: dict[str, Any]) -> None:
    try:
        text = json.dumps(content, ensure_ascii=False, allow_nan=False)
        if json.loads(text) != content:  # a date, a tuple, an integer key: not cached
            return
        entry.parent.mkdir(parents=True, exist_ok=True)
        partial = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, entry)  # readers see the old entry or the new one, whole
    except (OSError, ValueError, TypeError):
        pass  # a read-only home: no cache, same results
