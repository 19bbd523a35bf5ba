"""Modules as Terraform evaluates them: variables, locals, dynamic blocks, count/for_each,
module calls (local, downloaded, registry), providers and regions."""

from __future__ import annotations

import json
from pathlib import Path

from tf_helpers import load, messages

from ddb_guard.model import Value

TABLE = """resource "aws_dynamodb_table" "t" {{
  name = "t"
{body}
}}
"""


def pitr(res) -> Value:
    return res.body.first("point_in_time_recovery").attr("enabled")


# --- variables ---------------------------------------------------------------------------


VARS = """variable "pitr" {
  type    = bool
  default = false
}
variable "nodefault" {}
resource "aws_dynamodb_table" "t" {
  name = "t"
  point_in_time_recovery {
    enabled = var.pitr
  }
  deletion_protection_enabled = var.nodefault
}
"""


def test_variable_default_and_missing_value(tmp_path: Path) -> None:
    res, notices = load(tmp_path, {"main.tf": VARS})
    t = res["aws_dynamodb_table.t"]
    v = pitr(t)
    assert v.value is False
    assert v.loc is not None and (v.loc.path, v.loc.line) == ("main.tf", 9)
    assert [(x.path, x.line) for x in v.trace] == [("main.tf", 3)]
    dp = t.body.attr("deletion_protection_enabled")
    assert dp.unknown == "depends on var.nodefault, which has no default"
    assert notices == []


def test_variable_precedence(tmp_path: Path) -> None:
    files = {"main.tf": VARS}
    # env is lowest (after the default)
    res, _ = load(tmp_path, files, env={"TF_VAR_pitr": "true"})
    assert pitr(res["aws_dynamodb_table.t"]).value is True
    # terraform.tfvars beats env; its line is in the trace
    files["terraform.tfvars"] = "# comment\npitr = false\n"
    res, _ = load(tmp_path, files, env={"TF_VAR_pitr": "true"})
    v = pitr(res["aws_dynamodb_table.t"])
    assert v.value is False
    assert [(t.path, t.line) for t in v.trace] == [("terraform.tfvars", 2)]
    # *.auto.tfvars (lexical order) beat terraform.tfvars(.json)
    files["terraform.tfvars.json"] = '{"pitr": false}'
    files["a.auto.tfvars"] = "pitr = true\n"
    files["b.auto.tfvars.json"] = '{\n  "pitr": false\n}'
    res, _ = load(tmp_path, files)
    v = pitr(res["aws_dynamodb_table.t"])
    assert v.value is False and v.trace[0].path == "b.auto.tfvars.json"
    assert v.trace[0].line == 2
    # --var-file then --var, in order
    (tmp_path / "x.tfvars").write_text("pitr = true\n")
    res, _ = load(tmp_path, files, tf_var_files=[Path("x.tfvars")])
    assert pitr(res["aws_dynamodb_table.t"]).value is True
    res, _ = load(tmp_path, files, tf_var_files=[Path("x.tfvars")], tf_vars=[("pitr", "false")])
    assert pitr(res["aws_dynamodb_table.t"]).value is False


def test_var_option_values_parse_as_hcl_or_stay_strings(tmp_path: Path) -> None:
    files = {
        "main.tf": """variable "regions" {}
variable "name" { type = string }
resource "aws_dynamodb_table" "t" {
  name = var.name
  tags = { n = length(var.regions) }
}
"""
    }
    res, _ = load(tmp_path, files, tf_vars=[("regions", '["a", "b"]'), ("name", "007")])
    t = res["aws_dynamodb_table.t"]
    assert t.body.attr("name").value == "007"
    assert t.body.attr("tags").value == {"n": 2}


def test_malformed_tfvars_is_a_notice(tmp_path: Path) -> None:
    files = {
        "main.tf": VARS,
        "terraform.tfvars": "pitr = = true\n",
        "z.auto.tfvars.json": '{"pitr": tru}',
    }
    res, notices = load(tmp_path, files)
    assert pitr(res["aws_dynamodb_table.t"]).value is False  # the default still applies
    paths = {n.path for n in notices}
    assert {"terraform.tfvars", "z.auto.tfvars.json"} <= paths
    assert all(n.line >= 1 for n in notices)


# --- locals ------------------------------------------------------------------------------


def test_local_chain_of_fifty(tmp_path: Path) -> None:
    lines = ["locals {", "  l0 = true"]
    lines += [f"  l{i} = local.l{i - 1}" for i in range(1, 51)]
    lines.append("}")
    src = (
        "\n".join(lines)
        + "\n"
        + TABLE.format(body="  point_in_time_recovery {\n    enabled = local.l50\n  }")
    )
    res, notices = load(tmp_path, {"main.tf": src})
    v = pitr(res["aws_dynamodb_table.t"])
    assert v.value is True
    assert len(v.trace) == 51  # every local of the chain, l50 first
    assert v.trace[0].line == 52 and v.trace[-1].line == 2
    assert notices == []


def test_deep_local_chain_in_reverse_order(tmp_path: Path) -> None:
    lines = ["locals {"] + [f"  l{i} = local.l{i + 1}" for i in range(300)]
    lines += ["  l300 = 35", "}"]
    src = "\n".join(lines) + "\n" + TABLE.format(body="  tags = { d = local.l0 }")
    res, _ = load(tmp_path, {"main.tf": src})
    assert res["aws_dynamodb_table.t"].body.attr("tags").value == {"d": 35}


def test_local_cycles_are_unknown(tmp_path: Path) -> None:
    src = """locals {
  a = local.b
  b = local.a
  self = local.self
  ok = "x"
}
""" + TABLE.format(
        body="  tags = { a = local.a }\n  table_class = local.self\n  billing_mode = local.ok"
    )
    res, _ = load(tmp_path, {"main.tf": src})
    t = res["aws_dynamodb_table.t"]
    inner = t.body.attr("tags").value["a"]
    assert inner.unknown == "local.a is part of a reference cycle (local.a -> local.b -> local.a)"
    assert t.body.attr("table_class").unknown == "local.self refers to itself"
    assert t.body.attr("billing_mode").value == "x"


# --- dynamic blocks ----------------------------------------------------------------------


def test_dynamic_blocks(tmp_path: Path) -> None:
    src = """variable "replicas" {}
locals { pitr = [] }
resource "aws_dynamodb_table" "t" {
  name = "t"
  dynamic "point_in_time_recovery" {
    for_each = local.pitr
    content { enabled = true }
  }
  dynamic "replica" {
    for_each = { "eu-west-1" = true, "us-east-2" = false }
    iterator = r
    content {
      region_name            = r.key
      point_in_time_recovery = r.value
    }
  }
  dynamic "ttl" {
    for_each = var.replicas
    content { enabled = true }
  }
}
"""
    res, _ = load(tmp_path, {"main.tf": src})
    body = res["aws_dynamodb_table.t"].body
    assert "point_in_time_recovery" not in body.blocks
    reps = body.blocks["replica"]
    assert [
        (r.attr("region_name").value, r.attr("point_in_time_recovery").value) for r in reps
    ] == [("eu-west-1", True), ("us-east-2", False)]
    assert reps[0].loc.line == 9
    unk = body.unknown_blocks["ttl"]
    assert unk.unknown == "depends on var.replicas, which has no default"
    assert unk.loc is not None and unk.loc.line == 18


# --- count / for_each ----------------------------------------------------------------------


def test_count_and_for_each(tmp_path: Path) -> None:
    src = """variable "n" {}
resource "aws_dynamodb_table" "zero" {
  count = 0
  name  = "z"
}
resource "aws_dynamodb_table" "empty" {
  for_each = {}
  name     = "e"
}
resource "aws_dynamodb_table" "same" {
  count = 3
  name  = "same"
}
resource "aws_dynamodb_table" "differ" {
  for_each = toset(["a", "b"])
  name     = "t-${each.key}"
}
resource "aws_dynamodb_table" "idx" {
  count = 2
  name  = "i-${count.index}"
}
resource "aws_dynamodb_table" "unknown" {
  count = var.n
  name  = "u-${count.index}"
}
"""
    res, _ = load(tmp_path, {"main.tf": src})
    assert set(res) == {
        "aws_dynamodb_table.same",
        'aws_dynamodb_table.differ["a"]',
        'aws_dynamodb_table.differ["b"]',
        "aws_dynamodb_table.idx[0]",
        "aws_dynamodb_table.idx[1]",
        "aws_dynamodb_table.unknown",
    }
    assert res['aws_dynamodb_table.differ["b"]'].body.attr("name").value == "t-b"
    assert "count" in (res["aws_dynamodb_table.unknown"].body.attr("name").unknown or "")


def test_huge_for_each_does_not_hang(tmp_path: Path) -> None:
    items = ", ".join(f'"k{i}"' for i in range(5000))
    src = f"""resource "aws_dynamodb_table" "many" {{
  for_each = toset([{items}])
  name     = each.key
}}
"""
    res, notices = load(tmp_path, {"main.tf": src})
    assert list(res) == ["aws_dynamodb_table.many"]
    assert not res["aws_dynamodb_table.many"].body.attr("name").known
    assert any("over 1000" in n.message for n in notices)


# --- modules -----------------------------------------------------------------------------


MODULE = """variable "pitr" {
  type = bool
}
variable "name" {}
resource "aws_dynamodb_table" "this" {
  name = var.name
  point_in_time_recovery {
    enabled = var.pitr
  }
}
"""


def test_local_module_call(tmp_path: Path) -> None:
    root = """variable "pitr" {
  default = false
}
module "users" {
  source = "./modules/table"
  name   = "users"
  pitr   = var.pitr
}
module "each" {
  source   = "./modules/table"
  for_each = { a = true, b = false }
  name     = "e-${each.key}"
  pitr     = each.value
}
"""
    res, notices = load(
        tmp_path, {"main.tf": root, "modules/table/main.tf": MODULE}, scan=[".", "modules/table"]
    )
    assert notices == []
    assert set(res) == {
        "module.users.aws_dynamodb_table.this",
        'module.each["a"].aws_dynamodb_table.this',
        'module.each["b"].aws_dynamodb_table.this',
    }
    users = res["module.users.aws_dynamodb_table.this"]
    assert users.module_path == ("users",)
    assert [(c.path, c.line) for c in users.call_sites] == [("main.tf", 4)]
    v = pitr(users)
    assert v.value is False
    assert (v.loc.path, v.loc.line) == ("modules/table/main.tf", 8)
    # the module argument, then the root variable default
    assert [(t.path, t.line) for t in v.trace] == [("main.tf", 7), ("main.tf", 2)]
    assert users.related[0][0].path == "modules/table/main.tf"
    assert pitr(res['module.each["a"].aws_dynamodb_table.this']).value is True


def test_called_module_directory_is_analysed_alone_when_only_it_is_scanned(
    tmp_path: Path,
) -> None:
    res, _ = load(
        tmp_path,
        {
            "main.tf": 'module "m" {\n  source = "./modules/table"\n'
            '  name = "x"\n  pitr = true\n}\n',
            "modules/table/main.tf": MODULE,
        },
        scan=["modules/table"],
    )
    assert list(res) == ["aws_dynamodb_table.this"]
    assert not pitr(res["aws_dynamodb_table.this"]).known


def test_missing_module_source_and_cycle_are_notices(tmp_path: Path) -> None:
    files = {
        "main.tf": 'module "gone" {\n  source = "./nope"\n}\nmodule "a" {\n  source = "./a"\n}\n',
        "a/main.tf": 'module "b" {\n  source = "../b"\n}\n' + TABLE.format(body=""),
        "b/main.tf": 'module "a" {\n  source = "../a"\n}\n',
    }
    res, notices = load(tmp_path, files)
    text = messages(notices)
    assert "main.tf:2:12: module gone: source './nope' does not exist" in text
    assert "module cycle" in text
    assert "module.a.aws_dynamodb_table.t" in res


def test_downloaded_modules_from_manifest(tmp_path: Path) -> None:
    manifest = {
        "Modules": [
            {"Key": "", "Source": "", "Dir": "."},
            {
                "Key": "remote",
                "Source": "git::https://example.com/m.git",
                "Dir": ".terraform/modules/remote",
            },
        ]
    }
    files = {
        "main.tf": 'module "remote" {\n  source = "git::https://example.com/m.git"\n'
        '  name = "r"\n  pitr = true\n}\n',
        ".terraform/modules/modules.json": json.dumps(manifest),
        ".terraform/modules/remote/main.tf": MODULE,
    }
    res, notices = load(tmp_path, files)
    assert pitr(res["module.remote.aws_dynamodb_table.this"]).value is True
    assert notices == []


def test_unresolvable_remote_module_is_a_note(tmp_path: Path) -> None:
    res, notices = load(tmp_path, {"main.tf": 'module "x" {\n  source = "acme/thing/aws"\n}\n'})
    assert res == {}
    assert notices[0].level == "note" and "terraform init" in notices[0].message


# --- registry modules ----------------------------------------------------------------------


def test_terraform_aws_modules_dynamodb_table(tmp_path: Path) -> None:
    src = """module "users" {
  source  = "terraform-aws-modules/dynamodb-table/aws"
  version = "~> 5.0"
  name    = "users"
  replica_regions = [{ region_name = "eu-west-2", point_in_time_recovery = true }]
}
module "off" {
  source       = "terraform-aws-modules/dynamodb-table/aws"
  create_table = false
}
"""
    res, notices = load(tmp_path, {"main.tf": src})
    assert list(res) == ["module.users.aws_dynamodb_table.this"]
    t = res["module.users.aws_dynamodb_table.this"]
    assert t.origin == "registry-module:terraform-aws-modules/dynamodb-table/aws"
    assert [(c.path, c.line) for c in t.call_sites] == [("main.tf", 1)]
    assert t.body.loc.line == 1
    v = pitr(t)
    assert v.value is False and v.default and v.loc is None  # the module default
    assert t.body.attr("name").value == "users"
    assert t.body.attr("name").loc.line == 4  # located at the module argument
    assert t.body.attr("deletion_protection_enabled").value is None
    (rep,) = t.body.blocks["replica"]
    assert rep.attr("region_name").value == "eu-west-2"
    assert rep.attr("point_in_time_recovery").value is True
    assert notices == []


def test_cloudposse_dynamodb_replicas_never_get_pitr(tmp_path: Path) -> None:
    src = """module "cp" {
  source    = "cloudposse/dynamodb/aws"
  namespace = "eg"
  name      = "orders"
  replicas  = ["us-west-1"]
}
"""
    res, _ = load(tmp_path, {"main.tf": src})
    t = res["module.cp.aws_dynamodb_table.default"]
    assert pitr(t).value is True and pitr(t).default
    assert t.body.attr("deletion_protection_enabled").value is False
    assert t.body.attr("name").value == "eg-orders"
    (rep,) = t.body.blocks["replica"]
    assert rep.attr("point_in_time_recovery").value is False


# --- providers ---------------------------------------------------------------------------


def test_provider_regions(tmp_path: Path) -> None:
    src = """variable "region" { default = "eu-west-1" }
provider "aws" {
  region = var.region
}
provider "aws" {
  alias  = "west"
  region = "us-west-2"
}
resource "aws_dynamodb_table" "a" { name = "a" }
resource "aws_dynamodb_table" "b" {
  provider = aws.west
  name     = "b"
}
resource "aws_dynamodb_table" "c" {
  provider = aws.nowhere
  name     = "c"
}
module "m" {
  source    = "./m"
  providers = { aws = aws.west }
}
module "inherit" {
  source = "./m"
}
"""
    res, _ = load(tmp_path, {"main.tf": src, "m/main.tf": TABLE.format(body="")})
    assert res["aws_dynamodb_table.a"].region.value == "eu-west-1"
    assert res["aws_dynamodb_table.b"].region.value == "us-west-2"
    assert "aws.nowhere" in (res["aws_dynamodb_table.c"].region.unknown or "")
    assert res["module.m.aws_dynamodb_table.t"].region.value == "us-west-2"
    assert res["module.inherit.aws_dynamodb_table.t"].region.value == "eu-west-1"


def test_no_provider_region(tmp_path: Path) -> None:
    res, _ = load(tmp_path, {"main.tf": TABLE.format(body="")})
    assert res["aws_dynamodb_table.t"].region.unknown == "no provider region in the scanned code"


def test_only_dynamodb_and_backup_resources(tmp_path: Path) -> None:
    src = (
        TABLE.format(body="")
        + """resource "aws_s3_bucket" "b" { bucket = "x" }
resource "aws_backup_plan" "p" {
  name = "p"
  rule {
    rule_name         = "daily"
    target_vault_name = "v"
    schedule          = "cron(0 5 ? * * *)"
    lifecycle {
      delete_after = 35
    }
  }
}
"""
    )
    res, _ = load(tmp_path, {"main.tf": src})
    assert set(res) == {"aws_dynamodb_table.t", "aws_backup_plan.p"}
    rule = res["aws_backup_plan.p"].body.first("rule")
    assert rule.first("lifecycle").attr("delete_after").value == 35


def test_suppressions_reach_resources(tmp_path: Path) -> None:
    src = """# ddb-guard:ignore DDB001 cache table
resource "aws_dynamodb_table" "t" {
  name = "t"
}
# ddb-guard:ignore DDB002 handled upstream
module "m" {
  source = "./m"
}
"""
    res, _ = load(tmp_path, {"main.tf": src, "m/main.tf": TABLE.format(body="")})
    assert [(s.rule, s.reason) for s in res["aws_dynamodb_table.t"].suppressions] == [
        ("DDB001", "cache table")
    ]
    assert [s.rule for s in res["module.m.aws_dynamodb_table.t"].suppressions] == ["DDB002"]


def test_optional_object_attributes_get_their_defaults(tmp_path: Path) -> None:
    src = """variable "tables" {
  type = map(object({
    pitr     = optional(bool, true)
    days     = optional(number)
    settings = optional(object({ protect = optional(bool, false) }), {})
  }))
  default = {
    a = {}
    b = { pitr = false, settings = { protect = true } }
  }
}
resource "aws_dynamodb_table" "t" {
  for_each = var.tables
  name     = each.key
  deletion_protection_enabled = each.value.settings.protect
  point_in_time_recovery {
    enabled                 = each.value.pitr
    recovery_period_in_days = each.value.days
  }
}
"""
    res, _ = load(tmp_path, {"main.tf": src})
    a, b = res['aws_dynamodb_table.t["a"]'], res['aws_dynamodb_table.t["b"]']
    assert pitr(a).value is True and pitr(b).value is False
    assert a.body.first("point_in_time_recovery").attr("recovery_period_in_days").value is None
    assert a.body.attr("deletion_protection_enabled").value is False
    assert b.body.attr("deletion_protection_enabled").value is True


def test_override_files_merge_into_resources(tmp_path: Path) -> None:
    res, notices = load(
        tmp_path,
        {
            "main.tf": TABLE.format(
                body='  billing_mode = "PROVISIONED"\n'
                "  point_in_time_recovery {\n    enabled = false\n  }"
            ),
            "pitr_override.tf": 'resource "aws_dynamodb_table" "t" {\n'
            "  point_in_time_recovery {\n    enabled = true\n  }\n}\n",
        },
    )
    t = res["aws_dynamodb_table.t"]
    assert notices == []
    assert pitr(t).value is True and pitr(t).loc.path == "pitr_override.tf"
    assert t.body.attr("billing_mode").value == "PROVISIONED"
    assert len(t.body.blocks["point_in_time_recovery"]) == 1


def test_data_aws_region_is_the_provider_region(tmp_path: Path) -> None:
    src = """provider "aws" {
  region = "eu-north-1"
}
data "aws_region" "current" {}
data "aws_caller_identity" "me" {}
resource "aws_dynamodb_table" "t" {
  name = "t-${data.aws_region.current.name}"
  tags = { account = data.aws_caller_identity.me.account_id }
}
"""
    res, _ = load(tmp_path, {"main.tf": src})
    body = res["aws_dynamodb_table.t"].body
    assert body.attr("name").value == "t-eu-north-1"
    assert isinstance(body.attr("tags").value["account"], Value)
