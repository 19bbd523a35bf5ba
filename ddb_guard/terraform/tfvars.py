"""Root-module variable values, in Terraform's precedence order.

Lowest to highest: ``TF_VAR_name`` environment variables, ``terraform.tfvars``,
``terraform.tfvars.json``, ``*.auto.tfvars`` / ``*.auto.tfvars.json`` (lexical order),
then ``--var-file`` files and ``--var NAME=VALUE`` options in order. Variable defaults
(lowest of all) are applied by the module instance. Every value carries the location it
came from in its ``trace`` (none for environment and command-line values).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ddb_guard.context import ScanContext
from ddb_guard.enums import Level, NoticeKind
from ddb_guard.model import Notice, Value
from ddb_guard.parse.source import read_text
from ddb_guard.terraform.evaluate import Scope, evaluate
from ddb_guard.terraform.hcl import parse_expression, parse_hcl
from ddb_guard.terraform.tfjson import JsonSyntaxError, Positions, json_notice, parse_json


def read_tfvars(path: Path, ctx: ScanContext) -> tuple[dict[str, Value], list[Notice]]:
    """Values of one ``.tfvars`` / ``.tfvars.json`` file (never raises)."""
    text = read_text(path, ctx)
    if isinstance(text, Notice):
        return {}, [text]
    rel = ctx.rel(path)
    values: dict[str, Value] = {}
    if path.name.endswith(".json"):
        try:
            root = parse_json(text)
        except JsonSyntaxError as exc:
            return {}, [json_notice(rel, text, exc)]
        except RecursionError:
            return {}, [
                Notice(
                    rel, "JSON is nested too deeply", level=Level.ERROR, kind=NoticeKind.PARSE_ERROR
                )
            ]
        if root.kind != "object":
            return {}, [
                Notice(
                    rel,
                    "a .tfvars.json file must hold a JSON object",
                    line=1,
                    level=Level.ERROR,
                    kind=NoticeKind.PARSE_ERROR,
                )
            ]
        pos = Positions(rel, text)
        for key, kstart, node in root.items:
            values[key] = Value(node.plain(), None, None, False, (pos.loc(kstart, node.end),))
        return values, []
    parsed = parse_hcl(text, rel)
    notices = list(parsed.notices)
    for block in parsed.blocks:
        notices.append(
            Notice(
                rel,
                f"unexpected block {block.type!r} in a variables file",
                line=block.loc.line,
                column=block.loc.column,
            )
        )
    for name, attr in parsed.attrs.items():
        v = evaluate(attr.expr, attr.file, Scope(None))
        values[name] = Value(v.value, None, v.unknown, False, (attr.name_loc or attr.loc,), v.refs)
    return values, notices


_LITERAL_NODES = frozenset(
    {
        "expression",
        "literal_value",
        "string_lit",
        "numeric_lit",
        "bool_lit",
        "null_lit",
        "true",
        "false",
        "null",
        "collection_value",
        "tuple",
        "object",
        "object_elem",
        "object_start",
        "object_end",
        "[",
        "]",
        "{",
        "}",
        "tuple_start",
        "tuple_end",
        "quoted_template",
        "template_expr",
        "quoted_template_start",
        "quoted_template_end",
        "template_literal",
        "escape_sequence",
        "identifier",
        "=",
        ":",
        ",",
        "-",
        "unary_operation",
        "operation",
    }
)


def _is_literal(node: Any) -> bool:
    """Only literal values (numbers, strings, bools, null, lists and maps of them; a bare
    map key): like Terraform, no functions, references, operators or templates."""
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type == "variable_expr":  # allowed only as a map key: ``{a = 1}``
            parent = n.parent.parent if n.parent is not None else None
            if (
                parent is None
                or parent.type != "object_elem"
                or parent.children[0].start_byte != n.start_byte
            ):
                return False
            continue
        if n.type not in _LITERAL_NODES:
            return False
        if n.type == "operation" and (not n.children or n.children[0].type != "unary_operation"):
            return False
        stack.extend(n.children)
    return True


def raw_value(text: str, type_text: str) -> Value:
    """A ``--var``/``TF_VAR_`` string: an HCL literal value if it is one (unless the
    variable is a string), else the string itself. Never an expression with functions or
    references: Terraform takes literal values only there."""
    if type_text != "string":
        parsed = parse_expression(text)
        if parsed is not None and _is_literal(parsed[0]):
            v = evaluate(parsed[0], parsed[1], Scope(None))
            if v.unknown is None:
                return Value(v.value)
    return Value(text)


def root_values(
    module_dir: Path, var_types: dict[str, str], ctx: ScanContext
) -> tuple[dict[str, Value], list[Notice]]:
    """Values for the root module in ``module_dir`` from env, tfvars files and options."""
    values: dict[str, Value] = {}
    notices: list[Notice] = []
    for key, raw in ctx.env.items():
        if key.startswith("TF_VAR_") and key[7:] in var_types:  # undeclared: ignored
            name = key[7:]
            values[name] = raw_value(raw, var_types[name])
    files: list[Path] = []
    for name in ("terraform.tfvars", "terraform.tfvars.json"):
        if (module_dir / name).is_file():
            files.append(module_dir / name)
    try:
        autos = sorted(
            p
            for p in module_dir.iterdir()
            if p.name.endswith((".auto.tfvars", ".auto.tfvars.json")) and p.is_file()
        )
    except OSError:
        autos = []
    files.extend(autos)
    for path in files:
        found, problems = read_tfvars(path, ctx)
        values.update(found)
        notices.extend(problems)
    # -var and -var-file in command-line order: the later one wins (as terraform does)
    order = ctx.tf_order or [("file", f) for f in ctx.tf_var_files] + [
        ("var", pair) for pair in ctx.tf_vars
    ]
    for kind, item in order:
        if kind == "file":
            path = item if item.is_absolute() else ctx.root / item
            if not path.is_file():
                notices.append(
                    Notice(ctx.rel(path), "--var-file: file not found", level=Level.ERROR)
                )
                continue
            found, problems = read_tfvars(path, ctx)
            values.update(found)
            notices.extend(problems)
        else:
            name, raw = item
            values[name] = raw_value(raw, var_types.get(name, ""))
    return values, notices
