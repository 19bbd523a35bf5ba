"""Find rule fixtures next to rule files and read their expectations.

A fixture is any file or directory under ``rules/`` whose name starts with a rule id and a
dot (``DDB001.tf``, ``DDB001.cfn.yaml``, ``DDB001.modules/``), except the rule file itself
and JSON sidecars (``<fixture>.expected.yaml``). Text fixtures are annotated in place::

    # ruleid: DDB001     the next line must carry a failing finding of DDB001
    # unknown: DDB001    the next line must carry an unknown-outcome note of DDB001
    # ok: DDB001         the next line must carry no finding of DDB001

(``//`` works as well as ``#``; several ids may be separated by commas; stacked annotation
lines all apply to the first line below them that is not an annotation.) JSON fixtures
cannot hold comments and carry a sidecar ``<fixture>.expected.yaml``::

    findings: [{rule: DDB001, line: 12, level: error, outcome: fail}]   # outcome optional
    ok_lines: [3, 40]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
RULES_DIR = REPO / "rules"

_ID = re.compile(r"^([A-Z]{3,5}[0-9]{3})\.")
_ANNOTATION = re.compile(
    r"^\s*(?:#|//)\s*(ruleid|unknown|ok)\s*:\s*([A-Z]{3,5}[0-9]{3}(?:\s*,\s*[A-Z]{3,5}[0-9]{3})*)\s*$"
)
SIDECAR = ".expected.yaml"
# ``<ID>.config.toml`` next to a rule: the configuration (``.ddb-guard.toml`` format) its
# fixtures are scanned with, for rules that report nothing by default (DDB007)
CONFIG = ".config.toml"
JSON_SUFFIXES = (".json",)


@dataclass(frozen=True, slots=True, order=True)
class Expected:
    """One expected outcome: ``path`` relative to the rules directory, 1-based ``line``."""

    path: str
    line: int
    outcome: str  # fail | unknown
    level: str | None = None  # checked when given


@dataclass(slots=True)
class Expectations:
    findings: set[Expected] = field(default_factory=set)
    ok: set[tuple[str, int]] = field(default_factory=set)
    sources: list[str] = field(default_factory=list)  # files the expectations came from


def rule_id_of(path: Path) -> str | None:
    m = _ID.match(path.name)
    return m.group(1) if m else None


def is_fixture(path: Path) -> bool:
    """A fixture (file or directory) directly in a rule group directory."""
    rid = rule_id_of(path)
    if rid is None:
        return False
    if path.is_dir():
        return True
    return (
        path.name != f"{rid}.yaml"
        and not path.name.endswith(SIDECAR)
        and path.name != f"{rid}{CONFIG}"
    )


def fixture_config_path(fixture: Path) -> Path | None:
    """The ``<ID>.config.toml`` the fixture's rule carries, if any."""
    rid = rule_id_of(fixture)
    candidate = fixture.parent / f"{rid}{CONFIG}"
    return candidate if candidate.is_file() else None


def fixtures(rules_dir: Path = RULES_DIR) -> list[Path]:
    """Every fixture, sorted; files inside fixture directories belong to their directory."""
    found: list[Path] = []
    for group in sorted(p for p in rules_dir.iterdir() if p.is_dir()):
        found.extend(p for p in sorted(group.iterdir()) if is_fixture(p))
    return found


def rule_files(rules_dir: Path = RULES_DIR) -> list[Path]:
    return sorted(
        (p for p in rules_dir.rglob("*.yaml") if re.match(r"^[A-Z]{3,5}[0-9]{3}\.yaml$", p.name)),
        key=lambda p: p.name,
    )


def _rel(path: Path, rules_dir: Path) -> str:
    return path.resolve().relative_to(rules_dir.resolve()).as_posix()


def _annotated(path: Path, rule_id: str, level: str, rules_dir: Path, out: Expectations) -> None:
    rel = _rel(path, rules_dir)
    pending: list[tuple[str, list[str]]] = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        m = _ANNOTATION.match(line)
        if m:
            ids = [s.strip() for s in m.group(2).split(",")]
            pending.append((m.group(1), ids))
            continue
        for kind, ids in pending:
            if rule_id not in ids:
                continue
            if kind == "ok":
                out.ok.add((rel, lineno))
            else:
                outcome = "fail" if kind == "ruleid" else "unknown"
                out.findings.add(
                    Expected(rel, lineno, outcome, level if outcome == "fail" else "note")
                )
        pending = []
    out.sources.append(rel)


def _sidecar(path: Path, rule_id: str, rules_dir: Path, out: Expectations) -> None:
    rel = _rel(path, rules_dir)
    side = path.with_name(path.name + SIDECAR)
    data = yaml.safe_load(side.read_text(encoding="utf-8")) or {}
    for item in data.get("findings") or []:
        if item.get("rule", rule_id) != rule_id:
            continue
        outcome = item.get("outcome", "fail")
        out.findings.add(Expected(rel, int(item["line"]), outcome, item.get("level")))
    for line in data.get("ok_lines") or []:
        out.ok.add((rel, int(line)))
    out.sources.append(_rel(side, rules_dir))


def sidecar_of(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR)


def expectations(fixture: Path, level: str, rules_dir: Path = RULES_DIR) -> Expectations:
    """What the fixture says the rule (id = fixture name prefix) must report."""
    rule_id = rule_id_of(fixture)
    assert rule_id is not None, fixture
    out = Expectations()
    files = sorted(p for p in fixture.rglob("*") if p.is_file()) if fixture.is_dir() else [fixture]
    for f in files:
        if f.name.endswith(SIDECAR):
            continue
        if f.name.endswith(JSON_SUFFIXES):
            if sidecar_of(f).is_file():
                _sidecar(f, rule_id, rules_dir, out)
        else:
            _annotated(f, rule_id, level, rules_dir, out)
    return out


def fixture_format(path: Path) -> str:
    """``tf``, ``tf.json``, ``plan.json``, ``cfn.yaml``, ``cfn.json``, ``sam.yaml`` or ``dir``."""
    if path.is_dir():
        return "dir"
    return path.name.split(".", 1)[1]
