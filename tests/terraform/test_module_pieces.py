"""The pieces of a module instance, each without a loader: variables and locals,
providers and regions, count/for_each/dynamic expansion, and module calls through the
ModuleResolver protocol alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ddb_guard.model import Location, Notice, Value
from ddb_guard.terraform.evaluate import Scope, known
from ddb_guard.terraform.expand import Expander
from ddb_guard.terraform.hcl import Attribute, Block, parse_hcl
from ddb_guard.terraform.module import ModuleDef, ModuleInstance, Placement
from ddb_guard.terraform.providers import Inherited, Providers
from ddb_guard.terraform.resource import TfBlock
from ddb_guard.terraform.variables import Variables


class Module:
    """The smallest evaluation context: one file's variables and locals."""

    path_module = "."
    prefix = ""

    def __init__(self, text: str, **kw: Any) -> None:
        hf = parse_hcl(text, "main.tf")
        assert hf.notices == []
        self.blocks = hf.blocks
        declared = {b.labels[0]: b for b in hf.blocks if b.type == "variable"}
        local_attrs = {k: a for b in hf.blocks if b.type == "locals" for k, a in b.attrs.items()}
        self.scope = Scope(self)
        self.variables = Variables(declared, local_attrs, self.scope, **kw)

    def var(self, name: str) -> Value:
        return self.variables.var(name)

    def local(self, name: str) -> Value:
        return self.variables.local(name)

    def block(self, kind: str) -> Block:
        return next(b for b in self.blocks if b.type == kind)


# --- variables and locals --------------------------------------------------------------


def test_a_root_value_wins_over_the_default_and_null_respects_nullable() -> None:
    m = Module(
        'variable "a" {\n  default = "d"\n}\n'
        'variable "b" {\n  type = number\n  default = 3\n  nullable = false\n}\n',
        root_values={"a": known("given"), "b": known(None)},
    )
    assert m.var("a").value == "given"
    assert m.var("b").value == 3  # null for a non-nullable variable takes the default
    assert m.var("c").unknown == "refers to var.c, which is not declared"


def test_an_off_default_is_recorded_only_when_defaults_are_inputs() -> None:
    text = 'variable "regions" {\n  default = []\n}\nvariable "env" {\n  default = "prod"\n}\n'
    found: dict[Location, str] = {}
    m = Module(text, input_defaults=found)
    assert m.var("regions").value == [] and m.var("env").value == "prod"
    assert list(found.values()) == ["regions"]
    assert Module(text).var("regions").value == []  # a unit's defaults: nothing recorded


def test_types_optional_defaults_and_sensitive_values() -> None:
    m = Module(
        'variable "n" {\n  type = number\n  default = "7"\n}\n'
        'variable "o" {\n  type = object({ a = optional(string, "x"), b = string })\n'
        '  default = { b = "y" }\n}\n'
        'variable "s" {\n  sensitive = true\n  default = { k = "secret" }\n}\n'
    )
    assert m.var("n").value == 7
    assert m.var("o").value == {"a": "x", "b": "y"}
    assert m.var("s").value == {"k": "var.s (sensitive)"}


def test_locals_in_dependency_order_and_cycles_unknown() -> None:
    m = Module(
        'locals {\n  a = "${local.b}-a"\n  b = "b"\n  x = local.y\n  y = local.z\n'
        "  z = local.x\n  self_ref = local.self_ref\n}\n"
    )
    assert m.local("a").value == "b-a"
    assert (
        m.local("x").unknown
        == "local.x is part of a reference cycle (local.x -> local.y -> local.z -> local.x)"
    )
    assert m.local("self_ref").unknown == "local.self_ref refers to itself"
    assert m.local("nope").unknown == "refers to local.nope, which is not defined"


# --- providers -------------------------------------------------------------------------

PROVIDERS = """provider "aws" {
  region = "eu-west-1"
  default_tags {
    tags = { team = "db" }
  }
}
provider "aws" {
  alias = "us"
}
resource "aws_dynamodb_table" "t" {
  provider = aws.us
}
"""


def test_providers_own_blocks_and_a_resource_region() -> None:
    m = Module(PROVIDERS)
    blocks = [b for b in m.blocks if b.type == "provider"]
    p = Providers(blocks, m.scope)
    assert p.regions()["aws"].value == "eu-west-1"
    assert p.regions()["aws.us"].unknown == (
        "provider aws.us sets no region (it comes from the environment)"
    )
    assert p.tags()["aws"].value == {"team": "db"}
    table = m.block("resource")
    assert p.region_for(table, TfBlock("resource", table.loc)).unknown.startswith(
        "provider aws.us sets no region"
    )
    assert p.default_tags_for(table) is None


def test_providers_passed_by_a_module_call() -> None:
    m = Module('resource "aws_dynamodb_table" "t" {\n  provider = aws.west\n}\n')
    parent = {"aws": known("eu-west-1"), "aws.other": known("us-east-1")}
    mapped = Providers([], m.scope, Inherited(parent, {}, {"aws.west": "aws.other"}), called=True)
    assert mapped.regions() == {"aws.west": parent["aws.other"]}
    table = m.block("resource")
    assert (
        Providers([], m.scope, Inherited(parent), called=True)
        .region_for(table, TfBlock("resource", table.loc))
        .unknown
        == "provider aws.west is not passed to this module nor declared in it"
    )
    root = Providers([], m.scope, any_provider=lambda: False)
    plain = Module('resource "aws_dynamodb_table" "t" {\n}\n').block("resource")
    assert root.region_for(plain, TfBlock("resource", plain.loc)).unknown == (
        "no provider region in the scanned code"
    )


# --- expansion -------------------------------------------------------------------------


def _expander(m: Module, found: dict[Location, str] | None = None) -> tuple[Expander, list]:
    notices: list[Notice] = []
    return Expander(notices, found if found is not None else {}), notices


def test_count_and_for_each_instances() -> None:
    m = Module(
        'resource "aws_x" "c" {\n  count = 2\n}\n'
        'resource "aws_x" "f" {\n  for_each = { b = 2, a = 1 }\n}\n'
        'resource "aws_x" "n" {\n  count = -1\n}\n'
    )
    ex, notices = _expander(m)
    c, f, n = (b for b in m.blocks if b.type == "resource")
    assert [k for k, _, _ in ex.instances(c, m.scope, "c")] == [0, 1]
    found = ex.instances(f, m.scope, "f")
    assert [(k, s.names["each"].value["value"]) for k, s, _ in found] == [("a", 1), ("b", 2)]
    assert ex.instances(n, m.scope, "n") == []
    assert [x.message for x in notices] == ["n: count = -1 is negative, which Terraform rejects"]


def test_zero_instances_with_an_input_default_exist_when_created() -> None:
    found: dict[Location, str] = {}
    m = Module(
        'variable "on" {\n  default = false\n}\n'
        'resource "aws_x" "t" {\n  count = var.on ? 1 : 0\n}\n',
        input_defaults=found,
    )
    ex, _ = _expander(m, found)
    ((key, _, exists),) = ex.instances(m.block("resource"), m.scope, "t")
    assert key is None and exists.unknown == "count is 0 with the default of var.on"
    # without the default recorded (a literal decision), nothing is created
    assert Expander([], {}).instances(m.block("resource"), m.scope, "t") == []


def test_dynamic_blocks_expand_and_an_unknown_one_is_possible() -> None:
    m = Module(
        'variable "r" {\n}\n'
        'resource "aws_x" "t" {\n  name = "t"\n'
        '  dynamic "replica" {\n    for_each = ["a", "b"]\n'
        "    content {\n      region_name = replica.value\n    }\n  }\n"
        '  dynamic "rule" {\n    for_each = var.r\n'
        "    content {\n      x = rule.value\n    }\n  }\n}\n"
    )
    ex, _ = _expander(m)
    body = ex.eval_body(m.block("resource"), m.scope)
    assert body.attrs["name"].value == "t"
    assert [b.attrs["region_name"].value for b in body.blocks["replica"]] == ["a", "b"]
    assert body.unknown_blocks["rule"].unknown == "depends on var.r, which has no default"
    (possible,) = body.possible["rule"]
    assert possible.exists.unknown == "for_each depends on var.r, which has no default"


# --- module calls, through the ModuleResolver protocol only ----------------------------


class Resolver:
    """A ModuleResolver over in-memory modules (no directories, no loader)."""

    def __init__(self, modules: dict[str, str]) -> None:
        self.defs: dict[str, ModuleDef] = {}
        for source, text in modules.items():
            mdef = ModuleDef(None, source)
            mdef.add(parse_hcl(text, f"{source}/main.tf"))
            self.defs[source] = mdef
        self.any_provider = True
        self.input_defaults: dict[Location, str] = {}
        self.cut: list[Path] = []
        self.module_instances = 0
        self.asked: list[tuple[tuple[str, ...], str]] = []

    def resolve_module(
        self,
        caller_dir: Path | None,
        key_path: tuple[str, ...],
        root_dir: Path | None,
        source: str,
        source_attr: Attribute,
    ) -> tuple[ModuleDef, str] | None:
        self.asked.append((key_path, source))
        return self.defs[source], source


CHILD = """variable "name" {
}
resource "aws_dynamodb_table" "t" {
  name = var.name
}
"""


def test_module_calls_expand_inherit_providers_and_stop_at_a_cycle() -> None:
    resolver = Resolver(
        {
            "root": 'provider "aws" {\n  region = "eu-west-1"\n}\n'
            'module "m" {\n  source = "child"\n  for_each = toset(["a", "b"])\n'
            "  name = each.key\n}\n"
            'module "loop" {\n  source = "root"\n}\n',
            "child": CHILD,
        }
    )
    inst = ModuleInstance(resolver, resolver.defs["root"], place=Placement(chain=("root",)))
    emitted = inst.collect()
    assert [(e.keyed, e.resource.body.attrs["name"].value) for e in emitted] == [
        ('module.m["a"].aws_dynamodb_table.t', "a"),
        ('module.m["b"].aws_dynamodb_table.t', "b"),
    ]
    assert {e.keyless for e in emitted} == {"module.m.aws_dynamodb_table.t"}
    assert all(e.resource.region.value == "eu-west-1" for e in emitted)
    assert resolver.asked == [(("m",), "child"), (("loop",), "root")]
    assert resolver.module_instances == 2  # the cycle is not instantiated
    assert [n.message for n in inst.notices] == [
        "module loop: module cycle (root -> root); not followed"
    ]
