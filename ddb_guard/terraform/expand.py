"""Expansion in one module instance: the instances a ``count`` or ``for_each`` creates
(with ``count.index``/``each`` bound, or one representative instance whose existence
depends on inputs), and evaluated bodies with their ``dynamic`` blocks expanded (or, when
the blocks a ``dynamic`` creates depend on inputs, evaluated once as possible blocks)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ddb_guard.enums import Level, NoticeKind
from ddb_guard.model import Location, Notice, Value
from ddb_guard.terraform.evaluate import Scope, at, evaluate, known, unknown
from ddb_guard.terraform.functions import EvalError, to_int
from ddb_guard.terraform.hcl import Attribute, Block
from ddb_guard.terraform.resource import TfBlock
from ddb_guard.terraform.scope import expr_text, iterate

MAX_INSTANCES = 1000
META_ATTRS = frozenset(
    ("count", "for_each", "provider", "depends_on", "providers", "source", "version")
)
_ITERATION_UNKNOWN = re.compile(r"^.*\b(?:is|are) unknown: ")

Instance = tuple[Any, Scope, Value | None]
"""``(key, scope, exists)`` of one instance of a block (see :meth:`Expander.instances`)."""


def notice_at(loc: Location, message: str, level: Level = Level.WARNING) -> Notice:
    return Notice(loc.path, message, line=loc.line, column=loc.column, level=level)


def _because(what: str, reason: str) -> str:
    """Why instances are unknown: ``for_each depends on var.x, ...``; when the reason is
    itself an unknown iterator (``each.value is unknown: <cause>``), its cause alone."""
    cause = _ITERATION_UNKNOWN.sub("", reason)
    return cause if cause != reason else f"{what} {reason}"


class Expander:
    """Expands the blocks of one module instance. Problems go to ``notices``;
    ``input_defaults`` (a root variable's ``default`` location -> its name) tells zero
    instances decided by an input's default from zero instances the code decided."""

    def __init__(self, notices: list[Notice], input_defaults: Mapping[Location, str]) -> None:
        self.notices = notices
        self._input_defaults = input_defaults

    def eval_body(self, block: Block, scope: Scope) -> TfBlock:
        """A block's attributes and nested blocks evaluated in ``scope`` (``dynamic`` blocks
        expanded; meta-arguments left out)."""
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
        found = self._input_defaults
        return next((found[t] for t in v.trace if t in found), None)

    def instances(self, block: Block, scope: Scope, what: str) -> list[Instance]:
        """``(key, scope, exists)`` per instance: key None for a single or representative
        instance; ``exists`` is None, or an unknown Value when the instances depend on
        inputs (``count``/``for_each`` unknown, or zero only with a root variable's default).
        A literal ``count = 0`` or empty ``for_each`` yields nothing."""
        count, for_each = block.attrs.get("count"), block.attrs.get("for_each")
        if count is not None:
            return self._counted(count, scope, what)
        if for_each is not None:
            return self._for_each(for_each, scope, what)
        return [(None, scope, None)]

    def _counted(self, count: Attribute, scope: Scope, what: str) -> list[Instance]:
        """The instances of a ``count``."""
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
            self.notices.append(notice_at(count.loc, f"{what}: count is not a number ({exc})"))
            return [(None, scope, None)]
        name = self.input_default(v) if n <= 0 else None
        if name is not None:
            why = f"count is {n} with the default of var.{name}"
            index = unknown(f"count.index is unknown: {why}")
            return [(None, scope.bind(count=known({"index": index})), unknown(why, trace=v.trace))]
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
                notice_at(
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
        return [(i, scope.bind(count=known({"index": i}, v.trace)), None) for i in range(max(n, 0))]

    def _for_each(self, for_each: Attribute, scope: Scope, what: str) -> list[Instance]:
        """The instances of a ``for_each`` (map keys sorted, set elements as keys)."""
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
            self.notices.append(notice_at(for_each.loc, f"{what}: for_each is not a map or set"))
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
                notice_at(
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
