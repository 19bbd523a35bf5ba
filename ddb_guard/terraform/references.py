"""What a name in a Terraform expression refers to: ``var.``/``local.`` (asked of the
module instance), ``each``/``count`` outside their blocks, ``path.module``, ``terraform.``,
``self``, ``data.``, ``module.`` outputs and resource attributes."""

from __future__ import annotations

from typing import Any

from ddb_guard.model import Value
from ddb_guard.terraform.functions import EvalError
from ddb_guard.terraform.scope import Scope, known, unknown


def resolve(name: str, steps: list[tuple[str, Any]], sc: Scope) -> tuple[Value, int]:
    """Resolve a reference ``name`` + leading ``steps``; returns the value and steps used."""
    ctx = sc.ctx
    first = steps[0][1] if steps and steps[0][0] == "attr" else None
    if name in ("var", "local"):
        if first is None:
            raise EvalError(f"{name} must be followed by a name")
        if ctx is None:
            return unknown(f"depends on {name}.{first}, which is not available here"), 1
        return (ctx.var(first) if name == "var" else ctx.local(first)), 1
    if name == "each":
        return unknown(f"each.{first or 'value'} is used outside a for_each"), 1
    if name == "count":
        return unknown("count.index is used outside a counted resource"), 1
    if name == "path":
        if first == "module" and ctx is not None:
            return known(ctx.path_module), 1
        return known("."), 1
    if name == "terraform":
        return unknown(f"depends on terraform.{first} (chosen when Terraform runs)"), 1
    if name == "self":
        return unknown("depends on self (known only after apply)"), len(steps)
    if name == "data":
        resolved = ctx.data_ref(steps) if ctx is not None else None
        if resolved is not None:
            return resolved, 3
        parts = [s[1] for s in steps[:3] if s[0] == "attr"]
        addr = "data." + ".".join(parts[:2])
        prefix = ctx.prefix if ctx is not None else ""
        return unknown(
            f"depends on {addr} (known only after apply)",
            refs=(prefix + "data." + ".".join(parts),),
        ), len(steps)
    if name == "module":
        if ctx is None or first is None:
            return unknown("depends on a module output"), len(steps)
        return ctx.module_ref(steps)
    if first is not None and "_" in name and ctx is not None:
        return ctx.resource_ref(name, steps)
    if ctx is None:
        return unknown(f"depends on {name}, which is not available here"), len(steps)
    return unknown(f"refers to {name}, which is not defined here"), len(steps)
