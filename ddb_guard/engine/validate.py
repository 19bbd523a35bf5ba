"""Full validation of rule files: JSON schema, loader checks, JMESPath that compiles,
conditions, messages and properties that read only fields the rule's entity kind has
(:mod:`ddb_guard.entity_spec`). Used by `ddb-guard validate-rules`, the pre-commit hook for
rule authors and the test-suite (not on the scan path)."""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path

from ddb_guard import entity_spec
from ddb_guard.engine.evaluate import DATA_FIELDS, root_paths
from ddb_guard.engine.loader import _yaml_load, parse_rule, rule_files
from ddb_guard.engine.rule import Rule
from ddb_guard.errors import RuleError

# a message placeholder: {path} or {path:format}
PLACEHOLDER = re.compile(r"\{([A-Za-z_][\w.]*)(?::[^{}]*)?\}")


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


def fields_read(rule: Rule) -> list[tuple[str, tuple[str, ...]]]:
    """(where, field path) for every field the rule reads from its data: condition leaves,
    ``when`` expressions, SARIF properties, ``locate`` and message placeholders."""
    out: list[tuple[str, tuple[str, ...]]] = []
    for expr in condition_expressions(rule.fail):
        out += [("condition", p) for p in root_paths(expr)]
    for when, text in rule.messages:
        if when:
            out += [("message 'when'", p) for p in root_paths(when)]
        out += [("message", tuple(m.split("."))) for m in PLACEHOLDER.findall(text)]
    if rule.unknown_message:
        out += [
            ("unknown_message", tuple(m.split(".")))
            for m in PLACEHOLDER.findall(rule.unknown_message)
        ]
    for name, expr in rule.properties.items():
        out += [(f"property {name}", p) for p in root_paths(expr)]
    if rule.locate:
        out.append(("locate", tuple(rule.locate.split("."))))
    return out


def field_problems(rule: Rule) -> list[str]:
    """A field the rule reads that its kind does not have, or a parameter it does not
    declare, one problem each (enriched and optional attributes are fine)."""
    attrs = entity_spec.readable(rule.on)
    problems: list[str] = []
    seen: set[tuple[str, str]] = set()
    for where, path in fields_read(rule):
        head = path[0]
        if head == "params":
            if len(path) > 1 and path[1] not in rule.params and (where, path[1]) not in seen:
                seen.add((where, path[1]))
                declared = ", ".join(sorted(rule.params)) or "none"
                problems.append(
                    f"{rule.path}: {where} reads params.{path[1]}, which the rule does not "
                    f"declare (params: {declared})"
                )
            continue
        if head in attrs or head in DATA_FIELDS or (where, head) in seen:
            continue
        seen.add((where, head))
        close = difflib.get_close_matches(head, sorted(attrs | DATA_FIELDS), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        if head in ("null", "true", "false"):  # JMESPath reads a bare name as a field
            hint = f"; the literal is written `{head}` (in backticks)"
        problems.append(
            f"{rule.path}: {where} reads {head!r}, which a {rule.on} does not have{hint} "
            f"(attributes: {', '.join(sorted(attrs))})"
        )
    return problems


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
        compiled = True
        for expr in exprs:
            try:
                jmespath.compile(expr)
            except jmespath.exceptions.JMESPathError as exc:
                problems.append(f"{name}: bad JMESPath {expr!r}: {exc}")
                compiled = False
        if compiled:
            problems += field_problems(rule)
    return problems
