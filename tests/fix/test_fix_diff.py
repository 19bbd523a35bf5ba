"""`ddb-guard fix --diff` snapshots per front-end, and the byte-level promises: CRLF stays
CRLF, a missing trailing newline stays missing, --diff writes nothing, exit codes."""

from __future__ import annotations

from fix_helpers import fix, snapshot

TF_RESOURCE = """\
# Orders: the source of truth.
resource "aws_dynamodb_table" "orders" {
  name         = "orders" # keep the name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }
}
"""

TF_RESOURCE_DIFF = """\
--- a/main.tf
+++ b/main.tf
@@ -8,4 +8,10 @@
     name = "id"
     type = "S"
   }
+
+  point_in_time_recovery {
+    enabled = true
+  }
+
+  deletion_protection_enabled = true
 }
"""

TF_VARIABLE = """\
variable "pitr" {
  type    = bool
  default = false # off while prototyping
}

resource "aws_dynamodb_table" "orders" {
  name                        = "orders"
  hash_key                    = "id"
  deletion_protection_enabled = true

  attribute {
    name = "id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = var.pitr
  }
}
"""

TF_VARIABLE_DIFF = """\
--- a/main.tf
+++ b/main.tf
@@ -1,6 +1,6 @@
 variable "pitr" {
   type    = bool
-  default = false # off while prototyping
+  default = true # off while prototyping
 }
<SP>
 resource "aws_dynamodb_table" "orders" {
""".replace("<SP>", " ")  # a blank context line is one space

CFN_TABLE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  # the orders table
  Orders:
    Type: AWS::DynamoDB::Table
    DeletionPolicy: 'Delete'
    Properties:
      BillingMode: PAY_PER_REQUEST   # on demand
      KeySchema:
        - {AttributeName: id, KeyType: HASH}
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S
"""

CFN_TABLE_DIFF = """\
--- a/template.yaml
+++ b/template.yaml
@@ -2,9 +2,13 @@
 Resources:
   # the orders table
   Orders:
+    UpdateReplacePolicy: Retain
     Type: AWS::DynamoDB::Table
-    DeletionPolicy: 'Delete'
+    DeletionPolicy: 'Retain'
     Properties:
+      PointInTimeRecoverySpecification:
+        PointInTimeRecoveryEnabled: true
+      DeletionProtectionEnabled: true
       BillingMode: PAY_PER_REQUEST   # on demand
       KeySchema:
         - {AttributeName: id, KeyType: HASH}
"""


def _diff(tmp_path, name: str, text: str, *args: str):
    root = tmp_path / "repo"
    root.mkdir()
    (root / name).write_bytes(text.encode())
    before = snapshot(root)
    result = fix(root, name, "--diff", *args)
    assert snapshot(root) == before, "--diff wrote a file"
    return result


def test_diff_terraform_resource(tmp_path):
    result = _diff(tmp_path, "main.tf", TF_RESOURCE)
    assert result.stdout == TF_RESOURCE_DIFF
    assert result.exit_code == 0  # nothing remains once the fixes apply


def test_diff_terraform_variable_default(tmp_path):
    result = _diff(tmp_path, "main.tf", TF_VARIABLE)
    assert result.stdout == TF_VARIABLE_DIFF
    assert "main.tf:3: DDB001: would fix: false -> true" in result.stderr


def test_diff_cloudformation_yaml_table(tmp_path):
    result = _diff(tmp_path, "template.yaml", CFN_TABLE)
    assert result.stdout == CFN_TABLE_DIFF


def test_fix_keeps_crlf_and_missing_final_newline(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    text = TF_RESOURCE.replace("\n", "\r\n").rstrip("\r\n")
    (root / "main.tf").write_bytes(text.encode())
    result = fix(root, "main.tf")
    assert result.exit_code == 0, result.output
    data = (root / "main.tf").read_bytes()
    assert b"point_in_time_recovery {\r\n    enabled = true\r\n  }\r\n" in data
    assert data.count(b"\n") == data.count(b"\r\n")  # no bare LF
    assert data.endswith(b"}") and data.startswith(text.split("\r\n}")[0].encode())


def test_expression_is_not_rewritten_and_exit_code_is_1(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    text = TF_VARIABLE.replace("enabled = var.pitr", 'enabled = var.env == "prod"')
    text = text.replace(
        'variable "pitr" {', 'variable "env" {\n  default = "dev"\n}\n\nvariable "pitr" {'
    )
    (root / "main.tf").write_text(text)
    result = fix(root, "main.tf")
    assert result.exit_code == 1
    assert "not fixed: decided by the expression at main.tf:21" in result.stdout
    assert (root / "main.tf").read_text() == text


def test_generated_files_are_not_edited(tmp_path):
    root = tmp_path / "repo"
    (root / ".terraform" / "modules" / "t").mkdir(parents=True)
    (root / "cdk.out").mkdir()
    (root / "cdk.out" / "Stack.template.yaml").write_text(CFN_TABLE)
    result = fix(root, "cdk.out")
    assert "fix the source (construct or module) instead" in result.stdout
    assert (root / "cdk.out" / "Stack.template.yaml").read_text() == CFN_TABLE


def test_select_limits_the_fixes(tmp_path):
    result = _diff(tmp_path, "main.tf", TF_RESOURCE, "--select", "DDB003")
    assert "deletion_protection_enabled = true" in result.stdout
    assert "point_in_time_recovery" not in result.stdout


def test_errors_exit_2(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    result = fix(root, "--var-file", "missing.tfvars")
    assert result.exit_code == 2


TF_TFVARS = """\
variable "pitr" {
  type = bool
}

resource "aws_dynamodb_table" "orders" {
  name                        = "orders"
  hash_key                    = "id"
  deletion_protection_enabled = true

  attribute {
    name = "id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = var.pitr
  }
}
"""

CFN_PARAMETER = """\
Parameters:
  Pitr:
    Type: String
    Default: 'false'  # off in dev
Resources:
  T:
    Type: AWS::DynamoDB::Table
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      DeletionProtectionEnabled: true
      PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: !Ref Pitr}
      KeySchema: [{AttributeName: id, KeyType: HASH}]
"""

CFN_PARAMETER_DIFF = """\
--- a/t.yaml
+++ b/t.yaml
@@ -1,7 +1,7 @@
 Parameters:
   Pitr:
     Type: String
-    Default: 'false'  # off in dev
+    Default: 'true'  # off in dev
 Resources:
   T:
     Type: AWS::DynamoDB::Table
"""


def test_diff_tfvars_entry(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    (root / "main.tf").write_text(TF_TFVARS)
    (root / "terraform.tfvars").write_text("# shared\npitr   = false # for now\n")
    result = fix(root, ".", "--diff")
    assert result.stdout == (
        "--- a/terraform.tfvars\n+++ b/terraform.tfvars\n@@ -1,2 +1,2 @@\n # shared\n"
        "-pitr   = false # for now\n+pitr   = true # for now\n"
    )
    assert result.exit_code == 0


def test_diff_cloudformation_parameter_default(tmp_path):
    result = _diff(tmp_path, "t.yaml", CFN_PARAMETER)
    assert result.stdout == CFN_PARAMETER_DIFF
    assert result.exit_code == 0


def test_scan_fix_fixes_then_reports_what_is_left(tmp_path):
    import os

    from click.testing import CliRunner

    from ddb_guard.cli import main

    root = tmp_path / "repo"
    root.mkdir()
    text = TF_RESOURCE.replace("resource", 'variable "env" {\n  default = "dev"\n}\n\nresource', 1)
    text += TF_RESOURCE.replace('"orders" {', '"carts" {').replace(
        "  attribute {",
        '  point_in_time_recovery {\n    enabled = var.env == "prod"\n  }\n\n  attribute {',
    )
    (root / "main.tf").write_text(text)
    old = os.getcwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(main, ["scan", "--root", str(root), "--fix", "main.tf"])
    finally:
        os.chdir(old)
    assert result.exit_code == 1
    assert "main.tf:6: DDB001: fixed: added point_in_time_recovery" in result.stderr
    assert "not fixed: decided by the expression at main.tf:" in result.stderr
    # the report is of the fixed file: only the expression's DDB001 is left
    assert "aws_dynamodb_table.carts" in result.stdout
    assert "aws_dynamodb_table.orders" not in result.stdout
    assert "point_in_time_recovery {\n    enabled = true\n  }" in (root / "main.tf").read_text()
