"""Table size sources: --table-size, config, Infracost usage files, describe-table JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from enrich_builders import CLOUDFORMATION, table

from ddb_guard.config import Config
from ddb_guard.context import ScanContext
from ddb_guard.enrich.settings import EnrichSettings
from ddb_guard.enrich.sizes import (
    SizeTable,
    TableSize,
    candidate_keys,
    parse_describe_table,
    parse_size_value,
    parse_usage_file,
)
from ddb_guard.errors import ConfigError


@pytest.mark.parametrize(
    ("text", "gb"),
    [("500", 500), ("1.5TB", 1536), ("750 GB", 750), ("512MiB", 0.5), (".5", 0.5)],
)
def test_size_values(text: str, gb: float) -> None:
    assert parse_size_value(text) == gb


@pytest.mark.parametrize("text", ["", "abc", "-5", "5 parsecs", "1e3"])
def test_bad_size_values(text: str) -> None:
    assert parse_size_value(text) is None


def test_usage_file(tmp_path: Path) -> None:
    f = tmp_path / "infracost-usage.yml"
    f.write_text(
        "version: 0.1\nresource_usage:\n"
        "  aws_dynamodb_table.orders:\n    storage_gb: 230\n"
        "  module.m.aws_dynamodb_table.t[*]:\n    storage_gb: 12.5\n"
        "  aws_dynamodb_table.bad:\n    storage_gb: lots\n"
        "  aws_lambda_function.f:\n    monthly_requests: 5\n"
    )
    sizes, notices = parse_usage_file(f, "infracost-usage.yml")
    assert sizes["aws_dynamodb_table.orders"].gb == 230
    assert sizes["module.m.aws_dynamodb_table.t[*]"].gb == 12.5
    assert (
        "Infracost usage aws_dynamodb_table.orders.storage_gb"
        in sizes["aws_dynamodb_table.orders"].source
    )
    assert len(notices) == 1 and "aws_dynamodb_table.bad.storage_gb" in notices[0].message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("resource_usage: [\n", "Infracost usage file:"),
        ("just: text\n", "has no 'resource_usage' mapping"),
        ("resource_usage:\n  aws_lambda_function.f: {}\n", "no aws_dynamodb_table entry"),
    ],
)
def test_malformed_usage_files_give_notices(tmp_path: Path, content: str, message: str) -> None:
    f = tmp_path / "u.yml"
    f.write_text(content)
    sizes, notices = parse_usage_file(f, "u.yml")
    assert sizes == {}
    assert message in notices[0].message and notices[0].path == "u.yml"


def test_missing_file_is_a_notice(tmp_path: Path) -> None:
    sizes, notices = parse_usage_file(tmp_path / "nope.yml", "nope.yml")
    assert sizes == {} and "cannot read" in notices[0].message


def test_describe_table(tmp_path: Path) -> None:
    f = tmp_path / "orders.json"
    f.write_text(json.dumps({"Table": {"TableName": "orders", "TableSizeBytes": 500 * 1024**3}}))
    sizes, notices = parse_describe_table(f, "orders.json")
    assert sizes["orders"].gb == 500 and notices == []
    assert "describe-table TableSizeBytes" in sizes["orders"].source


def test_describe_table_list_and_bad_items(tmp_path: Path) -> None:
    f = tmp_path / "all.json"
    f.write_text(
        json.dumps(
            [
                {"Table": {"TableName": "a", "TableSizeBytes": 1024**3}},
                {"Table": {"TableName": "b"}},
            ]
        )
    )
    sizes, notices = parse_describe_table(f, "all.json")
    assert list(sizes) == ["a"]
    assert "(item 2)" in notices[0].message


def test_lookup_keys_of_a_quoted_instance_key_with_brackets_and_dots() -> None:
    t = table("x", address='module.m["k"].aws_dynamodb_table.t["a.b]"]')
    assert candidate_keys(t)[:3] == [
        'module.m["k"].aws_dynamodb_table.t["a.b]"]',
        'module.m["k"].aws_dynamodb_table.t[*]',
        'module.m["k"].aws_dynamodb_table.t',
    ]


def test_describe_table_invalid_json(tmp_path: Path) -> None:
    f = tmp_path / "x.json"
    f.write_text('{"Table": ')
    sizes, notices = parse_describe_table(f, "x.json")
    assert sizes == {} and notices[0].kind == "parse-error" and notices[0].line == 1


def test_lookup_by_address_name_and_logical_id() -> None:
    t = table("orders-prod", address="aws_dynamodb_table.orders[0]")
    assert candidate_keys(t)[:4] == [
        "aws_dynamodb_table.orders[0]",
        "aws_dynamodb_table.orders[*]",
        "aws_dynamodb_table.orders",
        "orders-prod",
    ]
    st = SizeTable({"orders-prod": TableSize(5, "x")})
    assert st.lookup(t)[1].gb == 5
    cfn = table("Orders", source=CLOUDFORMATION, region=None)
    assert SizeTable({"Orders": TableSize(1, "y")}).lookup(cfn) is not None


def test_settings_precedence_and_lazy_loading(tmp_path: Path) -> None:
    usage = tmp_path / "usage.yml"
    usage.write_text("resource_usage:\n  aws_dynamodb_table.orders:\n    storage_gb: 200\n")
    describe = tmp_path / "d.json"
    describe.write_text(json.dumps({"Table": {"TableName": "users", "TableSizeBytes": 1024**3}}))
    config = Config(
        tables={"orders": {"size_gb": 50}, "users": {"size_gb": 60}, "logs": {"size_gb": 70}},
        source="pyproject.toml [tool.ddb-guard]",
    )
    ctx = ScanContext(root=tmp_path)
    s = EnrichSettings.from_options(
        config,
        ctx,
        table_sizes=[("orders", "300")],
        describe_files=[describe],
        usage_files=[usage],
    )
    assert s._sizes is None  # nothing read yet
    sizes = s.sizes().sizes
    assert sizes["orders"].gb == 300  # CLI beats everything
    assert sizes["aws_dynamodb_table.orders"].gb == 200
    assert sizes["users"].gb == 1  # describe-table beats config
    assert sizes["logs"].source == "pyproject.toml [tool.ddb-guard] tables.logs.size_gb"
    assert s.notices() == []


def test_bad_table_size_option_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="--table-size orders=big"):
        EnrichSettings.from_options(
            Config(), ScanContext(root=tmp_path), table_sizes=[("orders", "big")]
        )


def test_region_source_from_config(tmp_path: Path) -> None:
    config = Config(region="eu-west-1", source="pyproject.toml [tool.ddb-guard]")
    ctx = ScanContext(root=tmp_path, default_region="eu-west-1")
    s = EnrichSettings.from_config(config, ctx)
    assert s.default_region == "eu-west-1"
    assert s.default_region_source == "region eu-west-1 from pyproject.toml [tool.ddb-guard]"
