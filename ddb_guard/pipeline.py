"""discover → parse → model → enrich → evaluate: one function, ``scan``.

Front-ends are imported only when files of their kind are present, so a pre-commit run
on one CloudFormation template never loads tree-sitter, and vice versa.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from ddb_guard import parallel
from ddb_guard.accounts import assign_accounts
from ddb_guard.config import Config
from ddb_guard.context import ScanContext
from ddb_guard.discover import discover
from ddb_guard.enrich import enrich
from ddb_guard.enrich.settings import EnrichSettings
from ddb_guard.enums import Level, NoticeKind, Source
from ddb_guard.errors import FatalError
from ddb_guard.model import INTERNAL_ERROR, PARSE_ERROR, Entity, Location, Model, Notice, Value
from ddb_guard.parse.source import looks_like_iac, read_text
from ddb_guard.result import ScanResult
from ddb_guard.terraform.address import without_keys

# Cheap substring tests that every CloudFormation template / Serverless file / plan
# contains; files without any of them are not parsed at all.
_CANDIDATE_MARKERS = ("Resources", "resources", "format_version")


def _debug() -> bool:
    return os.environ.get("DDB_GUARD_DEBUG", "") not in ("", "0")


def build_model(paths: list[Path], ctx: ScanContext, config: Config) -> Model:
    """Discover and parse every input into one :class:`Model`."""
    ctx.bytes_read = 0  # the per-scan byte budget starts here
    found = discover(paths, ctx, config)
    model = Model(
        notices=list(found.notices),
        report_paths=found.report_paths,
        report_dirs=found.report_dirs,
    )
    plan_addresses: dict[Path, set[str]] = {}
    data_files = found.data_files
    services = [item for item in data_files if _is_service_file(item[0])]
    if services:
        # Serverless services first: the files they include are judged as part of the
        # service, so they are not also read on their own
        included: set[str] = set()
        part, addresses = _load_data_files(services, ctx, included)
        _merge(model, plan_addresses, part, addresses)
        done = set(services)
        data_files = [
            item for item in data_files if item not in done and ctx.rel(item[0]) not in included
        ]
    worker = None
    if parallel.enabled(len(data_files) + 10 * len(found.terraform)):
        # the worker parses templates (all of them when there is Terraform to parse here,
        # else half) while this process goes on; same result, two cores
        split = 0 if found.terraform else len(data_files) // 2
        theirs, data_files = data_files[split:], data_files[:split]
        worker = parallel.Worker(lambda: _load_data_files(theirs, ctx))
    part, addresses = _load_data_files(data_files, ctx)
    _merge(model, plan_addresses, part, addresses)
    if found.terraform or found.terragrunt:
        terraform = Model()
        _load_terraform(found.terraform, ctx, terraform, plan_addresses, found.terragrunt)
        if worker is not None:  # plans found by the worker must be known before the dedup
            _merge(model, plan_addresses, *worker.result())
            worker = None
            _drop_superseded(terraform, plan_addresses, ctx)
        model.extend(terraform)
    if worker is not None:
        _merge(model, plan_addresses, *worker.result())

    if any(e.via for e in model.entities):  # nested stacks (a Terraform scan never imports it)
        # lazy: a front-end only for files of its kind (start-up)
        from ddb_guard.cloudformation.nested import drop_standalone_children

        drop_standalone_children(model)
    assign_accounts(model, config, ctx)
    _scope_terraform_roots(model)
    if ctx.cfn_params:  # only then are there markers to drop (a Terraform scan never imports it)
        # lazy: a front-end only for files of its kind (start-up)
        from ddb_guard.cloudformation.params import undeclared

        model.notices = undeclared(model.notices, ctx.cfn_params)
    return model


def _scope_terraform_roots(model: Model) -> None:
    """Terraform addresses are per root module (each directory is its own state): when a
    scan reads several, each entity's scope is its root's directory, so a reference (plan_id
    of a selection, a table ARN) names only resources of its own root, as in CloudFormation.
    A module's resources belong to the root that calls it (the outermost module call)."""
    terraform = [e for e in model.entities if e.source == Source.TERRAFORM and not e.scope]
    roots = {id(e): Path((e.report_loc or e.loc).path).parent.as_posix() for e in terraform}
    if len(set(roots.values())) < 2:
        return
    for e in terraform:
        e.scope = roots[id(e)]


SERVICE_FILES = ("serverless.yml", "serverless.yaml", "serverless.json")


def _is_service_file(path: Path) -> bool:
    """A Serverless Framework service file by its name (what ``serverless`` looks for)."""
    return path.name in SERVICE_FILES


def _load_data_files(
    files: list[tuple[Path, bool]], ctx: ScanContext, included: set[str] | None = None
) -> tuple[Model, dict]:
    part = Model()
    addresses: dict[Path, set[str]] = {}
    for path, explicit in files:
        _load_data_file(path, explicit, ctx, part, addresses, included)
    return part, addresses


def _merge(
    model: Model, plan_addresses: dict[Path, set[str]], part: Model, addresses: dict
) -> None:
    model.extend(part)
    for directory, found in addresses.items():
        plan_addresses.setdefault(directory, set()).update(found)


def _guard(what: str, path: str, model: Model, fn, *args):
    """Run a front-end; an unexpected exception becomes a notice, never a traceback."""
    try:
        return fn(*args)
    except FatalError:  # bad input named by the user (a size, a price): exit 2
        raise
    except RecursionError:
        model.notices.append(
            Notice(path, f"{what}: input nested too deeply", kind=NoticeKind.PARSE_ERROR)
        )
    except Exception as exc:
        if _debug():
            raise
        model.notices.append(
            Notice(
                path,
                f"{what}: internal error ({type(exc).__name__}: {exc}); please report this",
                kind=INTERNAL_ERROR,
                level=Level.ERROR,
            )
        )
    return None


def _load_data_file(
    path: Path,
    explicit: bool,
    ctx: ScanContext,
    model: Model,
    plan_addresses: dict[Path, set[str]],
    included: set[str] | None = None,
) -> None:
    rel = ctx.rel(path)
    text = read_text(path, ctx)
    if isinstance(text, Notice):  # every file that could not be read is said
        model.notices.append(text)
        return
    if not any(m in text for m in _CANDIDATE_MARKERS):
        return
    # lazy: a front-end only for files of its kind (start-up)
    from ddb_guard.parse import yaml_loader

    load = yaml_loader.load_json if path.suffix == ".json" else yaml_loader.load_yaml
    loaded = _guard("reading", rel, model, load, text, rel)
    if loaded is None:
        return
    data, notice = loaded
    if notice is not None:
        if looks_like_iac(text):
            model.notices.append(notice)  # at level error it fails the gate (PARSE001)
        elif explicit:  # a Helm template, a CI config: skipped, never a failure
            model.notices.append(_not_iac(notice))
        if data is None:
            return
    if isinstance(data, dict) and "format_version" in data:
        # lazy: a front-end only for files of its kind (start-up)
        from ddb_guard.terraform import plan

        if plan.is_plan(data):
            load = plan.load_plan
            result = _guard("reading plan", rel, model, lambda: load(path, data, ctx, text=text))
            if result is not None:
                resources, notices = result
                model.notices.extend(notices)
                entities = _tf_entities(resources, rel, model)
                model.entities.extend(entities)
                plan_addresses.setdefault(path.parent.resolve(), set()).update(
                    without_keys(e.address) for e in entities
                )
                model.files.append(rel)
            return
    # lazy: a front-end only for files of its kind (start-up)
    from ddb_guard import cloudformation

    if cloudformation.sniff(path, data) is None:
        return
    load = cloudformation.load_with_includes
    result = _guard("reading template", rel, model, load, path, data, ctx, text)
    model.files.append(rel)
    if result is not None:
        entities, notices, files = result
        model.entities.extend(entities)
        model.notices.extend(notices)
        model.files.extend(files)
        if included is not None:
            included.update(files)


def _not_iac(notice: Notice) -> Notice:
    """A parse problem in a file that is not recognisably infrastructure code."""
    if notice.level != Level.ERROR:
        return notice
    return dataclasses.replace(
        notice,
        message=f"skipped (not recognisably CloudFormation or a plan): {notice.message}",
        level=Level.WARNING,
        kind=NoticeKind.SKIPPED,
    )


def _tf_entities(resources, rel: str, model: Model) -> list[Entity]:
    # lazy: a front-end only for files of its kind (start-up)
    from ddb_guard.terraform.to_model import to_entities

    return _guard("mapping Terraform resources", rel, model, to_entities, resources) or []


def _load_terraform(
    modules: dict[Path, set[Path] | None],
    ctx: ScanContext,
    model: Model,
    plan_addresses: dict[Path, set[str]],
    units: list[Path] | None = None,
) -> None:
    # lazy: a front-end only for files of its kind (start-up)
    from ddb_guard.terraform.load import load_terraform

    first = ctx.rel(next(iter(modules)) if modules else (units or [ctx.root])[0])
    result = _guard(
        "reading Terraform", first, model, load_terraform, modules, ctx, list(units or ())
    )
    if result is None:
        return
    resources, notices = result
    model.notices.extend(notices)
    for directory, files in modules.items():
        if files is None:
            model.files.extend(
                ctx.rel(p)
                for p in sorted(directory.iterdir())
                if p.name.endswith((".tf", ".tf.json"))
            )
        else:
            model.files.extend(ctx.rel(p) for p in sorted(files))
    model.files.extend(ctx.rel(p) for p in units or ())
    model.entities.extend(_tf_entities(resources, first, model))
    _drop_superseded(model, plan_addresses, ctx)


def _drop_superseded(model: Model, plan_addresses: dict[Path, set[str]], ctx: ScanContext) -> None:
    """A plan next to the configuration has the resolved values: it wins over the HCL.
    ``model`` holds only entities read from .tf/.tf.json files."""
    if not plan_addresses:
        return
    plan_dirs = {ctx.rel(d): addresses for d, addresses in plan_addresses.items()}

    def superseded(e: Entity) -> bool:
        if e.source != Source.TERRAFORM:
            return False
        where = Path((e.report_loc or e.loc).path).parent.as_posix()
        # plan addresses carry instance keys where the configuration's may not
        return without_keys(e.address) in plan_dirs.get(where, ())

    model.entities = [e for e in model.entities if not superseded(e)]


def scan(
    paths: list[Path], ctx: ScanContext, config: Config | None = None, enrich_settings=None
) -> ScanResult:
    """Scan ``paths`` and evaluate every enabled rule."""
    # lazy: `cost` imports this module and evaluates no rule
    from ddb_guard.engine.loader import load_rules
    from ddb_guard.engine.run import run_rules

    config = config or Config()
    every = load_rules()
    known_ids = {r.id for r in every}
    rules = config.apply(every)
    model = build_model(paths, ctx, config)
    enrich_model(model, ctx, config, enrich_settings)
    _hide_context_notices(model, ctx, enrich_settings)
    failures = fail_closed(model, rules)
    findings = run_rules(rules, model, known_ids, ctx.today)
    notices = sorted(set(model.notices))
    return ScanResult(
        findings=findings,
        notices=notices,
        rules=sorted(rules, key=lambda r: r.id),
        model=model,
        files=sorted(set(model.files)),
        parse_failures=sorted(set(failures)),
    )


def _hide_context_notices(model: Model, ctx: ScanContext, settings=None) -> None:
    """With files named (pre-commit), notices about files read only as context (a sibling
    ``.tf``, a module's files) are not shown: they are not what changed. Notices about the
    named files, input files (``--var-file``, size files), directories and the scan
    itself stay."""
    if model.report_paths is None:
        return
    shown = set(model.report_paths) | {ctx.rel(p) for p in ctx.tf_var_files}
    if settings is not None:
        shown |= {ctx.rel(p) for p in (*settings.describe_files, *settings.usage_files)}

    def visible(n: Notice) -> bool:
        if n.kind == INTERNAL_ERROR:  # a bug is always said (and exits 2)
            return True
        return not n.path or n.path in shown or not (ctx.root / n.path).is_file()

    model.notices = [n for n in model.notices if visible(n)]


def fail_closed(model: Model, rules) -> list[Notice]:
    """What ddb-guard could not read fails the gate: every parse-error notice at level
    ``error`` becomes a ``parse_error`` entity, which PARSE001 (rules/meta/PARSE001.yaml)
    reports like any finding, and leaves the notices. Returns the notices so converted
    (none when no enabled rule reads ``parse_error``: then they stay notices).

    Front-ends opt in by emitting ``Notice(..., level=Level.ERROR, kind=NoticeKind.PARSE_ERROR)``: a
    ``.tf`` file, a recognisable template or plan, an input file that cannot be read."""
    if not any(r.on == PARSE_ERROR for r in rules):
        return []
    failures = [
        n for n in model.notices if n.kind == NoticeKind.PARSE_ERROR and n.level == Level.ERROR
    ]
    if not failures:
        return []
    converted = set(failures)
    model.notices = [n for n in model.notices if n not in converted]
    for n in sorted(converted):
        loc = Location(n.path, max(n.line, 1), max(n.column, 1))
        model.entities.append(
            Entity(
                kind=PARSE_ERROR,
                address="",
                resource_type="",
                source="",
                loc=loc,
                attrs={"message": Value.of(n.message, loc), "file": Value.of(n.path, loc)},
            )
        )
    return failures


def enrich_model(model: Model, ctx: ScanContext, config: Config, settings=None) -> None:
    """Run enrichment (schedules, retention, coverage, sizes, cost) before the rules."""

    if settings is None:
        settings = EnrichSettings.from_config(config, ctx)
    _guard("estimating", "", model, enrich, model, settings)
