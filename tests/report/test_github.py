"""The GitHub Actions workflow-command reporter."""

from __future__ import annotations

import pytest

from ddb_guard.model import Location, Notice
from ddb_guard.report import get_reporter
from ddb_guard.report.github import command, escape_data, escape_property

render = get_reporter("github").render


def test_snapshot(result, options, snapshot) -> None:
    snapshot("github.txt", render(result, options))


@pytest.mark.parametrize(
    ("raw", "data", "prop"),
    [
        ("plain", "plain", "plain"),
        ("50% off", "50%25 off", "50%25 off"),
        ("a\nb\r\nc", "a%0Ab%0D%0Ac", "a%0Ab%0D%0Ac"),
        ("x: y, z", "x: y, z", "x%3A y%2C z"),
        ("%0A", "%250A", "%250A"),  # an already escaped-looking text is not decoded
    ],
)
def test_escaping(raw: str, data: str, prop: str) -> None:
    assert escape_data(raw) == data
    assert escape_property(raw) == prop


def test_command_escapes_properties_and_message() -> None:
    line = command("warning", {"file": "a,b:c.tf", "line": 3}, "50%\nnext")
    assert line == "::warning file=a%2Cb%3Ac.tf,line=3::50%25%0Anext"


def test_finding_line(result, options) -> None:
    lines = render(result, options).splitlines()
    assert (
        "::error file=main.tf,line=3,col=3,endLine=3,endColumn=12,"
        "title=DDB001 dynamodb-pitr-disabled::"
        "Table aws_dynamodb_table.orders has no point-in-time recovery."
    ) in lines


def test_levels_map_to_commands_and_suppressed_are_omitted(result, options) -> None:
    lines = render(result, options).splitlines()
    finding_lines = [ln for ln in lines if "title=" in ln]
    assert [ln.split(" ", 1)[0] for ln in finding_lines] == [
        "::warning", "::error", "::warning", "::notice", "::error",
    ]  # fmt: skip
    assert not any("stacks/dev.tf" in ln and "DDB002" in ln for ln in lines)


def test_related_locations_become_message_lines(result, options) -> None:
    line = next(ln for ln in render(result, options).splitlines() if "file=stacks/prod.tf" in ln)
    assert line.endswith(
        "recovery.%0A↳ modules/table/main.tf:10: point_in_time_recovery is set here"
        "%0A↳ stacks/prod.tf:4: module call (module.users)"
    )


def test_notices(result, options) -> None:
    lines = render(result, options).splitlines()
    assert lines[-2:] == [
        "::error file=broken.tf,line=5,col=1::unexpected '}' (expected an attribute or block)",
        "::notice file=huge.json::skipped: larger than 5 MiB",
    ]


def test_message_with_newline_and_percent_stays_one_line(make_finding, make_result, options):
    f = make_finding(
        message="Keeps 100% of\n720 copies",
        related=[(Location("a,b.tf", 1), "x: y")],
    )
    out = render(make_result([f]), options)
    assert out.count("\n") == 1
    # a line break inside a value is shown, not kept: only ours (before ↳) is %0A
    assert out.endswith("::Keeps 100%25 of\\n720 copies%0A↳ a,b.tf:1: x: y\n")


def test_empty(make_result, options) -> None:
    assert render(make_result(), options) == ""


def test_parse_error_notice_without_column(make_result, options) -> None:
    res = make_result(
        notices=[Notice("t.yaml", "bad indent", 7, level="error", kind="parse-error")]
    )
    assert render(res, options) == "::error file=t.yaml,line=7::bad indent\n"
