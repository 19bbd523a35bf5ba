"""The safe, position-keeping YAML/JSON loader."""

from __future__ import annotations

import json
import time

import pytest

from ddb_guard.parse.yaml_loader import (
    MAX_DEPTH,
    MarkedList,
    MarkedMap,
    load_json,
    load_yaml,
    value_span,
)

TEMPLATE = """\
AWSTemplateFormatVersion: 2010-09-09
Resources:
  T:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: !Sub "${Env}-t"
      Flag: !GetAtt Other.Endpoint.Address
      Items:
        - !Ref Env
        - !If [IsProd, true, false]
      Num: 35
      Yes: yes
"""


def test_yaml_structure_and_positions() -> None:
    data, notice = load_yaml(TEMPLATE, "t.yaml")
    assert notice is None
    assert isinstance(data, MarkedMap)
    assert data["AWSTemplateFormatVersion"] == "2010-09-09"  # timestamps stay strings
    res = data["Resources"]["T"]
    props = res["Properties"]
    assert props["TableName"] == {"Fn::Sub": "${Env}-t"}
    assert props["Flag"] == {"Fn::GetAtt": ["Other", "Endpoint.Address"]}
    assert props["Items"] == [{"Ref": "Env"}, {"Fn::If": ["IsProd", True, False]}]
    assert props["Num"] == 35 and props["Yes"] is True
    assert data["Resources"].key_span("T") == (3, 3, 3, 4)
    assert props.key_span("TableName") == (6, 7, 6, 16)
    assert props.value_span("TableName") == (6, 18, 6, 33)
    assert props.value_span("Num") == (11, 12, 11, 14)
    items = props["Items"]
    assert isinstance(items, MarkedList)
    assert items.value_span(1) == (10, 11, 10, 36)
    assert items[0].value_span("Ref") == (9, 11, 9, 19)
    assert value_span(props, "missing") is None


@pytest.mark.parametrize(
    ("tag", "text", "expected"),
    [
        ("Ref", "X", {"Ref": "X"}),
        ("Condition", "C", {"Condition": "C"}),
        ("Sub", "a-${X}", {"Fn::Sub": "a-${X}"}),
        ("Equals", "[a, b]", {"Fn::Equals": ["a", "b"]}),
        ("Not", "[!Condition C]", {"Fn::Not": [{"Condition": "C"}]}),
        (
            "And",
            "[!Condition A, !Condition B]",
            {"Fn::And": [{"Condition": "A"}, {"Condition": "B"}]},
        ),
        (
            "Or",
            "[!Condition A, !Condition B]",
            {"Fn::Or": [{"Condition": "A"}, {"Condition": "B"}]},
        ),
        ("FindInMap", "[M, a, b]", {"Fn::FindInMap": ["M", "a", "b"]}),
        ("Join", "['-', [a, b]]", {"Fn::Join": ["-", ["a", "b"]]}),
        ("Select", "[0, [a]]", {"Fn::Select": [0, ["a"]]}),
        ("Split", "[',', 'a,b']", {"Fn::Split": [",", "a,b"]}),
        ("ImportValue", "Exp", {"Fn::ImportValue": "Exp"}),
        ("Base64", "x", {"Fn::Base64": "x"}),
        ("Cidr", "[a, 1, 2]", {"Fn::Cidr": ["a", 1, 2]}),
        ("GetAZs", "''", {"Fn::GetAZs": ""}),
        ("Transform", "{Name: X}", {"Fn::Transform": {"Name": "X"}}),
        ("GetAtt", "[A, Arn]", {"Fn::GetAtt": ["A", "Arn"]}),
    ],
)
def test_short_form_tags(tag: str, text: str, expected: object) -> None:
    data, notice = load_yaml(f"v: !{tag} {text}\n", "t.yaml")
    assert notice is None
    assert data == {"v": expected}


def test_unknown_and_python_tags_are_harmless() -> None:
    text = "a: !!python/object/apply:os.system ['echo pwned']\nb: !Foo bar\nc: !!int '7'\n"
    data, notice = load_yaml(text, "t.yaml")
    assert notice is None
    assert data == {"a": ["echo pwned"], "b": "bar", "c": 7}


def test_duplicate_keys_keep_last_with_warning() -> None:
    data, notice = load_yaml("a: 1\nb: 2\na: 3\n", "t.yaml")
    assert data == {"a": 3, "b": 2}
    assert notice is not None and notice.level == "warning"
    assert (notice.line, notice.column) == (3, 1)
    assert "duplicate key 'a'" in notice.message


def test_non_string_and_complex_keys() -> None:
    data, notice = load_yaml("1: a\ntrue: b\n~: c\n? [x, y]\n: d\ne: f\n", "t.yaml")
    assert data == {"1": "a", "true": "b", "~": "c", "e": "f"}
    assert notice is not None and "complex mapping keys" in notice.message


def test_anchors_aliases_and_merge_keys() -> None:
    data, notice = load_yaml("a: &x {p: 1, q: 2}\nb: *x\nc: {<<: *x, q: 3}\n", "t.yaml")
    assert notice is None
    assert data["b"] is data["a"]
    assert data["c"] == {"p": 1, "q": 3}
    assert data["c"].value_span("p") == (1, 11, 1, 12)  # where the merged value is written


def test_alias_bomb_gives_notice_fast() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    start = time.perf_counter()
    data, notice = load_yaml("\n".join(lines) + "\n", "bomb.yaml")
    assert time.perf_counter() - start < 0.5
    assert data is None
    assert notice is not None and "alias" in notice.message and notice.line > 1


def test_recursive_and_unknown_alias() -> None:
    assert load_yaml("a: &a [*a]\n", "t.yaml")[1].message.endswith("refers to itself")
    assert "unknown alias" in load_yaml("a: *nope\n", "t.yaml")[1].message


@pytest.mark.parametrize(
    "text",
    [
        "[" * 10_000 + "]" * 10_000,
        "- " * 10_000 + "x\n",
        "".join(" " * i + "k:\n" for i in range(150)),
    ],
)
def test_deep_nesting_is_a_notice(text: str) -> None:
    start = time.perf_counter()
    data, notice = load_yaml(text, "deep.yaml")
    assert time.perf_counter() - start < 0.5
    assert data is None
    assert notice is not None and f"deeper than {MAX_DEPTH}" in notice.message
    assert notice.kind == "parse-error" and notice.line >= 1


def test_syntax_error_has_line() -> None:
    data, notice = load_yaml("a:\n  b: [1, 2\nc: 3\n", "bad.yaml")
    assert data is None
    assert notice is not None and notice.level == "error" and notice.kind == "parse-error"
    assert notice.line == 3 and notice.message.startswith("YAML syntax error")


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n"])
def test_empty(text: str) -> None:
    data, notice = load_yaml(text, "e.yaml")
    assert data is None and notice is not None and notice.message == "file is empty"


def test_first_document_only() -> None:
    assert load_yaml("a: 1\n---\nb: [\n", "t.yaml") == ({"a": 1}, None)


def test_json_positions() -> None:
    text = (
        '{\n  "Resources": {\n    "T": {"Type": "AWS::DynamoDB::Table",\n'
        '      "Properties": {"Items": [1, {"c": true}, [2, 3]]}}}}\n'
    )
    data, notice = load_json(text, "t.json")
    assert notice is None
    res = data["Resources"]
    assert res.key_span("T") == (3, 5, 3, 8)
    assert res["T"].value_span("Type") == (3, 19, 3, 41)
    items = res["T"]["Properties"]["Items"]
    assert isinstance(items, MarkedList)
    assert items.value_span(1) == (4, 35, 4, 46)
    assert items[1].value_span("c") == (4, 41, 4, 45)
    assert items[2].value_span(1) == (4, 52, 4, 53)
    assert data.span() == (1, 1, 4, 59)


def test_json_errors_duplicates_and_depth() -> None:
    data, notice = load_json('{"a": 1,\n "b": }', "bad.json")
    assert data is None and notice is not None and (notice.line, notice.column) == (2, 7)
    data, notice = load_json('{"a": 1,\n "a": 2}', "dup.json")
    assert data == {"a": 2} and notice is not None and notice.line == 2
    data, notice = load_json("[" * 10_000 + "]" * 10_000, "deep.json")
    assert data is None and notice is not None and "deeper than" in notice.message
    assert load_json("", "e.json")[1].message == "file is empty"


def test_json_and_yaml_agree_on_data() -> None:
    doc = {"A": {"B": [1, "x", {"C": None, "D": [True, 2.5]}]}, "E": "y"}
    text = json.dumps(doc, indent=2)
    assert load_json(text, "x.json")[0] == doc
    assert load_yaml(text, "x.json")[0] == doc


def test_brackets_inside_strings_are_not_nesting() -> None:
    text = 'Resources:\n  T:\n    Description: "' + "[" * 300 + '"\n    Flow: [[1], {a: [2]}]\n'
    data, notice = load_yaml(text, "t.yaml")
    assert notice is None
    assert data["Resources"]["T"]["Description"] == "[" * 300
    assert data["Resources"]["T"]["Flow"] == [[1], {"a": [2]}]
