"""`ddb-guard rules`, `explain` and `validate-rules`: the rule files, shown and checked."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ddb_guard.commands.common import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, guarded
from ddb_guard.engine.loader import load_rules


def _rules():

    return load_rules()


def run(fmt: str) -> int:
    def body() -> int:
        rules = _rules()
        if fmt == "json":
            doc = [
                {
                    "id": r.id,
                    "name": r.name,
                    "level": r.severity,
                    "short": r.short,
                    "on": r.on,
                    "tags": r.tags,
                    "params": {p.name: p.default for p in r.params.values()},
                    "help_uri": r.help_uri,
                }
                for r in rules
            ]
            sys.stdout.write(json.dumps(doc, indent=2, sort_keys=True) + "\n")
        elif fmt == "markdown":
            sys.stdout.write(markdown_table(rules))
        else:
            width = max(len(r.name) for r in rules)
            for r in rules:
                sys.stdout.write(f"{r.id}  {r.severity:<7}  {r.name:<{width}}  {r.short}\n")
        return EXIT_CLEAN

    return guarded(body)


def markdown_table(rules) -> str:
    lines = ["| id | name | default level | flags |", "|---|---|---|---|"]
    lines += [
        f"| [{r.id}](docs/rules/{r.id}.md) | `{r.name}` | {r.severity} | {r.short} |" for r in rules
    ]
    return "\n".join(lines) + "\n"


def explain(rule_id: str) -> int:
    def body() -> int:
        wanted = rule_id.upper()
        for r in _rules():
            if r.id == wanted or r.name == rule_id:
                sys.stdout.write(r.help_markdown())
                return EXIT_CLEAN
        print(f"ddb-guard: error: no rule {rule_id!r} (see `ddb-guard rules`)", file=sys.stderr)
        return EXIT_ERROR

    return guarded(body)


def validate(files: list[Path]) -> int:
    """Validate rule files against ``rule.schema.json`` and the loader's own checks."""

    def body() -> int:
        # lazy: jsonschema (imported by validate) only for validate-rules
        from ddb_guard.engine.validate import validate_rule_files

        problems = validate_rule_files(files or None)
        for p in problems:
            print(p, file=sys.stderr)
        return EXIT_FINDINGS if problems else EXIT_CLEAN

    return guarded(body)
