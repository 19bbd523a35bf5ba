"""Find and load rule files: ``rules/**/<ID>.yaml``. A rule exists because its file exists.

Loading does cheap structural checks with clear messages (the full JSON schema,
``rule.schema.json``, is checked by ``ddb-guard validate-rules`` and the test-suite, so
start-up does not pay for importing jsonschema).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

from ddb_guard.engine.rule import Param, Rule
from ddb_guard.enums import LEVELS, Kind, Level
from ddb_guard.errors import RuleError
from ddb_guard.model import KINDS, SUPPRESSION
from ddb_guard.parse import datacache

RULE_FILE = re.compile(r"^[A-Z]{3,5}[0-9]{3}\.yaml$")


def rules_dir() -> Path:
    """The rules shipped with ddb-guard: ``ddb_guard/rules`` when installed from a wheel,
    the repository's top-level ``rules/`` in a checkout or editable install."""
    here = Path(__file__).resolve().parent.parent
    installed = here / "rules"
    if installed.is_dir():
        return installed
    return here.parent / "rules"


def rule_files(directory: Path | None = None) -> list[Path]:
    """Every rule file below ``directory`` (default: the shipped rules), sorted by id."""
    base = directory or rules_dir()
    found = [p for p in base.rglob("*.yaml") if RULE_FILE.match(p.name)]
    return sorted(found, key=lambda p: p.name)


def _yaml_load(text: str) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)


def parse_rule(data: Any, path: str) -> Rule:
    """Build a :class:`Rule` from a parsed rule file, or raise :class:`RuleError`."""

    def need(cond: bool, what: str) -> None:
        if not cond:
            raise RuleError(f"{path}: {what}")

    need(isinstance(data, dict), "a rule file must be a mapping")
    for key in ("id", "name", "severity", "short", "condition", "message", "docs"):
        need(key in data, f"missing required key '{key}'")
    need(data["severity"] in LEVELS, f"severity must be one of {', '.join(LEVELS)}")
    cond = data["condition"]
    need(isinstance(cond, dict), "condition must be a mapping")
    need(True not in cond, "condition: write 'kind:', not 'on:' (YAML reads a bare on as true)")
    need("kind" in cond and "fail" in cond, "condition needs 'kind' and 'fail'")
    need(cond["kind"] in (*KINDS, SUPPRESSION), f"condition.kind: unknown {cond['kind']!r}")
    raw_msgs = data["message"]
    if isinstance(raw_msgs, str):
        raw_msgs = [{"text": raw_msgs}]
    need(isinstance(raw_msgs, list) and raw_msgs, "message must be a string or a list")
    messages: list[tuple[str | None, str]] = []
    for m in raw_msgs:
        need(isinstance(m, dict) and isinstance(m.get("text"), str), "each message needs 'text'")
        messages.append((m.get("when"), m["text"]))
    need(messages[-1][0] is None, "the last message must have no 'when' (the fallback)")
    params = {}
    for name, spec in (data.get("params") or {}).items():
        need(isinstance(spec, dict) and "default" in spec, f"param {name} needs a default")
        params[name] = Param(name, spec["default"], str(spec.get("description", "")))
    sec = data.get("security-severity")
    return Rule(
        id=str(data["id"]),
        name=str(data["name"]),
        severity=Level(data["severity"]),
        short=str(data["short"]),
        on=Kind(cond["kind"]),
        fail=cond["fail"],
        locate=cond.get("locate"),
        messages=messages,
        unknown_message=data.get("unknown_message"),
        docs=data["docs"] or {},
        path=path,
        tags=list(data.get("tags") or []),
        precision=str(data.get("precision", "high")),
        security_severity=str(sec) if sec is not None else None,
        params=params,
        properties={str(k): str(v) for k, v in (data.get("properties") or {}).items()},
    )


def _read_rules(directory: Path) -> dict[str, Any]:
    """Each rule file's parsed data by its path relative to ``directory``; the shipped
    rules through :mod:`ddb_guard.parse.datacache` (no PyYAML on a warm start)."""
    texts: dict[str, str] = {}
    for p in rule_files(directory):
        rel = p.relative_to(directory).as_posix()
        try:
            texts[rel] = p.read_text(encoding="utf-8")
        except (OSError, UnicodeError) as exc:
            raise RuleError(f"{rel}: cannot load rule file: {exc}") from None

    def parse(rel: str, text: str) -> Any:
        try:
            return _yaml_load(text)
        except Exception as exc:  # yaml.YAMLError
            raise RuleError(f"{rel}: cannot load rule file: {exc}") from None

    if directory == rules_dir().resolve():
        return datacache.parsed("rules", directory, texts, parse)
    return {rel: parse(rel, text) for rel, text in texts.items()}


@lru_cache(maxsize=4)
def _load_cached(directory: Path) -> tuple[Rule, ...]:
    rules = []
    seen: dict[str, str] = {}
    for rel, data in _read_rules(directory).items():
        rule = parse_rule(data, rel)
        if rule.id != PurePosixPath(rel).stem:
            raise RuleError(f"{rel}: id {rule.id!r} does not match the file name")
        if rule.id in seen:
            raise RuleError(f"{rel}: duplicate rule id {rule.id} (also in {seen[rule.id]})")
        seen[rule.id] = rel
        rules.append(rule)
    return tuple(rules)


def load_rules(directory: Path | None = None) -> list[Rule]:
    """Fresh :class:`Rule` objects (callers may apply config to them)."""
    import copy

    return [copy.copy(r) for r in _load_cached((directory or rules_dir()).resolve())]
