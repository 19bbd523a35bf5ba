"""Full validation of rule files: JSON schema, loader checks, JMESPath that compiles,
message placeholders that name real attributes. Used by `ddb-guard validate-rules`, the
pre-commit hook for rule authors and the test-suite (not on the scan path)."""

from __future__ import annotations

import json
from pathlib import Path

from ddb_guard.engine.loader import _yaml_load, parse_rule, rule_files
from ddb_guard.errors import RuleError


def schema() -> dict:
    return json.loads((Path(__file__).parent / "rule.schema.json").read_text(encoding="utf-8"))


def condition_expressions(cond) -> list[str]:
    """The JMESPath leaves of a condition tree, in order."""
    if isinstance(cond, str):
        return [cond]
    if isinstance(cond, dict):
        return [e for v in cond.values() for e in condition_expressions(v)]
    if isinstance(cond, list):
        return [e for v in cond for e in condition_expressions(v)]
    return []


def validate_rule_files(files: list[Path] | None = None) -> list[str]:
    """Problems found, one line each as ``file: problem`` (empty when all is well)."""
    import jmespath
    import jsonschema

    validator = jsonschema.Draft7Validator(schema())
    problems: list[str] = []
    for path in files or rule_files():
        name = str(path)
        try:
            data = _yaml_load(path.read_text(encoding="utf-8"))
        except Exception as exc:
            problems.append(f"{name}: cannot load: {exc}")
            continue
        for err in sorted(validator.iter_errors(data), key=lambda e: list(e.path)):
            where = "/".join(str(p) for p in err.path) or "(top)"
            problems.append(f"{name}: {where}: {err.message}")
        try:
            rule = parse_rule(data, name)
        except RuleError as exc:
            problems.append(str(exc))
            continue
        if rule.id != path.stem:
            problems.append(f"{name}: id {rule.id} does not match the file name")
        exprs = condition_expressions(rule.fail) + [w for w, _ in rule.messages if w]
        exprs += list(rule.properties.values())
        for expr in exprs:
            try:
                jmespath.compile(expr)
            except jmespath.exceptions.JMESPathError as exc:
                problems.append(f"{name}: bad JMESPath {expr!r}: {exc}")
    return problems
