"""Terraform HCL / ``.tf.json`` front-end entry point.

Public API::

    load_terraform(modules, ctx) -> (list[TfResource], list[Notice])

``modules`` maps each scanned module directory to the files in it whose findings are
reported (``None`` = all); every ``*.tf`` and ``*.tf.json`` of a directory is read
together as one module. A directory that another scanned directory calls as a module is
analysed through its callers only (unless nothing else calls into it). For each root the
variables (defaults, ``TF_VAR_``, tfvars files, ``--var-file``, ``--var``), locals,
providers, ``count``/``for_each``, ``dynamic`` blocks and module calls (local, downloaded
per ``.terraform/modules/modules.json``, or modelled registry modules in
``ddb_guard/terraform/registry/``) are evaluated, and one
:class:`~ddb_guard.terraform.resource.TfResource` is returned per managed resource whose
type starts with ``aws_dynamodb_`` or ``aws_backup_`` (instances with equal bodies
share one). Problems (syntax errors, missing module sources, cycles) are notices; this
never raises on bad input.

The reported-file sets are not used to drop resources: enrichment needs every table
(backup selections cover tables in other files); ``Model.report_paths`` limits reporting.
"""

from __future__ import annotations

import gc
from collections.abc import Mapping, Sequence
from pathlib import Path

from ddb_guard.context import ScanContext
from ddb_guard.enums import Level, NoticeKind
from ddb_guard.model import Location, Notice
from ddb_guard.parse.source import read_text
from ddb_guard.terraform import registry
from ddb_guard.terraform.evaluate import Scope, evaluate
from ddb_guard.terraform.expand import notice_at
from ddb_guard.terraform.hcl import Attribute, parse_hcl
from ddb_guard.terraform.manifest import MANIFEST, read_manifest
from ddb_guard.terraform.module import (
    Emitted,
    ModuleDef,
    ModuleInstance,
    Placement,
    is_override_file,
)
from ddb_guard.terraform.resource import TfResource
from ddb_guard.terraform.tfjson import parse_tfjson
from ddb_guard.terraform.tfvars import root_values
from ddb_guard.terraform.variables import type_of

__all__ = ["Loader", "load_terraform"]


def _is_local(source: str) -> bool:
    return source.startswith(("./", "../", ".\\", "..\\"))


class Loader:
    """Reads module directories once and resolves module sources for module instances."""

    def __init__(self, ctx: ScanContext) -> None:
        self.ctx = ctx
        self.defs: dict[Path, ModuleDef | None] = {}
        self.notices: list[Notice] = []
        self.any_provider = False
        # location of a root variable's ``default`` -> variable name (see ModuleInstance)
        self.input_defaults: dict[Location, str] = {}
        self._registry: dict[str, ModuleDef] = {}
        self._modules_json: dict[Path, dict[str, Path]] = {}
        self._root = ctx.root.resolve()
        self._prefetched: dict[Path, str | Notice] = {}  # read by the roots pre-check
        self.cut: list[Path] = []  # module directories past the nesting limit
        self.module_instances = 0  # across nesting, reset per root (evaluation budget)

    def read(self, path: Path, keep: bool = False) -> str | Notice:
        """A file's text; with ``keep`` it is held until :meth:`module_def` parses it, so
        no file is read twice."""
        text = self._prefetched.pop(path, None)
        if text is None:
            text = read_text(path, self.ctx, iac=True)
        if keep:
            self._prefetched[path] = text
        return text

    def rel(self, path: Path) -> str:
        """``ctx.rel`` for resolved paths, without resolving again."""
        try:
            return path.relative_to(self._root).as_posix() or "."
        except ValueError:
            return self.ctx.rel(path)

    def module_def(self, directory: Path) -> ModuleDef | None:
        """The module in ``directory`` (parsed once), or ``None`` if it has no Terraform files."""
        if directory in self.defs:
            return self.defs[directory]
        directory = directory.resolve()
        if directory in self.defs:
            return self.defs[directory]
        try:
            names = sorted(
                (
                    p
                    for p in directory.iterdir()
                    if p.name.endswith((".tf", ".tf.json")) and not p.is_dir()
                ),
                key=lambda p: (is_override_file(p.name), p.name),
            )
        except OSError as exc:
            self.notices.append(
                Notice(
                    self.rel(directory),
                    f"cannot read directory: {exc.strerror or exc}; its files are not checked",
                    level=Level.ERROR,
                    kind=NoticeKind.PARSE_ERROR,
                )
            )
            names = []
        if not names:
            self.defs[directory] = None
            return None
        mdef = ModuleDef(directory, self.rel(directory))
        size = 0
        for path in names:
            text = self.read(path)
            if isinstance(text, Notice):
                self.notices.append(text)
                continue
            size += len(text)
            if size > self.ctx.max_module_bytes:  # six 5 MB files: 5.4 GB of syntax trees
                mb = self.ctx.max_module_bytes / (1024 * 1024)
                self.notices.append(
                    Notice(
                        self.rel(path),
                        f"skipped: the module's Terraform files exceed {mb:g} MB "
                        "(evaluation budget)",
                        level=Level.ERROR,
                        kind=NoticeKind.PARSE_ERROR,
                    )
                )
                continue
            rel = self.rel(path)
            hf = parse_tfjson(text, rel) if path.name.endswith(".json") else parse_hcl(text, rel)
            self.notices.extend(hf.notices)
            self.notices.extend(mdef.add(hf, override=is_override_file(path.name)))
        if mdef.providers:
            self.any_provider = True
        self.defs[directory] = mdef
        return mdef

    def registry_def(self, module: registry.RegistryModule) -> ModuleDef:
        hit = self._registry.get(module.source)
        if hit is None:
            origin = f"registry-module:{module.source}"
            parsed = parse_hcl(module.resources, f"<{origin}>")
            hit = ModuleDef(None, ".", input_defaults=module.defaults(), origin=origin)
            hit.add(parsed)
            self.notices.extend(parsed.notices)
            self._registry[module.source] = hit
        return hit

    def downloaded(self, root: Path | None) -> dict[str, Path]:
        """``.terraform/modules/modules.json`` of a root: module key -> directory (read once)."""
        if root is None:
            return {}
        hit = self._modules_json.get(root)
        if hit is not None:
            return hit
        found, problems = read_manifest(root, self.ctx)
        self.notices.extend(problems)
        self._modules_json[root] = found
        return found

    def resolve_module(
        self,
        caller_dir: Path | None,
        key_path: tuple[str, ...],
        root_dir: Path | None,
        source: str,
        source_attr: Attribute,
    ) -> tuple[ModuleDef, str] | None:
        """The definition module call ``key_path[-1]`` (in ``caller_dir``) refers to, with
        an id for cycle detection."""
        name = key_path[-1]
        if _is_local(source):
            base = caller_dir
            if base is None:
                return None
            directory = (base / source).resolve()
            mdef = self.module_def(directory) if directory.is_dir() else None
            if mdef is None:
                self.notices.append(
                    notice_at(
                        source_attr.loc,
                        f"module {name}: source {source!r} does not exist or has "
                        "no Terraform files; its resources are not analysed",
                        Level.ERROR,
                    )
                )
                return None
            return mdef, self.ctx.rel(directory)
        directory = self.downloaded(root_dir).get(".".join(key_path))
        if directory is not None and directory.is_dir():
            mdef = self.module_def(directory)
            if mdef is not None:
                return mdef, self.ctx.rel(directory)
        module = registry.find(source)
        if module is not None:
            return self.registry_def(module), f"registry:{module.source}"
        self.notices.append(
            notice_at(
                source_attr.loc,
                f"module {name}: source {source!r} is not on disk (run terraform "
                "init) and is not a modelled registry module; its resources are not analysed",
                Level.NOTE,
            )
        )
        return None

    def local_calls(self, mdef: ModuleDef) -> set[Path]:
        """Directories ``mdef`` calls as modules (local sources and downloaded modules)."""
        out: set[Path] = set()
        if mdef.dir is None:
            return out
        for mblock in mdef.modules.values():
            attr = mblock.attrs.get("source")
            if attr is None:
                continue
            src = evaluate(attr.expr, attr.file, Scope(None))
            if src.unknown is None and isinstance(src.value, str) and _is_local(src.value):
                out.add((mdef.dir / src.value).resolve())
        out.update(self.downloaded(mdef.dir).values())
        return out


def _may_call_modules(loader: Loader, directory: Path) -> bool:
    """Cheap pre-check without parsing: can ``directory`` call a module at all?"""
    if (directory / MANIFEST).is_file():
        return True
    try:
        paths = [
            p
            for p in directory.iterdir()
            if p.name.endswith((".tf", ".tf.json")) and not p.is_dir()
        ]
    except OSError:
        return False
    found = False
    for path in paths:
        text = loader.read(path, keep=True)
        found = found or not isinstance(text, str) or "module" in text
    return found


def _roots(loader: Loader, dirs: list[Path]) -> tuple[list[Path], set[Path]]:
    """Scanned directories not called as a module by another scanned directory, and the
    directories that are called (their parsed definitions are worth keeping)."""
    calls: dict[Path, set[Path]] = {}
    for d in dirs:
        if _may_call_modules(loader, d):
            md = loader.module_def(d)
            if md is not None:
                calls[d] = loader.local_calls(md)
        else:
            calls[d] = set()  # parsed when evaluated, and dropped after
    scanned = set(calls)
    called = {c for d, cs in calls.items() for c in cs if c != d and c in scanned}
    roots = [d for d in calls if d not in called]
    reached: set[Path] = set(roots)
    todo = list(roots)
    while todo:
        for c in calls.get(todo.pop(), ()):
            if c in scanned and c not in reached:
                reached.add(c)
                todo.append(c)
    roots.extend(d for d in calls if d not in reached and d not in roots)
    return roots, {c for cs in calls.values() for c in cs}


def _group(emitted: list[Emitted]) -> list[TfResource]:
    groups: dict[str, list[Emitted]] = {}
    for e in emitted:
        groups.setdefault(e.keyless, []).append(e)
    out: list[TfResource] = []
    for keyless, items in groups.items():
        if len(items) == 1 or len({e.sig for e in items}) == 1:
            res = items[0].resource
            res.address = keyless
            out.append(res)
            continue
        seen: set[object] = set()
        for e in items:
            sig = e.sig
            if sig in seen:
                continue
            seen.add(sig)
            e.resource.address = e.keyed
            out.append(e.resource)
    return out


def load_terraform(
    modules: Mapping[Path, set[Path] | None], ctx: ScanContext, units: Sequence[Path] = ()
) -> tuple[list[TfResource], list[Notice]]:
    """Evaluate the Terraform modules in ``modules`` and the Terragrunt ``units``
    (``terragrunt.hcl`` files, see :mod:`ddb_guard.terragrunt`); see the module docstring."""
    # The syntax trees and values built here are acyclic; the cyclic collector would only
    # rescan them again and again (it doubled the time on 500 files).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(modules, ctx, units)
    finally:
        if was_enabled:
            gc.enable()


def _load(
    modules: Mapping[Path, set[Path] | None], ctx: ScanContext, units: Sequence[Path]
) -> tuple[list[TfResource], list[Notice]]:
    loader = Loader(ctx)
    dirs = list(dict.fromkeys(Path(d).resolve() for d in modules))
    resources: list[TfResource] = []
    notices: list[Notice] = []
    if units:
        # lazy: Terragrunt only when there are units
        from ddb_guard.terragrunt import load_units

        groups, unit_notices, deployed = load_units(loader, list(units), ctx)
        for emitted in groups:
            resources.extend(_group(emitted))
        notices.extend(unit_notices)
        # a module directory that units deploy is judged through them, not with its defaults
        dirs = [d for d in dirs if d not in deployed]
    roots, called = _roots(loader, dirs)
    collected = 0
    declared: set[str] = set()
    scanned, done = set(dirs), set(roots)
    todo = list(roots)
    while todo:
        root = todo.pop(0)
        mdef = loader.module_def(root)
        if mdef is None:
            continue
        var_types = {name: type_of(block) for name, block in mdef.variables.items()}
        declared.update(var_types)
        values, problems = root_values(root, var_types, ctx)
        notices.extend(problems)
        loader.module_instances = 0
        inst = ModuleInstance(
            loader, mdef, root_values=values, root_dir=root, place=Placement(chain=(ctx.rel(root),))
        )
        try:
            emitted = inst.collect()
        except RecursionError:
            notices.append(
                Notice(ctx.rel(root), "module is nested too deeply to evaluate", level=Level.ERROR)
            )
            continue
        notices.extend(inst.notices)
        resources.extend(_group(emitted))
        # scanned directories the nesting limit cut off are checked on their own
        for cut in loader.cut:
            if cut in scanned and cut not in done:
                done.add(cut)
                todo.append(cut)
        loader.cut.clear()
        if root not in called:
            # nothing else uses this directory: free its syntax now, so that peak memory
            # is not every file's syntax tree at once
            loader.defs.pop(root, None)
            del inst, mdef, emitted
            collected += 1
            if collected % 8 == 0:
                gc.collect(0)  # syntax objects hold cycles; the collector is off in here
    notices.extend(loader.notices)
    if roots:  # like terraform, which rejects -var for an undeclared variable; a warning here
        for name in dict.fromkeys(name for name, _ in ctx.tf_vars):
            if name not in declared:
                notices.append(
                    Notice(
                        ctx.rel(roots[0]),
                        f"--var {name}: no scanned root module declares variable {name!r}",
                        level=Level.WARNING,
                    )
                )
    return resources, sorted(set(notices), key=lambda n: (n.path, n.line, n.column, n.message))
