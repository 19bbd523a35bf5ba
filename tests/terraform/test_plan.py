"""Plan JSON front-end: values, unknowns, regions, locations, malformed input."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ddb_guard import model
from ddb_guard.context import ScanContext
from ddb_guard.model import Value
from ddb_guard.terraform.plan import is_plan, load_plan, load_plan_file
from ddb_guard.terraform.plan_source import SourceIndex, scan_blocks
from ddb_guard.terraform.to_model import to_entities

FIXTURES = Path(__file__).parent / "plan_fixtures"
BASIC = FIXTURES / "basic" / "plan.json"
STANDALONE = FIXTURES / "standalone" / "plan.json"


@pytest.fixture
def ctx() -> ScanContext:
    return ScanContext(root=FIXTURES, env={})


def line_of(path: Path, needle: str, start: int = 1) -> int:
    """1-based line of the first line at or after ``start`` containing ``needle``."""
    for i, line in enumerate(path.read_text().splitlines(), 1):
        if i >= start and needle in line:
            return i
    raise AssertionError(f"{needle!r} not in {path}")


def load(path: Path, ctx: ScanContext, **kw):
    data = json.loads(path.read_text())
    resources, notices = load_plan(path, data, ctx, **kw)
    assert notices == []
    return {r.address: r for r in resources}


def entities(resources) -> dict[str, model.Entity]:
    return {e.address: e for e in to_entities(list(resources.values()))}


# --- detection -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"format_version": "1.2", "resource_changes": []}, True),
        ({"format_version": "1.2", "planned_values": {}}, True),
        ({"format_version": "1.0", "values": {}}, False),  # a state file
        ({"resource_changes": []}, False),
        ({"AWSTemplateFormatVersion": "2010-09-09"}, False),
        ([], False),
        ("plan", False),
        (None, False),
    ],
)
def test_is_plan(data, expected):
    assert is_plan(data) is expected


# --- the basic plan: .tf files next to it ----------------------------------------------


def test_only_managed_dynamodb_and_backup_resources_that_survive_the_plan(ctx):
    res = load(BASIC, ctx)
    assert sorted(res) == [
        "aws_dynamodb_table.catalog",
        "aws_dynamodb_table.legacy",
        "aws_dynamodb_table.orders",
        "aws_dynamodb_table.sessions",
        "aws_dynamodb_table_replica.orders_dr",
        'module.backup["prod"].aws_backup_plan.this',
        'module.backup["prod"].aws_backup_selection.this',
        'module.backup["prod"].aws_backup_vault.this',
        'module.backup["prod"].aws_backup_vault_lock_configuration.this',
    ]  # no delete-only aws_dynamodb_table.old, no aws_s3_bucket, no data source
    for r in res.values():
        assert r.origin == "plan"


def test_resources_point_at_their_source_blocks(ctx):
    res = load(BASIC, ctx)
    main = FIXTURES / "basic" / "main.tf"
    module = FIXTURES / "basic" / "modules" / "backup" / "main.tf"
    orders = res["aws_dynamodb_table.orders"]
    header = line_of(main, 'resource "aws_dynamodb_table" "orders"')
    assert orders.body.loc.path == "basic/main.tf"
    assert (orders.body.loc.line, orders.body.loc.column) == (header, 1)
    pitr = orders.body.first("point_in_time_recovery")
    assert pitr.loc.line == line_of(main, "point_in_time_recovery {", header)
    assert pitr.attrs["enabled"].loc.line == line_of(main, "    enabled = true", header)
    assert orders.body.attrs["deletion_protection_enabled"].loc.line == line_of(
        main, "deletion_protection_enabled = true"
    )
    # related: the planned change in the plan file
    assert [what for _, what in orders.related] == ["planned change"]
    assert orders.related[0][0].path == "plan.json" or orders.related[0][0].path.endswith(
        "plan.json"
    )

    plan = res['module.backup["prod"].aws_backup_plan.this']
    assert plan.body.loc.path == "basic/modules/backup/main.tf"
    assert plan.body.loc.line == line_of(module, 'resource "aws_backup_plan" "this"')
    assert plan.call_sites == (plan.call_sites[0],)
    assert plan.call_sites[0].path == "basic/main.tf"
    assert plan.call_sites[0].line == line_of(main, 'module "backup"')
    assert plan.module_path == ("backup",)


def test_set_blocks_are_matched_to_their_source_by_key(ctx):
    ents = entities(load(BASIC, ctx))
    module = FIXTURES / "basic" / "modules" / "backup" / "main.tf"
    main = FIXTURES / "basic" / "main.tf"
    daily = ents['module.backup["prod"].aws_backup_plan.this.rule[daily]']
    hourly = ents['module.backup["prod"].aws_backup_plan.this.rule[hourly]']
    rule_lines = [
        i for i, t in enumerate(module.read_text().splitlines(), 1) if t.strip() == "rule {"
    ]
    assert (hourly.loc.line, daily.loc.line) == tuple(rule_lines)
    assert daily.attrs["start_window"].loc.line == line_of(module, "start_window      = 120")
    (copy_action,) = daily.attrs["copy_actions"]
    assert copy_action["loc"].line == line_of(module, "copy_action {")
    eu = ents["aws_dynamodb_table.catalog.replica[eu-west-1]"]
    ap = ents["aws_dynamodb_table.catalog.replica[ap-southeast-2]"]
    assert eu.loc.line == line_of(main, 'region_name = "eu-west-1"') - 1
    assert ap.loc.line == line_of(main, 'region_name            = "ap-southeast-2"') - 1


def test_written_values_and_provider_computed_defaults(ctx):
    ents = entities(load(BASIC, ctx))
    orders = ents["aws_dynamodb_table.orders"].attrs
    assert orders["pitr_enabled"].value is True and not orders["pitr_enabled"].default
    assert orders["deletion_protection"].value is True
    assert orders["table_name"].value == "orders"
    assert orders["tags"].value == {"backup": "daily", "team": "payments"}  # tags_all
    # computed by the provider, not written: default, no location
    assert orders["pitr_days"] == Value.absent(35)
    assert orders["table_class"].default and orders["table_class"].value == "STANDARD"

    sessions = ents["aws_dynamodb_table.sessions"].attrs
    # no PITR block written, and the plan says the block is known only after apply
    assert sessions["pitr_enabled"].known and sessions["pitr_enabled"].value is False
    assert sessions["pitr_enabled"].default
    assert sessions["deletion_protection"].default

    legacy = ents["aws_dynamodb_table.legacy"].attrs
    assert legacy["pitr_enabled"].value is False and not legacy["pitr_enabled"].default


def test_replicas_and_replica_resource(ctx):
    ents = entities(load(BASIC, ctx))
    eu = ents["aws_dynamodb_table.catalog.replica[eu-west-1]"].attrs
    ap = ents["aws_dynamodb_table.catalog.replica[ap-southeast-2]"].attrs
    assert eu["pitr_enabled"].value is False and eu["pitr_enabled"].default
    assert ap["pitr_enabled"].value is True and not ap["pitr_enabled"].default
    dr = ents["aws_dynamodb_table_replica.orders_dr"]
    assert dr.attrs["table_name"].value == "orders"
    assert dr.attrs["region"].value == "eu-west-1"  # provider aws.dr
    assert dr.parent == "aws_dynamodb_table.orders"  # from the configuration reference


def test_backup_entities_from_a_module(ctx):
    ents = entities(load(BASIC, ctx))
    prefix = 'module.backup["prod"].'
    daily = ents[prefix + "aws_backup_plan.this.rule[daily]"].attrs
    hourly = ents[prefix + "aws_backup_plan.this.rule[hourly]"].attrs
    assert daily["cold_after"].value == 30 and not daily["cold_after"].default
    assert daily["delete_after"].value == 365
    assert daily["completion_window"] == Value(180, None, None, True)
    assert daily["copy_actions"][0]["delete_after"].value == 90
    assert daily["copy_actions"][0]["cold_after"].value is None  # 0 from the provider
    assert hourly["cold_after"].value is None
    assert hourly["start_window"].value == 60 and hourly["start_window"].default
    assert hourly["schedule"].value == "cron(0 * ? * * *)"

    sel = ents[prefix + "aws_backup_selection.this"]
    assert sel.attrs["plan"].value == prefix + "aws_backup_plan.this"
    (resources,) = sel.attrs["resources"]
    assert not resources.known and "known only after apply" in resources.unknown
    assert sel.attrs["tags"][0]["key"].value == "backup"
    assert sel.report_loc is not None and sel.report_loc.path == "basic/main.tf"

    vault = ents[prefix + "aws_backup_vault.this"].attrs
    assert (vault["lock_min_days"].value, vault["lock_max_days"].value) == (7, 400)


def test_unknown_written_value_carries_absolute_references(ctx):
    res = load(BASIC, ctx)
    plan_id = res['module.backup["prod"].aws_backup_selection.this'].body.attrs["plan_id"]
    assert plan_id.unknown == "known only after apply"
    assert plan_id.refs == ('module.backup["prod"].aws_backup_plan.this.id',)


def test_regions_from_provider_configuration(ctx):
    res = load(BASIC, ctx)
    assert res["aws_dynamodb_table.orders"].region.value == "us-east-1"  # var.region
    assert res["aws_dynamodb_table_replica.orders_dr"].region.value == "eu-west-1"  # aws.dr
    # the module has no provider block: inherited from the root
    assert res['module.backup["prod"].aws_backup_vault.this'].region.value == "us-east-1"


def test_update_keeps_before_values(ctx):
    res = load(BASIC, ctx)
    assert res["aws_dynamodb_table.orders"].before is None  # no-op
    assert res["aws_dynamodb_table.catalog"].before is None  # create
    legacy = entities(res)["aws_dynamodb_table.legacy"].attrs
    assert legacy["pitr_enabled_before"].value is True
    assert legacy["pitr_enabled"].value is False
    assert legacy["deletion_protection_before"].value is False


def test_suppression_comment_above_the_resource(ctx):
    res = load(BASIC, ctx)
    (sup,) = res["aws_dynamodb_table.sessions"].suppressions
    assert sup.rule == "DDB001"
    assert sup.reason == "sessions are rebuilt from the event log"
    assert sup.loc.line == line_of(FIXTURES / "basic" / "main.tf", "ddb-guard:ignore")
    assert res["aws_dynamodb_table.orders"].suppressions == []


def test_without_sources_resources_point_at_the_plan_entry(ctx):
    res = load(BASIC, ctx, source_index=SourceIndex())
    orders = res["aws_dynamodb_table.orders"]
    assert orders.body.loc.path == "basic/plan.json"
    line = BASIC.read_text().splitlines()[orders.body.loc.line - 1]
    assert '"address": "aws_dynamodb_table.orders"' in line
    assert line_of(BASIC, '"resource_changes"') < orders.body.loc.line
    mod = res['module.backup["prod"].aws_backup_plan.this']
    line = BASIC.read_text().splitlines()[mod.body.loc.line - 1]
    assert 'module.backup[\\"prod\\"].aws_backup_plan.this"' in line
    assert mod.call_sites == () and orders.related == []
    assert orders.body.attrs["name"].loc == orders.body.loc  # written, at the resource


# --- the standalone plan: one line of JSON, no sources ---------------------------------


def test_compact_plan_locations_are_columns_on_line_one(ctx):
    res = load(STANDALONE, ctx)
    text = STANDALONE.read_text()
    for address, r in res.items():
        loc = r.body.loc
        assert loc.path == "standalone/plan.json" and loc.line == 1
        assert text[loc.column - 1 :].startswith('"address":' + json.dumps(address)), address


def test_instance_keys_and_module_regions(ctx):
    res = load(STANDALONE, ctx)
    a = res['module.tables[0].aws_dynamodb_table.t["a"]']
    assert a.region.value == "eu-north-1"  # the module's own provider block
    assert a.module_path == ("tables",)
    assert res["aws_dynamodb_table.v6"].region.value == "eu-central-1"  # provider v6 region
    env = res["aws_dynamodb_table.envregion"].region
    assert not env.known and "aws.noregion" in env.unknown
    ents = entities(res)
    assert ents['module.tables[0].aws_dynamodb_table.t["b"]'].attrs["pitr_enabled"].value is False
    assert ents["aws_backup_region_settings.this"].attrs["dynamodb_advanced"].value is True
    assert ents["aws_backup_region_settings.this"].attrs["region"].value == "ap-south-1"


def test_replacement_keeps_before(ctx):
    ents = entities(load(STANDALONE, ctx))
    rec = ents["aws_dynamodb_table.recreate"].attrs
    assert rec["deletion_protection_before"].value is True
    assert rec["pitr_enabled_before"].value is True and rec["pitr_enabled"].value is False


def test_planned_values_only(ctx):
    data = json.loads(STANDALONE.read_text())
    del data["resource_changes"]
    resources, notices = load_plan(STANDALONE, data, ctx)
    assert notices == []
    assert sorted(r.address for r in resources) == sorted(load(STANDALONE, ctx))


# --- source index details --------------------------------------------------------------


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_dynamic_block_in_source_counts_as_written(tmp_path):
    write(
        tmp_path / "main.tf",
        """resource "aws_dynamodb_table" "t" {
  name = "t"
  dynamic "point_in_time_recovery" {
    for_each = var.pitr ? [1] : []
    content {
      enabled = false
    }
  }
}
""",
    )
    plan = {
        "format_version": "1.2",
        "resource_changes": [
            {
                "address": "aws_dynamodb_table.t",
                "mode": "managed",
                "type": "aws_dynamodb_table",
                "name": "t",
                "change": {
                    "actions": ["create"],
                    "before": None,
                    "after": {"name": "t", "point_in_time_recovery": [{"enabled": False}]},
                    "after_unknown": {"arn": True},
                },
            }
        ],
        # Terraform leaves dynamic blocks out of the configuration expressions
        "configuration": {
            "root_module": {
                "resources": [
                    {
                        "type": "aws_dynamodb_table",
                        "name": "t",
                        "expressions": {"name": {"constant_value": "t"}},
                    }
                ]
            }
        },
    }
    ctx = ScanContext(root=tmp_path, env={})
    (res,), notices = load_plan(tmp_path / "plan.json", plan, ctx)
    assert notices == []
    pitr = to_entities([res])[0].attrs["pitr_enabled"]
    assert pitr.value is False and not pitr.default
    assert pitr.loc.line == 6


def test_installed_registry_module_is_indexed(tmp_path):
    write(
        tmp_path / "main.tf",
        'module "tables" {\n  source = "terraform-aws-modules/dynamodb-table/aws"\n}\n',
    )
    write(
        tmp_path / ".terraform/modules/modules.json",
        json.dumps(
            {
                "Modules": [
                    {"Key": "", "Dir": "."},
                    {"Key": "tables", "Dir": ".terraform/modules/tables"},
                ]
            }
        ),
    )
    write(
        tmp_path / ".terraform/modules/tables/main.tf",
        '\n\nresource "aws_dynamodb_table" "this" {\n}\n',
    )
    config = {
        "root_module": {
            "module_calls": {"tables": {"source": "terraform-aws-modules/dynamodb-table/aws"}}
        }
    }
    index = SourceIndex.build(tmp_path, ScanContext(root=tmp_path, env={}), config)
    loc = index["module.tables.aws_dynamodb_table.this"]
    assert (loc.path, loc.line) == (".terraform/modules/tables/main.tf", 3)
    assert index.modules["module.tables"].line == 1
    assert len(index) == 1 and list(index) == ["module.tables.aws_dynamodb_table.this"]


def test_source_blocks_skip_braces_in_strings_comments_and_heredocs():
    text = """# resource "aws_dynamodb_table" "commented" {
resource "aws_backup_plan" "p" {
  name = "a } b { c"
  /* } */
  description = <<-EOT
    } not a brace {
  EOT
  rule { rule_name = "x" }
  tags = {
    rule = "not an attribute of the block"
  }
  // ddb-guard:ignore BK002, BK003 reviewed
}
resource "aws_backup_vault" "v" {
  name = "v"
}
"""
    blocks = scan_blocks(text, "x.tf")
    assert [(b.labels, b.loc.line, b.end_line) for b in blocks] == [
        (("aws_backup_plan", "p"), 2, 13),
        (("aws_backup_vault", "v"), 14, 16),
    ]
    plan = blocks[0]
    assert sorted(plan.attrs) == ["description", "name", "tags"]
    (rule,) = plan.children("rule")
    assert rule.loc.line == 8 and rule.attrs["rule_name"][1] == '"x"'  # the value's first line
    assert [(s.rule, s.reason) for s in plan.suppressions] == [
        ("BK002", "reviewed"),
        ("BK003", "reviewed"),
    ]
    assert blocks[1].suppressions == []


# --- malformed input -------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        {"format_version": "1.2", "resource_changes": "nope"},
        {"format_version": "1.2", "resource_changes": [1]},
        {
            "format_version": "1.2",
            "resource_changes": [{"type": "aws_dynamodb_table", "change": []}],
        },
        {
            "format_version": "1.2",
            "resource_changes": [{"type": "aws_dynamodb_table", "change": {"actions": 3}}],
        },
        {
            "format_version": "1.2",
            "resource_changes": [{"type": "aws_dynamodb_table", "change": {"after": "x"}}],
        },
        {"format_version": "1.2", "resource_changes": [], "configuration": []},
        {"format_version": "1.2", "resource_changes": [], "configuration": {"provider_config": 1}},
        {"format_version": "1.2", "resource_changes": [], "variables": "x"},
        {"format_version": "1.2", "planned_values": {"root_module": {"resources": {}}}},
        {"format_version": "1.2", "planned_values": []},
        {"format_version": "1.2", "planned_values": {"root_module": {"child_modules": [3]}}},
        {"resource_changes": []},
        ["format_version"],
    ],
)
def test_malformed_plans_give_a_notice_naming_the_file(ctx, data):
    resources, notices = load_plan(BASIC, data, ctx)
    assert resources == []
    assert len(notices) == 1
    assert notices[0].path == "basic/plan.json" and notices[0].kind == "parse-error"


def test_change_without_address_is_skipped_with_a_notice(ctx):
    data = {
        "format_version": "1.2",
        "resource_changes": [
            {"type": "aws_dynamodb_table", "change": {"actions": ["create"], "after": {}}}
        ],
    }
    resources, notices = load_plan(BASIC, data, ctx, source_index=SourceIndex())
    assert resources == [] and len(notices) == 1 and "without address" in notices[0].message


def test_odd_values_inside_a_change_do_not_raise(ctx):
    data = json.loads(BASIC.read_text())
    rc = data["resource_changes"][0]["change"]
    rc["after"]["point_in_time_recovery"] = [{"enabled": "yes"}, {}]
    rc["after_unknown"] = {"replica": "x", "point_in_time_recovery": [[], True]}
    data["configuration"]["root_module"]["resources"][0]["expressions"] = {
        "name": 5,
        "replica": {"x": 1},
    }
    data["configuration"]["provider_config"]["aws"]["expressions"] = {"region": {"references": 7}}
    resources, notices = load_plan(BASIC, data, ctx)
    assert notices == []
    cat = next(r for r in resources if r.address == "aws_dynamodb_table.catalog")
    assert not cat.region.known
    table = to_entities([cat])[0]
    assert table.attrs["pitr_enabled"].value == "yes"  # kept as written, not guessed


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*prefix, i))


_STANDALONE = json.loads(STANDALONE.read_text())
_PATHS = list(_paths(_STANDALONE))[1:]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(picks=st.lists(st.tuples(st.sampled_from(_PATHS), _json), min_size=1, max_size=4))
def test_fuzzed_plans_never_raise(ctx, picks):
    data = copy.deepcopy(_STANDALONE)
    for path, value in picks:
        node = data
        try:
            for step in path[:-1]:
                node = node[step]
            node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    resources, notices = load_plan(STANDALONE, data, ctx, source_index=SourceIndex())
    assert all(n.path == "standalone/plan.json" for n in notices)
    to_entities(resources)


def test_load_plan_file_reports_bad_json_with_its_line(tmp_path):
    bad = write(
        tmp_path / "plan.json", '{\n  "format_version": "1.2",\n  "resource_changes": [,]\n}\n'
    )
    resources, (notice,) = load_plan_file(bad, ScanContext(root=tmp_path, env={}))
    assert resources == [] and notice.path == "plan.json" and notice.line == 3
    assert notice.kind == "parse-error"


def test_load_plan_file_not_a_plan_and_missing(tmp_path):
    ctx = ScanContext(root=tmp_path, env={})
    other = write(tmp_path / "x.json", '{"Resources": {}}')
    assert load_plan_file(other, ctx)[1][0].message.startswith("not a Terraform plan")
    _, (missing,) = load_plan_file(tmp_path / "gone.json", ctx)
    assert missing.kind == "parse-error"


def test_load_plan_file_end_to_end(ctx):
    resources, notices = load_plan_file(BASIC, ctx)
    assert notices == [] and len(resources) == 9


def test_plan_sources_read_ignore_comments_like_the_hcl_reader():
    from ddb_guard.terraform.hcl import ignore_in

    comment = "# ddb-guard:ignore DDB001 DDB003 lock table, ephemeral"
    text = 'resource "aws_dynamodb_table" "t" {\n  ' + comment + '\n  name = "t"\n}\n'
    (block,) = scan_blocks(text, "x.tf")
    assert [(s.rule, s.reason) for s in block.suppressions] == [
        ("DDB001", "lock table, ephemeral"),
        ("DDB003", "lock table, ephemeral"),
    ]
    assert ignore_in(comment) == (("DDB001", "DDB003"), "lock table, ephemeral")


# --- one suppression parser -------------------------------------------------------------

NO_RULE_TF = """resource "aws_dynamodb_table" "t" {
  # ddb-guard:ignore
  name     = "t"
  hash_key = "pk"
}
"""


def _sup001(path: Path, root: Path) -> list[tuple[str, int, str]]:
    from ddb_guard.pipeline import scan

    result = scan([path], ScanContext(root=root, env={}))
    return [(f.loc.path, f.loc.line, f.message) for f in result.findings if f.rule_id == "SUP001"]


def test_an_ignore_naming_no_rule_is_read_alike_from_hcl_and_from_a_plan(tmp_path):
    write(tmp_path / "main.tf", NO_RULE_TF)
    plan = {
        "format_version": "1.2",
        "resource_changes": [
            {
                "address": "aws_dynamodb_table.t",
                "mode": "managed",
                "type": "aws_dynamodb_table",
                "name": "t",
                "change": {"actions": ["create"], "after": {"name": "t", "hash_key": "pk"}},
            }
        ],
    }
    write(tmp_path / "plan.json", json.dumps(plan))
    from_hcl = _sup001(tmp_path / "main.tf", tmp_path)
    assert [(p, line) for p, line, _ in from_hcl] == [("main.tf", 2)]
    assert "names no rule" in from_hcl[0][2]
    # the directory: the plan supersedes the configuration, its resource carries the comment
    assert _sup001(tmp_path, tmp_path) == from_hcl


def test_a_plan_reports_a_module_manifest_it_cannot_read(tmp_path):
    write(tmp_path / "main.tf", 'module "m" {\n  source = "org/m/aws"\n}\n')
    write(tmp_path / ".terraform/modules/modules.json", "{not json")
    config = {"root_module": {"module_calls": {"m": {"source": "org/m/aws"}}}}
    data = {
        "format_version": "1.2",
        "configuration": config,
        "resource_changes": [
            {
                "address": "module.m.aws_dynamodb_table.t",
                "mode": "managed",
                "type": "aws_dynamodb_table",
                "name": "t",
                "change": {"actions": ["create"], "after": {"name": "t"}},
            }
        ],
    }
    ctx = ScanContext(root=tmp_path, env={})
    _, notices = load_plan(tmp_path / "plan.json", data, ctx)
    assert [(n.path, n.message, n.level) for n in notices] == [
        (".terraform/modules/modules.json", "cannot read the module manifest", "warning")
    ]
