"""Intrinsic functions resolved from parameter defaults, or unknown with a reason."""

from __future__ import annotations

TEMPLATE = """\
Parameters:
  Env: {Type: String, Default: prod}
  EnablePitr: {Type: String}
  Days: {Type: Number, Default: 14}
  Names: {Type: CommaDelimitedList, Default: "a,b"}
Mappings:
  ByEnv:
    prod: {Retain: Retain}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  Both: !And [!Condition IsProd, !Equals [!Ref EnablePitr, "true"]]
  Either: !Or [!Condition IsProd, !Equals [!Ref EnablePitr, "true"]]
  Loop: !Condition Loop
Resources:
  T1:
    Type: AWS::DynamoDB::Table
    DeletionPolicy: !If [IsProd, Retain, Delete]
    UpdateReplacePolicy: !FindInMap [ByEnv, !Ref Env, Retain]
    Properties:
      TableName: !Join ["-", [!Ref Env, !Select [1, !Ref Names]]]
      DeletionProtectionEnabled: !If [Either, true, false]
      PointInTimeRecoverySpecification:
        PointInTimeRecoveryEnabled: !Ref EnablePitr
        RecoveryPeriodInDays: !Ref Days
  T2:
    Type: AWS::DynamoDB::Table
    DeletionPolicy: !If [Both, Retain, Delete]
    UpdateReplacePolicy: !If [Loop, Retain, Delete]
    Properties:
      TableName: !Sub "${AWS::StackName}-t"
      PointInTimeRecoverySpecification: !If
        - IsDev
        - {PointInTimeRecoveryEnabled: false}
        - !Ref AWS::NoValue
      DeletionProtectionEnabled: !If [Nope, true, true]
      TableClass: !Sub ["${X}-${!Literal}", {X: !Ref Env}]
  Skipped:
    Type: AWS::DynamoDB::Table
    Condition: IsDev
"""


def test_resolved_through_defaults(build) -> None:
    a = build(TEMPLATE).one("T1").attrs
    assert a["deletion_policy"].value == "Retain"
    assert a["deletion_policy"].loc.line == 18
    assert [t.line for t in a["deletion_policy"].trace] == [2]  # Env's Default
    assert a["update_replace_policy"].value == "Retain"
    assert a["table_name"].value == "prod-b"
    assert a["deletion_protection"].value is True  # Or: IsProd decides
    assert a["pitr_days"].value == 14 and a["pitr_days"].trace[0].line == 4


def test_unknown_with_reason(build) -> None:
    b = build(TEMPLATE)
    pitr = b.attr("T1", "pitr_enabled")
    assert not pitr.known
    assert pitr.unknown == "depends on parameter EnablePitr, which has no Default"
    assert pitr.loc.line == 24
    policy = b.attr("T2", "deletion_policy")
    assert not policy.known and "EnablePitr" in policy.unknown and "Both" in policy.unknown
    assert "refers to itself" in b.attr("T2", "update_replace_policy").unknown
    name = b.attr("T2", "table_name")
    assert not name.known and "AWS::StackName" in name.unknown


def test_if_branches_no_value_and_equal_branches(build) -> None:
    b = build(TEMPLATE)
    assert b.attr("T2", "pitr_enabled").default  # !If picked AWS::NoValue
    # an undefined condition, but both branches agree
    assert b.attr("T2", "deletion_protection").value is True
    assert b.attr("T2", "table_class").value == "prod-${Literal}"


def test_resource_condition_false_is_skipped(build) -> None:
    assert "Skipped" not in {e.address for e in build(TEMPLATE).entities}


def test_sub_with_unknown_parts_keeps_its_known_pieces(build) -> None:
    template = """\
Parameters:
  Env: {Type: String}
Resources:
  Vm:
    Type: AWS::EC2::Instance
  Plan:
    Type: AWS::Backup::BackupPlan
    Properties:
      BackupPlan: {BackupPlanName: p, BackupPlanRule: []}
  Sel:
    Type: AWS::Backup::BackupSelection
    Properties:
      BackupPlanId: !Ref Plan
      BackupSelection:
        SelectionName: s
        IamRoleArn: r
        Resources:
          - !Sub "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:instance/${Vm}"
          - !Sub "arn:aws:dynamodb:us-east-1:1:table/${Env}-${!Literal}"
"""
    vm, table = build(template).one("Sel").attrs["resources"]
    assert vm.refs == ("Vm",) and vm.pieces == ("arn:*:ec2:*:*:instance/", None)
    assert "parameter Env" in table.unknown
    assert table.pieces == ("arn:aws:dynamodb:us-east-1:1:table/", None, "-${Literal}")
