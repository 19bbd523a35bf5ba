"""Which documents are CloudFormation / Serverless, and which are silently ignored."""

from __future__ import annotations

from pathlib import Path

import pytest

from ddb_guard.cloudformation import sniff
from ddb_guard.cloudformation.detect import might_be_template
from ddb_guard.parse.yaml_loader import load_json, load_yaml

P = Path("x")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("AWSTemplateFormatVersion: '2010-09-09'\n", "cloudformation"),
        ("Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n", "cloudformation"),
        ("Resources:\n  C:\n    Type: Custom::Thing\n", "cloudformation"),
        (
            "Transform: AWS::Serverless-2016-10-31\nResources:\n  T:\n"
            "    Type: AWS::Serverless::SimpleTable\n",
            "cloudformation",
        ),
        ("service: orders\nprovider:\n  name: aws\n", "serverless"),
        ("service: orders\nprovider:\n  name: azure\n", None),
        ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n", None),
        ("Resources:\n  X:\n    Type: Other::Thing\n", None),
        ("Resources: [a, b]\n", None),
        ("- a\n- b\n", None),
        ("just a string\n", None),
    ],
)
def test_sniff_yaml(text: str, expected: str | None) -> None:
    data, _ = load_yaml(text, "x.yaml")
    assert sniff(P, data) == expected


@pytest.mark.parametrize(
    "text",
    [
        '{"name": "app", "version": "1.0.0", "dependencies": {}}',
        '{"format_version": "1.2", "planned_values": {"root_module": {}}}',
        "[1, 2, 3]",
    ],
)
def test_sniff_json_negatives(text: str) -> None:
    assert sniff(P, load_json(text, "x.json")[0]) is None


def test_sniff_none() -> None:
    assert sniff(P, None) is None


def test_might_be_template() -> None:
    assert might_be_template("Resources:\n  T:\n    Type: AWS::S3::Bucket\n")
    assert might_be_template('{"AWSTemplateFormatVersion": "2010-09-09"}')
    assert not might_be_template("name: ci\non: push\njobs: {}\n")
