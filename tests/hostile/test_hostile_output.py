"""Scanned values cannot forge workflow commands or drive the terminal in any format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hostile_helpers import run_cli

from ddb_guard.report.safe import clean, clean_path, json_safe, markdown

INJECT = "x\n::error title=INJECTED::pwned\r\n::add-mask::y\x1b]8;;http://evil\x1b\\\x9b2J\u2028z"
UNSAFE_CHARS = ["\x1b", "\x9b", "\u2028", "\u2029", "\r"]

TEMPLATE = {
    "AWSTemplateFormatVersion": "2010-09-09",
    "Resources": {
        "Orders" + INJECT: {
            "Type": "AWS::DynamoDB::Table",
            "Metadata": {"aws:cdk:path": "Stack/" + INJECT},
            "Properties": {
                "TableName": "orders" + INJECT,
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                "BillingMode": "PAY_PER_REQUEST",
            },
        }
    },
}

HCL = (
    'resource "aws_dynamodb_table" "t" {\n'
    '  name     = "orders\\n::error title=INJECTED::pwned\\u001b[2J\\u2028"\n'
    '  hash_key = "pk"\n'
    "}\n"
)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "template.json").write_text(json.dumps(TEMPLATE), encoding="utf-8")
    (tmp_path / "main.tf").write_text(HCL)
    weird = tmp_path / "::warning title=FILE::x"
    weird.mkdir()
    (weird / "t.tf").write_text('resource "aws_dynamodb_table" "w" {\n  hash_key = "pk"\n}\n')
    return tmp_path


def _assert_inert(out: str) -> None:
    for ch in UNSAFE_CHARS:
        assert ch not in out, repr(ch)
    assert "INJECTED" in out  # the value is shown, only made inert


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_no_scanned_value_starts_a_workflow_command(repo: Path, fmt: str):
    result = run_cli(repo, "scan", "--format", fmt, "--no-color", ".")
    out = result.stdout
    _assert_inert(out)
    lines = out.splitlines()
    if fmt == "github":
        assert all(ln.startswith(("::error ", "::warning ", "::notice ")) for ln in lines)
        assert not any("title=INJECTED" in ln.split("::")[1] for ln in lines)
        assert not any(ln.startswith("::add-mask") for ln in lines)
    else:
        assert not any(ln.lstrip().startswith("::") for ln in lines), out


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_json_formats_escape_what_a_log_would_act_on(repo: Path, fmt: str):
    result = run_cli(repo, "scan", "--format", fmt, ".")
    _assert_inert(result.stdout)
    json.loads(result.stdout)


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_cost_report_cells_are_inert(repo: Path, fmt: str):
    result = run_cli(repo, "cost", "--format", fmt, ".")
    _assert_inert(result.stdout)
    assert not any(ln.lstrip().startswith("::") for ln in result.stdout.splitlines())


def test_clean_escapes_every_control_and_separator():
    assert clean("a\nb\rc\td\x1be\x85f\u2028g\u2029h\u202ei") == (
        "a\\nb\\rc\\td\\x1be\\x85f\\u2028g\\u2029h\\u202ei"
    )
    assert clean("plain: text") == "plain: text"
    assert clean_path("::error::x.tf") == "./::error::x.tf"
    assert markdown("a|b<script>[x](y)") == "a\\|b\\<script\\>\\[x\\](y)"
    assert json.loads(json_safe(json.dumps("\u2028\x85", ensure_ascii=False))) == "\u2028\x85"
