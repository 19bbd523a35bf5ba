"""SARIF URIs never escape %SRCROOT%: files outside the repository are named, not linked."""

from __future__ import annotations

import json
from pathlib import Path

from hostile_helpers import run_cli

MODULE = """variable "pitr" {
  default = false
}

resource "aws_dynamodb_table" "t" {
  name     = "shared"
  hash_key = "pk"
  point_in_time_recovery {
    enabled = var.pitr
  }
}
"""


def _uris(log: dict) -> list[str]:
    found: list[str] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            if "artifactLocation" in node:
                found.append(node["artifactLocation"]["uri"])
                assert node["artifactLocation"].get("uriBaseId") == "%SRCROOT%"
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(log)
    return found


def test_a_module_outside_the_repository_is_located_at_the_call(tmp_path: Path, sarif_validator):
    shared = tmp_path / "shared" / "mod"
    shared.mkdir(parents=True)
    (shared / "main.tf").write_text(MODULE)
    (shared / "broken.tf").write_text("resource {\n")
    repo = tmp_path / "repo"
    (repo / "live").mkdir(parents=True)
    (repo / ".git").mkdir()
    (repo / "live" / "main.tf").write_text(
        'module "m" {\n  source = "../../shared/mod"\n  pitr   = false\n}\n'
    )
    result = run_cli(repo, "scan", "--format", "sarif", ".")
    log = json.loads(result.stdout)
    sarif_validator.validate(log)
    uris = _uris(log)
    assert uris and all(not u.startswith(("file:", "..", "/")) for u in uris), uris
    results = log["runs"][0]["results"]
    ddb001 = next(r for r in results if r["ruleId"] == "DDB001")
    where = ddb001["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert where == "live/main.tf"
    text = json.dumps(log)
    assert "shared/mod/main.tf" in text  # named in a message or description
