"""CloudFormation/SAM parameter values from the command line, parameter files and
samconfig (issue 13): a parameter without Default that is given a value is judged at the
rule's level; a value no template declares is a warning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ddb_guard.cli import main

TEMPLATE = """AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  EnablePitr:
    Type: String
    AllowedValues: ["true", "false"]
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      DeletionProtectionEnabled: true
      KeySchema: [{AttributeName: pk, KeyType: HASH}]
      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
      PointInTimeRecoverySpecification:
        PointInTimeRecoveryEnabled: !Ref EnablePitr
"""


@pytest.fixture
def stack(tmp_path: Path) -> Path:
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    return tmp_path


def _scan(stack: Path, *args: str):
    return CliRunner().invoke(
        main,
        ["scan", str(stack), "--root", str(stack), "--select", "DDB001", *args],
        catch_exceptions=False,
    )


def test_without_a_value_it_is_a_note(stack: Path) -> None:
    result = _scan(stack)
    assert "DDB001 [note]" in result.output
    assert "which has no Default" in result.output
    assert result.exit_code == 0


@pytest.mark.parametrize(
    "args",
    [
        ("--param", "EnablePitr=false"),
        ("--parameter-overrides", "Other=1 EnablePitr=false"),
        ("--parameter-overrides", "ParameterKey=EnablePitr,ParameterValue=false"),
    ],
)
def test_command_line_value_is_judged_at_the_rules_level(stack: Path, args) -> None:
    result = _scan(stack, *args)
    assert "DDB001 [error]" in result.output
    assert result.exit_code == 1


def test_a_true_value_passes(stack: Path) -> None:
    result = _scan(stack, "--param", "EnablePitr=true")
    assert result.exit_code == 0 and "DDB001" not in result.output


@pytest.mark.parametrize(
    "doc",
    [
        [{"ParameterKey": "EnablePitr", "ParameterValue": "false"}],
        {"Parameters": {"EnablePitr": "false"}},
    ],
)
def test_param_file_both_forms(stack: Path, tmp_path_factory, doc) -> None:
    f = tmp_path_factory.mktemp("p") / "params.json"
    f.write_text(json.dumps(doc))
    result = _scan(stack, "--param-file", str(f))
    assert "DDB001 [error]" in result.output


def test_param_overrides_param_file(stack: Path, tmp_path_factory) -> None:
    f = tmp_path_factory.mktemp("p") / "params.json"
    f.write_text(json.dumps({"Parameters": {"EnablePitr": "false"}}))
    result = _scan(stack, "--param-file", str(f), "--param", "EnablePitr=true")
    assert result.exit_code == 0


def test_bad_param_file_is_exit_2(stack: Path, tmp_path_factory) -> None:
    f = tmp_path_factory.mktemp("p") / "params.json"
    f.write_text('{"Stack": 1}')
    result = _scan(stack, "--param-file", str(f))
    assert result.exit_code == 2 and "--param-file" in result.output
    missing = _scan(stack, "--param-file", str(f.parent / "nope.json"))
    assert missing.exit_code == 2 and "no such file" in missing.output


def test_undeclared_value_is_a_warning(stack: Path) -> None:
    result = _scan(stack, "--param", "EnablePitr=true", "--param", "Typo=1")
    assert "notice [warning]: --param Typo: no scanned template declares parameter 'Typo'" in (
        result.output
    )
    assert "EnablePitr" not in result.output


SAMCONFIG_TOML = """version = 0.1
[default.deploy.parameters]
parameter_overrides = "EnablePitr=false"
[prod.deploy.parameters]
parameter_overrides = ["EnablePitr=true"]
"""


def test_samconfig_toml_and_config_env(stack: Path) -> None:
    (stack / "samconfig.toml").write_text(SAMCONFIG_TOML)
    assert "DDB001 [error]" in _scan(stack).output
    assert _scan(stack, "--config-env", "prod").exit_code == 0
    assert _scan(stack, "--param", "EnablePitr=true").exit_code == 0  # the command line wins


def test_samconfig_yaml(stack: Path) -> None:
    (stack / "samconfig.yaml").write_text(
        "version: 0.1\ndefault:\n  deploy:\n    parameters:\n"
        "      parameter_overrides: EnablePitr=false\n"
    )
    assert "DDB001 [error]" in _scan(stack).output


def test_values_apply_only_to_templates_declaring_them(stack: Path) -> None:
    other = stack / "other"
    other.mkdir()
    (other / "template.yaml").write_text(
        TEMPLATE.replace("EnablePitr", "Pitr").replace("Table:", "Other:")
    )
    result = _scan(stack, "--param", "EnablePitr=false")
    assert "template.yaml:15:37: DDB001 [error]" in result.output
    assert "other/template.yaml:15:37: DDB001 [note]" in result.output
    assert "no scanned template declares" not in result.output
