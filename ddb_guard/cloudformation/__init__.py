"""CloudFormation front-end: templates (YAML/JSON), SAM, CDK output and Serverless files.

``sniff`` says whether loaded data is a template; ``load_template`` turns it into model
entities (see :mod:`ddb_guard.cloudformation.build`) and notices.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ddb_guard.cloudformation import detect, params
from ddb_guard.cloudformation.build import BUILDERS, NO_REGION, Builder, Resource
from ddb_guard.cloudformation.cdk import MANIFEST, stack_environment
from ddb_guard.cloudformation.foreach import expand, uses_language_extensions
from ddb_guard.cloudformation.intrinsics import Resolver
from ddb_guard.cloudformation.nested import Overrides, load_children
from ddb_guard.cloudformation.resource import kind_of
from ddb_guard.cloudformation.suppress import comment_suppressions, suppressions
from ddb_guard.context import ScanContext
from ddb_guard.enums import Level
from ddb_guard.model import Entity, Location, Notice, Value

CDK_PATH = "aws:cdk:path"
FOR_EACH = "Fn::ForEach::"


def sniff(path: Path, data: object) -> str | None:
    """``"cloudformation"`` | ``"serverless"`` | None, by content (``path`` is unused)."""
    return detect.sniff(data)


def load_template(
    path: Path, data: object, ctx: ScanContext, text: str | None = None
) -> tuple[list[Entity], list[Notice]]:
    """Entities and notices of one loaded template; never raises on bad input. ``text``
    (the YAML source) gives ``# ddb-guard:ignore`` comments."""
    return load_with_includes(path, data, ctx, text)[:2]


def load_with_includes(
    path: Path,
    data: object,
    ctx: ScanContext,
    text: str | None = None,
    overrides: Overrides | None = None,
) -> tuple[list[Entity], list[Notice], list[str]]:
    """:func:`load_template`, plus the files a Serverless service included or a nested
    stack deployed (reported paths): they are judged as part of it. ``overrides``: the
    parameter values a parent stack passes (see :mod:`ddb_guard.cloudformation.nested`)."""
    rel = ctx.rel(path)
    if not isinstance(data, Mapping):
        what = "empty" if data is None else f"{kind_of(data)}, not a mapping"
        return [], [Notice(rel, f"template is {what}", 1, 1)], []
    service = None
    if detect.sniff(data) == detect.SERVERLESS and isinstance(data, dict):
        # lazy: only a Serverless service needs the Serverless front-end
        from ddb_guard.cloudformation.serverless.service import prepare

        service = prepare(path, data, ctx)
        sections, notices = service.sections, service.notices
    else:
        expanded: list[Notice] = []
        if uses_language_extensions(data):
            data, expanded = expand(data, rel)
        sections, notices = _sections(data, rel)
        notices = expanded + notices
    parameters, origins = sections["Parameters"], service.origins if service else None
    if overrides is not None:
        parameters, origins = overrides.parameters(parameters)
    elif service is None:
        parameters, supplied = _supplied(path, rel, parameters, ctx)
        notices = notices + supplied
    resolver = Resolver(
        rel,
        parameters=parameters,
        conditions=sections["Conditions"],
        mappings=sections["Mappings"],
        resources=sections["Resources"],
        origins=origins,
    )
    env = None if service is not None else stack_environment(path, ctx.rel(path.parent / MANIFEST))
    if service is not None:
        region = _region(data, resolver)
    elif env is not None and env.region is not None:
        region = env.region
    else:
        region = Value.unknown_because(NO_REGION)
    builder = Builder(resolver, region)
    builder.notices.extend(notices)
    if text is not None and "ddb-guard" in text and not path.name.endswith(".json"):
        builder.lines = text.split("\n")
    entities: list[Entity] = []
    for logical_id, holder in sections["Resources"].items():
        entities.extend(_resource(builder, logical_id, holder))
    if env is not None and env.account is not None:
        for entity in entities:
            entity.account = env.account
    if service is None:
        children, child_notices, files = load_children(
            path, sections["Resources"], resolver, ctx, overrides, load_with_includes
        )
        return entities + children, builder.notices + child_notices, files
    service.finish(entities)
    return entities, builder.notices, sorted(service.included)


def _supplied(
    path: Path, rel: str, parameters: dict[str, Mapping[str, Any]], ctx: ScanContext
) -> tuple[dict[str, Mapping[str, Any]], list[Notice]]:
    """``parameters`` with the values the user supplied (samconfig next to the template,
    --param-file, --param) as their defaults; marker notices name the supplied ones this
    template declares (see :mod:`ddb_guard.cloudformation.params`)."""

    values, notices, _ = params.samconfig_values(path.parent, ctx.cfn_config_env)
    notices = [Notice(ctx.rel(n.path), n.message, level=n.level) for n in notices]
    values = {**values, **ctx.cfn_params}
    applied = {k: v for k, v in values.items() if k in parameters}
    if not applied:
        return parameters, notices
    notices += [Notice(rel, k, kind=params.DECLARED) for k in applied if k in ctx.cfn_params]
    given = Overrides(
        via="",
        values={k: Value.of(v) for k, v in applied.items()},
        stack_loc=Location(rel),
        depth=0,
        chain=(),
    )
    out, _ = given.parameters(parameters)
    return out, notices


def _sections(
    data: Mapping[str, Any], rel: str
) -> tuple[dict[str, dict[str, Mapping[str, Any]]], list[Notice]]:
    """Name -> holding mapping for each section of a template."""
    notices: list[Notice] = []
    sections: dict[str, dict[str, Mapping[str, Any]]] = {
        "Parameters": {},
        "Conditions": {},
        "Mappings": {},
        "Resources": {},
    }
    for name, section in sections.items():
        if name not in data:
            continue
        content = data[name]
        if not isinstance(content, Mapping):
            span = getattr(data, "key_span", lambda _k: None)(name)
            line, column = (span[0], span[1]) if span else (0, 0)
            notices.append(
                Notice(rel, f"{name} must be a mapping, found {kind_of(content)}", line, column)
            )
            continue
        for key in content:
            section[key] = content
    return sections, notices


def _region(data: Mapping[str, Any], resolver: Resolver) -> Value:
    """Serverless: ``provider.region`` when written, else unknown."""
    provider = data.get("provider")
    region = resolver.value(provider, "region") if isinstance(provider, Mapping) else None
    if region is None:
        return Value.unknown_because(
            "the Serverless region comes from --region or provider.region at deploy time"
        )
    return region


def _resource(builder: Builder, logical_id: str, holder: Mapping[str, Any]) -> list[Entity]:
    r = builder.r
    node = holder[logical_id]
    loc = r.key_loc(holder, logical_id) or Location(r.origin(holder, logical_id))
    if isinstance(logical_id, str) and logical_id.startswith(FOR_EACH):
        builder.note(
            loc,
            f"{logical_id}: Fn::ForEach needs Transform: AWS::LanguageExtensions; its "
            "resources are not checked",
            level=Level.NOTE,
        )
        return []
    if isinstance(node, Value):  # a Serverless variable that cannot be resolved
        builder.note(loc, f"resource {logical_id} cannot be read statically ({node.unknown})")
        return []
    if not isinstance(node, Mapping):
        builder.note(loc, f"resource {logical_id} is not a mapping")
        return []
    body = r.key_loc(node, next(iter(node))) if node and id(node) in r.origins else None
    if body is not None and body.path != loc.path:
        loc = body  # ``T: ${file(t.yml)}``: the table is written in the included file
    rtype = node.get("Type")
    if not isinstance(rtype, str):
        builder.note(loc, f"resource {logical_id} has no Type")
        return []
    build = BUILDERS.get(rtype)
    if build is None:
        return []
    condition = node.get("Condition")
    if isinstance(condition, str):
        active = r.condition(condition, r.loc_of(node, "Condition"))
        if active.known and active.value is False:
            return []  # not created with the parameter defaults
    props: Any = node.get("Properties", {})
    if props is None:
        props = {}
    if isinstance(props, Value):
        builder.note(
            r.loc_of(node, "Properties") or loc,
            f"resource {logical_id}: Properties cannot be read statically ({props.unknown})",
        )
        return []
    if not isinstance(props, Mapping):
        builder.note(
            r.loc_of(node, "Properties") or loc,
            f"resource {logical_id}: Properties must be a mapping, found {kind_of(props)}",
        )
        return []
    found, notices = suppressions(node, r, loc)
    builder.notices.extend(notices)
    if builder.lines is not None:
        end = holder.value_span(logical_id) if hasattr(holder, "value_span") else None
        last = (end[2], end[3]) if end else (loc.line, loc.end_column)
        found += comment_suppressions(builder.lines, r.path, loc.line, last)
    res = Resource(logical_id, rtype, node, props, loc, _display_name(node), found)
    return build(builder, res)


def _display_name(node: Mapping[str, Any]) -> str:
    """CDK construct path from ``Metadata["aws:cdk:path"]`` without ``/Resource``."""
    metadata = node.get("Metadata")
    path = metadata.get(CDK_PATH) if isinstance(metadata, Mapping) else None
    if not isinstance(path, str):
        return ""
    return path[: -len("/Resource")] if path.endswith("/Resource") else path
