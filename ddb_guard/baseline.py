"""Baselines: adopt the gate in a repository that already has findings.

``scan --write-baseline FILE`` records the fingerprints of today's active findings;
``scan --baseline FILE`` then reports (and gates on) only the findings not in it. A
fingerprint is derived from rule, file and resource address, never the line (see
:func:`ddb_guard.engine.run.fingerprint`), so edits elsewhere in the file keep it.

The file is JSON, sorted, meant to be committed and reviewed::

    {"ddb-guard-baseline": 1,
     "findings": [{"fingerprint": "...", "rule_id": "DDB001", "path": "main.tf",
                   "address": "aws_dynamodb_table.a"}]}
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from ddb_guard.errors import ConfigError, FatalError

if TYPE_CHECKING:
    from ddb_guard.result import ScanResult

VERSION = 1


def write(result: ScanResult, path: Path) -> int:
    """Write the active findings' fingerprints to ``path``; returns how many."""
    entries = sorted(
        (
            {
                "fingerprint": f.fingerprint,
                "rule_id": f.rule_id,
                "path": f.loc.path,
                "address": f.address,
            }
            for f in result.active
        ),
        key=lambda e: (e["path"], e["rule_id"], e["address"], e["fingerprint"]),
    )
    text = json.dumps({"ddb-guard-baseline": VERSION, "findings": entries}, indent=2)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise FatalError(f"cannot write {path}: {exc.strerror or exc}") from None
    return len(entries)


def read(path: Path) -> set[str]:
    """The fingerprints in baseline ``path``; a missing or malformed file is an error."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"--baseline {path}: no such file") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ConfigError(f"--baseline {path}: not a ddb-guard baseline ({exc})") from None
    entries = doc.get("findings") if isinstance(doc, dict) else None
    if (
        not isinstance(doc, dict)
        or doc.get("ddb-guard-baseline") != VERSION
        or not isinstance(entries, list)
        or not all(isinstance(e, dict) and isinstance(e.get("fingerprint"), str) for e in entries)
    ):
        raise ConfigError(
            f"--baseline {path}: not a ddb-guard baseline "
            f'(expected {{"ddb-guard-baseline": {VERSION}, "findings": [...]}}; '
            "write one with --write-baseline)"
        )
    return {e["fingerprint"] for e in entries}


def apply(result: ScanResult, fingerprints: set[str]) -> int:
    """Drop the active findings whose fingerprint is in ``fingerprints``; returns how many
    (kept in ``result.baselined``, which the summary line shows)."""
    kept = [
        f for f in result.findings if f.suppression is not None or f.fingerprint not in fingerprints
    ]
    dropped = len(result.findings) - len(kept)
    result.findings = kept
    result.baselined += dropped
    return dropped
