"""From findings to edits: which value decides each fixable finding, and how to change it.

A finding is fixed where its deciding value is written: an absent attribute is inserted
into the resource; a literal (on the resource, or at the end of a chain of plain references:
a variable default, a tfvars entry, a local, a module argument, a parameter ``Default``) is
flipped. An expression is never rewritten, and generated files are never edited."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ddb_guard.enums import Outcome
from ddb_guard.fix.edits import Edit, NotFixed, Unfixable, flipped, line_starts, span, trimmed
from ddb_guard.fix.tfplan import fix_terraform
from ddb_guard.model import (
    CLOUDFORMATION,
    REPLICA,
    TABLE,
    TERRAFORM,
    Entity,
    Finding,
    Location,
    Value,
)

# rule -> the table attributes it judges, and the kind of literal that protects them
FIXABLE: dict[str, tuple[tuple[str, str], ...]] = {
    "DDB001": (("pitr_enabled", "bool"),),
    "DDB002": (("pitr_days", "days"),),
    "DDB003": (("deletion_protection", "bool"),),
    "DDB004": (("deletion_policy", "policy"), ("update_replace_policy", "policy")),
    "DDB005": (("pitr_enabled", "bool"),),
    "DDB006": (("deletion_protection", "bool"),),
}
GENERATED = ("cdk.out/", ".terraform/")
YAML_SUFFIXES = (".yaml", ".yml", ".template")

# a plain reference: the value is passed on unchanged (var.x, local.x, !Ref X or its long
# form, a module input's var.x inside the module, a whole Serverless variable ${self:a.b})
_REFERENCE = re.compile(
    r"""^(?:(?:var|local)\.[A-Za-z_][\w-]*|!Ref\s+["']?[\w:.-]+["']?"""
    r"""|\{?\s*["']?Ref["']?\s*:\s*["']?[\w:.-]+["']?\s*\}?"""
    r"""|\$\{[^{}]*(?:\$\{[^{}]*\}[^{}]*)*\})$"""
)
# a Serverless variable whose fallback decides (${env:X, 'false'}): the fallback literal
_FALLBACK = re.compile(r""",\s*(["']?(?:false|False|FALSE)["']?)\s*\}$""")
_ASSIGNMENT = re.compile(r"""^([A-Za-z_][\w-]*\s*=\s*)([^\n#]*?)\s*(?:#.*)?$""")
_PROTECTED = {"bool": ("true", "True", "TRUE"), "policy": ("Retain", "RetainExceptOnCreate")}
_DAYS = re.compile(r"""^(["']?)(\d+)(["']?)$""")
# a key located alone (a Terragrunt `inputs` entry), and the value written after it
_KEY = re.compile(r"""^["']?[A-Za-z_][\w-]*["']?$""")
_KEY_VALUE = re.compile(r"""[ \t]*[=:][ \t]*([^\s,#]+(?:[ \t]+[^\s,#]+)*)""")


@dataclass(slots=True)
class Plan:
    """The edits per file (reported path) and the findings not fixed."""

    edits: dict[str, list[tuple[Edit, Finding]]] = field(default_factory=dict)
    not_fixed: list[NotFixed] = field(default_factory=list)

    def add(self, edit: Edit, finding: Finding) -> None:
        self.edits.setdefault(edit.path, []).append((edit, finding))


class Planner:
    """Builds a :class:`Plan` from a scan's findings and model, reading files under ``root``."""

    def __init__(
        self,
        root: Path,
        entities: list[Entity],
        unsafe: bool = False,
        params: dict[str, dict] | None = None,
    ) -> None:
        self.root = root
        self.unsafe = unsafe  # replace a deciding expression with the protected literal
        # DDB002's window: the rule's min_days as configured
        self.min_days = int((params or {}).get("DDB002", {}).get("min_days", 35))
        self.window_checked = params is not None and "DDB002" in params
        self.findings: list[Finding] = []
        self.finishers: list[Callable[[Plan], None]] = []  # batched edits, after every finding
        self.texts: dict[str, str] = {}
        self.by_address: dict[str, list[Entity]] = {}
        for e in entities:
            if e.kind in (TABLE, REPLICA):
                self.by_address.setdefault(e.address, []).append(e)
        self._parsed: dict[str, object] = {}

    def text(self, path: str) -> str:
        if path not in self.texts:
            data = (self.root / path).read_bytes()
            if data.startswith(b"\xef\xbb\xbf"):
                raise Unfixable("the file starts with a byte-order mark")
            # newline="" semantics: keep CRLF as written
            self.texts[path] = data.decode("utf-8")
        return self.texts[path]

    def _entity(self, f: Finding) -> Entity | None:
        found = self.by_address.get(f.address, [])
        for e in found:
            if e.loc.path == f.loc.path or e.scope == f.loc.path:
                return e
        # a table made by a module (or a Terragrunt unit): reported at the call
        calls = [e for e in found if e.report_loc is not None and e.report_loc.path == f.loc.path]
        if len(calls) == 1:
            return calls[0]
        return found[0] if len(found) == 1 else None

    def plan(self, findings: list[Finding]) -> Plan:
        plan = Plan()
        self.findings = findings
        for f in findings:
            if f.rule_id not in FIXABLE or f.outcome != Outcome.FAIL or f.suppression is not None:
                continue
            try:
                self._fix(f, plan)
            except Unfixable as exc:
                reason = str(exc)
                if not reason.startswith("not fixed"):
                    reason = f"not fixed: {reason}"
                plan.not_fixed.append(
                    NotFixed(f.loc.path, f.loc.line, f.rule_id, f.address, reason)
                )
            except (OSError, UnicodeDecodeError) as exc:
                plan.not_fixed.append(
                    NotFixed(f.loc.path, f.loc.line, f.rule_id, f.address, f"not fixed: {exc}")
                )
        for finish in self.finishers:
            finish(plan)
        return plan

    def _fix(self, f: Finding, plan: Plan) -> None:
        entity = self._entity(f)
        if entity is None:
            raise Unfixable("the table the finding is about was not found")
        terraform = entity.source == TERRAFORM
        if _generated(f.loc.path) or (
            _generated(entity.loc.path) and not (terraform and entity.report_loc)
        ):
            raise Unfixable(_generated_reason(entity))
        if f.rule_id == "DDB003" and entity.attrs.get("deletion_protection_supported") is not None:
            supported = entity.attrs["deletion_protection_supported"]
            if supported.known and supported.value is False:
                raise Unfixable(
                    f"{entity.resource_type} has no deletion protection setting; "
                    "use AWS::DynamoDB::Table"
                )
        for attr, kind in FIXABLE[f.rule_id]:
            value = entity.attrs.get(attr)
            if value is None or not value.known:
                raise Unfixable(f"{attr} is not known")
            if self._protected(value.value, kind):
                continue
            if terraform:  # Terraform and Terragrunt: ddb_guard.fix.tfplan
                for edit in fix_terraform(self, f, entity, attr, value, kind):
                    plan.add(edit, f)
                continue
            if value.default and kind == "days":
                raise Unfixable(f"the default window is shorter than {self.min_days} days")
            if value.default:
                plan.add(self._insert(f, entity, attr), f)
            else:
                for edit in self._flip(f, value, kind):
                    plan.add(edit, f)
        days = entity.attrs.get("pitr_days")
        # (Terraform: the fix run plans again what the fixed code reveals)
        if (
            f.rule_id == "DDB001"
            and not terraform
            and self.window_checked
            and _short(days, self.min_days)
        ):
            # PITR turned on with a short window written: DDB002 would appear; raise it too
            try:
                for edit in self._flip(f, days, "days", located=False):
                    plan.add(edit, f)
            except Unfixable:
                pass  # DDB002 will say why once PITR is on

    def _candidates(
        self, f: Finding, value: Value, kind: str, located: bool | None = None
    ) -> list[Location]:
        """Every location that decided the value: the attribute, then the trace (the
        finding's own location and related ones only for the attribute it locates)."""
        out: list[Location] = []
        if located is None:
            located = kind in ("bool", "days")
        extra = [rel for rel, message in f.related if located and message.startswith("value ")]
        first = (f.loc,) if located else ()
        for loc in (*first, value.loc, *value.trace, *extra):
            if loc is not None and loc not in out:
                out.append(loc)
        return out

    def _flip(
        self,
        f: Finding,
        value: Value,
        kind: str,
        located: bool | None = None,
        candidates: list[Location] | None = None,
    ) -> list[Edit]:
        """The protecting literal(s) at the end of a chain of plain references (of
        ``candidates`` when given), flipped."""
        edits: list[Edit] = []
        if candidates is None:
            candidates = self._candidates(f, value, kind, located)
        for where in candidates:
            if _generated(where.path):
                raise Unfixable(
                    f"not fixed: decided in a generated file ({where}); fix the source instead"
                )
            text = self.text(where.path)
            start, end = trimmed(text, *span(text, line_starts(text), where))
            written = text[start:end]
            pair = _ASSIGNMENT.match(written)
            if pair is not None:  # a whole `name = value` (a tfvars entry): its value
                start += len(pair.group(1))
                end = start + len(pair.group(2))
                written = pair.group(2)
            if _KEY.match(written):  # a key (a Terragrunt `inputs` entry): its value
                m = _KEY_VALUE.match(text, end)
                if m is not None and m.group(1):
                    start, end, written = m.start(1), m.end(1), m.group(1)
            new = self._flipped(written, kind)
            fallback = _FALLBACK.search(written.rstrip()) if not value.trace else None
            if new is None and fallback is not None and kind == "bool":
                # the fallback of a deploy-time source (${env:X, 'false'}) is the literal
                written = fallback.group(1)
                start, end = start + fallback.start(1), start + fallback.end(1)
                new = flipped(written, kind)
            if new is not None:
                what = f"{written.strip()} -> {new}"
                edits.append(Edit(where.path, start, end, new, where.line, f.rule_id, what))
            elif not _REFERENCE.match(written.strip()):
                if self.unsafe:
                    new, expr = self._literal(kind, text), " ".join(written.split())
                    what = f"unsafe: replaced expression {expr} at {where.path}:{where.line}"
                    edits.append(Edit(where.path, start, end, new, where.line, f.rule_id, what))
                    break  # the expression decided: what it reads no longer matters
                raise Unfixable(
                    f"not fixed: decided by the expression at {where.path}:{where.line}"
                )
        if not edits:
            raise Unfixable("not fixed: the literal that decides the value was not found")
        return edits

    def _protected(self, value: object, kind: str) -> bool:
        if kind == "days":
            return isinstance(value, int) and not isinstance(value, bool) and value >= self.min_days
        return value in _PROTECTED[kind] or value is True

    def _literal(self, kind: str, text: str) -> str:
        """The protected literal that replaces an expression (``--unsafe``); a string is
        quoted in JSON (a text that starts with ``{``)."""
        if kind == "days":
            return str(self.min_days)
        word = _PROTECTED[kind][0]
        return f'"{word}"' if kind == "policy" and text.lstrip().startswith("{") else word

    def _flipped(self, written: str, kind: str) -> str | None:
        """``written`` turned protective (quoting kept), or None when it is no literal."""
        if kind != "days":
            return flipped(written, kind)
        m = _DAYS.match(written.strip())
        if m is None or m.group(1) != m.group(3) or int(m.group(2)) >= self.min_days:
            return None
        return f"{m.group(1)}{self.min_days}{m.group(3)}"

    def _insert(self, f: Finding, entity: Entity, attr: str) -> Edit:
        path = entity.loc.path
        text = self.text(path)
        line = entity.loc.line
        if entity.source == CLOUDFORMATION and path.endswith((*YAML_SUFFIXES, ".json")):
            at, new, what = self._insert_cfn(path, text, entity, attr)
        else:
            raise Unfixable(f"{Path(path).suffix or path} files are not fixed yet")
        return Edit(path, at, at, new, line, f.rule_id, what)

    def _insert_cfn(self, path: str, text: str, entity: Entity, attr: str) -> tuple[int, str, str]:
        """A CloudFormation template (YAML, or JSON by its first character): the key added to
        the resource, its ``Properties``, or the ``Replicas`` item of a replica."""
        doc = self._parsed.get(path)
        if doc is None:
            if text.lstrip().startswith("{"):
                # lazy: only the editor of the file's format
                from ddb_guard.fix.json import JsonFile

                doc = JsonFile(text)
            else:
                # lazy: only the editor of the file's format
                from ddb_guard.fix.yaml import YamlFile

                doc = YamlFile(text)
            self._parsed[path] = doc
        loc = entity.loc
        replica = entity.kind == REPLICA
        # a logical id is a key on one line; a replica item or a resource included as a
        # whole file is the mapping itself
        where = (loc.line, loc.column, not replica and loc.end_line == loc.line)
        if attr == "pitr_enabled":
            return doc.insert_pitr(where, in_properties=not replica)
        if attr == "deletion_protection":
            return doc.insert_property(
                where, "DeletionProtectionEnabled", "true", in_properties=not replica
            )
        key = "DeletionPolicy" if attr == "deletion_policy" else "UpdateReplacePolicy"
        return doc.insert_resource_key(where, key, "Retain")


def _short(days: Value | None, min_days: int) -> bool:
    """A written PITR window shorter than ``min_days``."""
    if days is None or not days.known or days.default or isinstance(days.value, bool):
        return False
    return isinstance(days.value, int) and days.value < min_days


def _generated_reason(entity: Entity) -> str:
    """Why a finding in a generated file is not fixed, naming the CDK construct (from its
    ``aws:cdk:path`` metadata) that made a ``cdk.out`` resource."""
    if "cdk.out/" in "/" + entity.loc.path.replace("\\", "/") and entity.display_name:
        construct = entity.display_name
        return f"not fixed: generated file; fix the source (construct {construct}) instead"
    return "not fixed: generated file; fix the source (construct or module) instead"


def _generated(path: str) -> bool:
    p = "/" + path.replace("\\", "/")
    return any(f"/{g}" in p for g in GENERATED)
