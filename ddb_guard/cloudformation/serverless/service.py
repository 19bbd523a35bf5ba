"""One Serverless service as the Framework deploys it: variables resolved, ``resources``
fragments merged in order, ``resources.extensions`` applied, stack tags known.

``resources`` is a mapping or a list of fragments (often ``${file(...)}`` includes); the
Framework deep-merges the fragments in order (lodash ``merge``: a logical id written in
two fragments is merged key by key; lists are taken from the later fragment here), then
applies ``extensions`` (``Properties``/``Metadata`` merged one level, ``DeletionPolicy``,
``UpdateReplacePolicy``, ``Condition``, ``CreationPolicy``, ``UpdatePolicy`` replaced).
The stack is tagged ``STAGE: <stage>`` plus ``provider.stackTags``; CloudFormation passes
stack tags on to the tables (``provider.tags`` go to functions, not to ``resources``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ddb_guard.cloudformation.resource import kind_of
from ddb_guard.cloudformation.serverless.resolve import ServiceResolver
from ddb_guard.context import ScanContext
from ddb_guard.model import TABLE, Entity, Location, Notice, Value
from ddb_guard.parse.yaml_loader import MarkedMap

SECTIONS = ("Parameters", "Conditions", "Mappings", "Resources", "Outputs")
REPLACED = ("Condition", "CreationPolicy", "DeletionPolicy", "UpdatePolicy", "UpdateReplacePolicy")
MERGED = ("Properties", "Metadata")


@dataclass(slots=True)
class Service:
    """What the CloudFormation front-end needs to build a service's entities."""

    rel: str
    stage: Value
    sections: dict[str, dict[str, Mapping[str, Any]]]
    origins: dict[Any, str]
    included: dict[str, Location]
    stack_tags: Value
    notices: list[Notice] = field(default_factory=list)

    @property
    def stage_name(self) -> str:
        return str(self.stage.value) if self.stage.known else "unknown"

    def finish(self, entities: list[Entity]) -> None:
        """Name the stage, point included files at their include line, add stack tags."""
        for e in entities:
            e.display_name = f"{e.address} (stage {self.stage_name})"
            e.related.extend(self.include_chain(e.loc.path))
            if e.kind == TABLE:
                e.attrs["tags"] = _with_stack_tags(e.attrs["tags"], self.stack_tags)

    def include_chain(self, path: str) -> list[tuple[Location, str]]:
        """Where ``path`` was included, and where that file was included, up to the
        service file."""
        out: list[tuple[Location, str]] = []
        seen: set[str] = set()
        while path in self.included and path not in seen:
            seen.add(path)
            loc = self.included[path]
            out.append((loc, f"{path} is included here"))
            path = loc.path
        return out


def prepare(path: Path, data: dict[str, Any], ctx: ScanContext) -> Service:
    """Resolve the service file ``data`` (in place) and merge its resources."""
    r = ServiceResolver(path, data, ctx)
    stage = r.stage()
    provider = data.get("provider")
    if isinstance(provider, dict) and "region" in provider:
        r.resolve_tree(provider, "region")
    fragments = _fragments(r, data)
    sections = _merge_sections(r, fragments)
    _extend(r, fragments, sections["Resources"])
    return Service(
        rel=r.rel,
        stage=stage,
        sections=sections,
        origins=r.origins,
        included=r.included,
        stack_tags=_stack_tags(r, provider, stage),
        notices=r.notices,
    )


def _fragments(r: ServiceResolver, data: dict[str, Any]) -> list[Mapping[str, Any]]:
    if "resources" not in data:
        return []
    resources = r.resolve_tree(data, "resources")
    items = resources if isinstance(resources, list) else [resources]
    out: list[Mapping[str, Any]] = []
    for i, item in enumerate(items):
        where = r.loc_of(resources, i) if items is resources else r.loc_of(data, "resources")
        label = f"resources[{i}]" if items is resources else "resources"
        if item is None:
            continue
        if isinstance(item, Value):
            r.note(where, f"{label} cannot be read statically ({item.unknown}); not checked")
        elif not isinstance(item, Mapping):
            r.note(where, f"{label} must be a mapping, found {kind_of(item)}")
        else:
            out.append(item)
    return out


def _merge_sections(
    r: ServiceResolver, fragments: list[Mapping[str, Any]]
) -> dict[str, dict[str, Mapping[str, Any]]]:
    """Section name -> {name: the mapping holding it}, fragments merged in order."""
    sections: dict[str, dict[str, Mapping[str, Any]]] = {name: {} for name in SECTIONS}
    for fragment in fragments:
        for name in SECTIONS:
            if name not in fragment:
                continue
            content = fragment[name]
            if content is None:
                continue
            if isinstance(content, Value) or not isinstance(content, Mapping):
                why = content.unknown if isinstance(content, Value) else kind_of(content)
                r.note(r.loc_of(fragment, name), f"{name} must be a mapping, found {why}")
                continue
            section = sections[name]
            for key in content:
                earlier = section.get(key)
                if (
                    earlier is not None
                    and isinstance(earlier[key], Mapping)
                    and isinstance(content[key], Mapping)
                ):
                    section[key] = _holder(r, key, earlier, content, deep=True)
                else:
                    section[key] = content
    return sections


def _extend(
    r: ServiceResolver,
    fragments: list[Mapping[str, Any]],
    resources: dict[str, Mapping[str, Any]],
) -> None:
    """Apply ``resources.extensions`` to the resources written in ``resources``."""
    for fragment in fragments:
        extensions = fragment.get("extensions")
        if not isinstance(extensions, Mapping):
            continue
        for logical_id, extension in extensions.items():
            holder = resources.get(logical_id)
            if holder is None:
                continue  # extends a resource the Framework generates (not a table)
            node = holder[logical_id]
            if not isinstance(node, Mapping) or not isinstance(extension, Mapping):
                r.note(
                    r.loc_of(extensions, logical_id),
                    f"resources.extensions.{logical_id} cannot be applied: not a mapping",
                )
                continue
            base = _copy(r, node)
            for attr in extension:
                if attr in REPLACED:
                    _put(r, base, attr, extension)
                elif attr in MERGED:
                    written = base.get(attr)
                    if isinstance(written, Mapping) and isinstance(extension[attr], Mapping):
                        merged = _merged(r, written, extension[attr], deep=False)
                        _put(r, base, attr, extension, merged)
                    else:
                        _put(r, base, attr, extension)
                elif attr != "DependsOn":
                    r.note(
                        r.loc_of(extension, attr),
                        f"resources.extensions.{logical_id}.{attr}: the Framework cannot "
                        "extend this attribute",
                    )
            new_holder = _copy(r, holder)
            _put(r, new_holder, logical_id, holder, base)
            resources[logical_id] = new_holder


def _stack_tags(r: ServiceResolver, provider: Any, stage: Value) -> Value:
    tags: dict[str, Any] = {"STAGE": stage.value if stage.known else stage}
    if not isinstance(provider, dict) or "stackTags" not in provider:
        return Value.of(tags)
    loc = r.loc_of(provider, "stackTags")
    written = r.resolve_tree(provider, "stackTags")
    if isinstance(written, Value) and not written.known:
        return Value.unknown_because(f"provider.stackTags: {written.unknown}", loc)
    if not isinstance(written, Mapping):
        return Value.of(tags, loc)
    for key in [k for k in tags if any(str(k).lower() == str(w).lower() for w in written)]:
        del tags[key]
    for key, value in written.items():
        if isinstance(value, Value):
            tags[key] = value.value if value.known else value
        else:
            tags[key] = value
    return Value.of(tags, loc)


def _with_stack_tags(own: Value, stack: Value) -> Value:
    """The table's tags over the stack's (a tag written on the table wins)."""
    if not own.known:
        return own
    if not stack.known:
        return stack if own.default else own
    if not isinstance(own.value, dict) or not isinstance(stack.value, dict):
        return own
    merged = {**stack.value, **own.value}
    return Value(merged, own.loc or stack.loc, trace=own.trace)


# --------------------------------------------------------------------------- merging


def _origin(r: ServiceResolver, container: Any, key: Any) -> str:
    return r.origins.get((id(container), key)) or r.origins.get(id(container), r.rel)


def _positions(container: Any) -> dict[Any, Any]:
    return container._positions() if isinstance(container, MarkedMap) else {}


def _copy(r: ServiceResolver, source: Mapping[str, Any]) -> MarkedMap:
    out = MarkedMap()
    out._pos = {}
    for key in source:
        _put(r, out, key, source)
    return out


def _put(
    r: ServiceResolver, target: MarkedMap, key: Any, source: Mapping[str, Any], value: Any = None
) -> None:
    """``target[key]`` = ``source[key]`` (or ``value``), keeping where it was written."""
    target[key] = source[key] if value is None else value
    position = _positions(source).get(key)
    if position is not None:
        target._pos[key] = position
    r.origins[(id(target), key)] = _origin(r, source, key)


def _merged(r: ServiceResolver, a: Mapping, b: Mapping, *, deep: bool) -> MarkedMap:
    out = _copy(r, a)
    for key in b:
        earlier = out.get(key)
        if deep and isinstance(earlier, Mapping) and isinstance(b[key], Mapping):
            _put(r, out, key, b, _merged(r, earlier, b[key], deep=True))
        else:
            _put(r, out, key, b)
    return out


def _holder(r: ServiceResolver, key: Any, a: Mapping, b: Mapping, *, deep: bool) -> MarkedMap:
    """A one-entry holder ``{key: a[key] merged with b[key]}``, located where ``a``
    declares it."""
    holder = MarkedMap()
    holder._pos = {}
    _put(r, holder, key, a, _merged(r, a[key], b[key], deep=deep))
    return holder
