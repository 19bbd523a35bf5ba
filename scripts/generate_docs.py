#!/usr/bin/env python3
"""Regenerate docs/rules/<ID>.md and the README rules table from the rule files, and the
entity attribute table of docs/ARCHITECTURE.md from ddb_guard/entity_spec.py.

python scripts/generate_docs.py          # write
python scripts/generate_docs.py --check  # exit 1 if anything is out of date (tests, CI)
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ddb_guard.commands.rules import markdown_table  # noqa: E402
from ddb_guard.engine.loader import load_rules  # noqa: E402
from ddb_guard.entity_spec import markdown_table as spec_table  # noqa: E402

START, END = "<!-- rules-table:start -->", "<!-- rules-table:end -->"
SPEC_START, SPEC_END = "<!-- entity-spec:start -->", "<!-- entity-spec:end -->"


def between(text: str, start: str, end: str, content: str) -> str:
    """``text`` with what lies between the ``start`` and ``end`` markers replaced."""
    if start not in text or end not in text:
        raise SystemExit(f"generate_docs: the markers {start} ... {end} are missing")
    return re.sub(
        re.escape(start) + ".*?" + re.escape(end),
        lambda _: f"{start}\n{content}{end}",
        text,
        flags=re.S,
    )


def expected() -> dict[Path, str]:
    rules = load_rules(REPO / "rules")
    out = {}
    for rule in rules:
        source = f"\n---\nGenerated from [`rules/{rule.path}`](../../rules/{rule.path}).\n"
        out[REPO / "docs" / "rules" / f"{rule.id}.md"] = rule.help_markdown() + source
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    out[REPO / "README.md"] = between(readme, START, END, markdown_table(rules))
    arch = REPO / "docs" / "ARCHITECTURE.md"
    out[arch] = between(arch.read_text(encoding="utf-8"), SPEC_START, SPEC_END, spec_table())
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    stale = []
    for path, text in expected().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(path.relative_to(REPO).as_posix())
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    if args.check and stale:
        print("out of date (run python scripts/generate_docs.py):", ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
