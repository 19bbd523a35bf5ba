"""Terraform modules: a directory's declarations (:class:`ModuleDef`) and one evaluated
instance of it (:class:`ModuleInstance`): its resources and the module calls it makes
(local, downloaded, registry).

An instance puts together pieces that each work without a loader:
:class:`~ddb_guard.terraform.variables.Variables` (``var.*``, ``local.*``),
:class:`~ddb_guard.terraform.providers.Providers` (regions, ``default_tags``) and
:class:`~ddb_guard.terraform.expand.Expander` (``count``/``for_each``, ``dynamic``
blocks); what it asks the loader is the :class:`ModuleResolver` protocol.

:meth:`ModuleInstance.collect` returns :class:`Emitted` resources; ``load.py`` groups
instances with equal bodies into one :class:`~ddb_guard.terraform.resource.TfResource`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ddb_guard.enums import Level, NoticeKind
from ddb_guard.model import Location, Notice, Suppression, Value
from ddb_guard.terraform.address import key_text
from ddb_guard.terraform.budget import Budget
from ddb_guard.terraform.evaluate import Scope, evaluate, known, unknown
from ddb_guard.terraform.expand import META_ATTRS, Expander, Instance, notice_at
from ddb_guard.terraform.hcl import Attribute, Block, HclFile
from ddb_guard.terraform.providers import Inherited, Providers, provider_map
from ddb_guard.terraform.resource import TfBlock, TfResource
from ddb_guard.terraform.scope import expr_text
from ddb_guard.terraform.variables import Variables


class ModuleResolver(Protocol):
    """What a module instance asks the loader (``load.Loader``) that reads directories."""

    any_provider: bool  # some scanned module declares an AWS provider
    input_defaults: dict[Location, str]  # a root variable's ``default`` location -> its name
    cut: list[Path]  # module directories past the nesting limit (checked on their own)
    module_instances: int  # module instances created under the current root (budget)

    def resolve_module(
        self,
        caller_dir: Path | None,
        key_path: tuple[str, ...],
        root_dir: Path | None,
        source: str,
        source_attr: Attribute,
    ) -> tuple[ModuleDef, str] | None:
        """The definition module call ``key_path[-1]`` refers to, with an id for cycle
        detection; ``None`` (after a notice) when it cannot be read."""
        ...


RELEVANT_PREFIXES = ("aws_dynamodb_", "aws_backup_", "aws_iam_", "aws_kms_key")
MAX_MODULE_INSTANCES = 1000  # module instances per root, across nesting
MAX_MODULE_DEPTH = 20
_NO_REGION = Value.unknown_because("no provider region")


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
                    notices.append(notice_at(block.loc, f"duplicate resource {'.'.join(labels)}"))
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


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a module instance sits: its address prefix with and without instance keys
    (``module.a["x"].`` / ``module.a.``), module path (``("a",)``), the ids of the modules
    above it (cycle detection), the module call sites, and what its resources inherit from
    the calls: suppressions, related locations, existence."""

    prefix: str = ""
    keyless_prefix: str = ""
    key_path: tuple[str, ...] = ()
    chain: tuple[str, ...] = ()
    call_sites: tuple[Location, ...] = ()
    suppressions: tuple[Suppression, ...] = ()
    related: tuple[tuple[Location, str], ...] = ()
    exists: Value | None = None


class ModuleInstance:
    """One instance of a module: evaluates variables, locals and resources on demand.

    A root module gets its ``root_values`` (a Terragrunt unit's defaults are its
    configuration: ``defaults_are_inputs=False``); a called module gets the call's
    ``inputs`` and the providers its caller passes (``inherited``)."""

    def __init__(
        self,
        resolver: ModuleResolver,
        mdef: ModuleDef,
        *,
        place: Placement = Placement(),
        inputs: dict[str, Callable[[], Value]] | None = None,
        root_values: dict[str, Value] | None = None,
        root_dir: Path | None = None,
        inherited: Inherited | None = None,
        defaults_are_inputs: bool = True,
    ) -> None:
        self.resolver = resolver
        self.mdef = mdef
        self.place = place
        self.prefix = place.prefix  # read by the evaluator (ModuleContext)
        self.path_module = mdef.path_module
        self.root_dir = root_dir
        self.budget = Budget()  # one evaluation budget per module instance
        self.scope = Scope(self)
        self.notices: list[Notice] = []
        # a root module's variable defaults are inputs: what exists only with them (zero
        # instances) is judged as "when created"; a Terragrunt unit's are its configuration
        judged = defaults_are_inputs and inputs is None
        self.variables = Variables(
            mdef.variables,
            mdef.locals,
            self.scope,
            registry_defaults=mdef.input_defaults,
            root_values=root_values,
            inputs=inputs,
            input_defaults=resolver.input_defaults if judged else None,
        )
        self.providers = Providers(
            mdef.providers,
            self.scope,
            inherited,
            called=bool(place.call_sites),
            any_provider=lambda: resolver.any_provider,
        )
        self.expander = Expander(self.notices, resolver.input_defaults)
        self._children: dict[str, list[tuple[Any, ModuleInstance]]] | None = None
        self._busy: set[str] = set()
        self._refs: dict[str, Value] = {}  # resource attributes evaluated once

    # --- what the evaluator asks (evaluate.ModuleContext) ---------------------------------

    def var(self, name: str) -> Value:
        return self.variables.var(name)

    def local(self, name: str) -> Value:
        return self.variables.local(name)

    def eval_body(self, block: Block, scope: Scope) -> TfBlock:
        """A block evaluated in ``scope`` (for data sources, see ``iam_data``)."""
        return self.expander.eval_body(block, scope)

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
            # lazy: only for the data sources that need it (start-up)
            from ddb_guard.terraform.iam_data import policy_document

            return policy_document(self, block, f"{self.prefix}data.{dtype}.{dname}")
        if block is not None and dtype == "aws_partition" and attr in ("partition", "id"):
            # lazy: only for the data sources that need it (start-up)
            from ddb_guard.terraform.iam_data import partition

            prov = block.attrs.get("provider")
            return partition(
                self.providers.regions().get(expr_text(prov) if prov else "aws", _NO_REGION)
            )
        if dtype != "aws_region" or attr not in ("name", "region", "id") or block is None:
            return None
        for own in ("region", "name"):
            if own in block.attrs:
                a = block.attrs[own]
                v = evaluate(a.expr, a.file, self.scope)
                return Value(v.value, None, v.unknown, False, (a.loc, *v.trace), v.refs)
        prov = block.attrs.get("provider")
        key = expr_text(prov) if prov is not None else "aws"
        region = self.providers.regions().get(key)
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
                child.notices.clear()
        return out

    def _resource(self, rtype: str, rname: str, block: Block) -> list[Emitted]:
        base = f"{rtype}.{rname}"
        out = []
        supp = [*self.mdef.suppressions(block), *self.place.suppressions]
        for key, scope, exists in self.expander.instances(block, self.scope, base):
            body = self.expander.eval_body(block, scope)
            region = self.providers.region_for(block, body)
            res = TfResource(
                address=self.place.keyless_prefix + base,
                type=rtype,
                name=rname,
                body=body,
                region=region,
                module_path=self.place.key_path,
                call_sites=self.place.call_sites,
                suppressions=list(supp),
                origin=self.mdef.origin,
                display_name=block.display_name,
                related=list(self.place.related),
                exists=self.place.exists or exists,
                default_tags=self.providers.default_tags_for(block),
            )
            if self.mdef.origin.startswith("registry-module:"):
                _registry_locations(
                    res, self.place.call_sites[-1] if self.place.call_sites else block.loc
                )
            elif self.place.call_sites:
                res.related.insert(0, (block.loc, f"resource {base} inside the module"))
            suffix = "" if key is None else key_text(key)
            out.append(Emitted(res.address, self.place.prefix + base + suffix, res))
        return out

    def children(self) -> dict[str, list[tuple[Any, ModuleInstance]]]:
        """The instances of each module call (created once)."""
        if self._children is None:
            self._children = {}
            for name, mblock in self.mdef.modules.items():
                self._children[name] = self._call(name, mblock)
        return self._children

    def _call(self, name: str, mblock: Block) -> list[tuple[Any, ModuleInstance]]:
        resolved = self._resolve_call(name, mblock)
        if resolved is None:
            return []
        child_def, chain_id = resolved
        pmap_attr = mblock.attrs.get("providers")
        pmap = provider_map(pmap_attr) if pmap_attr is not None else None
        supp = (*self.mdef.suppressions(mblock), *self.place.suppressions)
        out = []
        for key, scope, exists in self._call_instances(name, mblock):
            inputs = {
                arg: _input(attr, scope)
                for arg, attr in mblock.attrs.items()
                if arg not in META_ATTRS
            }
            suffix = "" if key is None else key_text(key)
            place = Placement(
                prefix=f"{self.place.prefix}module.{name}{suffix}.",
                keyless_prefix=f"{self.place.keyless_prefix}module.{name}.",
                key_path=(*self.place.key_path, name),
                chain=(*self.place.chain, chain_id),
                call_sites=(*self.place.call_sites, mblock.loc),
                suppressions=supp,
                related=self.place.related,
                exists=self.place.exists or exists,
            )
            inherited = Inherited(self.providers.regions(), self.providers.tags(), pmap)
            child = ModuleInstance(
                self.resolver,
                child_def,
                place=place,
                inputs=inputs,
                root_dir=self.root_dir,
                inherited=inherited,
            )
            out.append((key, child))
        return out

    def _resolve_call(self, name: str, mblock: Block) -> tuple[ModuleDef, str] | None:
        """The module a call refers to and its id, or ``None`` after a notice (no source,
        nested too deep, not found, a cycle)."""
        source_attr = mblock.attrs.get("source")
        if source_attr is None:
            self.notices.append(notice_at(mblock.loc, f"module {name} has no source"))
            return None
        src = evaluate(source_attr.expr, source_attr.file, Scope(None))
        if src.unknown is not None or not isinstance(src.value, str):
            self.notices.append(
                notice_at(source_attr.loc, f"module {name}: source is not a string")
            )
            return None
        source = src.value
        key_path = (*self.place.key_path, name)
        if len(key_path) > MAX_MODULE_DEPTH:
            self.notices.append(
                notice_at(
                    mblock.loc,
                    f"module {name}: modules nested more than "
                    f"{MAX_MODULE_DEPTH} deep; not followed (a scanned directory past the "
                    "cut is checked on its own)",
                )
            )
            if self.mdef.dir is not None and source.startswith(("./", "../")):
                self.resolver.cut.append((self.mdef.dir / source).resolve())
            return None
        resolved = self.resolver.resolve_module(
            self.mdef.dir, key_path, self.root_dir, source, source_attr
        )
        if resolved is not None and resolved[1] in self.place.chain:
            cycle = " -> ".join((*self.place.chain, resolved[1]))
            self.notices.append(
                notice_at(
                    source_attr.loc,
                    f"module {name}: module cycle ({cycle}); not followed",
                    Level.ERROR,
                )
            )
            return None
        return resolved

    def _call_instances(self, name: str, mblock: Block) -> list[Instance]:
        """The instances of a module call; past the module-instance budget, one
        representative instance stands for all."""
        found = self.expander.instances(mblock, self.scope, f"module.{name}")
        total = self.resolver.module_instances + len(found)
        if len(found) > 1 and total > MAX_MODULE_INSTANCES:
            # count = 1000 three levels deep is a billion instances: one stands for all
            why = (
                f"module.{name}: {len(found)} instances exceed the evaluation budget of "
                f"{MAX_MODULE_INSTANCES} module instances across nesting"
            )
            self.notices.append(
                notice_at(mblock.loc, f"{why}; analysed as one instance", Level.NOTE)
            )
            each = unknown(why)
            rep = self.scope.bind(
                count=known({"index": each}), each=known({"key": each, "value": each})
            )
            found = [(None, rep, found[0][2])]
            total = self.resolver.module_instances + 1
        self.resolver.module_instances = total
        return found


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
