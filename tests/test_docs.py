"""Generated documentation (docs/rules/*.md, the README rules table) matches the rules."""

from __future__ import annotations

import re
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


def _layout_modules(text: str) -> set[str]:
    """The module paths the package layout block of ARCHITECTURE.md names (a tree: a
    ``dir/`` line opens a directory for the lines indented below it)."""
    block = text.split("## Package layout", 1)[1].split("```\nddb_guard/\n", 1)[1]
    block = block.split("```", 1)[0]
    stack: list[tuple[int, str]] = []
    out: set[str] = set()
    for line in block.splitlines():
        m = re.match(r"( *)(\S+)", line)
        if not m or len(m.group(1)) >= 24:  # blank, or a description's continuation
            continue
        indent, token = len(m.group(1)), m.group(2)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        prefix = "".join(d for _, d in stack)
        if token.endswith("/"):
            stack.append((indent, token))
        elif token.endswith(".py"):
            out.add(prefix + token)
    return out


def test_architecture_layout_lists_every_module():
    """docs/ARCHITECTURE.md's package layout names each module of ddb_guard/, and only
    modules that exist."""
    listed = _layout_modules((REPO / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8"))
    package = REPO / "ddb_guard"
    actual = {
        p.relative_to(package).as_posix()
        for p in package.rglob("*.py")
        if p.name not in ("__init__.py", "__main__.py")
    }
    assert not actual - listed, f"modules missing from the layout: {sorted(actual - listed)}"
    assert not listed - actual, f"listed modules that do not exist: {sorted(listed - actual)}"
