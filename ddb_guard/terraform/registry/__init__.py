"""Registry modules modelled from data: one YAML file per module in this package.

Each file has ``source`` (the canonical registry address), ``patterns`` (regular
expressions a module call's ``source`` may match), ``inputs`` (variable name -> default)
and ``resources`` (HCL text: the module's resources, evaluated with the inputs bound to
the call's arguments). Adding a module needs only a new YAML file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ddb_guard.model import Value


@dataclass(frozen=True, slots=True)
class RegistryModule:
    """One modelled registry module."""

    source: str
    patterns: tuple[re.Pattern[str], ...]
    inputs: tuple[tuple[str, Any], ...]
    resources: str
    data_file: str

    def matches(self, source: str) -> bool:
        return any(p.match(source) for p in self.patterns)

    def defaults(self) -> dict[str, Value]:
        return {name: Value(value) for name, value in self.inputs}


@cache
def modules() -> tuple[RegistryModule, ...]:
    """Every module described in this package's YAML files (loaded once)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    found: list[RegistryModule] = []
    for path in sorted(Path(__file__).parent.glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # safe loader
        source = str(data["source"])
        patterns = tuple(re.compile(p, re.I) for p in data.get("patterns") or [])
        if not patterns:
            patterns = (
                re.compile(r"^(registry\.terraform\.io/)?" + re.escape(source) + r"(//.*)?$", re.I),
            )
        inputs = tuple((str(k), v) for k, v in (data.get("inputs") or {}).items())
        found.append(RegistryModule(source, patterns, inputs, str(data["resources"]), path.name))
    return tuple(found)


def find(source: str) -> RegistryModule | None:
    """The modelled module a call's ``source`` refers to, if any."""
    source = source.strip()
    for module in modules():
        if module.matches(source):
            return module
    return None
