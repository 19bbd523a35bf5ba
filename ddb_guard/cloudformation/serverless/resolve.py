"""Resolve the variables of one Serverless service statically, in place.

What the Framework would resolve from files alone is resolved: ``${self:...}`` (any path,
recursively, with variables in the path), ``${opt:stage}`` (``--stage``), ``${sls:stage}``
(``--stage``, else ``provider.stage``, else ``dev``), ``${param:...}`` from ``params``/
``stages``, ``${file(path)}``/``${file(path):a.b}`` for local YAML/JSON inside the
repository, ``${strToBool(...)}``, fallbacks after the comma. Sources read at deploy time
(``env``, ``ssm``, ``cf``, ``s3``, ``aws``, ``sls:instanceId``, ...) give their fallback if
there is one, else an unknown value naming the source; JavaScript/TypeScript files are
never run.

A string that was a variable is replaced by: a plain string (interpolations and string
values), the referenced mapping/list itself, or a :class:`~ddb_guard.model.Value` (a
known bool/number with the locations that decided it in ``trace``, or an unknown value
with its reason) that the CloudFormation resolver reads like any other value.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ddb_guard.cloudformation.serverless.syntax import Source, Variable, split
from ddb_guard.context import ScanContext
from ddb_guard.enums import Level
from ddb_guard.model import Location, Notice, Value
from ddb_guard.parse import yaml_loader
from ddb_guard.parse.source import read_text
from ddb_guard.parse.yaml_loader import value_span

DEFAULT_STAGE = "dev"
MAX_NODES = 500_000
"""Most values a container may hold once shared mappings are expanded (a DAG of
``${self:}`` references doubles at each level; this bounds what later stages walk)."""
NOT_RUN = (".js", ".ts", ".mjs", ".cjs")
DEPLOY_TIME = {
    "env": "an environment variable",
    "ssm": "an SSM parameter",
    "cf": "a CloudFormation stack output",
    "s3": "an S3 object",
    "aws": "the AWS account or region",
    "secretsmanager": "a Secrets Manager secret",
    "param": "a Serverless Dashboard parameter",
}


@dataclass(frozen=True, slots=True)
class Missing:
    """A source that gives nothing: the next source (fallback) is tried."""

    reason: str


@dataclass(frozen=True, slots=True)
class Deferred:
    """A source read at deploy time: its fallback is used if there is one."""

    reason: str


Result = Value | Missing | Deferred


def repository_root(directory: Path, ctx: ScanContext) -> Path:
    """The repository a service lives in: the nearest directory with ``.git``, else the
    scan root when the service is inside it, else the service directory."""
    directory = directory.resolve()
    for candidate in (directory, *directory.parents):
        if (candidate / ".git").exists():
            return candidate
    root = Path(ctx.root).resolve()
    return root if directory == root or root in directory.parents else directory


class ServiceResolver:
    """Resolves the variables of the service file at ``path`` (``data`` as loaded)."""

    def __init__(self, path: Path, data: Mapping[str, Any], ctx: ScanContext) -> None:
        self.ctx = ctx
        self.data = data
        self.rel = ctx.rel(path)
        self.dir = path.parent.resolve()
        self.boundary = repository_root(self.dir, ctx)
        self.origins: dict[Any, str] = {}  # id(container) -> reported path of its file
        self.included: dict[str, Location] = {}  # included file -> where it was included
        self.notices: list[Notice] = []
        self._files: dict[Path, Any] = {}  # loaded trees, kept alive (their ids are keys)
        self._active: set[tuple[int, Any]] = set()
        self._walked: set[int] = set()
        self._size: dict[int, int] = {}  # id(container) -> values in it, expanded
        self._open: set[int] = {id(data)}  # containers being walked (the root always is)
        self._stage: Value | None = None
        self._stage_busy = False

    # ----------------------------------------------------------------- locations

    def loc_of(self, container: Any, key: Any) -> Location | None:
        span = value_span(container, key)
        if span is None:
            return None
        path = self.origins.get((id(container), key)) or self.origins.get(id(container), self.rel)
        return Location(path, *span)

    def note(self, loc: Location | None, message: str, level: Level = Level.WARNING) -> None:
        where = loc or Location(self.rel, 0, 0)
        self.notices.append(Notice(where.path, message, where.line, where.column, level=level))

    # ----------------------------------------------------------------- tree

    def resolve_tree(self, container: Any, key: Any) -> Any:
        """Resolve ``container[key]`` and everything below it, in place; returns it.

        A variable that brings in a mapping holding itself (``${self:}`` inside
        ``resources``) would make the tree a cycle: it becomes unknown instead.
        """
        node = self.resolve_at(container, key)
        if not isinstance(node, (dict, list)):
            return node
        if id(node) in self._open:
            container[key] = Value.unknown_because("a variable here refers to a value holding it")
            return container[key]
        if id(node) not in self._walked:
            self._walked.add(id(node))
            self._open.add(id(node))
            keys = list(node) if isinstance(node, dict) else range(len(node))
            for child in keys:
                self.resolve_tree(node, child)
            self._open.discard(id(node))
            children = node.values() if isinstance(node, dict) else node
            self._size[id(node)] = 1 + sum(self._size.get(id(c), 1) for c in children)
        if self._size.get(id(node), 1) > MAX_NODES:  # shared by variables, many times over
            container[key] = Value.unknown_because(
                f"a variable here expands to more than {MAX_NODES:,} values"
            )
            return container[key]
        return node

    def resolve_at(self, container: Any, key: Any) -> Any:
        """``container[key]`` with the variables of its own string resolved (in place)."""
        node = container[key]
        if not isinstance(node, str) or "${" not in node:
            return node
        marker = (id(container), key)
        if marker in self._active:
            result: Value = Value.unknown_because(f"{node} is part of a cycle of variables")
        else:
            self._active.add(marker)
            try:
                result = self.resolve_text(node, self.loc_of(container, key))
            finally:
                self._active.discard(marker)
        replacement = _replacement(result)
        container[key] = replacement
        return replacement

    def resolve_text(self, text: str, loc: Location | None) -> Value:
        """A string with variables -> a Value (the referenced object when the string is
        one variable; a string when variables are part of it)."""
        parts = split(text)
        if not any(isinstance(p, Variable) for p in parts):
            return Value.of(text)
        if len(parts) == 1 and isinstance(parts[0], Variable):
            return self.variable(parts[0], loc)
        pieces: list[str] = []
        trace: tuple[Location, ...] = ()
        for part in parts:
            if isinstance(part, str):
                pieces.append(part)
                continue
            value = self.variable(part, loc)
            if not value.known:
                return value
            if isinstance(value.value, (dict, list)):
                return Value.unknown_because(f"{part.text} is not a string (inside {text!r})")
            pieces.append(_text(value.value))
            trace += value.trace
        return Value.of("".join(pieces), trace=trace)

    # ----------------------------------------------------------------- variables

    def variable(self, var: Variable, loc: Location | None) -> Value:
        """The value of one ``${...}``: its sources in order, first that gives a value."""
        if var.error:
            return Value.unknown_because(var.error)
        deferred: Deferred | None = None
        missing: Missing | None = None
        for source in var.sources:
            result = self.source(source, var, loc)
            if isinstance(result, Value):
                return result
            if isinstance(result, Deferred):
                deferred = deferred or result
            else:
                missing = missing or result
        if deferred is not None:
            return Value.unknown_because(deferred.reason)
        return Value.unknown_because(missing.reason if missing else f"{var.text} has no value")

    def source(self, source: Source, var: Variable, loc: Location | None) -> Result:
        if source.is_literal:
            return Value.of(source.literal)
        kind = source.type
        if kind == "file":
            return self.file(source, var, loc)
        if kind == "strToBool":
            return self.str_to_bool(source, var, loc)
        address = self.text_param(source.address or "", loc)
        if not isinstance(address, str):
            return address
        if kind == "self":
            return self.lookup(self.data, address, var.text, "serverless.yml")
        if kind == "opt":
            if address == "stage" and self.ctx.serverless_stage:
                return Value.of(self.ctx.serverless_stage)
            return Missing(f"{var.text} depends on the --{address} option of serverless deploy")
        if kind == "sls":
            if address == "stage":
                return self.stage()
            if address == "instanceId":
                return Deferred(f"{var.text} changes on every deploy")
            return Deferred(f"{var.text}: unknown sls variable {address}")
        if kind == "param":
            found = self.param(address)
            if found is not None:
                return found
        what = DEPLOY_TIME.get(kind)
        if what is None:
            return Deferred(f"{var.text}: source {kind!r} is not read by ddb-guard (a plugin?)")
        return Deferred(f"{var.text} depends on {what}, read at deploy time")

    def text_param(self, text: str, loc: Location | None) -> str | Value:
        """A param or address (which may hold variables) as a string, else unknown."""
        if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
            return text[1:-1]
        if "${" not in text:
            return text
        value = self.resolve_text(text, loc)
        if not value.known:
            return value
        if isinstance(value.value, (dict, list, Value)) or value.value is None:
            return Value.unknown_because(f"{text} is not a string")
        return _text(value.value)

    def stage(self) -> Value:
        """``--stage``, else ``provider.stage``, else ``dev`` (as a Value with its trace)."""
        if self._stage is not None:
            return self._stage
        if self.ctx.serverless_stage:
            self._stage = Value.of(self.ctx.serverless_stage)
            return self._stage
        provider = self.data.get("provider")
        if not isinstance(provider, dict) or "stage" not in provider:
            self._stage = Value.of(DEFAULT_STAGE)
            return self._stage
        if self._stage_busy:
            return Value.unknown_because("provider.stage refers to ${sls:stage}")
        self._stage_busy = True
        try:
            raw = self.resolve_at(provider, "stage")
        finally:
            self._stage_busy = False
        loc = self.loc_of(provider, "stage")
        if isinstance(raw, Value):
            found = raw
        elif isinstance(raw, (str, int, float)) and not isinstance(raw, bool):
            found = Value.of(_text(raw), trace=(loc,) if loc else ())
        else:
            found = Value.unknown_because("provider.stage is not a string")
        if not found.known:
            found = Value.unknown_because(f"the stage (provider.stage): {found.unknown}")
        self._stage = found
        return found

    def param(self, name: str) -> Value | None:
        """``${param:name}`` from ``stages.<stage>.params``/``params.<stage>`` (v4/v3),
        falling back to the ``default`` stage; None when not written in the file."""
        stage = self.stage()
        if not stage.known:
            return Value.unknown_because(f"${{param:{name}}} depends on {stage.unknown}")
        for group in (stage.value, "default"):
            for path in (f"stages.{group}.params.{name}", f"params.{group}.{name}"):
                found = self.lookup(self.data, path, "", "")
                if isinstance(found, Value):
                    return _with_trace(found, stage.trace)
        return None

    def lookup(self, root: Any, address: str, text: str, where: str) -> Value | Missing:
        """Follow a dotted ``address`` from ``root``, resolving on the way."""
        node: Any = root
        parent: Any = None
        last: Any = None
        for part in [p for p in address.split(".") if p] if address else []:
            if isinstance(node, dict) and part in node:
                parent, last = node, part
            elif (
                isinstance(node, list)
                and part.isascii()
                and part.isdigit()
                and int(part) < len(node)
            ):
                parent, last = node, int(part)
            elif isinstance(node, Value) and not node.known:
                return node
            else:
                return Missing(f"{text} is not defined in {where}")
            node = self.resolve_at(parent, last)
        loc = self.loc_of(parent, last) if parent is not None else None
        here = (loc,) if loc else ()
        if isinstance(node, Value):
            return Value(node.value, None, node.unknown, trace=(*node.trace, *here))
        if node is None and parent is not None:
            return Missing(f"{text} is empty in {where}")
        return Value.of(node, trace=here)

    def str_to_bool(self, source: Source, var: Variable, loc: Location | None) -> Value:
        raw = self.text_param(source.params[0], loc) if source.params else ""
        if isinstance(raw, Value):
            return raw
        text = raw.strip().lower()
        if text in ("true", "1"):
            return Value.of(True)
        if text in ("false", "0"):
            return Value.of(False)
        return Value.unknown_because(f"{var.text}: {raw!r} is not a boolean")

    # ----------------------------------------------------------------- files

    def file(self, source: Source, var: Variable, loc: Location | None) -> Result:
        if not source.params:
            return Value.unknown_because(f"{var.text} names no file")
        name = self.text_param(source.params[0], loc)
        if isinstance(name, Value):
            return name
        target = Path(os.path.normpath(self.dir / name))
        real = target.resolve()
        if real != self.boundary and self.boundary not in real.parents:
            self.note(loc, f"{var.text}: {name} is outside the repository; not read")
            return Value.unknown_because(f"{var.text} is outside the repository")
        if target.suffix in NOT_RUN:
            return Value.unknown_because(
                f"{var.text}: ddb-guard does not run {target.suffix} files"
            )
        if not target.is_file():
            return Missing(f"{var.text}: {name} does not exist")
        tree = self.load(target, loc)
        if isinstance(tree, Value):
            return tree
        rel = self.ctx.rel(target)
        if loc is not None:
            self.included.setdefault(rel, loc)
        if source.address is None:
            return Value.of(tree)
        address = self.text_param(source.address, loc)
        if isinstance(address, Value):
            return address
        return self.lookup(tree, address, var.text, name)

    def load(self, target: Path, loc: Location | None) -> Any:
        """A file's content (cached): YAML/JSON data, or the text of other files."""
        if target in self._files:
            return self._files[target]

        rel = self.ctx.rel(target)
        text = read_text(target, self.ctx)
        if isinstance(text, Notice):
            self.notices.append(text)
            self._files[target] = Value.unknown_because(f"{rel}: {text.message}")
            return self._files[target]
        if target.suffix in (".yml", ".yaml"):
            data, notice = yaml_loader.load_yaml(text, rel)
        elif target.suffix == ".json":
            data, notice = yaml_loader.load_json(text, rel)
        else:
            data, notice = text, None
        if notice is not None:
            self.notices.append(notice)
            if data is None:
                self._files[target] = Value.unknown_because(f"{rel}: {notice.message}")
                return self._files[target]
        self._register(data, rel)
        self._files[target] = data
        return data

    def _register(self, tree: Any, rel: str) -> None:
        stack = [tree]
        while stack:
            node = stack.pop()
            if isinstance(node, (dict, list)) and id(node) not in self.origins:
                self.origins[id(node)] = rel
                stack.extend(node.values() if isinstance(node, dict) else node)


def _with_trace(value: Value, trace: tuple[Location, ...]) -> Value:
    return Value(value.value, value.loc, value.unknown, trace=(*value.trace, *trace))


def _replacement(result: Value) -> Any:
    """What a resolved string becomes in the tree (see the module docstring)."""
    if not result.known:
        return result
    if isinstance(result.value, (str, dict, list)):
        return result.value
    return result


def _text(value: Any) -> str:
    """As JavaScript writes a value into a string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
