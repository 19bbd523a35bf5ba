"""Provider ``default_tags`` are tags of every resource of the provider (resource wins)."""

from __future__ import annotations

from pathlib import Path

from tf_helpers import load

from ddb_guard.terraform.to_model import to_entities

PROVIDERS = """
provider "aws" {
  region = "us-east-1"
  default_tags {
    tags = {
      backup = "daily"
      team   = "core"
    }
  }
}
provider "aws" {
  alias  = "west"
  region = "us-west-2"
  default_tags {
    tags = {
      backup = "weekly"
    }
  }
}
"""


def _tags(tmp_path: Path, files: dict[str, str]) -> dict[str, dict]:
    resources, _ = load(tmp_path, files)
    return {
        e.address: e.attrs["tags"].value
        for e in to_entities(list(resources.values()))
        if e.kind == "table"
    }


def test_default_and_aliased_provider_tags_merge_under_resource_tags(tmp_path: Path) -> None:
    main = """
resource "aws_dynamodb_table" "plain" {
  name = "plain"
}
resource "aws_dynamodb_table" "own" {
  name = "own"
  tags = { team = "payments", cost = "x" }
}
resource "aws_dynamodb_table" "west" {
  provider = aws.west
  name     = "west"
}
"""
    tags = _tags(tmp_path, {"providers.tf": PROVIDERS, "main.tf": main})
    assert tags["aws_dynamodb_table.plain"] == {"backup": "daily", "team": "core"}
    assert tags["aws_dynamodb_table.own"] == {"backup": "daily", "team": "payments", "cost": "x"}
    assert tags["aws_dynamodb_table.west"] == {"backup": "weekly"}


def test_default_tags_reach_modules_through_providers(tmp_path: Path) -> None:
    main = """
module "inherits" {
  source = "./m"
}
module "mapped" {
  source    = "./m"
  providers = { aws = aws.west }
}
"""
    child = 'resource "aws_dynamodb_table" "t" {\n  name = "t"\n}\n'
    tags = _tags(tmp_path, {"providers.tf": PROVIDERS, "main.tf": main, "m/main.tf": child})
    assert tags["module.inherits.aws_dynamodb_table.t"]["backup"] == "daily"
    assert tags["module.mapped.aws_dynamodb_table.t"] == {"backup": "weekly"}


def test_unknown_default_tags_make_tags_unknown(tmp_path: Path) -> None:
    files = {
        "main.tf": """
variable "tags" {
  type = map(string)
}
provider "aws" {
  region = "us-east-1"
  default_tags {
    tags = var.tags
  }
}
resource "aws_dynamodb_table" "t" {
  name = "t"
}
"""
    }
    resources, _ = load(tmp_path, files)
    (table,) = [e for e in to_entities(list(resources.values())) if e.kind == "table"]
    assert "var.tags" in table.attrs["tags"].unknown


def test_default_tags_in_tf_json(tmp_path: Path) -> None:
    main = (
        '{"provider": {"aws": [{"region": "us-east-1", '
        '"default_tags": [{"tags": {"backup": "daily"}}]}]}, '
        '"resource": {"aws_dynamodb_table": {"t": {"name": "t", "tags": {"x": "1"}}}}}'
    )
    tags = _tags(tmp_path, {"main.tf.json": main})
    assert tags["aws_dynamodb_table.t"] == {"backup": "daily", "x": "1"}
