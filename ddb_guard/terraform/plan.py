"""Terraform plan JSON (``terraform show -json plan.out``) -> :class:`TfResource`.

Values come from ``resource_changes[].change.after`` (what Terraform will apply);
``after_unknown`` marks values "known only after apply". Only managed ``aws_dynamodb_*`` /
``aws_backup_*`` resources are read; delete-only changes are skipped. Without
``resource_changes`` the ``planned_values`` tree is read instead (no unknown markers).

*Written or default.* ``configuration`` lists the expressions the user wrote. An attribute
or nested block that is not there (nor a ``dynamic`` block of that type in the source) is
a provider-computed value: it is kept with ``default=True`` and no location, so rules can
tell "turns PITR off" from "does not set PITR". An unknown value that is not written is
dropped (to_model then uses the provider default). Set-typed nested blocks (``rule``,
``copy_action``) are ordered differently in the plan and in the source, so the written
keys of all blocks of one type are merged.

*Locations.* A plan has none. When the ``.tf`` files are next to the plan (or a
:class:`~ddb_guard.terraform.plan_source.SourceIndex` is given) a resource points at its
``resource "type" "name" {`` header, its attributes and nested blocks at their lines, and
resources in modules get the module call sites; in-source ``# ddb-guard:ignore RULE
reason`` comments (inside the block or on the lines just above it) become suppressions,
read by the same parser as in the HCL front-end. Otherwise a resource points at the
``"address": "..."`` entry of ``resource_changes`` in the plan file (line 1 at worst).

*Region*: the resource's own ``region`` value (AWS provider v6), else the provider
configuration of the resource (``aws`` / ``aws.alias``, inherited from enclosing modules
when the module has no provider block): ``region`` as a constant or as a root variable
(``variables``); otherwise unknown with the reason.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

from ddb_guard.context import ScanContext
from ddb_guard.enums import Level, NoticeKind
from ddb_guard.model import Location, Notice, Value
from ddb_guard.parse.source import read_text
from ddb_guard.terraform.address import Address
from ddb_guard.terraform.plan_source import SourceIndex, SrcBlock
from ddb_guard.terraform.resource import TfBlock, TfResource

ORIGIN = "plan"
AFTER_APPLY = "known only after apply"
_TYPES = re.compile(r"aws_(dynamodb|backup)_[a-z0-9_]+")
_SKIP_ACTIONS = frozenset({"delete", "forget"})
# nested block used to locate one of several blocks of a type in the source
_KEY_ATTRS = {"rule": "rule_name", "replica": "region_name", "copy_action": "destination_vault_arn"}


def is_plan(data: object) -> bool:
    """A plan document: a dict with ``format_version`` and ``planned_values`` or
    ``resource_changes``."""
    return (
        isinstance(data, dict)
        and "format_version" in data
        and ("planned_values" in data or "resource_changes" in data)
    )


# ---------------------------------------------------------------------------------------
# loading


class _Malformed(Exception):
    """A shape error in the plan; becomes a Notice."""


def load_plan_file(path: Path, ctx: ScanContext) -> tuple[list[TfResource], list[Notice]]:
    """Read, decode and load a plan file; every failure is a Notice."""

    text = read_text(path, ctx)
    if isinstance(text, Notice):
        return [], [text]
    try:
        data = json.loads(text)
    except ValueError as exc:
        line, col = getattr(exc, "lineno", 0), getattr(exc, "colno", 0)
        msg = f"Terraform plan is not valid JSON: {getattr(exc, 'msg', exc)}"
        return [], [Notice(ctx.rel(path), msg, line, col, Level.ERROR, NoticeKind.PARSE_ERROR)]
    except RecursionError:
        return [], [
            Notice(
                ctx.rel(path),
                "Terraform plan is nested too deeply",
                1,
                0,
                Level.ERROR,
                NoticeKind.PARSE_ERROR,
            )
        ]
    return load_plan(path, data, ctx, text=text)


def load_plan(
    path: Path,
    data: dict,
    ctx: ScanContext,
    source_index: SourceIndex | None = None,
    *,
    text: str | None = None,
) -> tuple[list[TfResource], list[Notice]]:
    """The DynamoDB / AWS Backup resources of a parsed plan, and notices.

    ``source_index`` locates resources in ``.tf`` files; when None, one is built from the
    ``.tf`` files in the plan's directory (and the module directories it calls). ``text``
    is the plan file's text if the caller has it (used to locate resources in the plan).
    Never raises on bad input: a malformed plan gives a Notice naming the file.
    """
    rel = ctx.rel(path)
    if not is_plan(data):
        return [], [
            Notice(
                rel,
                "not a Terraform plan (no format_version and planned_values/resource_changes)",
                1,
                0,
                Level.ERROR,
                NoticeKind.PARSE_ERROR,
            )
        ]
    try:
        loader = _PlanLoader(path, rel, data, ctx, source_index, text)
        resources = loader.load()
    except _Malformed as exc:
        return [], [
            Notice(
                rel, f"malformed Terraform plan: {exc}", 1, 0, Level.ERROR, NoticeKind.PARSE_ERROR
            )
        ]
    except RecursionError:
        return [], [
            Notice(
                rel,
                "malformed Terraform plan: nested too deeply",
                1,
                0,
                Level.ERROR,
                NoticeKind.PARSE_ERROR,
            )
        ]
    return resources, loader.notices


def _dict(value: object, what: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _Malformed(f"{what} is a {type(value).__name__}, not an object")
    return value


def _list(value: object, what: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _Malformed(f"{what} is a {type(value).__name__}, not a list")
    return value


def _refs(expr: object, prefix: str) -> tuple[str, ...]:
    """Resource references of a configuration expression, most specific only, made absolute
    with the module ``prefix`` of the resource (``module.b["prod"].``)."""
    if not isinstance(expr, dict):
        return ()
    raw = expr.get("references")
    if not isinstance(raw, list):
        return ()
    refs = [r for r in raw if isinstance(r, str) and Address.parse(r) is not None]
    return tuple(
        prefix + r for r in refs if not any(o != r and o.startswith(r + ".") for o in refs)
    )


def _merge_exprs(value: object) -> dict | None:
    """The configuration of nested blocks of one type (a list of expression maps), merged."""
    if not isinstance(value, list):
        return None
    merged: dict = {}
    for item in value:
        if isinstance(item, dict):
            for k, v in item.items():
                old = merged.get(k)
                if isinstance(old, list) and isinstance(v, list):
                    merged[k] = old + v  # nested blocks: keep every block's written keys
                else:
                    merged.setdefault(k, v)
    return merged


def _match_conf(
    btype: str, item: dict, index: int, exprs: object, count: int, merged: dict | None
) -> dict | None:
    """The written configuration of one planned nested block: the configured block with
    the same key literal (``rule_name``, ``region_name``), else the one at the same position
    when the counts agree and the type has no key, else all blocks of the type merged."""
    if merged is None or not isinstance(exprs, list):
        return merged
    key = _KEY_ATTRS.get(btype)
    if key is not None:
        for e in exprs:
            k = e.get(key) if isinstance(e, dict) else None
            if (
                isinstance(k, dict)
                and "constant_value" in k
                and k["constant_value"] == item.get(key)
            ):
                return _merge_exprs([e]) or {}
    elif len(exprs) == count and isinstance(exprs[index], dict):
        return _merge_exprs([exprs[index]]) or {}
    return merged


def _is_block_expr(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, dict) for v in value)


def _is_block_value(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _has_unknown(mark: object) -> bool:
    if mark is True:
        return True
    if isinstance(mark, dict):
        return any(_has_unknown(v) for v in mark.values())
    if isinstance(mark, list):
        return any(_has_unknown(v) for v in mark)
    return False


class _PlanLoader:
    def __init__(
        self,
        path: Path,
        rel: str,
        data: dict,
        ctx: ScanContext,
        source_index: SourceIndex | None,
        text: str | None,
    ) -> None:
        self.path, self.rel, self.data, self.ctx = path, rel, data, ctx
        self.notices: list[Notice] = []
        self.config = _dict(data.get("configuration"), "configuration")
        self.providers = _dict(self.config.get("provider_config"), "configuration.provider_config")
        self.variables = _dict(data.get("variables"), "variables")
        self._source = source_index
        self._text = text
        self._address_lines: dict[str, Location] | None = None
        self.prefix = ""  # module prefix of the resource being read

    # -- lazily built lookups --------------------------------------------------------

    @property
    def source(self) -> SourceIndex:
        if self._source is None:
            self._source = SourceIndex.build(self.path.parent, self.ctx, self.config)
            self.notices.extend(self._source.notices)
        return self._source

    def plan_loc(self, address: str) -> Location:
        """The ``"address": "<address>"`` entry of resource_changes in the plan file."""
        if self._address_lines is None:
            self._address_lines = {}
            text = self._text
            if text is None:
                got = read_text(self.path, self.ctx)
                text = got if isinstance(got, str) else ""
            start = text.find('"resource_changes"')
            if start < 0:
                start = 0
            line, line_start, last = 1, 0, start
            line += text.count("\n", 0, start)
            line_start = text.rfind("\n", 0, start) + 1
            for m in re.finditer(r'"address"\s*:\s*("(?:[^"\\]|\\.)*")', text[start:]):
                pos = start + m.start()
                nl = text.count("\n", last, pos)
                if nl:
                    line += nl
                    line_start = text.rfind("\n", 0, pos) + 1
                last = pos
                try:
                    addr = json.loads(m.group(1))
                except ValueError:
                    continue
                col = pos - line_start + 1
                self._address_lines.setdefault(
                    addr, Location(self.rel, line, col, line, col + len(m.group(0)))
                )
        return self._address_lines.get(address) or Location(self.rel, 1, 1)

    def config_resource(self, names: list[str], rtype: str, rname: str) -> dict | None:
        module: object = self.config.get("root_module")
        for name in names:
            calls = module.get("module_calls") if isinstance(module, dict) else None
            call = calls.get(name) if isinstance(calls, dict) else None
            module = call.get("module") if isinstance(call, dict) else None
        resources = module.get("resources") if isinstance(module, dict) else None
        for r in resources if isinstance(resources, list) else []:
            if (
                isinstance(r, dict)
                and r.get("type") == rtype
                and r.get("name") == rname
                and r.get("mode", "managed") == "managed"
            ):
                return r
        return None

    # -- region ------------------------------------------------------------------------

    def region(self, after: dict, conf: dict | None, names: list[str], loc: Location) -> Value:
        own = after.get("region")
        if isinstance(own, str) and own:
            return Value.of(own, loc)
        key = conf.get("provider_config_key") if conf else None
        if not isinstance(key, str) or not key:
            key = "aws"
        module_part, _, provider = key.rpartition(":")
        candidates = [key]
        if "." not in provider:  # the default provider is inherited from enclosing modules
            path = names[:]
            while path:
                path.pop()
                mod = ".".join(f"module.{n}" for n in path)
                candidates.append(f"{mod}:{provider}" if mod else provider)
        for cand in candidates:
            pc = self.providers.get(cand)
            if not isinstance(pc, dict) or not isinstance(pc.get("expressions"), dict):
                continue
            return self._region_expr(pc, cand, loc)
        where = f"provider {provider}" + (f" of {module_part}" if module_part else "")
        return Value.unknown_because(
            f"{where} has no region in the configuration (it comes from the environment)", loc
        )

    def _region_expr(self, pc: dict, key: str, loc: Location) -> Value:
        expr = pc["expressions"].get("region")
        if not isinstance(expr, dict):
            return Value.unknown_because(
                f"provider {key} sets no region (it comes from the environment)", loc
            )
        if isinstance(expr.get("constant_value"), str):
            return Value.of(expr["constant_value"], loc)
        refs = expr.get("references")
        refs = [r for r in refs if isinstance(r, str)] if isinstance(refs, list) else []
        var_refs = [r for r in refs if r.startswith("var.")]
        if len(refs) == 1 and len(var_refs) == 1 and not pc.get("module_address"):
            var = self.variables.get(var_refs[0][4:])
            value = var.get("value") if isinstance(var, dict) else None
            if isinstance(value, str):
                return Value.of(value, loc)
        shown = ", ".join(refs) or "an expression"
        return Value.unknown_because(f"provider {key} region depends on {shown}", loc)

    # -- values --------------------------------------------------------------------------

    def block(
        self,
        btype: str,
        loc: Location,
        values: dict,
        unknown: object,
        conf: dict | None,
        src: SrcBlock | None,
        defaulted: bool = False,
    ) -> TfBlock:
        """A TfBlock from plan values. ``conf`` is the written configuration of this block
        (None when not known: everything counts as written); ``defaulted``: the whole
        block is provider-computed."""
        unknown_map = unknown if isinstance(unknown, dict) else {}
        out = TfBlock(btype, loc)
        keys = list(values)
        keys.extend(k for k in unknown_map if k not in values)
        for key in keys:
            if not isinstance(key, str):
                continue
            val = values.get(key)
            mark = True if unknown is True else unknown_map.get(key)
            expr = conf.get(key) if conf is not None else None
            dynamic = src is not None and src.is_dynamic(key)
            written = not defaulted and (conf is None or key in conf or dynamic)
            block_like = (
                _is_block_expr(expr) or dynamic or (src is not None and bool(src.children(key)))
            )
            if mark is True:
                if not written:
                    continue
                why = Value.unknown_because(
                    AFTER_APPLY, self.attr_loc(src, key, loc), refs=_refs(expr, self.prefix)
                )
                if block_like or (isinstance(val, list) and _is_block_value(val)):
                    out.unknown_blocks[key] = why
                else:
                    out.attrs[key] = why
                continue
            if _is_block_value(val):
                child_conf = (
                    None if dynamic or conf is None or not written else _merge_exprs(expr) or {}
                )
                srcs = src.children(key) if src is not None else []
                marks = mark if isinstance(mark, list) else []
                blocks = []
                for i, item in enumerate(val):
                    child_src = self.match_src(key, item, i, srcs, len(val))
                    child_loc = child_src.loc if child_src is not None else loc
                    blocks.append(
                        self.block(
                            key,
                            child_loc,
                            item,
                            marks[i] if i < len(marks) else None,
                            _match_conf(key, item, i, expr, len(val), child_conf),
                            child_src,
                            defaulted=not written,
                        )
                    )
                out.blocks[key] = blocks
                continue
            if val is None:
                continue  # null: not set, to_model uses the provider default
            if _has_unknown(mark):
                if written:
                    out.attrs[key] = Value.unknown_because(
                        f"partly {AFTER_APPLY}",
                        self.attr_loc(src, key, loc),
                        refs=_refs(expr, self.prefix),
                    )
                continue
            if written:
                out.attrs[key] = Value(
                    val, self.attr_loc(src, key, loc), refs=_refs(expr, self.prefix)
                )
            else:
                out.attrs[key] = Value(val, None, default=True)
        return out

    @staticmethod
    def attr_loc(src: SrcBlock | None, key: str, fallback: Location) -> Location:
        if src is not None and key in src.attrs:
            return src.attrs[key][0]
        return fallback

    @staticmethod
    def match_src(
        btype: str, item: dict, index: int, srcs: list[SrcBlock], count: int
    ) -> SrcBlock | None:
        """The source block of one planned nested block: by its key attribute's literal,
        else by position when the counts agree, else the only one / a dynamic block."""
        if not srcs:
            return None
        key = _KEY_ATTRS.get(btype)
        if key is not None and isinstance(item.get(key), str):
            literal = json.dumps(item[key])
            for s in srcs:
                if key in s.attrs and s.attrs[key][1].startswith(literal):
                    return s
        if len(srcs) == count:
            return srcs[index]
        return srcs[0] if len(srcs) == 1 else None

    def plain_block(self, btype: str, loc: Location, values: dict) -> TfBlock:
        """``change.before``: known state values, no locations."""
        out = TfBlock(btype, loc)
        for key, val in values.items():
            if not isinstance(key, str) or val is None:
                continue
            if _is_block_value(val):
                out.blocks[key] = [self.plain_block(key, loc, v) for v in val]
            else:
                out.attrs[key] = Value.of(val)
        return out

    # -- resources -----------------------------------------------------------------------

    def entries(self) -> Iterator[tuple[dict, dict, object, dict | None, list]]:
        """(entry, after, after_unknown, before, actions) of each relevant change."""
        changes = self.data.get("resource_changes")
        if changes is None:
            yield from self.planned_entries()
            return
        for i, rc in enumerate(_list(changes, "resource_changes")):
            if not isinstance(rc, dict):
                raise _Malformed(f"resource_changes[{i}] is not an object")
            if rc.get("mode", "managed") != "managed":
                continue
            rtype = rc.get("type")
            if not isinstance(rtype, str) or not _TYPES.fullmatch(rtype):
                continue
            change = _dict(rc.get("change"), f"resource_changes[{i}].change")
            actions = _list(change.get("actions"), f"resource_changes[{i}].change.actions")
            actions = [a for a in actions if isinstance(a, str)]
            if actions and set(actions) <= _SKIP_ACTIONS:
                continue
            after = change.get("after")
            if after is None:
                continue
            after = _dict(after, f"resource_changes[{i}].change.after")
            before = change.get("before")
            before = before if isinstance(before, dict) else None
            yield rc, after, change.get("after_unknown"), before, actions

    def planned_entries(self) -> Iterator[tuple[dict, dict, object, dict | None, list]]:
        planned = _dict(self.data.get("planned_values"), "planned_values")
        stack = [_dict(planned.get("root_module"), "planned_values.root_module")]
        depth = 0
        while stack and depth < 10000:
            depth += 1
            module = stack.pop()
            for i, r in enumerate(_list(module.get("resources"), "planned_values resources")):
                if not isinstance(r, dict):
                    raise _Malformed(f"planned_values resource {i} is not an object")
                rtype = r.get("type")
                if r.get("mode", "managed") != "managed" or not isinstance(rtype, str):
                    continue
                if _TYPES.fullmatch(rtype):
                    yield r, _dict(r.get("values"), f"{r.get('address')}.values"), None, None, []
            for child in reversed(_list(module.get("child_modules"), "child_modules")):
                stack.append(_dict(child, "child module"))

    def load(self) -> list[TfResource]:
        out: list[TfResource] = []
        for rc, after, after_unknown, before, actions in self.entries():
            address, rtype, rname = rc.get("address"), rc.get("type"), rc.get("name")
            if not all(isinstance(x, str) and x for x in (address, rtype, rname)):
                self.notices.append(
                    Notice(
                        self.rel,
                        f"skipped a {rtype} change without address/type/name",
                        1,
                        0,
                        Level.WARNING,
                        NoticeKind.NOTICE,
                    )
                )
                continue
            out.append(self.resource(address, rtype, rname, after, after_unknown, before, actions))
        return out

    def resource(
        self,
        address: str,
        rtype: str,
        rname: str,
        after: dict,
        after_unknown: object,
        before: dict | None,
        actions: list,
    ) -> TfResource:
        parsed = Address.parse(address)
        self.prefix = parsed.module_prefix if parsed is not None else ""
        names = list(parsed.module_names) if parsed is not None else []
        conf_address = "".join(f"module.{n}." for n in names) + f"{rtype}.{rname}"
        src = self.source.blocks.get(conf_address)
        plan_loc = self.plan_loc(address)
        loc = src.loc if src is not None else plan_loc
        conf = self.config_resource(names, rtype, rname)
        exprs = conf.get("expressions") if isinstance(conf, dict) else None
        body = self.block(
            "resource",
            loc,
            after,
            after_unknown,
            exprs if isinstance(exprs, dict) else None,
            src,
        )
        body.labels = (rtype, rname)
        call_sites: list[Location] = []
        for i in range(1, len(names) + 1):
            site = self.source.modules.get(".".join(f"module.{n}" for n in names[:i]))
            if site is None:
                break
            call_sites.append(site)
        related = [(plan_loc, "planned change")] if src is not None else []
        keep_before = before is not None and (
            "update" in actions or ("delete" in actions and "create" in actions)
        )
        return TfResource(
            address=address,
            type=rtype,
            name=rname,
            body=body,
            region=self.region(after, conf, names, loc),
            module_path=tuple(names),
            call_sites=tuple(call_sites),
            suppressions=list(src.suppressions) if src is not None else [],
            origin=ORIGIN,
            related=related,
            before=self.plain_block("resource", loc, before) if keep_before and before else None,
        )
