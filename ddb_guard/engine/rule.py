"""A rule as loaded from ``rules/**/<ID>.yaml`` (the file is the single source of truth)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ddb_guard import INFORMATION_URI
from ddb_guard.enums import Kind, Level


@dataclass(slots=True)
class Param:
    name: str
    default: Any
    description: str = ""


@dataclass(slots=True)
class Rule:
    """Rule metadata and condition. ``level`` is the effective default level after config."""

    id: str
    name: str
    severity: Level  # default level from the file
    short: str  # one-line description
    on: Kind  # entity kind
    fail: Any  # JMESPath string or {all|any|not: ...}
    messages: list[tuple[str | None, str]]  # (when-JMESPath or None, template)
    docs: dict[str, Any]
    path: str  # rule file, relative to the rules directory
    tags: list[str] = field(default_factory=list)
    precision: str = "high"
    security_severity: str | None = None
    params: dict[str, Param] = field(default_factory=dict)
    locate: str | None = None
    unknown_message: str | None = None
    properties: dict[str, str] = field(default_factory=dict)  # SARIF property -> JMESPath
    level: Level | None = None  # effective level (config override), defaults to severity
    param_values: dict[str, Any] = field(default_factory=dict)  # effective parameter values

    def __post_init__(self) -> None:
        self.severity = Level(self.severity)
        self.on = Kind(self.on)
        self.level = self.severity if self.level is None else Level(self.level)
        if not self.param_values:
            self.param_values = {n: p.default for n, p in self.params.items()}

    @property
    def help_uri(self) -> str:

        return f"{INFORMATION_URI}/blob/main/docs/rules/{self.id}.md"

    def help_markdown(self) -> str:
        """The full documentation as Markdown (used by `explain`, SARIF help, docs/)."""
        d = self.docs
        out = [
            f"# {self.id}: {self.short}",
            "",
            f"`{self.name}` · default level **{self.severity}**",
            "",
        ]
        out += ["## What it does", "", str(d.get("what", "")).strip(), ""]
        out += ["## Why it matters", "", str(d.get("why", "")).strip(), ""]
        if self.params:
            out += ["## Parameters", ""]
            for p in self.params.values():
                out.append(f"- `{p.name}` (default `{p.default}`): {p.description}")
            out.append("")
        fix = d.get("fix") or {}
        if fix:
            out += ["## How to fix it", ""]
            if fix.get("terraform"):
                out += ["Terraform:", "", "```hcl", str(fix["terraform"]).rstrip(), "```", ""]
            if fix.get("cloudformation"):
                out += [
                    "CloudFormation:",
                    "",
                    "```yaml",
                    str(fix["cloudformation"]).rstrip(),
                    "```",
                    "",
                ]
        refs = d.get("references") or []
        if refs:
            out += ["## References", ""] + [f"- {r}" for r in refs] + [""]
        return "\n".join(out).rstrip() + "\n"

    def help_text(self) -> str:
        """Plain-text documentation (SARIF ``help.text``)."""
        d = self.docs
        parts = [str(d.get("what", "")).strip(), str(d.get("why", "")).strip()]
        fix = d.get("fix") or {}
        if fix.get("terraform"):
            parts.append("Terraform fix:\n" + str(fix["terraform"]).rstrip())
        if fix.get("cloudformation"):
            parts.append("CloudFormation fix:\n" + str(fix["cloudformation"]).rstrip())
        refs = d.get("references") or []
        if refs:
            parts.append("References:\n" + "\n".join(refs))
        return "\n\n".join(p for p in parts if p)
