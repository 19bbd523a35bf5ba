"""Transform: AWS::LanguageExtensions: Fn::ForEach and the functions the transform adds."""

from __future__ import annotations

HEADER = 'AWSTemplateFormatVersion: "2010-09-09"\nTransform: AWS::LanguageExtensions\n'

LOOP = (
    HEADER
    + """\
Resources:
  Fn::ForEach::Tables:
    - Name
    - [Orders, Carts]
    - Table${Name}:
        Type: AWS::DynamoDB::Table
        Properties:
          TableName: !Ref Name
          TableClass: !Sub "${Name}"
"""
)


def _tables(built) -> dict[str, object]:
    return {e.address: e for e in built.entities if e.kind == "table"}


def test_generated_tables_have_real_logical_ids_at_the_template_line(build) -> None:
    built = build(LOOP)
    tables = _tables(built)
    assert sorted(tables) == ["TableCarts", "TableOrders"]
    assert {t.loc.line for t in tables.values()} == {7}  # the "Table${Name}" key
    assert tables["TableOrders"].attrs["table_name"].value == "Orders"  # Ref to the identifier
    assert tables["TableCarts"].attrs["table_class"].value == "Carts"  # ${Name} in Sub
    assert tables["TableCarts"].attrs["table_name"].loc.line == 10


def test_without_the_transform_the_loop_is_a_notice(build) -> None:
    built = build(LOOP.replace("Transform: AWS::LanguageExtensions\n", ""))
    assert _tables(built) == {}
    assert any("needs Transform: AWS::LanguageExtensions" in n.message for n in built.notices)


def test_nested_loops_over_a_list_parameter_and_ampersand_keys(build) -> None:
    built = build(
        HEADER
        + """\
Parameters:
  Stages: {Type: CommaDelimitedList, Default: "dev, prod"}
Resources:
  Fn::ForEach::Stages:
    - Stage
    - !Ref Stages
    - Fn::ForEach::Kinds:
        - Kind
        - [audit-log, events]
        - "&{Kind}${Stage}":
            Type: AWS::DynamoDB::Table
            Properties: {TableName: !Sub "${Stage}-${Kind}"}
"""
    )
    tables = _tables(built)
    assert sorted(tables) == ["auditlogdev", "auditlogprod", "eventsdev", "eventsprod"]
    assert tables["auditlogprod"].attrs["table_name"].value == "prod-audit-log"


def test_find_in_map_default_value_length_and_to_json_string(build) -> None:
    built = build(
        HEADER
        + """\
Mappings:
  Pitr:
    Orders: {On_: "true"}
Resources:
  Fn::ForEach::Tables:
    - Name
    - [Orders, Carts]
    - Table${Name}:
        Type: AWS::DynamoDB::Table
        Properties:
          PointInTimeRecoverySpecification:
            PointInTimeRecoveryEnabled: !FindInMap [Pitr, !Ref Name, On_, {DefaultValue: "false"}]
          Tags:
            - {Key: size, Value: !Length [a, b, c]}
            - {Key: json, Value: !ToJsonString {k: [1, 2]}}
"""
    )
    tables = _tables(built)
    assert tables["TableOrders"].attrs["pitr_enabled"].value is True
    assert tables["TableCarts"].attrs["pitr_enabled"].value is False
    assert tables["TableCarts"].attrs["tags"].value == {"size": 3, "json": '{"k":[1,2]}'}


def test_an_unresolvable_collection_is_a_notice_not_a_silent_pass(build) -> None:
    built = build(
        HEADER
        + """\
Parameters:
  Names: {Type: CommaDelimitedList}
Resources:
  Fn::ForEach::Tables:
    - Name
    - !Ref Names
    - Table${Name}:
        Type: AWS::DynamoDB::Table
"""
    )
    assert _tables(built) == {}
    (notice,) = [n for n in built.notices if "Fn::ForEach::Tables" in n.message]
    assert "not checked" in notice.message and notice.line == 6
