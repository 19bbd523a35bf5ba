"""``.tf.json`` (Terraform JSON syntax, cdktf output): same semantics as HCL."""

from __future__ import annotations

import json
from pathlib import Path

from tf_helpers import load

from ddb_guard.terraform.tfjson import JsonSyntaxError, parse_json, parse_tfjson

CDKTF = {
    "//": {"metadata": {"backend": "local", "stackName": "app", "version": "0.20.0"}},
    "provider": {"aws": [{"region": "eu-central-1"}]},
    "variable": {"pitr": {"type": "bool", "default": True}},
    "locals": {"prefix": "app"},
    "resource": {
        "aws_dynamodb_table": {
            "SessionsTable_1A2B": {
                "//": {"metadata": {"path": "app/SessionsTable", "uniqueId": "SessionsTable_1A2B"}},
                "name": "${local.prefix}-sessions",
                "billing_mode": "PAY_PER_REQUEST",
                "hash_key": "id",
                "attribute": [{"name": "id", "type": "S"}],
                "point_in_time_recovery": {"enabled": "${var.pitr}"},
                "deletion_protection_enabled": False,
                "tags": {"Name": "${upper(local.prefix)}", "Cost": "$${literal}"},
                "dynamic": {
                    "replica": {
                        "for_each": ["us-east-1"],
                        "content": {"region_name": "${replica.value}"},
                    }
                },
            }
        }
    },
}


def test_cdktf_output(tmp_path: Path) -> None:
    text = json.dumps(CDKTF, indent=2)
    res, notices = load(tmp_path, {"cdk.tf.json": text})
    assert notices == []
    t = res["aws_dynamodb_table.SessionsTable_1A2B"]
    assert t.display_name == "app/SessionsTable"
    assert t.region.value == "eu-central-1"
    body = t.body
    assert body.attr("name").value == "app-sessions"
    enabled = body.first("point_in_time_recovery").attr("enabled")
    assert enabled.value is True  # "${var.pitr}" keeps the bool type
    assert body.attr("deletion_protection_enabled").value is False
    assert body.attr("tags").value == {"Name": "APP", "Cost": "${literal}"}
    assert [r.attr("region_name").value for r in body.blocks["replica"]] == ["us-east-1"]
    assert body.blocks["attribute"][0].attr("name").value == "id"
    # positions point into the JSON file
    lines = text.splitlines()
    assert t.body.loc.path == "cdk.tf.json"
    assert '"SessionsTable_1A2B"' in lines[t.body.loc.line - 1]
    name_loc = body.attr("name").loc
    assert '"name"' in lines[name_loc.line - 1]
    assert lines[name_loc.line - 1][name_loc.column - 1] == '"'


def test_mixed_hcl_and_json_module(tmp_path: Path) -> None:
    res, _ = load(
        tmp_path,
        {
            "vars.tf": 'variable "env" { default = "prod" }\n',
            "main.tf.json": json.dumps(
                {"resource": {"aws_dynamodb_table": {"t": [{"name": "${var.env}-t", "count": 1}]}}}
            ),
        },
    )
    assert res["aws_dynamodb_table.t"].body.attr("name").value == "prod-t"


def test_json_syntax_errors_are_notices(tmp_path: Path) -> None:
    hf = parse_tfjson('{\n  "resource": {\n    "x": [1,,]\n  }\n}', "bad.tf.json")
    (n,) = hf.notices
    assert (n.line, n.kind) == (3, "parse-error")
    assert parse_tfjson("[1]", "a.tf.json").notices[0].message.startswith("a .tf.json file")
    bad_template = json.dumps({"resource": {"aws_dynamodb_table": {"t": {"name": "${var."}}}})
    res, _ = load(tmp_path, {"t.tf.json": bad_template})
    assert "syntax error" in (res["aws_dynamodb_table.t"].body.attr("name").unknown or "")


def test_parse_json_positions_and_depth() -> None:
    node = parse_json('{"a": [1, 2.5, "x", null, true]}')
    assert node.plain() == {"a": [1, 2.5, "x", None, True]}
    key, start, child = node.items[0]
    assert (key, start, child.start) == ("a", 1, 6)
    try:
        parse_json("[" * 500 + "]" * 500)
    except JsonSyntaxError as exc:
        assert "nested" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("depth limit not enforced")
