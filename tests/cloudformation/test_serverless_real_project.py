"""A real public Serverless project that splits its resources into ``${file()}`` includes:
AnomalyInnovations/serverless-stack-demo-api (trimmed copy in
tests/fixtures/serverless/notes-app-2-api, see its README).

What we expect, written down before the first scan:

- one table, ``NotesTable``, written in ``resources/dynamodb-table.yml`` (line 2), which
  ``serverless.yml`` includes at line 62 (``- ${file(resources/dynamodb-table.yml)}``);
- its name is ``${self:custom.tableName}`` = ``${self:custom.stage}-notes`` with
  ``custom.stage: ${opt:stage, self:provider.stage}``: ``dev-notes`` without ``--stage``
  (``provider.stage: dev``), ``prod-notes`` with ``--stage prod``;
- it sets no PITR, no deletion protection and no DeletionPolicy/UpdateReplacePolicy:
  DDB001 (error), DDB003 (warning) and DDB004 (warning), each located at the logical id
  in the included file, with the include line of serverless.yml as related location, and
  the stage in the message;
- nothing else: the four other fragments hold no table and no backup plan, and no
  fragment is also judged on its own (no second copy of any finding);
- ``${env:STRIPE_SECRET_KEY}`` sits in ``provider.environment``, which ddb-guard does not
  need: no notice; the scan has no notices at all;
- the region is ``us-east-1`` (``provider.region``); the stack tag ``STAGE`` is the stage.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ddb_guard.cli import main
from ddb_guard.config import Config
from ddb_guard.context import ScanContext
from ddb_guard.pipeline import scan

PROJECT = Path(__file__).resolve().parents[1] / "fixtures" / "serverless" / "notes-app-2-api"
FRAGMENT = "resources/dynamodb-table.yml"
EXPECTED = [
    ("DDB001", "error", FRAGMENT, 2),
    ("DDB003", "warning", FRAGMENT, 2),
    ("DDB004", "warning", FRAGMENT, 2),
]
INCLUDE_LINE = ("serverless.yml", 62)


def _scan(stage: str | None = None):
    ctx = ScanContext(root=PROJECT, env={}, serverless_stage=stage)
    return scan([PROJECT], ctx, Config())


@pytest.mark.parametrize(("stage", "name"), [(None, "dev"), ("prod", "prod")])
def test_findings_as_expected(stage: str | None, name: str) -> None:
    result = _scan(stage)
    got = [(f.rule_id, f.level, f.loc.path, f.loc.line) for f in result.findings]
    assert got == EXPECTED
    assert result.notices == []
    for f in result.findings:
        assert f.address == "NotesTable"
        assert f"NotesTable (stage {name})" in f.message
        assert [(loc.path, loc.line) for loc, _ in f.related] == [INCLUDE_LINE]
    (table,) = result.model.of_kind("table")
    assert table.attrs["table_name"].value == f"{name}-notes"
    assert table.attrs["region"].value == "us-east-1"
    assert table.attrs["tags"].value == {"STAGE": name}
    assert "resources/s3-bucket.yml" in result.files  # read, as part of the service


def test_sarif_related_location_and_stage_option(tmp_path: Path) -> None:
    work = tmp_path / "notes"
    shutil.copytree(PROJECT, work)
    old = os.getcwd()
    os.chdir(work)
    try:
        run = CliRunner().invoke(main, ["scan", "--stage", "prod", "--format", "sarif", "."])
    finally:
        os.chdir(old)
    assert run.exit_code == 1, run.output
    results = json.loads(run.stdout)["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["DDB001", "DDB003", "DDB004"]
    first = results[0]
    where = first["locations"][0]["physicalLocation"]
    assert where["artifactLocation"]["uri"] == FRAGMENT
    (related,) = first["relatedLocations"]
    assert related["physicalLocation"]["artifactLocation"]["uri"] == "serverless.yml"
    assert related["physicalLocation"]["region"]["startLine"] == 62
    assert "(stage prod)" in first["message"]["text"]


def test_fragment_named_alone_is_judged_with_its_service(tmp_path: Path) -> None:
    """pre-commit passes the changed fragment only: its service is found above it."""
    work = tmp_path / "notes"
    shutil.copytree(PROJECT, work)
    ctx = ScanContext(root=work, env={})
    result = scan([work / FRAGMENT], ctx, Config())
    got = [(f.rule_id, f.loc.path, f.loc.line) for f in result.findings]
    assert got == [(rule, path, line) for rule, _, path, line in EXPECTED]
    assert all("(stage dev)" in f.message for f in result.findings)
    # a fragment that holds no table reports nothing, and is not judged on its own
    assert scan([work / "resources/s3-bucket.yml"], ctx, Config()).findings == []


def test_directory_of_fragments_is_judged_with_its_service(tmp_path: Path) -> None:
    work = tmp_path / "notes"
    shutil.copytree(PROJECT, work)
    result = scan([work / "resources"], ScanContext(root=work, env={}), Config())
    got = [(f.rule_id, f.loc.path, f.loc.line) for f in result.findings]
    assert got == [(rule, path, line) for rule, _, path, line in EXPECTED]
    assert all("(stage dev)" in f.message for f in result.findings)


def test_config_stage_and_option_precedence(tmp_path: Path) -> None:
    work = tmp_path / "notes"
    shutil.copytree(PROJECT, work)
    (work / ".ddb-guard.toml").write_text('serverless-stage = "staging"\n')

    def names(*args: str) -> set[str]:
        old = os.getcwd()
        os.chdir(work)
        try:
            run = CliRunner().invoke(main, ["scan", "--format", "json", *args, "."])
        finally:
            os.chdir(old)
        assert run.exit_code == 1, run.output
        return {f["message"].split(")")[0] + ")" for f in json.loads(run.stdout)["findings"]}

    assert names() == {"Table NotesTable (stage staging)"}
    assert names("--stage", "prod") == {"Table NotesTable (stage prod)"}
