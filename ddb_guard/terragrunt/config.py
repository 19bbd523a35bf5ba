"""One Terragrunt configuration file evaluated statically, in the context of a unit.

What Terragrunt would compute before running Terraform is computed: ``locals``,
``include`` (with ``expose``), ``dependency`` (outputs are unknown, named), ``inputs``
with the location of each key, ``terraform { source }`` and ``generate`` blocks, and the
functions Terragrunt adds that need no network or execution (:data:`FUNCTIONS`).
Everything else is an unknown value with a reason; this never raises on bad input.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ddb_guard.context import ScanContext
from ddb_guard.model import Location, Notice, Value
from ddb_guard.parse.source import read_text
from ddb_guard.terraform.evaluate import Scope, evaluate, known, unknown
from ddb_guard.terraform.hcl import Attribute, Block, HclFile, parse_hcl

DEFAULT_NAME = "terragrunt.hcl"
MAX_READS = 50  # read_terragrunt_config / include depth, against cycles

Fn = Callable[[list[Value]], Value]


@dataclass(slots=True)
class Input:
    """One key of ``inputs``: its value (trace starts at the key's line)."""

    name: str
    value: Value
    loc: Location


@dataclass(slots=True)
class Config:
    """An evaluated Terragrunt file (with what it includes merged in, see :func:`load`)."""

    path: Path
    rel: str
    inputs: dict[str, Input] = field(default_factory=dict)
    source: Value | None = None  # terraform { source }, located where written
    generate: dict[str, Block] = field(default_factory=dict)
    generated: dict[str, Value] = field(default_factory=dict)  # label -> contents
    inputs_unknown: Value | None = None  # ``inputs`` as a whole cannot be evaluated
    inputs_loc: Location | None = None  # the unit's own ``inputs = ...`` line
    includes: list[Path] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)


class Context:
    """What the evaluator asks while evaluating a Terragrunt file (see ``ModuleContext``).

    ``unit_dir`` is the directory of the unit being evaluated (``get_terragrunt_dir()``);
    ``file`` the file whose expressions are evaluated (an included file is evaluated in the
    context of the unit that includes it, as Terragrunt does)."""

    prefix = ""

    def __init__(
        self,
        reader: Reader,
        hf: HclFile,
        path: Path,
        unit_dir: Path,
        include_dir: Path | None,
        depth: int,
    ) -> None:
        self.reader = reader
        self.hf = hf
        self.path = path
        self.unit_dir = unit_dir
        self.include_dir = include_dir
        self.depth = depth
        self.path_module = "."
        self.names: dict[str, Value] = {}
        # include label -> directory of the included file (path_relative_to_include(name))
        self.include_dirs: dict[str, Path] = {}
        self._locals: dict[str, Value] = {}
        self._busy: set[str] = set()
        self._local_attrs: dict[str, Attribute] = {}
        for block in hf.blocks:
            if block.type == "locals":
                self._local_attrs.update(block.attrs)
        self.functions: dict[str, Fn] = {
            "find_in_parent_folders": self._find_in_parent_folders,
            "get_terragrunt_dir": lambda args: known(str(self.unit_dir)),
            "get_original_terragrunt_dir": lambda args: known(str(self.unit_dir)),
            "get_parent_terragrunt_dir": lambda args: known(
                str(self.include_dir or self.path.parent)
            ),
            "path_relative_to_include": self._relative_to_include,
            "path_relative_from_include": self._relative_from_include,
            "read_terragrunt_config": self._read_config,
            "get_env": self._get_env,
            "dirname": _path_fn("dirname", lambda p: os.path.dirname(p)),
            "basename": _path_fn("basename", lambda p: os.path.basename(p)),
        }
        for name in (
            "get_aws_account_id",
            "get_aws_account_alias",
            "get_aws_caller_identity_arn",
            "get_aws_caller_identity_user_id",
            "run_cmd",
            "sops_decrypt_file",
            "get_terraform_command",
            "get_terraform_cli_args",
        ):
            self.functions[name] = _not_evaluated(name)

    @property
    def scope(self) -> Scope:
        return Scope(self, self.names)

    # --- ModuleContext ----------------------------------------------------------------

    def var(self, name: str) -> Value:
        return unknown(f"var.{name} is not available in a Terragrunt file")

    def local(self, name: str) -> Value:
        hit = self._locals.get(name)
        if hit is not None:
            return hit
        attr = self._local_attrs.get(name)
        if attr is None:
            return unknown(f"refers to local.{name}, which is not defined")
        if name in self._busy:
            return unknown(f"local.{name} refers to itself")
        self._busy.add(name)
        try:
            v = evaluate(attr.expr, attr.file, self.scope)
        finally:
            self._busy.discard(name)
        self._locals[name] = Value(v.value, None, v.unknown, False, (attr.loc, *v.trace), v.refs)
        return self._locals[name]

    def all_locals(self) -> dict[str, Value]:
        return {name: self.local(name) for name in self._local_attrs}

    def resource_ref(self, rtype: str, steps: list[tuple[str, Any]]) -> tuple[Value, int]:
        return unknown(f"refers to {rtype}, which a Terragrunt file does not define"), len(steps)

    def module_ref(self, steps: list[tuple[str, Any]]) -> tuple[Value, int]:
        return unknown("a Terragrunt file has no module outputs"), len(steps)

    def data_ref(self, steps: list[tuple[str, Any]]) -> Value | None:
        return None

    # --- Terragrunt functions ---------------------------------------------------------

    def _find_in_parent_folders(self, args: list[Value]) -> Value:
        for a in args:
            if a.unknown is not None:
                return a
        name = str(args[0].value) if args else DEFAULT_NAME
        start = self.unit_dir.parent
        for directory in (start, *start.parents):
            candidate = directory / name
            if candidate.is_file() or (name != DEFAULT_NAME and candidate.exists()):
                return known(str(candidate))
        if len(args) > 1:
            return args[1]
        where = self.reader.ctx.rel(self.unit_dir)
        return unknown(f'find_in_parent_folders("{name}"): no {name} above {where}')

    def _include_dir(self, args: list[Value]) -> Path:
        if args and args[0].unknown is None and str(args[0].value) in self.include_dirs:
            return self.include_dirs[str(args[0].value)]
        first = next(iter(self.include_dirs.values()), None)
        return self.include_dir or first or self.unit_dir

    def _relative_to_include(self, args: list[Value]) -> Value:
        base = self._include_dir(args)
        return known(Path(os.path.relpath(self.unit_dir, base)).as_posix())

    def _relative_from_include(self, args: list[Value]) -> Value:
        base = self._include_dir(args)
        return known(Path(os.path.relpath(base, self.unit_dir)).as_posix())

    def _get_env(self, args: list[Value]) -> Value:
        if not args or args[0].unknown is not None:
            return args[0] if args else unknown("get_env() needs a name")
        name = str(args[0].value)
        value = self.reader.ctx.env.get(name)
        if value is not None:
            return known(value)
        if len(args) > 1:
            return args[1]
        return unknown(f"depends on the environment variable {name}, which is not set")

    def _read_config(self, args: list[Value]) -> Value:
        if not args or args[0].unknown is not None:
            return args[0] if args else unknown("read_terragrunt_config() needs a path")
        target = Path(str(args[0].value))
        if not target.is_absolute():
            target = self.path.parent / target
        if self.depth >= MAX_READS:
            return unknown(f"read_terragrunt_config: files read each other ({target.name})")
        hf = self.reader.parse(target)
        if hf is None:
            if len(args) > 1:
                return args[1]
            return unknown(f"read_terragrunt_config: {self.reader.ctx.rel(target)} cannot be read")
        # a file read this way is evaluated in its own directory's context
        sub = Context(self.reader, hf, target, target.parent, None, self.depth + 1)
        sub.names = bindings(sub, hf, {})
        inputs_attr = hf.attrs.get("inputs")
        inputs = (
            evaluate(inputs_attr.expr, inputs_attr.file, sub.scope)
            if inputs_attr is not None
            else known({})
        )
        return known(
            {
                "locals": {k: plain_value(v) for k, v in sub.all_locals().items()},
                "inputs": plain_value(inputs),
            }
        )


def plain_value(v: Value) -> Any:
    return v.value if v.unknown is None else v


def _not_evaluated(name: str) -> Fn:
    def fn(args: list[Value]) -> Value:
        return unknown(f"{name}() is not evaluated (it needs AWS credentials or runs code)")

    return fn


def _path_fn(name: str, op: Callable[[str], str]) -> Fn:
    def fn(args: list[Value]) -> Value:
        if len(args) != 1:
            return unknown(f"{name}() takes one argument")
        if args[0].unknown is not None:
            return args[0]
        return known(op(str(args[0].value)), args[0].trace)

    return fn


class Reader:
    """Reads and parses Terragrunt files once per scan."""

    def __init__(self, ctx: ScanContext) -> None:
        self.ctx = ctx
        self._parsed: dict[Path, HclFile | None] = {}
        self.notices: list[Notice] = []
        self.files: set[str] = set()

    def parse(self, path: Path) -> HclFile | None:
        path = path.resolve()
        if path in self._parsed:
            return self._parsed[path]
        hf: HclFile | None = None
        if path.is_file():
            text = read_text(path, self.ctx)
            if isinstance(text, Notice):
                self.notices.append(text)
            else:
                hf = parse_hcl(text, self.ctx.rel(path))
                self.notices.extend(hf.notices)
                self.files.add(self.ctx.rel(path))
        self._parsed[path] = hf
        return hf


def bindings(ctx: Context, hf: HclFile, includes: dict[str, Value]) -> dict[str, Value]:
    """``include`` and ``dependency`` as names the evaluator sees."""
    deps: dict[str, Any] = {}
    for block in hf.blocks:
        if block.type == "dependency" and block.labels:
            name = block.labels[0]
            cp = block.attrs.get("config_path")
            where = ""
            if cp is not None:
                p = evaluate(cp.expr, cp.file, Scope(ctx))
                where = f" (unit {p.value})" if p.unknown is None else ""
            deps[name] = {
                "outputs": unknown(
                    f"depends on dependency.{name}.outputs{where}, known only after that "
                    "unit is applied"
                )
            }
    names: dict[str, Value] = {}
    if deps:
        names["dependency"] = known(deps)
    if includes:
        names["include"] = known(includes)
    return names


def _object_elems(attr: Attribute) -> list[tuple[str, Any, Location]] | None:
    """``{ a = 1, "b" = x }`` -> [(key, value node, key location)]; None if not a literal."""
    node = attr.expr
    if attr.file is None:
        return None
    while node.type in ("expression", "collection_value") and len(node.children) == 1:
        node = node.children[0]
    if node.type != "object":
        return None
    out = []
    for elem in node.children:
        if elem.type != "object_elem":
            continue
        exprs = [c for c in elem.children if c.type == "expression"]
        if len(exprs) != 2:
            continue
        key = attr.file.text(exprs[0]).strip().strip('"')
        out.append((key, exprs[1], attr.file.loc(exprs[0])))
    return out


def evaluate_inputs(attr: Attribute, ctx: Context) -> tuple[dict[str, Input], Value | None]:
    """Each key of ``inputs``, located at its own line when ``inputs`` is an object literal;
    and the unknown Value when ``inputs`` as a whole cannot be evaluated."""
    out: dict[str, Input] = {}
    elems = _object_elems(attr)
    if elems is not None:
        for key, node, loc in elems:
            v = evaluate(node, attr.file, ctx.scope)
            value = Value(v.value, None, v.unknown, False, (loc, *v.trace), v.refs)
            out[key] = Input(key, value, loc)
        return out, None
    whole = evaluate(attr.expr, attr.file, ctx.scope)
    if whole.unknown is not None:
        return out, Value(None, attr.loc, whole.unknown, False, whole.trace, whole.refs)
    if not isinstance(whole.value, dict):
        return out, Value(None, attr.loc, "inputs is not an object", False, whole.trace)
    for key, item in whole.value.items():
        v = item if isinstance(item, Value) else known(item)
        out[key] = Input(
            key, Value(v.value, None, v.unknown, False, (attr.loc, *v.trace), v.refs), attr.loc
        )
    return out, None
