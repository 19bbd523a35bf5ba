"""A Terragrunt unit: a ``terragrunt.hcl``, what it includes, and the module it deploys.

Precedence (as Terragrunt documents it): the module's variable defaults, then ``inputs``
(Terragrunt passes them as ``TF_VAR_`` variables: an included file's ``inputs`` first,
the unit's own keys replacing them, a shallow merge unless ``merge_strategy = "deep"``;
``"no_merge"`` ignores the included file), then what Terraform itself reads in the module
directory (``TF_VAR_`` already set in the environment, ``terraform.tfvars``,
``*.auto.tfvars``) and ddb-guard's ``--var-file``/``--var``.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, Protocol

from ddb_guard.enums import Level
from ddb_guard.model import Location, Notice, Value
from ddb_guard.terraform import registry
from ddb_guard.terraform.evaluate import evaluate
from ddb_guard.terraform.hcl import Block, HclFile, parse_hcl
from ddb_guard.terraform.module import (
    Emitted,
    ModuleDef,
    ModuleInstance,
    ModuleResolver,
    Placement,
)
from ddb_guard.terraform.tfvars import root_values
from ddb_guard.terraform.variables import type_of
from ddb_guard.terragrunt.config import (
    Config,
    Context,
    Input,
    Reader,
    bindings,
    evaluate_inputs,
    plain_value,
)

_REMOTE = ("git::", "git@", "github.com/", "bitbucket.org/", "http://", "https://", "s3::", "gcs::")
_REGISTRY = ("tfr:///", "tfr://registry.terraform.io/")


class Loader(ModuleResolver, Protocol):
    """What a unit asks the Terraform loader (``terraform.load.Loader``, which calls this
    package: a protocol keeps the import one way)."""

    def module_def(self, directory: Path) -> ModuleDef | None: ...

    def registry_def(self, module: registry.RegistryModule) -> ModuleDef: ...


def _notice(loc: Location, message: str, level: str) -> Notice:
    return Notice(loc.path, message, line=loc.line, column=loc.column, level=level)


def _terraform_source(hf: HclFile, ctx: Context) -> Value | None:
    for block in hf.blocks:
        if block.type == "terraform" and "source" in block.attrs:
            attr = block.attrs["source"]
            v = evaluate(attr.expr, attr.file, ctx.scope)
            return Value(v.value, attr.loc, v.unknown, False, v.trace, v.refs)
    return None


def _generate(hf: HclFile, ctx: Context) -> dict[str, Value]:
    """``generate "x" { path = "*.tf", contents = ... }`` -> label -> contents (located)."""
    out: dict[str, Value] = {}
    for block in hf.blocks:
        if block.type != "generate" or not block.labels:
            continue
        path, contents = block.attrs.get("path"), block.attrs.get("contents")
        if path is None or contents is None:
            continue
        p = evaluate(path.expr, path.file, ctx.scope)
        if p.unknown is not None or not str(p.value).endswith(".tf"):
            continue
        c = evaluate(contents.expr, contents.file, ctx.scope)
        out[block.labels[0]] = Value(c.value, contents.loc, c.unknown)
    return out


def _deep(base: Any, over: Any) -> Any:
    if isinstance(base, dict) and isinstance(over, dict):
        return {**base, **{k: _deep(base.get(k), v) for k, v in over.items()}}
    return over


def _merge(inputs: dict[str, Input], more: dict[str, Input], strategy: str) -> None:
    for key, item in more.items():
        old = inputs.get(key)
        if strategy == "deep" and old is not None and old.value.known and item.value.known:
            v = item.value
            merged = Value(_deep(old.value.value, v.value), None, None, False, v.trace, v.refs)
            inputs[key] = Input(key, merged, item.loc)
        else:
            inputs[key] = item


def load_config(reader: Reader, path: Path) -> Config | None:
    """The unit at ``path`` with its includes merged (see the module docstring)."""
    hf = reader.parse(path)
    if hf is None:
        return None
    unit_dir = path.parent
    cfg = Config(path, reader.ctx.rel(path))
    own = Context(reader, hf, path, unit_dir, None, 0)
    exposed: dict[str, Any] = {}
    parents: list[tuple[dict[str, Input], Value | None, str, Value | None, dict[str, Value]]] = []
    for block in hf.blocks:
        if block.type != "include":
            continue
        loaded = _include(reader, block, own, cfg)
        if loaded is None:
            continue
        name, ictx, ihf, strategy, expose = loaded
        inputs_attr = ihf.attrs.get("inputs")
        inputs, whole = evaluate_inputs(inputs_attr, ictx) if inputs_attr else ({}, None)
        if expose:
            exposed[name] = {
                "locals": {k: plain_value(v) for k, v in ictx.all_locals().items()},
                "inputs": {k: plain_value(i.value) for k, i in inputs.items()},
            }
        parents.append(
            (inputs, whole, strategy, _terraform_source(ihf, ictx), _generate(ihf, ictx))
        )
    own.names = bindings(own, hf, exposed)
    for inputs, whole, strategy, source, generate in parents:
        if strategy == "no_merge":
            continue
        _merge(cfg.inputs, inputs, strategy)
        cfg.inputs_unknown = whole or cfg.inputs_unknown
        cfg.source = source or cfg.source
        cfg.generated.update(generate)
    inputs_attr = hf.attrs.get("inputs")
    if inputs_attr is not None:
        cfg.inputs_loc = inputs_attr.name_loc
        inputs, whole = evaluate_inputs(inputs_attr, own)
        strategy = parents[-1][2] if parents else "shallow"
        _merge(cfg.inputs, inputs, "deep" if strategy == "deep" else "shallow")
        cfg.inputs_unknown = whole or cfg.inputs_unknown
    cfg.source = _terraform_source(hf, own) or cfg.source
    cfg.generated.update(_generate(hf, own))
    return cfg


def _include(
    reader: Reader, block: Block, own: Context, cfg: Config
) -> tuple[str, Context, HclFile, str, bool] | None:
    name = block.labels[0] if block.labels else ""
    what = f'include "{name}"' if name else "include"
    attr = block.attrs.get("path")
    if attr is None:
        cfg.notices.append(_notice(block.loc, f"{what} has no path", Level.ERROR))
        return None
    p = evaluate(attr.expr, attr.file, own.scope)
    if p.unknown is not None:
        cfg.notices.append(
            _notice(attr.loc, f"{what}: path cannot be evaluated ({p.unknown})", Level.ERROR)
        )
        return None
    target = Path(str(p.value))
    target = (target if target.is_absolute() else own.unit_dir / target).resolve()
    ihf = reader.parse(target)
    if ihf is None:
        cfg.notices.append(
            _notice(attr.loc, f"{what}: {reader.ctx.rel(target)} does not exist", Level.ERROR)
        )
        return None
    cfg.includes.append(target)
    own.include_dirs.setdefault(name, target.parent)
    ictx = Context(reader, ihf, target, own.unit_dir, target.parent, 1)
    ictx.names = bindings(ictx, ihf, {})
    strategy, expose = "shallow", False
    for key in ("merge_strategy", "expose"):
        a = block.attrs.get(key)
        if a is None:
            continue
        v = evaluate(a.expr, a.file, own.scope)
        if key == "merge_strategy" and v.unknown is None and v.value in ("deep", "no_merge"):
            strategy = str(v.value)
        elif key == "expose":
            expose = v.unknown is None and v.value is True
    return name, ictx, ihf, strategy, expose


def _local_source(source: str, unit_dir: Path) -> Path | None:
    """The directory of a local ``source`` (``../modules//table?ref=x`` -> ../modules/table)."""
    path = source.split("?", 1)[0]
    if path.startswith(_REMOTE) or "::" in path:
        return None
    head, _, sub = path.partition("//")
    directory = Path(head) / sub if sub else Path(head)
    if not directory.is_absolute():
        directory = unit_dir / directory
    if path.startswith(("/", "./", "../")) or directory.is_dir():
        return directory.resolve()
    return None


def _cached_source(source: str, unit_dir: Path) -> Path | None:
    """The copy of a remote ``source`` that ``terragrunt init/plan`` left in the unit's
    ``.terragrunt-cache/<hash>/<hash>/`` (the most recent one), like ``.terraform/modules``."""
    cache = unit_dir / ".terragrunt-cache"
    if not cache.is_dir():
        return None
    # git::https://host/repo.git//sub?ref=x -> sub (the "//" that is not the scheme's)
    sub = source.split("?", 1)[0].rsplit("://", 1)[-1].partition("//")[2]
    found = []
    try:
        for first in cache.iterdir():
            for second in first.iterdir() if first.is_dir() else ():
                candidate = second / sub if sub else second
                if candidate.is_dir() and any(candidate.glob("*.tf")):
                    found.append((second.stat().st_mtime, str(candidate), candidate))
    except OSError:
        return None
    return max(found)[2].resolve() if found else None


def _generated_providers(cfg: Config, reader: Reader) -> list[Block]:
    """AWS provider blocks of ``generate`` blocks writing ``.tf`` files (as Terragrunt
    writes provider.tf), located at the lines of the ``contents`` that hold them."""
    out: list[Block] = []
    for contents in cfg.generated.values():
        if contents.unknown is not None or not isinstance(contents.value, str):
            continue
        loc = contents.loc
        line = loc.line if loc is not None else 0
        path = loc.path if loc is not None else cfg.rel
        hf = parse_hcl("\n" * line + contents.value, path)
        out.extend(b for b in hf.blocks if b.type == "provider" and b.labels[:1] == ("aws",))
    return out


def unit_module(
    loader: Loader, cfg: Config, reader: Reader
) -> tuple[ModuleDef, Path | None, Location | None] | None:
    """The module a unit deploys, its directory and the ``source`` line; None (with a
    notice in ``cfg.notices``) when it cannot be analysed."""
    unit_dir = cfg.path.parent
    src = cfg.source
    where = f"Terragrunt unit {reader.ctx.rel(unit_dir)}"
    if src is None:
        mdef = loader.module_def(unit_dir)
        if mdef is None:
            cfg.notices.append(
                Notice(
                    cfg.rel,
                    f"{where} has no terraform {{ source }} and its directory no Terraform "
                    "files: nothing to analyse",
                    level=Level.NOTE,
                )
            )
            return None
        # the unit's own directory: findings go to the unit's inputs, like a module call
        return mdef, unit_dir, cfg.inputs_loc or Location(cfg.rel)
    loc = src.loc or Location(cfg.rel)
    if src.unknown is not None or not isinstance(src.value, str):
        why = src.unknown or "it is not a string"
        cfg.notices.append(
            _notice(
                loc,
                f"{where}: terraform source cannot be evaluated ({why}); its resources are not "
                "analysed",
                Level.WARNING,
            )
        )
        return None
    source = src.value
    if source.startswith(_REGISTRY):
        address = source.split("?", 1)[0].removeprefix("tfr://").lstrip("/")
        address = address.removeprefix("registry.terraform.io/")
        module = registry.find(address)
        if module is not None:
            return loader.registry_def(module), None, loc
    directory = _local_source(source, unit_dir)
    if directory is None:
        cached = _cached_source(source, unit_dir)
        if cached is not None:
            mdef = loader.module_def(cached)
            if mdef is not None:
                return mdef, cached, loc
        cfg.notices.append(
            _notice(
                loc,
                f"{where}: source {source!r} is not on disk and is not a modelled registry "
                "module; its resources are not analysed",
                Level.NOTE,
            )
        )
        return None
    mdef = loader.module_def(directory) if directory.is_dir() else None
    if mdef is None:
        cfg.notices.append(
            _notice(
                loc,
                f"{where}: source {source!r} does not exist or has no Terraform files; its "
                "resources are not analysed",
                Level.ERROR,
            )
        )
        return None
    return mdef, directory, loc


def instantiate(loader: Loader, cfg: Config, reader: Reader) -> tuple[list[Emitted], set[Path]]:
    """Evaluate the unit's module with the unit's inputs; the module directory it used."""
    found = unit_module(loader, cfg, reader)
    if found is None:
        return [], set()
    mdef, directory, source_loc = found
    generated = _generated_providers(cfg, reader)
    if generated:
        loader.any_provider = True
        mdef = dataclasses.replace(mdef, providers=[*mdef.providers, *generated])
    values: dict[str, Value] = {name: item.value for name, item in cfg.inputs.items()}
    if cfg.inputs_unknown is not None:
        for name in mdef.variables:
            values.setdefault(
                name,
                Value(
                    None,
                    None,
                    f"inputs of {cfg.rel} cannot be evaluated ({cfg.inputs_unknown.unknown})",
                    False,
                    (cfg.inputs_unknown.loc,) if cfg.inputs_unknown.loc else (),
                ),
            )
    if directory is not None:
        var_types = {name: type_of(block) for name, block in mdef.variables.items()}
        own, problems = root_values(directory, var_types, reader.ctx)
        cfg.notices.extend(problems)
        values.update(own)
    what = "inputs" if cfg.source is None else "module source"
    related = [(source_loc, f"{what} of Terragrunt unit {cfg.rel}")] if source_loc else []
    inst = ModuleInstance(
        loader,
        mdef,
        root_values=values,
        root_dir=directory,
        place=Placement(
            chain=(cfg.rel,),
            call_sites=(source_loc,) if source_loc is not None else (),
            related=tuple(related),
        ),
        defaults_are_inputs=False,
    )
    emitted = inst.collect()
    cfg.notices.extend(inst.notices)
    return emitted, {directory} if directory is not None else set()
