"""Nested stacks: a parent template's parameters flow into a local child template.

``AWS::CloudFormation::Stack`` with a local ``TemplateURL`` (a relative path, as
``aws cloudformation package`` and ``sam deploy`` accept) and SAM
``AWS::Serverless::Application`` with a local ``Location`` name a child template on disk.
The child is read again with the parent's ``Parameters`` as its parameter values: a child
table whose PITR is ``!Ref EnablePitr`` (default ``"true"``) is judged with the parent's
``EnablePitr: "false"``, located in the child, with the parent's line among the values
that decided it. Those entities carry ``via`` (``parent.yaml#ChildStack``) and the scope
``parent.yaml#ChildStack>child.yaml``: each instantiation is its own set of resources.

A child template also scanned on its own keeps its own defaults only when no scanned parent
deploys it; otherwise its stand-alone entities are dropped (:func:`drop_standalone_children`)
so no table is reported twice. Remote templates (``https://``, ``s3://``, a Serverless
Application Repository id) and missing files are notices: their resources are not checked.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ddb_guard.cloudformation.intrinsics import Resolver
from ddb_guard.context import ScanContext
from ddb_guard.enums import Level
from ddb_guard.model import CLOUDFORMATION, Entity, Location, Model, Notice, Value
from ddb_guard.parse import yaml_loader
from ddb_guard.parse.source import read_text
from ddb_guard.parse.yaml_loader import MarkedMap

# resource type -> the property naming the child template
NESTED_TYPES = {
    "AWS::CloudFormation::Stack": "TemplateURL",
    "AWS::Serverless::Application": "Location",
}
MAX_DEPTH = 5  # nested stacks inside nested stacks
SEPARATOR = ">"

# (path, data, ctx, text, *, overrides) -> (entities, notices, files read)
TemplateLoader = Callable[..., tuple[list[Entity], list[Notice], list[str]]]


@dataclasses.dataclass(slots=True)
class Overrides:
    """Parameter values a parent passes: name -> Value (located in the parent)."""

    via: str  # "parent.yaml#ChildStack"
    values: dict[str, Value]
    stack_loc: Location
    depth: int
    chain: tuple[str, ...]  # resolved template paths from the outermost parent

    def parameters(self, declared: Mapping[str, Mapping[str, Any]]) -> tuple[dict, dict]:
        """The child's ``Parameters`` holders with the passed values as defaults, and the
        ``origins`` telling the resolver those defaults are written in the parent."""
        out: dict[str, Mapping[str, Any]] = dict(declared)
        origins: dict[Any, str] = {}
        for name, holder in declared.items():
            if name not in self.values or not isinstance(holder.get(name), Mapping):
                continue
            value = self.values[name]
            definition = MarkedMap({**holder[name], "Default": value})
            definition._pos = {}
            definition._span = None
            if value.loc is not None:
                span = (value.loc.line, value.loc.column, value.loc.end_line, value.loc.end_column)
                definition._pos["Default"] = (span, span)
                origins[(id(definition), "Default")] = value.loc.path
            out[name] = {name: definition}
        return out, origins


def scope_of(via: str, child_rel: str) -> str:
    return f"{via}{SEPARATOR}{child_rel}"


def child_template(entity: Entity) -> str | None:
    """The child template an entity loaded through a parent comes from."""
    return entity.scope.rsplit(SEPARATOR, 1)[1] if entity.via else None


def load_children(
    path: Path,
    resources: Mapping[str, Mapping[str, Any]],
    resolver: Resolver,
    ctx: ScanContext,
    parent: Overrides | None,
    load_template: TemplateLoader,
) -> tuple[list[Entity], list[Notice], list[str]]:
    """Entities of the local child templates the parent's nested stacks deploy.

    ``load_template`` reads a child's entities (``cloudformation.load_with_includes``,
    passed in: the package imports this module, not the other way round)."""
    entities: list[Entity] = []
    notices: list[Notice] = []
    files: list[str] = []
    depth = parent.depth + 1 if parent else 1
    chain = (*parent.chain, str(path.resolve())) if parent else (str(path.resolve()),)
    parent_scope = resolver.path if parent is None else scope_of(parent.via, resolver.path)
    for logical_id, holder in resources.items():
        node = holder.get(logical_id)
        if not isinstance(node, Mapping) or node.get("Type") not in NESTED_TYPES:
            continue
        where = resolver.key_loc(holder, logical_id) or Location(resolver.path)

        def note(message: str, level: Level = Level.WARNING, where: Location = where) -> None:
            notices.append(Notice(where.path, message, where.line, where.column, level=level))

        props = node.get("Properties")
        prop = NESTED_TYPES[node["Type"]]
        target = _asset_path(node, prop)
        if target is None:
            target = resolver.value(props, prop) if isinstance(props, Mapping) else None
        if target is None or not target.known or not isinstance(target.value, str):
            why = "is not written" if target is None else "cannot be resolved statically"
            if target is not None and target.known:
                why = "is not a local path"  # a Serverless Application Repository id
            note(
                f"nested stack {logical_id}: {prop} {why}; the parent's parameters are not "
                "applied to its resources (a child template scanned on its own is judged "
                "with its own defaults)",
                level=Level.NOTE,
            )
            continue
        url = target.value.strip()
        if "://" in url:
            note(
                f"nested stack {logical_id}: {prop} {url} is not on disk (package the "
                "template or scan the local one); its resources are not checked",
                level=Level.NOTE,
            )
            continue
        child = (path.parent / url).resolve()
        if not child.is_file():
            note(
                f"nested stack {logical_id}: {prop} {url} not found; its resources are not checked"
            )
            continue
        if str(child) in chain or depth > MAX_DEPTH:
            note(f"nested stack {logical_id}: {url} nests too deeply (or includes itself)")
            continue
        values: dict[str, Value] = {}
        passed = resolver.get(props, "Parameters")
        if passed is not None and passed.known and isinstance(passed.value, Mapping):
            for name in passed.value:
                value = resolver.value(passed.value, name)
                if value is not None:
                    values[str(name)] = value
        overrides = Overrides(f"{parent_scope}#{logical_id}", values, where, depth, chain)
        found, found_notices, found_files = _load_child(child, ctx, overrides, load_template)
        for entity in found:
            entity.display_name = f"{logical_id}/{entity.display_name or entity.address}"
            entity.related.append((where, f"nested stack {logical_id} in {resolver.path}"))
        entities.extend(found)
        notices.extend(found_notices)
        files.extend([ctx.rel(child), *found_files])
    return entities, notices, files


def _load_child(
    child: Path, ctx: ScanContext, overrides: Overrides, load_template: TemplateLoader
) -> tuple[list[Entity], list[Notice], list[str]]:

    rel = ctx.rel(child)
    text = read_text(child, ctx, iac=True)
    if isinstance(text, Notice):
        return [], [text], []
    load = yaml_loader.load_json if child.suffix == ".json" else yaml_loader.load_yaml
    data, notice = load(text, rel)
    if data is None:
        return [], [notice] if notice else [], []
    entities, notices, files = load_template(child, data, ctx, text, overrides=overrides)
    for entity in entities:
        if not entity.via:
            entity.via = overrides.via
            entity.scope = scope_of(overrides.via, entity.scope)
    return entities, ([notice] if notice else []) + notices, files


def _asset_path(node: Mapping[str, Any], prop: str) -> Value | None:
    """CDK writes a nested stack's local template in ``Metadata["aws:asset:path"]`` (its
    ``TemplateURL`` is an S3 URL built at deploy time)."""
    metadata = node.get("Metadata")
    if not isinstance(metadata, Mapping) or metadata.get("aws:asset:property") != prop:
        return None
    path = metadata.get("aws:asset:path")
    return Value.of(path) if isinstance(path, str) and path else None


def drop_standalone_children(model: Model) -> None:
    """A child template deployed by a scanned parent is judged through it, not twice."""
    children = {child_template(e) for e in model.entities if e.via}
    if not children:
        return
    model.entities = [
        e for e in model.entities if e.via or e.source != CLOUDFORMATION or e.scope not in children
    ]
