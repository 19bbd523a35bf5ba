"""Terraform modules: a directory's declarations (:class:`ModuleDef`) and one evaluated
instance of it (:class:`ModuleInstance`) with its variables, locals, providers, resources
(``count``/``for_each``, ``dynamic`` blocks) and module calls (local, downloaded, registry).

:meth:`ModuleInstance.collect` returns :class:`Emitted` resources; ``load.py`` groups
instances with equal bodies into one :class:`~ddb_guard.terraform.resource.TfResource`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from ddb_guard.enums import Level, NoticeKind
from ddb_guard.model import Location, Notice, Suppression, Value
from ddb_guard.terraform.address import key_text
from ddb_guard.terraform.budget import Budget
from ddb_guard.terraform.evaluate import JsonExpr, Scope, at, evaluate, known, unknown
from ddb_guard.terraform.functions import EvalError, to_bool, to_int, to_number, to_str
from ddb_guard.terraform.hcl import Attribute, Block, HclFile, parse_expression
from ddb_guard.terraform.resource import TfBlock, TfResource
from ddb_guard.terraform.scope import iterate


class ModuleResolver(Protocol):
    """What a module instance asks the loader (``load.Loader``) that reads directories."""

    any_provider: bool  # some scanned module declares an AWS provider
    input_defaults: dict[Location, str]  # a root variable's ``default`` location -> its name

    def resolve_module(
        self,
        inst: ModuleInstance,
        name: str,
        mblock: Block,
        source: str,
        source_attr: Attribute,
    ) -> tuple[ModuleDef, str] | None: ...


RELEVANT_PREFIXES = ("aws_dynamodb_", "aws_backup_", "aws_iam_", "aws_kms_key")
MAX_INSTANCES = 1000
MAX_MODULE_INSTANCES = 1000  # module instances per root, across nesting
MAX_MODULE_DEPTH = 20
META_ATTRS = frozenset(
    ("count", "for_each", "provider", "depends_on", "providers", "source", "version")
)
_NO_REGION = Value.unknown_because("no provider region")
_LOCAL_REF = re.compile(r"\blocal\.([A-Za-z_][A-Za-z0-9_-]*)")


@dataclass(slots=True)
class ModuleDef:
    """What one module directory declares (all its ``.tf``/``.tf.json`` files together)."""

    dir: Path | None
    path_module: str
    files: list[HclFile] = field(default_factory=list)
    variables: dict[str, Block] = field(default_factory=dict)
    locals: dict[str, Attribute] = field(default_factory=dict)
    resources: dict[tuple[str, str], Block] = field(default_factory=dict)
    modules: dict[str, Block] = field(default_factory=dict)
    providers: list[Block] = field(default_factory=list)
    outputs: dict[str, Block] = field(default_factory=dict)
    data: dict[tuple[str, str], Block] = field(default_factory=dict)
    input_defaults: dict[str, Value] = field(default_factory=dict)  # registry modules
    origin: str = "hcl"
    by_path: dict[str, HclFile] = field(default_factory=dict)

    def add(self, hf: HclFile, *, override: bool = False) -> list[Notice]:
        """Add a parsed file's top-level blocks. ``override``: an ``*_override.tf`` file,
        whose blocks are merged into the ones they name (Terraform's override files)."""
        notices: list[Notice] = []
        self.files.append(hf)
        self.by_path[hf.file.path] = hf
        for block in hf.blocks:
            kind, labels = block.type, block.labels
            if kind == "resource" and len(labels) == 2:
                key: tuple[str, str] = labels  # type: ignore[assignment]
                if key in self.resources and override:
                    self.resources[key] = merge_override(self.resources[key], block)
                elif key in self.resources:
                    notices.append(_notice(block.loc, f"duplicate resource {'.'.join(labels)}"))
                else:
                    self.resources[key] = block
            elif kind == "variable" and len(labels) == 1:
                old = self.variables.get(labels[0])
                self.variables[labels[0]] = (
                    merge_override(old, block) if override and old is not None else block
                )
            elif kind == "locals":
                self.locals.update(block.attrs)
            elif kind == "module" and len(labels) == 1:
                old = self.modules.get(labels[0])
                self.modules[labels[0]] = (
                    merge_override(old, block) if override and old is not None else block
                )
            elif kind == "provider" and labels and labels[0] == "aws":
                self.providers.append(block)
            elif kind == "data" and len(labels) == 2:
                self.data[labels] = block  # type: ignore[index]
            elif kind == "output" and len(labels) == 1:
                self.outputs[labels[0]] = block
        return notices

    def suppressions(self, block: Block) -> list[Suppression]:
        hf = self.by_path.get(block.loc.path)
        return hf.suppressions_for(block) if hf is not None else []


def merge_override(base: Block, over: Block) -> Block:
    """``base`` with the attributes of ``over`` and its nested block types replacing base's."""
    replaced = {b.type for b in over.blocks}
    merged = Block(
        base.type,
        base.labels,
        base.loc,
        base.end_line,
        base.file,
        attrs={**base.attrs, **over.attrs},
        blocks=[b for b in base.blocks if b.type not in replaced] + list(over.blocks),
    )
    merged.display_name = base.display_name
    return merged


def is_override_file(name: str) -> bool:
    stem = name.removesuffix(".json").removesuffix(".tf")
    return stem == "override" or stem.endswith("_override")


def _notice(loc: Location, message: str, level: Level = Level.WARNING) -> Notice:
    return Notice(loc.path, message, line=loc.line, column=loc.column, level=level)


@dataclass(slots=True)
class Emitted:
    """A resource instance: its address without and with instance keys."""

    keyless: str
    keyed: str
    resource: TfResource

    @property
    def sig(self) -> Any:
        """What must be equal for instances to share one TfResource."""
        res = self.resource
        return (
            signature(res.body, res.region),
            res.exists.unknown if res.exists is not None else None,
            repr(res.default_tags) if res.default_tags is not None else None,
        )


def expr_text(attr: Attribute) -> str:
    """Source text of an attribute expression (``aws.west``), ``${}`` stripped for JSON."""
    if isinstance(attr.expr, JsonExpr):
        value = attr.expr.value
        text = value if isinstance(value, str) else ""
        if text.startswith("${") and text.endswith("}"):
            text = text[2:-1]
        return text.strip()
    if attr.file is None:
        return ""
    return attr.file.text(attr.expr).strip()


def _provider_map(attr: Attribute) -> dict[str, str]:
    """``providers = { aws = aws.west }`` -> {"aws": "aws.west"}."""
    out: dict[str, str] = {}
    if isinstance(attr.expr, JsonExpr):
        if isinstance(attr.expr.value, dict):
            for k, v in attr.expr.value.items():
                if isinstance(v, str):
                    out[k] = v[2:-1] if v.startswith("${") and v.endswith("}") else v
        return out
    file = attr.file
    if file is None:
        return out
    stack = [attr.expr]
    while stack:
        node = stack.pop()
        if node.type == "object_elem":
            exprs = [c for c in node.children if c.type == "expression"]
            if len(exprs) == 2:
                out[file.text(exprs[0]).strip().strip('"')] = file.text(exprs[1]).strip()
            continue
        stack.extend(node.children)
    return out


def _type_of(block: Block) -> str:
    attr = block.attrs.get("type")
    if attr is None:
        return ""
    return re.sub(r"\s+", "", expr_text(attr))


def _type_node(block: Block) -> tuple[Any, Any] | None:
    """The tree-sitter node (and file) of a variable's ``type`` if it uses ``optional()``."""
    attr = block.attrs.get("type")
    if attr is None or "optional(" not in expr_text(attr):
        return None
    if isinstance(attr.expr, JsonExpr):
        parsed = parse_expression(expr_text(attr))
        return parsed
    return attr.expr, attr.file


def _unwrap(node: Any) -> Any:
    while node.type == "expression" and len(node.children) == 1:
        node = node.children[0]
    return node


def _call_parts(node: Any, file: Any) -> tuple[str, list[Any]] | None:
    node = _unwrap(node)
    if node.type != "function_call":
        return None
    args = next((c for c in node.children if c.type == "function_arguments"), None)
    exprs = [c for c in args.children if c.type == "expression"] if args is not None else []
    return file.text(node.children[0]), exprs


def apply_optional_defaults(value: Any, tnode: Any, file: Any, depth: int = 0) -> Any:
    """Fill ``optional(type, default)`` attributes of object types like Terraform does."""
    parts = _call_parts(tnode, file)
    if parts is None or depth > 30 or isinstance(value, Value):
        return value
    name, args = parts
    if not args:
        return value
    if name == "optional":
        return apply_optional_defaults(value, args[0], file, depth + 1)
    if name == "map" and isinstance(value, dict):
        return {k: apply_optional_defaults(v, args[0], file, depth + 1) for k, v in value.items()}
    if name in ("list", "set") and isinstance(value, list):
        return [apply_optional_defaults(v, args[0], file, depth + 1) for v in value]
    if name != "object" or not isinstance(value, dict):
        return value
    spec = _unwrap(args[0])
    if spec.type == "collection_value":
        spec = spec.children[0]
    out = dict(value)
    for elem in spec.children:
        if elem.type != "object_elem":
            continue
        exprs = [c for c in elem.children if c.type == "expression"]
        if len(exprs) != 2:
            continue
        key = file.text(exprs[0]).strip().strip('"')
        attr_type = exprs[1]
        inner = _call_parts(attr_type, file)
        if key not in out or out[key] is None:
            if inner is not None and inner[0] == "optional" and len(inner[1]) > 1:
                d = evaluate(inner[1][1], file, Scope(None))
                out[key] = apply_optional_defaults(
                    d.value if d.unknown is None else d, inner[1][0], file, depth + 1
                )
            elif inner is not None and inner[0] == "optional":
                out[key] = None
        else:
            out[key] = apply_optional_defaults(out[key], attr_type, file, depth + 1)
    return out


def redact(value: Any, name: str) -> Any:
    """``value`` with every string in it (map values, not keys) replaced by ``name``."""
    if isinstance(value, str):
        return name
    if isinstance(value, list):
        return [redact(v, name) for v in value]
    if isinstance(value, dict):
        return {k: redact(v, name) for k, v in value.items()}
    return value


def convert(value: Value, type_text: str) -> Value:
    """Convert a known value to a primitive variable type (string/number/bool) like Terraform."""
    if (
        value.unknown is not None
        or value.value is None
        or type_text not in ("string", "number", "bool")
    ):
        return value
    try:
        if type_text == "string":
            v: Any = to_str(value.value)
        elif type_text == "number":
            v = to_number(value.value)
        else:
            v = to_bool(value.value)
    except EvalError:
        return value
    return Value(v, value.loc, None, value.default, value.trace, value.refs)


class ModuleInstance:
    """One instance of a module: evaluates variables, locals and resources on demand."""

    def __init__(
        self,
        loader: ModuleResolver,
        mdef: ModuleDef,
        *,
        prefix: str = "",
        keyless_prefix: str = "",
        inputs: dict[str, Callable[[], Value]] | None = None,
        root_values: dict[str, Value] | None = None,
        call_sites: tuple[Location, ...] = (),
        inherited_providers: dict[str, Value] | None = None,
        inherited_tags: dict[str, Value] | None = None,
        provider_map: dict[str, str] | None = None,
        chain: tuple[str, ...] = (),
        key_path: tuple[str, ...] = (),
        suppressions: list[Suppression] | None = None,
        root_dir: Path | None = None,
        related: list[tuple[Location, str]] | None = None,
        exists: Value | None = None,
        defaults_are_inputs: bool = True,
    ) -> None:
        self.loader = loader
        self.mdef = mdef
        self.prefix = prefix
        self.keyless_prefix = keyless_prefix
        self.path_module = mdef.path_module
        self.inputs = inputs
        self.root_values = root_values
        self.call_sites = call_sites
        self.chain = chain
        self.key_path = key_path
        self.call_suppressions = suppressions or []
        self.root_dir = root_dir
        self.related = related or []
        self.exists = exists
        # a root module's variable defaults are inputs: what exists only with them (zero
        # instances) is judged as "when created"; a Terragrunt unit's are its configuration
        self.defaults_are_inputs = defaults_are_inputs and inputs is None
        self._vars: dict[str, Value] = {}
        self._locals: dict[str, Value] = {}
        self._busy: set[str] = set()
        self._children: dict[str, list[tuple[Any, ModuleInstance]]] | None = None
        self._inherited = inherited_providers or {}
        self._inherited_tags = inherited_tags or {}
        self._tags: dict[str, Value] | None = None
        self._provider_map = provider_map
        self._providers: dict[str, Value] | None = None
        self.budget = Budget()  # one evaluation budget per module instance
        self._refs: dict[str, Value] = {}  # resource attributes evaluated once
        self.scope = Scope(self)
        self.notices: list[Notice] = []

    # --- values ---------------------------------------------------------------------------

    def var(self, name: str) -> Value:
        hit = self._vars.get(name)
        if hit is None:
            hit = self._var(name)
            self._vars[name] = hit
        return hit

    def _var(self, name: str) -> Value:
        block = self.mdef.variables.get(name)
        if block is None and name not in self.mdef.input_defaults:
            return unknown(f"refers to var.{name}, which is not declared")
        type_text = _type_of(block) if block is not None else ""
        value: Value | None = None
        if self.root_values is not None and name in self.root_values:
            value = self.root_values[name]
        elif self.inputs is not None and name in self.inputs:
            value = self.inputs[name]()
        if value is not None and value.unknown is None and value.value is None and block:
            nullable = block.attrs.get("nullable")
            if nullable is not None and expr_text(nullable) == "false":
                value = None
        if value is None:
            if block is not None and "default" in block.attrs:
                attr = block.attrs["default"]
                d = evaluate(attr.expr, attr.file, Scope(None))
                value = Value(d.value, None, d.unknown, False, (attr.loc,), d.refs)
                if self.defaults_are_inputs and d.unknown is None and _is_zero(d.value):
                    # an "off" default ([], {}, false, 0, "", null) that can leave nothing
                    # created; other defaults do not make existence depend on inputs
                    self.loader.input_defaults[attr.loc] = name
            elif block is None:
                value = self.mdef.input_defaults[name]
            else:
                return unknown(f"depends on var.{name}, which has no default")
        if block is not None and value.unknown is None and value.value is not None:
            tnode = _type_node(block)
            if tnode is not None:
                try:
                    filled = apply_optional_defaults(value.value, tnode[0], tnode[1])
                except EvalError:
                    filled = value.value
                value = Value(filled, value.loc, None, value.default, value.trace, value.refs)
        value = convert(value, type_text)
        sensitive = block.attrs.get("sensitive") if block is not None else None
        if sensitive is not None and expr_text(sensitive) == "true" and value.unknown is None:
            # never printed: every string in it becomes the variable's name
            value = replace(value, value=redact(value.value, f"var.{name} (sensitive)"))
        return value

    def local(self, name: str) -> Value:
        hit = self._locals.get(name)
        if hit is not None:
            return hit
        if name not in self.mdef.locals:
            return unknown(f"refers to local.{name}, which is not defined")
        if name in self._busy:
            return unknown(f"local.{name} refers to itself")
        for n, cycle in self._local_order(name):
            if n in self._locals:
                continue
            if cycle:
                self._locals[n] = unknown(
                    f"local.{n} refers to itself"
                    if len(cycle) <= 2
                    else f"local.{n} is part of a reference cycle "
                    f"({' -> '.join('local.' + c for c in cycle)})"
                )
                continue
            attr = self.mdef.locals[n]
            self._busy.add(n)
            try:
                v = evaluate(attr.expr, attr.file, self.scope)
            finally:
                self._busy.discard(n)
            self._locals[n] = Value(v.value, None, v.unknown, False, (attr.loc, *v.trace), v.refs)
        return self._locals[name]

    def _deps(self, name: str) -> list[str]:
        attr = self.mdef.locals[name]
        if isinstance(attr.expr, JsonExpr):
            text = repr(attr.expr.value)
        elif attr.file is not None:
            text = attr.file.text(attr.expr)
        else:
            text = ""
        return [d for d in dict.fromkeys(_LOCAL_REF.findall(text)) if d in self.mdef.locals]

    def _local_order(self, name: str) -> list[tuple[str, list[str] | None]]:
        """Locals to evaluate (dependencies first), each with its cycle if it is in one."""
        order: list[tuple[str, list[str] | None]] = []
        state: dict[str, int] = {name: 1}
        cycles: dict[str, list[str]] = {}
        stack: list[tuple[str, Any]] = [(name, iter(self._deps(name)))]
        while stack:
            n, it = stack[-1]
            for d in it:
                if d in self._locals:
                    continue
                st = state.get(d)
                if st == 1:
                    nodes = [s[0] for s in stack]
                    loop = nodes[nodes.index(d) :]
                    for i, m in enumerate(loop):
                        cycles.setdefault(m, [*loop[i:], *loop[:i], m])
                    continue
                if st == 2:
                    continue
                state[d] = 1
                stack.append((d, iter(self._deps(d))))
                break
            else:
                stack.pop()
                state[n] = 2
                order.append((n, None))
        return [(n, cycles.get(n)) for n, _ in order]

    def resource_ref(self, rtype: str, steps: list[tuple[str, Any]]) -> tuple[Value, int]:
        rname = steps[0][1]
        block = self.mdef.resources.get((rtype, rname))
        addr = f"{self.prefix}{rtype}.{rname}"
        if block is None:
            return unknown(f"refers to {rtype}.{rname}, which is not declared in this module"), 1
        used = 1
        keyed = False
        if used < len(steps) and steps[used][0] == "index":
            used += 1
            keyed = True
        if used >= len(steps) or steps[used][0] != "attr":
            return unknown(f"depends on {addr} (known only after apply)", refs=(addr,)), used
        attr_name = steps[used][1]
        used += 1
        ref = f"{addr}.{attr_name}"
        lookup = "name" if (attr_name == "id" and rtype == "aws_dynamodb_table") else attr_name
        counted = "count" in block.attrs or "for_each" in block.attrs
        attr = block.attrs.get(lookup)
        busy_key = f"\0{rtype}.{rname}.{lookup}"
        if attr is not None and not keyed and not counted and busy_key not in self._busy:
            v = self._refs.get(busy_key)
            if v is None:  # memoised: 40 resources each doubling the last are 40 evaluations
                self._busy.add(busy_key)
                try:
                    v = evaluate(attr.expr, attr.file, self.scope)
                finally:
                    self._busy.discard(busy_key)
                self._refs[busy_key] = v
            if v.unknown is None:
                return Value(v.value, None, None, False, (attr.loc, *v.trace), (ref,)), used
        return unknown(f"depends on {ref} (known only after apply)", refs=(ref,)), used

    def module_ref(self, steps: list[tuple[str, Any]]) -> tuple[Value, int]:
        name = steps[0][1]
        used = 1
        keyed = False
        if used < len(steps) and steps[used][0] == "index":
            used += 1
            keyed = True
        out_name = steps[used][1] if used < len(steps) and steps[used][0] == "attr" else None
        if out_name is not None:
            used += 1
        ref = f"{self.prefix}module.{name}" + (f".{out_name}" if out_name else "")
        children = self.children().get(name)
        if out_name and children and len(children) == 1 and not keyed:
            child = children[0][1]
            out = child.mdef.outputs.get(out_name)
            attr = out.attrs.get("value") if out is not None else None
            busy_key = f"\0module.{name}.{out_name}"
            if attr is not None and busy_key not in self._busy:
                self._busy.add(busy_key)
                try:
                    v = evaluate(attr.expr, attr.file, child.scope)
                finally:
                    self._busy.discard(busy_key)
                return Value(
                    v.value,
                    None,
                    v.unknown,
                    False,
                    (attr.loc, *v.trace),
                    v.refs or (ref,) if v.unknown else v.refs,
                ), used
        return unknown(f"depends on {ref} (a module output not known here)", refs=(ref,)), used

    def data_ref(self, steps: list[tuple[str, Any]]) -> Value | None:
        """``data.aws_region.X.name``: the region of the provider the data source uses."""
        if len(steps) < 3 or any(kind != "attr" for kind, _ in steps[:3]):
            return None
        (_, dtype), (_, dname), (_, attr) = steps[:3]
        block = self.mdef.data.get((dtype, dname))
        if (
            block is not None
            and dtype == "aws_iam_policy_document"
            and attr in ("json", "minified_json")
        ):
            from ddb_guard.terraform.iam_data import policy_document

            return policy_document(self, block, f"{self.prefix}data.{dtype}.{dname}")
        if block is not None and dtype == "aws_partition" and attr in ("partition", "id"):
            from ddb_guard.terraform.iam_data import partition

            prov = block.attrs.get("provider")
            return partition(self.providers().get(expr_text(prov) if prov else "aws", _NO_REGION))
        if dtype != "aws_region" or attr not in ("name", "region", "id") or block is None:
            return None
        for own in ("region", "name"):
            if own in block.attrs:
                a = block.attrs[own]
                v = evaluate(a.expr, a.file, self.scope)
                return Value(v.value, None, v.unknown, False, (a.loc, *v.trace), v.refs)
        prov = block.attrs.get("provider")
        key = expr_text(prov) if prov is not None else "aws"
        region = self.providers().get(key)
        if region is None:
            return None
        return Value(
            region.value,
            None,
            region.unknown,
            False,
            tuple(t for t in (region.loc, *region.trace) if t is not None),
            region.refs,
        )

    # --- providers ------------------------------------------------------------------------

    def providers(self) -> dict[str, Value]:
        if self._providers is None:
            if self._provider_map is None:
                regions = {k: v for k, v in self._inherited.items() if k == "aws"}
            else:
                regions = {}
                for child_key, parent_key in self._provider_map.items():
                    if child_key.split(".")[0] == "aws" and parent_key in self._inherited:
                        regions[child_key] = self._inherited[parent_key]
            for pb in self.mdef.providers:
                key = self._provider_key(pb)
                region_attr = pb.attrs.get("region")
                if region_attr is None:
                    regions[key] = unknown(
                        f"provider {key} sets no region (it comes from the environment)",
                        trace=(pb.loc,),
                    )
                else:
                    regions[key] = at(
                        evaluate(region_attr.expr, region_attr.file, self.scope), region_attr.loc
                    )
            self._providers = regions
        return self._providers

    def provider_tags(self) -> dict[str, Value]:
        """Provider key (``aws``, ``aws.west``) -> its ``default_tags { tags }`` (a dict Value),
        inherited through ``providers = {...}`` like regions."""
        if self._tags is None:
            if self._provider_map is None:
                tags = {k: v for k, v in self._inherited_tags.items() if k == "aws"}
            else:
                tags = {}
                for child_key, parent_key in self._provider_map.items():
                    if child_key.split(".")[0] == "aws" and parent_key in self._inherited_tags:
                        tags[child_key] = self._inherited_tags[parent_key]
            for pb in self.mdef.providers:
                key = self._provider_key(pb)
                dt = next((b for b in pb.blocks if b.type == "default_tags"), None)
                attr = dt.attrs.get("tags") if dt is not None else None
                if attr is not None:
                    tags[key] = at(evaluate(attr.expr, attr.file, self.scope), attr.loc)
                else:
                    tags.pop(key, None)
            self._tags = tags
        return self._tags

    def default_tags_for(self, block: Block) -> Value | None:
        """The ``default_tags`` of the provider a resource uses, or ``None``."""
        attr = block.attrs.get("provider")
        return self.provider_tags().get(expr_text(attr) if attr is not None else "aws")

    @staticmethod
    def _provider_key(pb: Block) -> str:
        alias_attr = pb.attrs.get("alias")
        alias = ""
        if alias_attr is not None:
            a = evaluate(alias_attr.expr, alias_attr.file, Scope(None))
            alias = a.value if a.unknown is None and isinstance(a.value, str) else ""
        return f"aws.{alias}" if alias else "aws"

    def region_for(self, block: Block, body: TfBlock) -> Value:
        own = body.attrs.get("region")
        if own is not None and not (own.unknown is None and own.value is None):
            return own
        attr = block.attrs.get("provider")
        key = expr_text(attr) if attr is not None else "aws"
        if not key.startswith("aws"):
            return unknown(f"resource uses provider {key}")
        hit = self.providers().get(key)
        if hit is not None:
            return hit
        if key != "aws":
            where = (
                "passed to this module nor declared in it"
                if self.call_sites
                else ("declared in the scanned code")
            )
            return unknown(f"provider {key} is not {where}")
        if not self.loader.any_provider:
            return unknown("no provider region in the scanned code")
        return unknown(f"provider {key} is not configured in the scanned code")

    # --- bodies ---------------------------------------------------------------------------

    def eval_body(self, block: Block, scope: Scope) -> TfBlock:
        tb = TfBlock(type=block.type, loc=block.loc, labels=block.labels)
        for name, attr in block.attrs.items():
            if name in META_ATTRS:
                continue
            tb.attrs[name] = at(evaluate(attr.expr, attr.file, scope), attr.loc)
        for sub in block.blocks:
            if sub.type == "dynamic" and sub.labels:
                self._dynamic(sub, scope, tb)
            else:
                tb.blocks.setdefault(sub.type, []).append(self.eval_body(sub, scope))
        return tb

    def _dynamic(self, dyn: Block, scope: Scope, tb: TfBlock) -> None:
        btype = dyn.labels[0]
        content = next((b for b in dyn.blocks if b.type == "content"), None)
        fe = dyn.attrs.get("for_each")
        if content is None or fe is None:
            return
        it_attr = dyn.attrs.get("iterator")
        it_name = expr_text(it_attr).strip('"') if it_attr is not None else btype
        coll = evaluate(fe.expr, fe.file, scope)
        if coll.unknown is not None:
            tb.unknown_blocks[btype] = Value(
                None, fe.loc, coll.unknown, False, coll.trace, coll.refs
            )
            why = _because("for_each", str(coll.unknown))
            self._possible(dyn, content, it_name, scope, tb, why, coll)
            return
        try:
            items = list(iterate(coll))
        except EvalError as exc:
            tb.unknown_blocks[btype] = Value(None, fe.loc, str(exc), False, coll.trace)
            return
        if not items:
            name = self.input_default(coll)
            if name is not None:
                why = f"for_each is empty with the default of var.{name}"
                self._possible(dyn, content, it_name, scope, tb, why, coll)
            return
        is_set = isinstance(coll.value, list)
        for key, val in items[:MAX_INSTANCES]:
            try:
                scope.budget.op()  # nested dynamic blocks multiply
            except EvalError as exc:
                tb.unknown_blocks[btype] = Value(None, fe.loc, str(exc), False, coll.trace)
                return
            k = val if is_set and val.unknown is None and isinstance(val.value, str) else key
            it = known(
                {
                    "key": k.value if k.unknown is None else k,
                    "value": val.value if val.unknown is None else val,
                },
                coll.trace,
            )
            inner = scope.bind(**{it_name: it})
            expanded = self.eval_body(content, inner)
            expanded.type, expanded.loc, expanded.labels = btype, dyn.loc, ()
            tb.blocks.setdefault(btype, []).append(expanded)

    def _possible(
        self,
        dyn: Block,
        content: Block,
        it_name: str,
        scope: Scope,
        tb: TfBlock,
        why: str,
        coll: Value,
    ) -> None:
        """The content of a dynamic block whose instances depend on inputs, evaluated once
        with an unknown iterator: what each block it creates has."""
        each = unknown(f"{it_name}.key/{it_name}.value are unknown: {why}", refs=coll.refs)
        inner = scope.bind(**{it_name: known({"key": each, "value": each})})
        expanded = self.eval_body(content, inner)
        expanded.type, expanded.loc, expanded.labels = dyn.labels[0], dyn.loc, ()
        expanded.exists = unknown(why, trace=coll.trace, refs=coll.refs)
        tb.possible.setdefault(dyn.labels[0], []).append(expanded)

    def input_default(self, v: Value) -> str | None:
        """The root variable whose default decided ``v``, if one did."""
        found = self.loader.input_defaults
        return next((found[t] for t in v.trace if t in found), None)

    # --- instances ------------------------------------------------------------------------

    def instances(
        self, block: Block, scope: Scope, what: str
    ) -> list[tuple[Any, Scope, Value | None]]:
        """``(key, scope, exists)`` per instance: key None for a single or representative
        instance; ``exists`` is None, or an unknown Value when the instances depend on
        inputs (``count``/``for_each`` unknown, or zero only with a root variable's default).
        A literal ``count = 0`` or empty ``for_each`` yields nothing."""
        count, for_each = block.attrs.get("count"), block.attrs.get("for_each")
        if count is not None:
            v = evaluate(count.expr, count.file, scope)
            if v.unknown is not None:
                why = _because("count", v.unknown)
                index = unknown(f"count.index is unknown: {why}")
                return [
                    (
                        None,
                        scope.bind(count=known({"index": index})),
                        unknown(why, trace=v.trace, refs=v.refs),
                    )
                ]
            try:
                n = to_int(v.value)
            except EvalError as exc:
                self.notices.append(_notice(count.loc, f"{what}: count is not a number ({exc})"))
                return [(None, scope, None)]
            name = self.input_default(v) if n <= 0 else None
            if name is not None:
                why = f"count is {n} with the default of var.{name}"
                index = unknown(f"count.index is unknown: {why}")
                return [
                    (None, scope.bind(count=known({"index": index})), unknown(why, trace=v.trace))
                ]
            if n < 0:  # Terraform: "Invalid count argument"; the configuration does not plan
                self.notices.append(
                    Notice(
                        count.loc.path,
                        f"{what}: count = {n} is negative, which Terraform rejects",
                        count.loc.line,
                        count.loc.column,
                        level=Level.ERROR,
                        kind=NoticeKind.PARSE_ERROR,
                    )
                )
                return []
            if n > MAX_INSTANCES:
                self.notices.append(
                    _notice(
                        count.loc,
                        f"{what}: count = {n} is over {MAX_INSTANCES}; analysed as one "
                        "representative instance",
                        Level.NOTE,
                    )
                )
                return [
                    (
                        None,
                        scope.bind(
                            count=known({"index": unknown(f"count.index of one of {n} instances")})
                        ),
                        None,
                    )
                ]
            return [
                (i, scope.bind(count=known({"index": i}, v.trace)), None) for i in range(max(n, 0))
            ]
        if for_each is not None:
            v = evaluate(for_each.expr, for_each.file, scope)
            if v.unknown is not None:
                why = _because("for_each", v.unknown)
                each = unknown(f"each.key/each.value are unknown: {why}", refs=v.refs)
                return [
                    (
                        None,
                        scope.bind(each=known({"key": each, "value": each})),
                        unknown(why, trace=v.trace, refs=v.refs),
                    )
                ]
            value = v.value
            if isinstance(value, dict):
                pairs = [(k, value[k]) for k in sorted(value)]
            elif isinstance(value, list):
                pairs = [(x, x) for x in value]
            else:
                self.notices.append(_notice(for_each.loc, f"{what}: for_each is not a map or set"))
                return [(None, scope, None)]
            name = self.input_default(v) if not pairs else None
            if name is not None:
                why = f"for_each is empty with the default of var.{name}"
                each = unknown(f"each.key/each.value are unknown: {why}")
                return [
                    (
                        None,
                        scope.bind(each=known({"key": each, "value": each})),
                        unknown(why, trace=v.trace),
                    )
                ]
            if len(pairs) > MAX_INSTANCES:
                self.notices.append(
                    _notice(
                        for_each.loc,
                        f"{what}: for_each has {len(pairs)} elements, over "
                        f"{MAX_INSTANCES}; analysed as one representative instance",
                        Level.NOTE,
                    )
                )
                each = unknown(f"each.key/each.value of one of {len(pairs)} instances")
                return [(None, scope.bind(each=known({"key": each, "value": each})), None)]
            out = []
            for k, item in pairs:
                if isinstance(k, Value):
                    key: Any = None
                    each_key: Any = k
                else:
                    key = each_key = k if isinstance(k, str) else str(k)
                out.append(
                    (key, scope.bind(each=known({"key": each_key, "value": item}, v.trace)), None)
                )
            return out
        return [(None, scope, None)]

    # --- resources and module calls -------------------------------------------------------

    def collect(self) -> list[Emitted]:
        """Every relevant resource instance of this module and the modules it calls."""
        out: list[Emitted] = []
        children = self.children()  # loads called modules first (their provider blocks count)
        for (rtype, rname), block in self.mdef.resources.items():
            if rtype.startswith(RELEVANT_PREFIXES):
                try:
                    out.extend(self._resource(rtype, rname, block))
                except RecursionError:  # this block is dropped, not the whole module
                    self.notices.append(
                        Notice(
                            block.loc.path,
                            f"{rtype}.{rname} is nested too deeply to evaluate; it is not checked",
                            block.loc.line,
                            block.loc.column,
                            level=Level.ERROR,
                            kind=NoticeKind.PARSE_ERROR,
                        )
                    )
        for instances in children.values():
            for _key, child in instances:
                out.extend(child.collect())
                self.notices.extend(child.notices)
                child.notices = []
        return out

    def _resource(self, rtype: str, rname: str, block: Block) -> list[Emitted]:
        base = f"{rtype}.{rname}"
        out = []
        supp = self.mdef.suppressions(block) + self.call_suppressions
        for key, scope, exists in self.instances(block, self.scope, base):
            body = self.eval_body(block, scope)
            region = self.region_for(block, body)
            res = TfResource(
                address=self.keyless_prefix + base,
                type=rtype,
                name=rname,
                body=body,
                region=region,
                module_path=self.key_path,
                call_sites=self.call_sites,
                suppressions=list(supp),
                origin=self.mdef.origin,
                display_name=block.display_name,
                related=list(self.related),
                exists=self.exists or exists,
                default_tags=self.default_tags_for(block),
            )
            if self.mdef.origin.startswith("registry-module:"):
                _registry_locations(res, self.call_sites[-1] if self.call_sites else block.loc)
            elif self.call_sites:
                res.related.insert(0, (block.loc, f"resource {base} inside the module"))
            suffix = "" if key is None else key_text(key)
            out.append(Emitted(res.address, self.prefix + base + suffix, res))
        return out

    def children(self) -> dict[str, list[tuple[Any, ModuleInstance]]]:
        if self._children is None:
            self._children = {}
            for name, mblock in self.mdef.modules.items():
                self._children[name] = self._call(name, mblock)
        return self._children

    def _call(self, name: str, mblock: Block) -> list[tuple[Any, ModuleInstance]]:
        source_attr = mblock.attrs.get("source")
        if source_attr is None:
            self.notices.append(_notice(mblock.loc, f"module {name} has no source"))
            return []
        src = evaluate(source_attr.expr, source_attr.file, Scope(None))
        if src.unknown is not None or not isinstance(src.value, str):
            self.notices.append(_notice(source_attr.loc, f"module {name}: source is not a string"))
            return []
        source = src.value
        key_path = (*self.key_path, name)
        if len(key_path) > MAX_MODULE_DEPTH:
            self.notices.append(
                _notice(
                    mblock.loc,
                    f"module {name}: modules nested more than "
                    f"{MAX_MODULE_DEPTH} deep; not followed (a scanned directory past the "
                    "cut is checked on its own)",
                )
            )
            if self.mdef.dir is not None and source.startswith(("./", "../")):
                self.loader.cut.append((self.mdef.dir / source).resolve())
            return []
        resolved = self.loader.resolve_module(self, name, mblock, source, source_attr)
        if resolved is None:
            return []
        child_def, chain_id = resolved
        if chain_id in self.chain:
            self.notices.append(
                _notice(
                    source_attr.loc,
                    f"module {name}: module cycle ({' -> '.join((*self.chain, chain_id))}); "
                    "not followed",
                    Level.ERROR,
                )
            )
            return []
        pmap_attr = mblock.attrs.get("providers")
        pmap = _provider_map(pmap_attr) if pmap_attr is not None else None
        supp = self.mdef.suppressions(mblock) + self.call_suppressions
        out = []
        found = self.instances(mblock, self.scope, f"module.{name}")
        total = getattr(self.loader, "module_instances", 0) + len(found)
        if len(found) > 1 and total > MAX_MODULE_INSTANCES:
            # count = 1000 three levels deep is a billion instances: one stands for all
            why = (
                f"module.{name}: {len(found)} instances exceed the evaluation budget of "
                f"{MAX_MODULE_INSTANCES} module instances across nesting"
            )
            self.notices.append(_notice(mblock.loc, f"{why}; analysed as one instance", Level.NOTE))
            each = unknown(why)
            rep = self.scope.bind(
                count=known({"index": each}), each=known({"key": each, "value": each})
            )
            found = [(None, rep, found[0][2])]
            total = getattr(self.loader, "module_instances", 0) + 1
        self.loader.module_instances = total
        for key, scope, exists in found:
            inputs = {
                arg: _input(attr, scope)
                for arg, attr in mblock.attrs.items()
                if arg not in META_ATTRS
            }
            suffix = "" if key is None else key_text(key)
            child = ModuleInstance(
                self.loader,
                child_def,
                prefix=f"{self.prefix}module.{name}{suffix}.",
                keyless_prefix=f"{self.keyless_prefix}module.{name}.",
                inputs=inputs,
                call_sites=(*self.call_sites, mblock.loc),
                inherited_providers=self.providers(),
                inherited_tags=self.provider_tags(),
                provider_map=pmap,
                chain=(*self.chain, chain_id),
                key_path=key_path,
                suppressions=supp,
                root_dir=self.root_dir,
                related=[*self.related],
                exists=self.exists or exists,
            )
            out.append((key, child))
        return out


def _is_zero(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and not value) or value == ""


_ITERATION_UNKNOWN = re.compile(r"^.*\b(?:is|are) unknown: ")


def _because(what: str, reason: str) -> str:
    """Why instances are unknown: ``for_each depends on var.x, ...``; when the reason is
    itself an unknown iterator (``each.value is unknown: <cause>``), its cause alone."""
    cause = _ITERATION_UNKNOWN.sub("", reason)
    return cause if cause != reason else f"{what} {reason}"


def _input(attr: Attribute, scope: Scope) -> Callable[[], Value]:
    def get() -> Value:
        v = evaluate(attr.expr, attr.file, scope)
        return Value(v.value, None, v.unknown, False, (attr.loc, *v.trace), v.refs)

    return get


def signature(body: TfBlock, region: Value | None = None) -> Any:
    """A hashable summary of an evaluated body (values, unknown reasons, locations)."""
    attrs = tuple(
        (k, repr(v.value), v.unknown, v.loc, v.default) for k, v in sorted(body.attrs.items())
    )
    blocks = tuple((k, tuple(signature(b) for b in bs)) for k, bs in sorted(body.blocks.items()))
    unk = tuple((k, v.unknown) for k, v in sorted(body.unknown_blocks.items()))
    maybe = tuple((k, tuple(signature(b) for b in bs)) for k, bs in sorted(body.possible.items()))
    exists = body.exists.unknown if body.exists is not None else None
    reg = (repr(region.value), region.unknown) if region is not None else None
    return (body.type, body.labels, body.loc, attrs, blocks, unk, maybe, exists, reg)


def _registry_locations(res: TfResource, call_loc: Location) -> None:
    """Registry-module resources: locate values at the module argument that decided them."""

    def fix_value(v: Value) -> Value:
        real = next((t for t in v.trace if not t.path.startswith("<")), None)
        trace = tuple(t for t in v.trace if not t.path.startswith("<"))
        if real is not None:
            return Value(v.value, real, v.unknown, False, trace, v.refs)
        return Value(v.value, None, v.unknown, v.unknown is None, trace, v.refs)

    def fix(tb: TfBlock) -> None:
        tb.loc = call_loc
        for k, v in tb.attrs.items():
            tb.attrs[k] = fix_value(v)
        for k, v in tb.unknown_blocks.items():
            tb.unknown_blocks[k] = fix_value(v)
        for blocks in tb.blocks.values():
            for b in blocks:
                fix(b)

    fix(res.body)
    res.region = (
        res.region
        if res.region.loc is None or not res.region.loc.path.startswith("<")
        else fix_value(res.region)
    )
