"""Terragrunt units: inputs, includes, functions, sources, precedence and locations."""

from __future__ import annotations

from pathlib import Path

from ddb_guard.config import Config
from ddb_guard.context import ScanContext
from ddb_guard.pipeline import scan

MODULE = """
variable "name" {
  type    = string
  default = "t"
}
variable "pitr" {
  type    = bool
  default = false
}
variable "tags" {
  type    = map(string)
  default = {}
}
resource "aws_dynamodb_table" "this" {
  name     = var.name
  hash_key = "pk"
  tags     = var.tags
  point_in_time_recovery {
    enabled = var.pitr
  }
}
"""


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def run(root: Path, files: dict[str, str], paths: list[str] | None = None, env=None):
    write(root, files)
    targets = [root / p for p in paths] if paths else [root]
    return scan(targets, ScanContext(root=root, env=env or {}), Config())


def tables(result) -> dict[str, object]:
    return {(e.report_loc or e.loc).path: e for e in result.model.entities if e.kind == "table"}


def unit(body: str, source: str = "../modules/table") -> str:
    return f'terraform {{\n  source = "{source}"\n}}\n{body}'


def test_child_inputs_win_over_included_and_tfvars_win_over_inputs(tmp_path: Path) -> None:
    files = {
        "modules/table/main.tf": MODULE,
        "modules/table/terraform.tfvars": 'name = "from-tfvars"\n',
        "root.hcl": 'inputs = {\n  pitr = true\n  tags = { a = "1" }\n}\n',
        "u/terragrunt.hcl": 'include "root" {\n  path = find_in_parent_folders("root.hcl")\n}\n'
        + unit('inputs = {\n  name = "from-inputs"\n  tags = { b = "2" }\n}\n'),
    }
    (table,) = tables(run(tmp_path, files)).values()
    assert table.attrs["pitr_enabled"].value is True  # from the included file
    assert table.attrs["tags"].value == {"b": "2"}  # shallow merge: the child's key replaces
    assert table.attrs["table_name"].value == "from-tfvars"  # Terraform reads tfvars last


def test_deep_merge_and_no_merge(tmp_path: Path) -> None:
    parent = 'inputs = {\n  pitr = true\n  tags = { a = "1" }\n}\n'
    files = {
        "modules/table/main.tf": MODULE,
        "root.hcl": parent,
        "deep/terragrunt.hcl": 'include "root" {\n  path = find_in_parent_folders("root.hcl")\n'
        '  merge_strategy = "deep"\n}\n' + unit('inputs = {\n  tags = { b = "2" }\n}\n'),
        "none/terragrunt.hcl": 'include "root" {\n  path = find_in_parent_folders("root.hcl")\n'
        '  merge_strategy = "no_merge"\n}\n' + unit("inputs = {}\n"),
    }
    found = tables(run(tmp_path, files))
    deep, none = found["deep/terragrunt.hcl"], found["none/terragrunt.hcl"]
    assert deep.attrs["tags"].value == {"a": "1", "b": "2"}
    assert deep.attrs["pitr_enabled"].value is True
    assert none.attrs["pitr_enabled"].value is False  # the module's default


def test_finding_at_the_inputs_line_with_the_module_line_related(tmp_path: Path) -> None:
    files = {
        "modules/table/main.tf": MODULE,
        "u/terragrunt.hcl": unit("inputs = {\n  pitr = false\n}\n"),
    }
    result = run(tmp_path, files)
    (f,) = [f for f in result.findings if f.rule_id == "DDB001"]
    assert (f.loc.path, f.loc.line) == ("u/terragrunt.hcl", 5)
    related = {(r.path, r.line) for r, _ in f.related}
    assert ("u/terragrunt.hcl", 2) in related  # the source line
    assert ("modules/table/main.tf", 19) in related  # enabled = var.pitr
    # the module directory is not reported again with its defaults
    assert not [f for f in result.findings if f.loc.path.startswith("modules/")]


def test_module_scanned_without_units_keeps_its_defaults(tmp_path: Path) -> None:
    files = {
        "modules/table/main.tf": MODULE,
        "u/terragrunt.hcl": unit("inputs = {\n  pitr = true\n}\n"),
    }
    result = run(tmp_path, files, paths=["modules"])
    (f,) = [f for f in result.findings if f.rule_id == "DDB001"]
    assert f.loc.path == "modules/table/main.tf"


def test_locals_functions_and_read_terragrunt_config(tmp_path: Path) -> None:
    files = {
        "modules/table/main.tf": MODULE,
        "live/env.hcl": 'locals {\n  env = "prod"\n}\n',
        "live/root.hcl": "locals {\n"
        '  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals.env\n'
        "}\n"
        'inputs = {\n  name = "${local.env}-${path_relative_to_include()}"\n}\n',
        "live/a/b/terragrunt.hcl": 'include "root" {\n'
        '  path = find_in_parent_folders("root.hcl")\n}\n'
        "locals {\n  here = basename(get_terragrunt_dir())\n}\n"
        + unit(
            'inputs = {\n  tags = { dir = local.here, region = get_env("REGION", "x") }\n}\n',
            "../../../modules/table",
        ),
    }
    (table,) = tables(run(tmp_path, files, env={"REGION": "eu-west-1"})).values()
    assert table.attrs["table_name"].value == "prod-a/b"
    assert table.attrs["tags"].value == {"dir": "b", "region": "eu-west-1"}


def test_dependency_outputs_are_unknown_and_named(tmp_path: Path) -> None:
    files = {
        "modules/table/main.tf": MODULE,
        "u/terragrunt.hcl": 'dependency "flags" {\n  config_path = "../flags"\n}\n'
        + unit("inputs = {\n  pitr = dependency.flags.outputs.pitr\n}\n"),
    }
    (f,) = [f for f in run(tmp_path, files).findings if f.rule_id == "DDB001"]
    assert f.outcome == "unknown"
    assert "dependency.flags.outputs (unit ../flags)" in f.message


def test_sources_remote_missing_and_registry(tmp_path: Path) -> None:
    files = {
        "remote/terragrunt.hcl": unit("", "git::https://example.com/m.git//table?ref=v1"),
        "missing/terragrunt.hcl": unit("", "../nowhere"),
        "registry/terragrunt.hcl": unit(
            'inputs = {\n  name = "r"\n  point_in_time_recovery_enabled = false\n}\n',
            "tfr:///terraform-aws-modules/dynamodb-table/aws?version=4.0.0",
        ),
    }
    result = run(tmp_path, files)
    notices = {n.path: n for n in result.notices}
    assert notices["remote/terragrunt.hcl"].level == "note"
    assert "is not on disk" in notices["remote/terragrunt.hcl"].message
    assert notices["missing/terragrunt.hcl"].level == "error"
    (f,) = [f for f in result.findings if f.rule_id == "DDB001"]
    assert (f.loc.path, f.loc.line) == ("registry/terragrunt.hcl", 6)


def test_unreadable_include_speaks(tmp_path: Path) -> None:
    files = {
        "modules/table/main.tf": MODULE,
        "u/terragrunt.hcl": 'include "root" {\n  path = find_in_parent_folders("root.hcl")\n}\n'
        + unit(""),
    }
    result = run(tmp_path, files)
    (n,) = [n for n in result.notices if n.path == "u/terragrunt.hcl"]
    assert n.level == "error" and "no root.hcl above u" in n.message


def test_parent_terragrunt_hcl_is_not_a_unit_and_cache_is_skipped(tmp_path: Path) -> None:
    files = {
        "modules/table/main.tf": MODULE,
        "terragrunt.hcl": "inputs = {\n  pitr = true\n}\n",
        "u/terragrunt.hcl": "include {\n  path = find_in_parent_folders()\n}\n" + unit(""),
        "u/.terragrunt-cache/x/y/main.tf": MODULE,
    }
    result = run(tmp_path, files)
    assert [f for f in result.findings if f.rule_id == "DDB001"] == []
    assert not [n for n in result.notices if n.path == "terragrunt.hcl"]


def test_generated_provider_gives_the_region(tmp_path: Path) -> None:
    files = {
        "modules/table/main.tf": MODULE,
        "u/terragrunt.hcl": 'generate "provider" {\n  path     = "provider.tf"\n'
        '  contents = "provider \\"aws\\" {\\n  region = \\"eu-central-1\\"\\n}\\n"\n}\n'
        + unit(""),
    }
    (table,) = tables(run(tmp_path, files)).values()
    assert table.attrs["region"].value == "eu-central-1"


def test_remote_source_read_from_the_terragrunt_cache(tmp_path: Path) -> None:
    files = {
        "u/terragrunt.hcl": unit(
            "inputs = {\n  pitr = false\n}\n", "git::https://example.com/m.git//table?ref=v1"
        ),
        "u/.terragrunt-cache/abc/def/table/main.tf": MODULE,
        "u/.terragrunt-cache/abc/def/other/main.tf": "",
    }
    result = run(tmp_path, files)
    (f,) = [f for f in result.findings if f.rule_id == "DDB001"]
    assert (f.loc.path, f.loc.line) == ("u/terragrunt.hcl", 5)
    assert not [n for n in result.notices if "is not on disk" in n.message]


def test_an_internal_error_in_one_unit_is_a_notice_and_others_go_on(
    tmp_path: Path, monkeypatch
) -> None:
    from ddb_guard.terragrunt import unit as unit_mod

    real = unit_mod.unit_module

    def broken(loader, cfg, reader):
        if "bad" in cfg.rel:
            raise ValueError("boom")
        return real(loader, cfg, reader)

    monkeypatch.setattr(unit_mod, "unit_module", broken)
    monkeypatch.delenv("DDB_GUARD_DEBUG", raising=False)
    files = {
        "modules/table/main.tf": MODULE,
        "bad/terragrunt.hcl": unit(""),
        "good/terragrunt.hcl": unit(""),
    }
    result = run(tmp_path, files)
    # an internal error fails the gate (PARSE001 at error), never a silent pass
    (n,) = [f for f in result.findings if f.loc.path == "bad/terragrunt.hcl"]
    assert n.rule_id == "PARSE001" and n.level == "error" and "ValueError: boom" in n.message
    assert [f.loc.path for f in result.findings if f.rule_id == "DDB001"] == ["good/terragrunt.hcl"]


def test_a_changed_module_file_reaches_the_units_that_deploy_it(tmp_path: Path) -> None:
    """pre-commit passes only the module's file: the units using it are found and their
    findings reported; the module's own defaults would pass (pitr = true)."""
    module = MODULE.replace("default = false", "default = true")
    files = {
        "modules/table/main.tf": module,
        "live/a/terragrunt.hcl": unit("inputs = {\n  pitr = false\n}\n", "../../modules/table"),
        "live/b/terragrunt.hcl": unit(
            "inputs = {\n  pitr = false\n}\n", "${get_terragrunt_dir()}/../..//modules/table?ref=v1"
        ),
        "live/d/terragrunt.hcl": unit("inputs = {\n  pitr = false\n}\n", "../../other"),
        "other/main.tf": module,
    }
    result = run(tmp_path, files, paths=["modules/table/main.tf"])
    found = sorted(f.loc.path for f in result.findings if f.rule_id == "DDB001")
    assert found == ["live/a/terragrunt.hcl", "live/b/terragrunt.hcl"]
