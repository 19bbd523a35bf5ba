"""Generated documentation (docs/rules/*.md, the README rules table) matches the rules."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_generated_docs_are_up_to_date():
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "generate_docs.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_rule_help_uri_target_exists():
    from ddb_guard.engine.loader import load_rules

    for rule in load_rules():
        assert (REPO / "docs" / "rules" / f"{rule.id}.md").is_file(), rule.help_uri
