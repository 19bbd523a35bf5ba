"""`ddb-guard fix --diff` snapshots for CloudFormation: JSON templates (multi-line and
one-line objects), long-form YAML, GlobalTable replicas (YAML block items and JSON), SAM,
Serverless `resources` (an included whole-file resource, `${self:}` and `${file():}`
variables, a fallback), and a nested stack's `Parameters`."""

from __future__ import annotations

import json

import yaml
from fix_helpers import _CfnLoader, fix, only_inserted_or_flipped, snapshot


def _tree(tmp_path, files: dict[str, str]):
    root = tmp_path / "repo"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(text.encode())
    return root


def _diff(tmp_path, files: dict[str, str], *args: str):
    root = _tree(tmp_path, files)
    before = snapshot(root)
    result = fix(root, *(args or ["."]), "--diff")
    assert snapshot(root) == before, "--diff wrote a file"
    assert "Traceback" not in result.output
    return result


def _fixed(tmp_path, files: dict[str, str], *args: str):
    """Fix in place; every edited file still loads, only insertions and flips, and a
    second run changes nothing."""
    root = _tree(tmp_path, files)
    before = snapshot(root)
    result = fix(root, *(args or ["."]))
    after = snapshot(root)
    for path in (p for p in after if after[p] != before[p]):
        text = after[path].decode()
        if text.lstrip().startswith("{"):
            json.loads(text)
        else:
            yaml.load(text, Loader=_CfnLoader)  # a SafeLoader subclass
        only_inserted_or_flipped(before[path], after[path])
    again = fix(root, *(args or ["."]))
    assert snapshot(root) == after, "a second fix run changed files"
    assert ": fixed: " not in again.stdout
    return result, root


JSON_TEMPLATE = """\
{
    "Resources": {
        "Orders": {
            "Type": "AWS::DynamoDB::Table",
            "Properties": {
                "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                "BillingMode": "PAY_PER_REQUEST"
            }
        },
        "Carts": {"Type": "AWS::DynamoDB::Table", "DeletionPolicy": "Retain",
                  "UpdateReplacePolicy": "Retain",
                  "Properties": {"DeletionProtectionEnabled": true}}
    }
}
"""

JSON_TEMPLATE_DIFF = """\
--- a/t.json
+++ b/t.json
@@ -4,11 +4,17 @@
             "Type": "AWS::DynamoDB::Table",
             "Properties": {
                 "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
-                "BillingMode": "PAY_PER_REQUEST"
-            }
+                "BillingMode": "PAY_PER_REQUEST",
+                "PointInTimeRecoverySpecification": {
+                    "PointInTimeRecoveryEnabled": true
+                },
+                "DeletionProtectionEnabled": true
+            },
+            "DeletionPolicy": "Retain",
+            "UpdateReplacePolicy": "Retain"
         },
         "Carts": {"Type": "AWS::DynamoDB::Table", "DeletionPolicy": "Retain",
                   "UpdateReplacePolicy": "Retain",
-                  "Properties": {"DeletionProtectionEnabled": true}}
+                  "Properties": {"DeletionProtectionEnabled": true, <PITR>}}
     }
 }
""".replace("<PITR>", '"PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true}')


def test_diff_cloudformation_json(tmp_path):
    result = _diff(tmp_path, {"t.json": JSON_TEMPLATE})
    assert result.stdout == JSON_TEMPLATE_DIFF
    assert "t.json:3: DDB004: would fix: added DeletionPolicy: Retain" in result.stderr
    assert result.exit_code == 0


def test_json_fix_keeps_crlf_and_loads(tmp_path):
    text = JSON_TEMPLATE.replace("\n", "\r\n")
    result, root = _fixed(tmp_path, {"t.template": text})
    assert result.exit_code == 0, result.output
    data = (root / "t.template").read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n")  # no bare LF
    assert b',\r\n                "PointInTimeRecoverySpecification": {\r\n' in data
    props = json.loads(data)["Resources"]["Orders"]["Properties"]
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}


LONG_FORM = """\
Parameters:
  Pitr:
    Type: String
    Default: "false"
  Stage:
    Type: String
    Default: dev
Conditions:
  IsProd:
    Fn::Equals: [{Ref: Stage}, prod]
Resources:
  Orders:
    Type: "AWS::DynamoDB::Table"
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      KeySchema:
        - AttributeName: id
          KeyType: HASH
      PointInTimeRecoverySpecification:
        PointInTimeRecoveryEnabled:
          Ref: Pitr
      DeletionProtectionEnabled:
        Fn::If: [IsProd, true, false]
"""

LONG_FORM_DIFF = """\
--- a/long.yaml
+++ b/long.yaml
@@ -1,7 +1,7 @@
 Parameters:
   Pitr:
     Type: String
-    Default: "false"
+    Default: "true"
   Stage:
     Type: String
     Default: dev
"""


def test_diff_cloudformation_long_form(tmp_path):
    result = _diff(tmp_path, {"long.yaml": LONG_FORM})
    assert result.stdout == LONG_FORM_DIFF
    assert 'long.yaml:4: DDB001: would fix: "false" -> "true"' in result.stderr
    assert "DDB003: Orders: not fixed: decided by the expression at long.yaml:24" in result.stderr
    assert result.exit_code == 1


GLOBAL_TABLE = """\
Resources:
  Catalog:
    Type: AWS::DynamoDB::GlobalTable
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      KeySchema:
        - AttributeName: pk
          KeyType: HASH
      Replicas:
      - Region: us-east-1   # primary
        PointInTimeRecoverySpecification:
          PointInTimeRecoveryEnabled: true
        DeletionProtectionEnabled: 'false'
      # the second region
      - Region: eu-west-1
      - Region: ap-southeast-2
        PointInTimeRecoverySpecification:
          RecoveryPeriodInDays: 35
        DeletionProtectionEnabled: true
"""

GLOBAL_TABLE_DIFF = """\
--- a/global.yaml
+++ b/global.yaml
@@ -11,10 +11,14 @@
       - Region: us-east-1   # primary
         PointInTimeRecoverySpecification:
           PointInTimeRecoveryEnabled: true
-        DeletionProtectionEnabled: 'false'
+        DeletionProtectionEnabled: 'true'
       # the second region
       - Region: eu-west-1
+        PointInTimeRecoverySpecification:
+          PointInTimeRecoveryEnabled: true
+        DeletionProtectionEnabled: true
       - Region: ap-southeast-2
         PointInTimeRecoverySpecification:
+          PointInTimeRecoveryEnabled: true
           RecoveryPeriodInDays: 35
         DeletionProtectionEnabled: true
"""


def test_diff_global_table_replicas_yaml(tmp_path):
    result = _diff(tmp_path, {"global.yaml": GLOBAL_TABLE})
    assert result.stdout == GLOBAL_TABLE_DIFF
    assert "global.yaml:16: DDB005: would fix: added PointInTimeRecoverySpecification" in (
        result.stderr
    )
    assert result.exit_code == 0
    _fixed(tmp_path / "again", {"global.yaml": GLOBAL_TABLE})


GLOBAL_TABLE_JSON = """\
{
  "Resources": {
    "Catalog": {
      "Type": "AWS::DynamoDB::GlobalTable",
      "DeletionPolicy": "Retain",
      "UpdateReplacePolicy": "Retain",
      "Properties": {
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "Replicas": [
          {
            "Region": "us-east-1",
            "DeletionProtectionEnabled": false
          },
          {"Region": "eu-west-1", <PITR>}
        ]
      }
    }
  }
}""".replace("<PITR>", '"PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true}')

GLOBAL_TABLE_JSON_DIFF = """\
--- a/global.json
+++ b/global.json
@@ -9,9 +9,12 @@
         "Replicas": [
           {
             "Region": "us-east-1",
-            "DeletionProtectionEnabled": false
+            "DeletionProtectionEnabled": true,
+            "PointInTimeRecoverySpecification": {
+              "PointInTimeRecoveryEnabled": true
+            }
           },
-          {"Region": "eu-west-1", <PITR>}
+          {"Region": "eu-west-1", <PITR>, "DeletionProtectionEnabled": true}
         ]
       }
     }
""".replace("<PITR>", '"PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true}')


def test_diff_global_table_replicas_json(tmp_path):
    result = _diff(tmp_path, {"global.json": GLOBAL_TABLE_JSON})
    assert result.stdout == GLOBAL_TABLE_JSON_DIFF
    assert result.exit_code == 0
    result, root = _fixed(tmp_path / "again", {"global.json": GLOBAL_TABLE_JSON})
    assert not (root / "global.json").read_text().endswith("\n")  # still no final newline


SAM = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Sessions:
    Type: AWS::Serverless::SimpleTable
    Properties:
      PrimaryKey: {Name: id, Type: String}
"""

SAM_DIFF = """\
--- a/sam.yaml
+++ b/sam.yaml
@@ -1,6 +1,10 @@
 Transform: AWS::Serverless-2016-10-31
 Resources:
   Sessions:
+    DeletionPolicy: Retain
+    UpdateReplacePolicy: Retain
     Type: AWS::Serverless::SimpleTable
     Properties:
+      PointInTimeRecoverySpecification:
+        PointInTimeRecoveryEnabled: true
       PrimaryKey: {Name: id, Type: String}
"""


def test_diff_sam_simple_table(tmp_path):
    result = _diff(tmp_path, {"sam.yaml": SAM})
    assert result.stdout == SAM_DIFF
    assert "AWS::Serverless::SimpleTable has no deletion protection setting" in result.stderr


SERVERLESS = """\
service: shop
provider:
  name: aws
  stage: dev
custom:
  pitr:
    dev: false   # throwaway data
    prod: true
resources:
  - ${file(resources/audit.yml)}
  - Resources:
      Orders:
        Type: AWS::DynamoDB::Table
        DeletionPolicy: Retain
        UpdateReplacePolicy: Retain
        Properties:
          DeletionProtectionEnabled: ${env:PROTECT, 'false'}
          PointInTimeRecoverySpecification:
            PointInTimeRecoveryEnabled: ${self:custom.pitr.${sls:stage}}
"""

AUDIT = """\
Resources:
  Audit:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
"""

SERVERLESS_DIFF = """\
--- a/resources/audit.yml
+++ b/resources/audit.yml
@@ -1,5 +1,10 @@
 Resources:
   Audit:
+    DeletionPolicy: Retain
+    UpdateReplacePolicy: Retain
     Type: AWS::DynamoDB::Table
     Properties:
+      PointInTimeRecoverySpecification:
+        PointInTimeRecoveryEnabled: true
+      DeletionProtectionEnabled: true
       BillingMode: PAY_PER_REQUEST
--- a/serverless.yml
+++ b/serverless.yml
@@ -4,7 +4,7 @@
   stage: dev
 custom:
   pitr:
-    dev: false   # throwaway data
+    dev: true   # throwaway data
     prod: true
 resources:
   - ${file(resources/audit.yml)}
@@ -14,6 +14,6 @@
         DeletionPolicy: Retain
         UpdateReplacePolicy: Retain
         Properties:
-          DeletionProtectionEnabled: ${env:PROTECT, 'false'}
+          DeletionProtectionEnabled: ${env:PROTECT, 'true'}
           PointInTimeRecoverySpecification:
             PointInTimeRecoveryEnabled: ${self:custom.pitr.${sls:stage}}
"""


def test_diff_serverless_resources_and_variables(tmp_path):
    result = _diff(tmp_path, {"serverless.yml": SERVERLESS, "resources/audit.yml": AUDIT})
    assert result.stdout == SERVERLESS_DIFF
    assert "serverless.yml:7: DDB001: would fix: false -> true" in result.stderr
    assert result.exit_code == 0
    _fixed(tmp_path / "again", {"serverless.yml": SERVERLESS, "resources/audit.yml": AUDIT})


SERVERLESS_WHOLE_FILE = """\
# the whole file is the resource
Type: AWS::DynamoDB::Table
Properties:
  BillingMode: PAY_PER_REQUEST"""


def test_serverless_resource_included_as_a_whole_file(tmp_path):
    files = {
        "serverless.yml": "service: s\nprovider: {name: aws}\nresources:\n"
        "  Resources:\n    Audit: ${file(audit.yml)}\n",
        "audit.yml": SERVERLESS_WHOLE_FILE,
    }
    result, root = _fixed(tmp_path, files)
    assert result.exit_code == 0, result.output
    assert (root / "audit.yml").read_text() == (
        "# the whole file is the resource\nType: AWS::DynamoDB::Table\nProperties:\n"
        "  PointInTimeRecoverySpecification:\n    PointInTimeRecoveryEnabled: true\n"
        "  DeletionProtectionEnabled: true\n  BillingMode: PAY_PER_REQUEST\n"
        "DeletionPolicy: Retain\nUpdateReplacePolicy: Retain"  # still no final newline
    )


PARENT = """\
Resources:
  Tables:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: child.yaml
      Parameters:
        EnablePitr: "false"   # dev
"""

CHILD = """\
Parameters:
  EnablePitr:
    Type: String
    Default: "true"
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      DeletionProtectionEnabled: true
      PointInTimeRecoverySpecification:
        PointInTimeRecoveryEnabled: !Ref EnablePitr
"""

NESTED_DIFF = """\
--- a/parent.yaml
+++ b/parent.yaml
@@ -4,4 +4,4 @@
     Properties:
       TemplateURL: child.yaml
       Parameters:
-        EnablePitr: "false"   # dev
+        EnablePitr: "true"   # dev
"""


def test_diff_nested_stack_parameter(tmp_path):
    result = _diff(tmp_path, {"parent.yaml": PARENT, "child.yaml": CHILD})
    assert result.stdout == NESTED_DIFF
    assert 'parent.yaml:7: DDB001: would fix: "false" -> "true"' in result.stderr
    assert result.exit_code == 0


WINDOW = """\
Parameters:
  Days:
    Type: Number
    Default: 14   # two weeks
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      PointInTimeRecoverySpecification:
        PointInTimeRecoveryEnabled: true
        RecoveryPeriodInDays: !Ref Days
  Events:
    Type: AWS::DynamoDB::Table
    Properties:
      PointInTimeRecoverySpecification:
        PointInTimeRecoveryEnabled: 'false'
        RecoveryPeriodInDays: "7"
"""

WINDOW_DIFF = """\
--- a/w.yaml
+++ b/w.yaml
@@ -1,7 +1,7 @@
 Parameters:
   Days:
     Type: Number
-    Default: 14   # two weeks
+    Default: 35   # two weeks
 Resources:
   Orders:
     Type: AWS::DynamoDB::Table
@@ -13,5 +13,5 @@
     Type: AWS::DynamoDB::Table
     Properties:
       PointInTimeRecoverySpecification:
-        PointInTimeRecoveryEnabled: 'false'
-        RecoveryPeriodInDays: "7"
+        PointInTimeRecoveryEnabled: 'true'
+        RecoveryPeriodInDays: "35"
"""


def test_diff_pitr_window_to_min_days(tmp_path):
    """DDB002: the window's literal (here a parameter Default) becomes min_days; a table
    whose PITR is turned on gets its short window raised too, so no DDB002 appears."""
    result = _diff(tmp_path, {"w.yaml": WINDOW}, "w.yaml", "--select", "DDB001,DDB002")
    assert result.stdout == WINDOW_DIFF
    assert "w.yaml:4: DDB002: would fix: 14 -> 35" in result.stderr
    assert result.exit_code == 0


def test_pitr_window_respects_configured_min_days(tmp_path):
    config = "[tool.ddb-guard.rules.DDB002]\nmin_days = 21\n"
    files = {"w.yaml": WINDOW, "pyproject.toml": config}
    result, root = _fixed(tmp_path, files, "w.yaml", "--select", "DDB001,DDB002")
    assert result.exit_code == 0, result.output
    text = (root / "w.yaml").read_text()
    assert "Default: 21   # two weeks" in text and 'RecoveryPeriodInDays: "21"' in text


UNSAFE = """\
Parameters:
  Stage: {Type: String, Default: dev}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    DeletionPolicy: !If [IsProd, Retain, Delete]   # prod only
    UpdateReplacePolicy: Retain
    Properties:
      DeletionProtectionEnabled: !If
        - IsProd
        - true
        - false
      # PITR next
      PointInTimeRecoverySpecification:
        PointInTimeRecoveryEnabled:
          Fn::If: [IsProd, true, false]
"""

UNSAFE_DIFF = """\
--- a/u.yaml
+++ b/u.yaml
@@ -5,14 +5,11 @@
 Resources:
   Orders:
     Type: AWS::DynamoDB::Table
-    DeletionPolicy: !If [IsProd, Retain, Delete]   # prod only
+    DeletionPolicy: Retain   # prod only
     UpdateReplacePolicy: Retain
     Properties:
-      DeletionProtectionEnabled: !If
-        - IsProd
-        - true
-        - false
+      DeletionProtectionEnabled: true
       # PITR next
       PointInTimeRecoverySpecification:
         PointInTimeRecoveryEnabled:
-          Fn::If: [IsProd, true, false]
+          true
"""


def test_unsafe_replaces_cloudformation_conditions(tmp_path):
    """Without --unsafe a deciding !If / Fn::If stays (and says where); with it, the whole
    expression (short form, block sequence, long form) becomes the protected literal."""
    safe = _diff(tmp_path, {"u.yaml": UNSAFE})
    assert safe.stdout == ""
    assert "DDB004: Orders: not fixed: decided by the expression at u.yaml:8" in safe.stderr
    assert safe.exit_code == 1
    result = _diff(tmp_path / "unsafe", {"u.yaml": UNSAFE}, "u.yaml", "--unsafe")
    assert result.stdout == UNSAFE_DIFF
    assert (
        "u.yaml:11: DDB003: would fix: unsafe: replaced expression !If - IsProd - true - false"
        " at u.yaml:11"
    ) in result.stderr
    assert result.exit_code == 0
    json_text = '{"Resources": {"T": {"Type": "AWS::DynamoDB::Table", "DeletionPolicy": '
    json_text += '{"Fn::If": ["P", "Retain", "Delete"]}, "UpdateReplacePolicy": "Retain"}},\n'
    json_text += ' "Conditions": {"P": {"Fn::Equals": ["a", "b"]}}}\n'
    root = _tree(tmp_path / "json", {"t.json": json_text})
    result = fix(root, "t.json", "--unsafe", "--select", "DDB004")
    assert result.exit_code == 0, result.output
    fixed = (root / "t.json").read_text()
    assert fixed == json_text.replace('{"Fn::If": ["P", "Retain", "Delete"]}', '"Retain"')
    assert json.loads(fixed)["Resources"]["T"]["DeletionPolicy"] == "Retain"


def test_cdk_output_names_the_construct(tmp_path):
    template = json.dumps(
        {
            "Resources": {
                "OrdersTable315BB997": {
                    "Type": "AWS::DynamoDB::Table",
                    "Properties": {"KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]},
                    "Metadata": {"aws:cdk:path": "Shop/Orders/Resource"},
                }
            }
        },
        indent=1,
    )
    result = _diff(tmp_path, {"cdk.out/Shop.template.json": template})
    assert result.stdout == ""
    assert (
        "cdk.out/Shop.template.json:3: DDB001: OrdersTable315BB997: not fixed: generated file;"
        " fix the source (construct Shop/Orders) instead"
    ) in result.stderr


FLOW = """\
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties: {BillingMode: PAY_PER_REQUEST}
  Catalog:
    Type: AWS::DynamoDB::GlobalTable
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      Replicas:
        - {Region: eu-west-1,
           DeletionProtectionEnabled: true  # keep
          }
        - {}
"""


def test_flow_style_mappings_get_flow_members(tmp_path):
    """A flow mapping gets `, Key: value` before its closing brace (a comment after the
    last member stays after it); an empty `{}` is reported, not guessed at."""
    result, root = _fixed(tmp_path, {"flow.yaml": FLOW})
    pitr = "PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}"
    expected = FLOW.replace(
        "{BillingMode: PAY_PER_REQUEST}",
        f"{{BillingMode: PAY_PER_REQUEST, {pitr}, DeletionProtectionEnabled: true}}",
    ).replace("true  # keep", f"true, {pitr}  # keep")
    assert (root / "flow.yaml").read_text() == expected
    assert "flow.yaml:16: DDB005: Catalog.Replicas[1]: not fixed: the mapping at line 16 is an" in (
        result.stdout
    )


FOREACH = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Kinds:
    - Kind
    - [audit-log, events]
    - "&{Kind}Table":
        Type: AWS::DynamoDB::Table
        DeletionPolicy: Retain
        UpdateReplacePolicy: Retain
        Properties:
          DeletionProtectionEnabled: true
"""


def test_foreach_tables_are_fixed_once_in_their_template(tmp_path):
    """Every table an Fn::ForEach generates comes from one template entry: one edit there
    fixes them all."""
    result = _diff(tmp_path, {"loop.yaml": FOREACH})
    assert result.stdout == (
        "--- a/loop.yaml\n+++ b/loop.yaml\n@@ -9,4 +9,6 @@\n"
        "         DeletionPolicy: Retain\n"
        "         UpdateReplacePolicy: Retain\n"
        "         Properties:\n"
        "+          PointInTimeRecoverySpecification:\n"
        "+            PointInTimeRecoveryEnabled: true\n"
        "           DeletionProtectionEnabled: true\n"
    )
    assert result.exit_code == 0
