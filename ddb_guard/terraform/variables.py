"""The variables and locals of one module instance: ``var.x`` from a root's values
(``--var``, tfvars, ``TF_VAR_``), a module call's arguments or the declared ``default``
(``nullable``, ``optional()`` object attributes, primitive type conversion, ``sensitive``
redaction), and ``local.x`` evaluated once, in dependency order, with reference cycles
unknown."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ddb_guard.model import Location, Value
from ddb_guard.terraform.evaluate import JsonExpr, Scope, evaluate, unknown
from ddb_guard.terraform.functions import EvalError, to_bool, to_number, to_str
from ddb_guard.terraform.hcl import Attribute, Block, parse_expression
from ddb_guard.terraform.scope import expr_text

_LOCAL_REF = re.compile(r"\blocal\.([A-Za-z_][A-Za-z0-9_-]*)")


def type_of(block: Block) -> str:
    """A variable's ``type`` as written, without whitespace (``list(string)``)."""
    attr = block.attrs.get("type")
    if attr is None:
        return ""
    return re.sub(r"\s+", "", expr_text(attr))


def _type_node(block: Block) -> tuple[Any, Any] | None:
    """The tree-sitter node (and file) of a variable's ``type`` if it uses ``optional()``."""
    attr = block.attrs.get("type")
    if attr is None or "optional(" not in expr_text(attr):
        return None
    if isinstance(attr.expr, JsonExpr):
        parsed = parse_expression(expr_text(attr))
        return parsed
    return attr.expr, attr.file


def _unwrap(node: Any) -> Any:
    while node.type == "expression" and len(node.children) == 1:
        node = node.children[0]
    return node


def _call_parts(node: Any, file: Any) -> tuple[str, list[Any]] | None:
    node = _unwrap(node)
    if node.type != "function_call":
        return None
    args = next((c for c in node.children if c.type == "function_arguments"), None)
    exprs = [c for c in args.children if c.type == "expression"] if args is not None else []
    return file.text(node.children[0]), exprs


def apply_optional_defaults(value: Any, tnode: Any, file: Any, depth: int = 0) -> Any:
    """Fill ``optional(type, default)`` attributes of object types like Terraform does."""
    parts = _call_parts(tnode, file)
    if parts is None or depth > 30 or isinstance(value, Value):
        return value
    name, args = parts
    if not args:
        return value
    if name == "optional":
        return apply_optional_defaults(value, args[0], file, depth + 1)
    if name == "map" and isinstance(value, dict):
        return {k: apply_optional_defaults(v, args[0], file, depth + 1) for k, v in value.items()}
    if name in ("list", "set") and isinstance(value, list):
        return [apply_optional_defaults(v, args[0], file, depth + 1) for v in value]
    if name != "object" or not isinstance(value, dict):
        return value
    spec = _unwrap(args[0])
    if spec.type == "collection_value":
        spec = spec.children[0]
    out = dict(value)
    for elem in spec.children:
        if elem.type != "object_elem":
            continue
        exprs = [c for c in elem.children if c.type == "expression"]
        if len(exprs) != 2:
            continue
        key = file.text(exprs[0]).strip().strip('"')
        attr_type = exprs[1]
        inner = _call_parts(attr_type, file)
        if key not in out or out[key] is None:
            if inner is not None and inner[0] == "optional" and len(inner[1]) > 1:
                d = evaluate(inner[1][1], file, Scope(None))
                out[key] = apply_optional_defaults(
                    d.value if d.unknown is None else d, inner[1][0], file, depth + 1
                )
            elif inner is not None and inner[0] == "optional":
                out[key] = None
        else:
            out[key] = apply_optional_defaults(out[key], attr_type, file, depth + 1)
    return out


def redact(value: Any, name: str) -> Any:
    """``value`` with every string in it (map values, not keys) replaced by ``name``."""
    if isinstance(value, str):
        return name
    if isinstance(value, list):
        return [redact(v, name) for v in value]
    if isinstance(value, dict):
        return {k: redact(v, name) for k, v in value.items()}
    return value


def convert(value: Value, type_text: str) -> Value:
    """Convert a known value to a primitive variable type (string/number/bool) like Terraform."""
    if (
        value.unknown is not None
        or value.value is None
        or type_text not in ("string", "number", "bool")
    ):
        return value
    try:
        if type_text == "string":
            v: Any = to_str(value.value)
        elif type_text == "number":
            v = to_number(value.value)
        else:
            v = to_bool(value.value)
    except EvalError:
        return value
    return Value(v, value.loc, None, value.default, value.trace, value.refs)


def _is_zero(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and not value) or value == ""


class Variables:
    """``var.*`` and ``local.*`` of one module instance (each evaluated once)."""

    def __init__(
        self,
        declared: dict[str, Block],
        locals_: dict[str, Attribute],
        scope: Scope,
        *,
        registry_defaults: dict[str, Value] | None = None,
        root_values: dict[str, Value] | None = None,
        inputs: dict[str, Callable[[], Value]] | None = None,
        input_defaults: dict[Location, str] | None = None,
    ) -> None:
        self._declared = declared  # variable blocks by name
        self._local_attrs = locals_
        self._scope = scope  # where locals are evaluated
        self._registry_defaults = registry_defaults or {}  # a modelled registry module's
        self._root_values = root_values  # a root module's values (None in a module call)
        self._inputs = inputs  # a module call's arguments, evaluated on demand
        # where an "off" default of a root variable decided a value is recorded here, so
        # zero instances are judged "when created" (None: defaults are configuration)
        self._input_defaults = input_defaults
        self._vars: dict[str, Value] = {}
        self._locals: dict[str, Value] = {}
        self._busy: set[str] = set()

    def var(self, name: str) -> Value:
        """``var.<name>`` (evaluated once)."""
        hit = self._vars.get(name)
        if hit is None:
            hit = self._var(name)
            self._vars[name] = hit
        return hit

    def _var(self, name: str) -> Value:
        block = self._declared.get(name)
        if block is None and name not in self._registry_defaults:
            return unknown(f"refers to var.{name}, which is not declared")
        type_text = type_of(block) if block is not None else ""
        value: Value | None = None
        if self._root_values is not None and name in self._root_values:
            value = self._root_values[name]
        elif self._inputs is not None and name in self._inputs:
            value = self._inputs[name]()
        if value is not None and value.unknown is None and value.value is None and block:
            nullable = block.attrs.get("nullable")
            if nullable is not None and expr_text(nullable) == "false":
                value = None
        if value is None:
            if block is not None and "default" in block.attrs:
                attr = block.attrs["default"]
                d = evaluate(attr.expr, attr.file, Scope(None))
                value = Value(d.value, None, d.unknown, False, (attr.loc,), d.refs)
                found = self._input_defaults
                if found is not None and d.unknown is None and _is_zero(d.value):
                    # an "off" default ([], {}, false, 0, "", null) that can leave nothing
                    # created; other defaults do not make existence depend on inputs
                    found[attr.loc] = name
            elif block is None:
                value = self._registry_defaults[name]
            else:
                return unknown(f"depends on var.{name}, which has no default")
        if block is not None and value.unknown is None and value.value is not None:
            tnode = _type_node(block)
            if tnode is not None:
                try:
                    filled = apply_optional_defaults(value.value, tnode[0], tnode[1])
                except EvalError:
                    filled = value.value
                value = Value(filled, value.loc, None, value.default, value.trace, value.refs)
        value = convert(value, type_text)
        sensitive = block.attrs.get("sensitive") if block is not None else None
        if sensitive is not None and expr_text(sensitive) == "true" and value.unknown is None:
            # never printed: every string in it becomes the variable's name
            value = replace(value, value=redact(value.value, f"var.{name} (sensitive)"))
        return value

    def local(self, name: str) -> Value:
        """``local.<name>`` (evaluated once; a reference cycle is unknown)."""
        hit = self._locals.get(name)
        if hit is not None:
            return hit
        if name not in self._local_attrs:
            return unknown(f"refers to local.{name}, which is not defined")
        if name in self._busy:
            return unknown(f"local.{name} refers to itself")
        for n, cycle in self._local_order(name):
            if n in self._locals:
                continue
            if cycle:
                self._locals[n] = unknown(
                    f"local.{n} refers to itself"
                    if len(cycle) <= 2
                    else f"local.{n} is part of a reference cycle "
                    f"({' -> '.join('local.' + c for c in cycle)})"
                )
                continue
            attr = self._local_attrs[n]
            self._busy.add(n)
            try:
                v = evaluate(attr.expr, attr.file, self._scope)
            finally:
                self._busy.discard(n)
            self._locals[n] = Value(v.value, None, v.unknown, False, (attr.loc, *v.trace), v.refs)
        return self._locals[name]

    def _deps(self, name: str) -> list[str]:
        attr = self._local_attrs[name]
        if isinstance(attr.expr, JsonExpr):
            text = repr(attr.expr.value)
        elif attr.file is not None:
            text = attr.file.text(attr.expr)
        else:
            text = ""
        return [d for d in dict.fromkeys(_LOCAL_REF.findall(text)) if d in self._local_attrs]

    def _local_order(self, name: str) -> list[tuple[str, list[str] | None]]:
        """Locals to evaluate (dependencies first), each with its cycle if it is in one."""
        order: list[tuple[str, list[str] | None]] = []
        state: dict[str, int] = {name: 1}
        cycles: dict[str, list[str]] = {}
        stack: list[tuple[str, Any]] = [(name, iter(self._deps(name)))]
        while stack:
            n, it = stack[-1]
            for d in it:
                if d in self._locals:
                    continue
                st = state.get(d)
                if st == 1:
                    nodes = [s[0] for s in stack]
                    loop = nodes[nodes.index(d) :]
                    for i, m in enumerate(loop):
                        cycles.setdefault(m, [*loop[i:], *loop[:i], m])
                    continue
                if st == 2:
                    continue
                state[d] = 1
                stack.append((d, iter(self._deps(d))))
                break
            else:
                stack.pop()
                state[n] = 2
                order.append((n, None))
        return [(n, cycles.get(n)) for n, _ in order]
