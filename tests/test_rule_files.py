"""Rule files are well-formed, documented and covered by fixtures.

Checks, for every ``rules/**/<ID>.yaml``: the JSON schema (``rule.schema.json``), id equal
to the file name and unique, kebab-case names that are unique, JMESPath that compiles,
message placeholders that name data the rule can read, documentation sections, https
references, and at least one fixture per format the rule applies to (Terraform when the
docs have a Terraform fix, CloudFormation when they have a CloudFormation fix, SAM when the
rule is documented for ``AWS::Serverless::SimpleTable``), each with at least one
``ruleid:`` and one ``ok:`` annotation for the rule.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jmespath
import pytest
import yaml
from rule_fixtures import RULES_DIR, expectations, fixtures, rule_files, rule_id_of

from ddb_guard.engine.evaluate import root_paths
from ddb_guard.engine.loader import parse_rule
from ddb_guard.engine.validate import condition_expressions, field_problems

SCHEMA = Path(__file__).resolve().parent.parent / "ddb_guard" / "engine" / "rule.schema.json"
FILES = rule_files()
IDS = [p.stem for p in FILES]


def _load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _messages(data: dict[str, Any]) -> list[dict[str, str]]:
    msg = data["message"]
    return [{"text": msg}] if isinstance(msg, str) else msg


def _kind(data: dict[str, Any]) -> str:
    return data["condition"].get("kind") or data["condition"].get("on")


def test_rules_exist() -> None:
    assert len(FILES) >= 13, [p.name for p in FILES]


def test_ids_unique_and_match_file_names() -> None:
    seen: dict[str, str] = {}
    for path in FILES:
        data = _load(path)
        assert data["id"] == path.stem, f"{path}: id {data['id']!r} != file name"
        assert data["id"] not in seen, f"duplicate id {data['id']} in {path} and {seen[data['id']]}"
        seen[data["id"]] = str(path)


def test_names_unique_kebab_case() -> None:
    names = [_load(p)["name"] for p in FILES]
    for name in names:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name), name
    assert len(names) == len(set(names)), sorted(names)


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_schema(path: Path) -> None:
    if not SCHEMA.is_file():
        pytest.skip(f"rule schema not found at {SCHEMA}")
    import jsonschema

    validator = jsonschema.Draft7Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    errors = [
        f"{'/'.join(map(str, e.path)) or '(top)'}: {e.message}"
        for e in validator.iter_errors(_load(path))
    ]
    assert not errors, f"{path.name} does not match the rule schema:\n  " + "\n  ".join(errors)


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_loader_accepts(path: Path) -> None:
    rule = parse_rule(_load(path), path.name)
    assert rule.id == path.stem


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_jmespath_compiles(path: Path) -> None:
    data = _load(path)
    exprs = condition_expressions(data["condition"]["fail"])
    exprs += [m["when"] for m in _messages(data) if m.get("when")]
    exprs += list((data.get("properties") or {}).values())
    assert exprs
    for expr in exprs:
        try:
            jmespath.compile(expr)
        except jmespath.exceptions.JMESPathError as exc:
            pytest.fail(f"{path.name}: bad JMESPath {expr!r}: {exc}")


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_fields_read_are_in_the_entity_spec(path: Path) -> None:
    """Conditions, messages, properties and ``locate`` read only what the kind has."""
    rule = parse_rule(_load(path), path.name)
    assert field_problems(rule) == []


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_no_condition_reads_resource_type(path: Path) -> None:
    """Rules ask what a table is (``protection_per_replica``), never which resource type it
    came from; messages may still show ``{resource_type}`` to the user."""
    rule = parse_rule(_load(path), path.name)
    read = {p[0] for e in condition_expressions(rule.fail) for p in root_paths(e)}
    read |= {p[0] for when, _ in rule.messages if when for p in root_paths(when)}
    assert "resource_type" not in read, f"{path.name}: a condition reads resource_type"


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_last_message_is_fallback(path: Path) -> None:
    msgs = _messages(_load(path))
    assert "when" not in msgs[-1], f"{path.name}: the last message must have no 'when'"


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_docs_complete(path: Path) -> None:
    data = _load(path)
    docs = data["docs"]
    for section in ("what", "why"):
        text = str(docs.get(section, "")).strip()
        assert len(text) >= 80, f"{path.name}: docs.{section} too short"
    fix = docs.get("fix") or {}
    assert fix.get("terraform") or fix.get("cloudformation"), f"{path.name}: no fix"
    refs = docs.get("references") or []
    assert refs, f"{path.name}: no references"
    for ref in refs:
        assert re.match(r"^https://\S+$", ref), f"{path.name}: reference is not an https URL: {ref}"
    # a Terraform-applicable rule shows the Terraform fix, a CloudFormation one the CFN fix
    if _kind(data) != "suppression" and "source == 'cloudformation'" not in json.dumps(
        data["condition"]
    ):
        assert fix.get("terraform"), f"{path.name}: Terraform fix missing"
    assert fix.get("cloudformation"), f"{path.name}: CloudFormation fix missing"


def _required_formats(data: dict[str, Any]) -> list[str]:
    fix = data["docs"].get("fix") or {}
    formats = []
    if fix.get("terraform"):
        formats.append("tf")
    if fix.get("cloudformation"):
        formats.append("cfn.yaml")
    simple_table = "AWS::Serverless::SimpleTable" in str(data["docs"].get("what", ""))
    if simple_table and _kind(data) == "table":
        formats.append("sam.yaml")
    return formats


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_fixture_per_format(path: Path) -> None:
    data = _load(path)
    mine = {f.name: f for f in fixtures() if rule_id_of(f) == path.stem}
    for fmt in _required_formats(data):
        name = f"{path.stem}.{fmt}"
        assert name in mine, f"{path.name}: fixture {name} missing next to the rule"
        want = expectations(mine[name], data["severity"])
        assert any(e.outcome == "fail" for e in want.findings), f"{name}: no `ruleid:` annotation"
        assert want.ok, f"{name}: no `ok:` annotation"


def test_every_fixture_has_a_rule() -> None:
    ids = set(IDS)
    orphans = [f.relative_to(RULES_DIR).as_posix() for f in fixtures() if rule_id_of(f) not in ids]
    assert not orphans, f"fixtures without a rule file: {orphans}"


def test_json_fixtures_have_sidecars() -> None:
    for f in fixtures():
        if f.is_file() and f.name.endswith(".json"):
            side = f.with_name(f.name + ".expected.yaml")
            assert side.is_file(), f"{f.name}: JSON fixture without sidecar {side.name}"
            data = yaml.safe_load(side.read_text(encoding="utf-8"))
            lines = len(f.read_text(encoding="utf-8").splitlines())
            for item in data.get("findings") or []:
                assert 1 <= item["line"] <= lines, f"{side.name}: line {item['line']} out of range"


def test_the_wheel_ships_every_rule_file_and_no_fixture() -> None:
    """setup.py's package_data glob for ddb_guard.rules matches exactly the rule files
    (PARSE001.yaml too, whose id has five letters)."""
    import fnmatch
    import re as _re

    setup_text = (RULES_DIR.parent / "setup.py").read_text(encoding="utf-8")
    (glob,) = _re.findall(r'"ddb_guard\.rules": \["([^"]+)"\]', setup_text)
    shipped = {
        p.relative_to(RULES_DIR).as_posix()
        for p in RULES_DIR.rglob("*")
        if p.is_file() and fnmatch.fnmatch(p.relative_to(RULES_DIR).as_posix(), glob)
    }
    assert shipped == {p.relative_to(RULES_DIR).as_posix() for p in FILES}
