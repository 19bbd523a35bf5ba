"""Terraform fixes: where the value that decides a finding on a Terraform table or replica
is written, and the edit there.

- A table's or replica's own attribute: inserted (``point_in_time_recovery``,
  ``deletion_protection_enabled``) or its literal changed, also at the end of a chain of
  plain references (variable default, local, tfvars, Terragrunt ``inputs`` entry).
- A table made by a module call or a Terragrunt unit: the argument (input) of that call,
  never the module's source: a literal argument is changed; a value decided by a
  ``variable`` default of the called module gets the argument, with the variable's name; a
  modelled registry module gets its own input name (``point_in_time_recovery_enabled``).
  Anything else decided inside the module says "fix the source instead" and names the call.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Any

from ddb_guard.fix.edits import Edit, NotFixed, Unfixable, line_starts, span
from ddb_guard.model import REPLICA, TABLE, Entity, Finding, Location, Value
from ddb_guard.terraform import registry
from ddb_guard.terraform.address import Address

if TYPE_CHECKING:
    from ddb_guard.fix.terraform import Container, TfEdits

# the ddb_guard.fix.plan Planner and Plan (not imported: that module imports this one)
Planner = Any
Plan = Any

# attribute -> its name in a `replica` block / `aws_dynamodb_table_replica`
REPLICA_NAMES = {
    "pitr_enabled": "point_in_time_recovery",
    "deletion_protection": "deletion_protection_enabled",
}
# attribute -> where a table's module (registry model) reads it: (nested block, argument)
_TABLE_ARGS = {
    "pitr_enabled": ("point_in_time_recovery", "enabled"),
    "pitr_days": ("point_in_time_recovery", "recovery_period_in_days"),
    "deletion_protection": ("", "deletion_protection_enabled"),
}
_VAR = re.compile(r"^var\.([A-Za-z_][\w-]*)$")
_PLAIN = re.compile(r"""^(?:(?:var|local)\.[A-Za-z_][\w-]*)$""")


def fix_terraform(
    planner: Planner, f: Finding, entity: Entity, attr: str, value: Value, kind: str
) -> list[Edit]:
    """The edits that fix ``f`` (its ``attr`` is ``value``, not protective)."""
    if entity.report_loc is not None:
        return _module(planner, f, entity, attr, value, kind)
    if not value.default:
        return planner._flip(f, value, kind)
    return _insert(planner, f, entity, attr, kind)


def tf_file(planner: Planner, path: str) -> TfEdits:
    # lazy: the HCL editor only when a .tf file is fixed
    from ddb_guard.fix.terraform import TfEdits

    parsed = planner._parsed.get(path)
    if not isinstance(parsed, TfEdits):
        parsed = planner._parsed[path] = TfEdits(planner.text(path), path)
    return parsed


class Additions:
    """Lines added to blocks and objects, collected over every finding and spliced at the
    end, so that all the lines added to one block line up (``terraform fmt``'s ``=``
    alignment) and the re-alignment of their neighbours is one edit, not several."""

    def __init__(self) -> None:
        self.wanted: dict[tuple[str, int], list[tuple[Finding, TfEdits, Container, int]]] = {}
        self.lines: dict[int, tuple[str, str]] = {}

    @classmethod
    def of(cls, planner: Planner) -> Additions:
        for finish in planner.finishers:
            if isinstance(finish, Additions):
                return finish
        made = cls()
        planner.finishers.append(made)
        return made

    def want(
        self, f: Finding, tf: TfEdits, where: Container, line: int, name: str, value: str
    ) -> list[Edit]:
        key = (tf.path, where.header_row)
        self.wanted.setdefault(key, []).append((f, tf, where, line))
        self.lines[id(f)] = (name, value)
        return []

    def __call__(self, plan: Plan) -> None:
        for (path, _), wanted in self.wanted.items():
            names: list[str] = []
            for f, *_ in wanted:
                if self.lines[id(f)][0] not in names:
                    names.append(self.lines[id(f)][0])
            for f, tf, where, line in wanted:
                name, value = self.lines[id(f)]
                try:
                    splices = tf.add(where, name, value, names)
                except Unfixable as exc:
                    why = f"not fixed: {exc}"
                    plan.not_fixed.append(
                        NotFixed(f.loc.path, f.loc.line, f.rule_id, f.address, why)
                    )
                    continue
                last = len(splices) - 1
                for i, (s, e, new) in enumerate(splices):
                    # the splices that only re-align neighbours carry no description
                    what = f"added {name} = {value}" if i == last else ""
                    plan.add(Edit(path, s, e, new, line, f.rule_id, what), f)


def _insert(planner: Planner, f: Finding, entity: Entity, attr: str, kind: str) -> list[Edit]:
    path, line = entity.loc.path, entity.loc.line
    if not path.endswith(".tf"):
        raise Unfixable(f"{os.path.splitext(path)[1] or path} files are not fixed yet")
    tf = tf_file(planner, path)
    if entity.kind == TABLE and entity.resource_type == "aws_dynamodb_table":
        block = dict(tf.children(tf.block(line))).get("point_in_time_recovery")
        if attr == "pitr_enabled" and block is not None:  # the block is there: `enabled`
            return Additions.of(planner).want(f, tf, tf.body_of(block), line, "enabled", "true")
        if attr == "pitr_enabled":
            try:
                at, new, what = tf.insert_pitr(line)
            except Unfixable as exc:  # name the file: "at line 12" -> "at main.tf:12"
                raise Unfixable(str(exc).replace(" at line ", f" at {path}:")) from None
        elif attr == "deletion_protection":
            at, new, what = tf.insert_attribute(line, "deletion_protection_enabled")
        else:
            raise Unfixable(f"{attr} is not written; nothing to change")
        return [Edit(path, at, at, new, line, f.rule_id, what)]
    if entity.kind != REPLICA or attr not in REPLICA_NAMES:
        raise Unfixable(f"{entity.resource_type} is not fixed")
    where = tf.body_of(tf.block(line))
    return Additions.of(planner).want(f, tf, where, line, REPLICA_NAMES[attr], "true")


def _depth(address: str) -> int:
    return len(re.findall(r"(?:^|\.)module\.", address))


def _call_name(planner: Planner, call: Location) -> str:
    """``module "orders" at main.tf:12`` or ``Terragrunt unit live/prod/x/terragrunt.hcl``."""
    if call.path.endswith(".hcl"):
        return f"Terragrunt unit {call.path}"
    line = planner.text(call.path).splitlines()[call.line - 1 : call.line]
    head = line[0].split("{")[0].strip() if line else "module"
    return f"{head} at {call.path}:{call.line}"


def _module(
    planner: Planner, f: Finding, entity: Entity, attr: str, value: Value, kind: str
) -> list[Edit]:
    """A table (or replica) made by the module called at ``entity.report_loc``."""
    call = entity.report_loc
    assert call is not None
    unit = call.path.endswith(".hcl")
    direct = _depth(entity.address) == (0 if unit else 1)
    # a modelled registry module that is not downloaded is read at the call: no source
    module_dir = os.path.dirname(entity.loc.path) if entity.loc.path != call.path else None
    if value.default:
        return _module_default(planner, f, entity, attr, value, kind, direct)

    def inside(loc: Location) -> bool:
        if loc.path.endswith(".hcl"):
            return False
        if "/.terraform/" in f"/{loc.path}":
            return True
        return module_dir is not None and os.path.dirname(loc.path) == module_dir

    outside: list[Location] = []
    for loc in planner._candidates(f, value, kind):
        if loc.path == call.path and loc.line == call.line:
            continue  # the call itself (the finding is reported there)
        if not inside(loc):
            outside.append(loc)
            continue
        text = planner.text(loc.path)
        start, end = span(text, line_starts(text), loc)
        if _PLAIN.match(text[start:end].strip()):
            continue  # passed on inside the module
        # decided inside the module: a variable default becomes the call's argument
        name = tf_file(planner, loc.path).variable_of_default(loc.line, loc.column)
        if name is None or not direct or outside:
            raise Unfixable(
                f"not fixed: decided inside the module source at {loc.path}:{loc.line}; "
                f"fix the source instead ({_call_name(planner, call)})"
            )
        return _set_argument(planner, f, call, name, planner._literal(kind, ""))
    return planner._flip(f, value, kind, candidates=outside)


def _module_default(
    planner: Planner,
    f: Finding,
    entity: Entity,
    attr: str,
    value: Value,
    kind: str,
    direct: bool,
) -> list[Edit]:
    """The module leaves the attribute unset: a registry module's input, or an object of a
    list input (``replica_regions = [{ ... }]``), gets it; else fix the source."""
    call = entity.report_loc
    assert call is not None
    if entity.kind == REPLICA and value.loc is not None and value.loc.path == call.path:
        # an item of a list input written in the call (terraform-aws-modules replica_regions)
        tf = tf_file(planner, value.loc.path)
        region = re.search(r"\.replica\[([^\]*]+)\]$", entity.address)
        if region is None:
            raise Unfixable("the replica's region is not known")
        node = tf.node_at(value.loc.line, value.loc.column)
        where = tf.item_of(node, "region_name", region.group(1))
        name = REPLICA_NAMES[attr]
        return Additions.of(planner).want(f, tf, where, value.loc.line, name, "true")
    source = _registry_input(planner, entity, call, attr) if direct else None
    if source is None and entity.loc.path == call.path:  # a modelled registry module
        module = tf_file(planner, call.path).string_attribute(
            tf_file(planner, call.path).block(call.line), "source"
        )
        raise Unfixable(
            f"not fixed: {module or 'the module'} has no input for it; "
            f"fix the source instead ({_call_name(planner, call)})"
        )
    if source is None:
        where = f"{entity.loc.path}:{entity.loc.line}"
        raise Unfixable(
            f"not fixed: set by the module source ({where}), not by an input of the call; "
            f"fix the source instead ({_call_name(planner, call)})"
        )
    return _set_argument(planner, f, call, source, planner._literal(kind, ""))


def _registry_input(planner: Planner, entity: Entity, call: Location, attr: str) -> str | None:
    """The input of the modelled registry module called at ``call`` that sets ``attr`` of
    the table (``point_in_time_recovery_enabled``), from the module's model."""
    if entity.kind != TABLE or attr not in _TABLE_ARGS or not call.path.endswith(".tf"):
        return None

    tf = tf_file(planner, call.path)
    source = tf.string_attribute(tf.block(call.line), "source")
    module = registry.find(source) if source else None
    if module is None:
        return None
    # lazy: the HCL editor only when a .tf file is fixed
    from ddb_guard.fix.terraform import TfEdits

    model = TfEdits(module.resources)
    parsed = Address.parse(entity.address)
    resource = parsed.name if parsed is not None else entity.address
    nested, arg = _TABLE_ARGS[attr]
    for block in model.top_blocks():
        if model.labels(block) != ["aws_dynamodb_table", resource]:
            continue
        if nested:
            block = next((b for b in model.children(block) if b[0] == nested), (None, None))[1]
        expr = model.expression(block, arg) if block is not None else None
        m = _VAR.match(expr or "")
        return m.group(1) if m else None
    return None


def _set_argument(planner: Planner, f: Finding, call: Location, name: str, value: str):
    """``name = value`` in the module call (or the unit's ``inputs``); an argument already
    written there is a literal the scan did not see as deciding: left alone."""
    tf = tf_file(planner, call.path)
    if call.path.endswith(".hcl"):
        inputs = tf.attribute(None, "inputs")
        if inputs is None:
            at, new = tf.append_inputs(name, value)
            return [
                Edit(
                    call.path,
                    at,
                    at,
                    new,
                    call.line,
                    f.rule_id,
                    f"added inputs = {{ {name} = {value} }}",
                )
            ]
        where = tf.object_of(inputs)
        line = inputs.start_point[0] + 1
    else:
        block = tf.block(call.line)
        if tf.attribute(block, name) is not None:
            raise Unfixable(f"the call already sets {name}; its value is not a literal")
        where = tf.body_of(block)
        line = call.line
    return Additions.of(planner).want(f, tf, where, line, name, value)
