"""``terraform init``'s module manifest (``.terraform/modules/modules.json``): where the
modules a root calls were downloaded. Read here for both the HCL and the plan front-end."""

from __future__ import annotations

import json
from pathlib import Path

from ddb_guard.context import ScanContext
from ddb_guard.enums import Level
from ddb_guard.model import Notice
from ddb_guard.parse.source import read_text

MANIFEST = Path(".terraform", "modules", "modules.json")


def read_manifest(root: Path, ctx: ScanContext) -> tuple[dict[str, Path], list[Notice]]:
    """Module key (``a.b``: the module path of a call) -> its directory (resolved), and a
    warning when the manifest exists but cannot be read (never a silent ``{}``)."""
    found: dict[str, Path] = {}
    manifest = root / MANIFEST
    if not manifest.is_file():
        return found, []
    text = read_text(manifest, ctx)
    try:
        if isinstance(text, Notice):
            raise ValueError(text.message)
        data = json.loads(text)
        for entry in data.get("Modules") or []:
            key, rel_dir = entry.get("Key"), entry.get("Dir")
            if isinstance(key, str) and key and isinstance(rel_dir, str):
                found[key] = (root / rel_dir).resolve()
    except (ValueError, AttributeError, TypeError, RecursionError):
        return found, [
            Notice(ctx.rel(manifest), "cannot read the module manifest", level=Level.WARNING)
        ]
    return found, []
