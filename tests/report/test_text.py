"""The text reporter: plain lines, grouped colour output, statistics, summary."""

from __future__ import annotations

import re
from dataclasses import replace

from ddb_guard.model import Location, Notice
from ddb_guard.report import get_reporter

render = get_reporter("text").render
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_plain_snapshot(result, options, snapshot) -> None:
    snapshot("text.txt", render(result, options))


def test_color_snapshot(result, options, snapshot) -> None:
    snapshot("text-color.txt", render(result, replace(options, color=True)))


def test_statistics_snapshot(result, options, snapshot) -> None:
    snapshot("text-statistics.txt", render(result, replace(options, statistics=True)))


def test_plain_finding_line_format(result, options) -> None:
    lines = render(result, options).splitlines()
    assert (
        "main.tf:3:3: DDB001 [error] Table aws_dynamodb_table.orders has no point-in-time recovery."
        in lines
    )
    assert not any(ANSI.search(line) for line in lines)


def test_suppressed_findings_are_counted_not_listed(result, options) -> None:
    out = render(result, options)
    assert "stacks/dev.tf:7:3: DDB002" not in out
    assert "(1 suppressed)" in out.splitlines()[-1]


def test_notices_are_listed(result, options) -> None:
    lines = render(result, options).splitlines()
    # the level is said, as --format github says it (::error)
    assert "broken.tf:5: notice [error]: unexpected '}' (expected an attribute or block)" in lines
    assert "huge.json: notice [note]: skipped: larger than 5 MiB" in lines


def test_related_locations_in_both_modes(result, options) -> None:
    plain = render(result, options).splitlines()
    i = plain.index(
        "stacks/prod.tf:4:3: DDB001 [error] "
        "Table module.users.aws_dynamodb_table.this has no point-in-time recovery."
    )
    assert plain[i + 1 : i + 3] == [
        "  ↳ modules/table/main.tf:10: point_in_time_recovery is set here",
        "  ↳ stacks/prod.tf:4: module call (module.users)",
    ]
    colored = ANSI.sub("", render(result, replace(options, color=True)))
    assert "      ↳ modules/table/main.tf:10: point_in_time_recovery is set here" in colored


def test_color_groups_by_file_and_colours_levels(result, options) -> None:
    out = render(result, replace(options, color=True))
    assert "\x1b[31m[error]\x1b[0m" in out
    assert "\x1b[33m[warning]\x1b[0m" in out
    assert "\x1b[36m[note]\x1b[0m" in out
    assert "\x1b[1mDDB001\x1b[0m" in out
    plain = ANSI.sub("", out).splitlines()
    headers = [ln for ln in plain if ln and not ln.startswith(" ") and not ln[0].isdigit()][:-1]
    assert headers == ["backup.yaml", "broken.tf", "huge.json", "main.tf", "stacks/dev.tf",
                       "stacks/prod.tf"]  # fmt: skip
    assert (
        "  3:3: DDB002 [warning] Table aws_dynamodb_table.orders has no deletion protection."
        in plain
    )


def test_statistics_table_before_summary(result, options) -> None:
    lines = render(result, replace(options, statistics=True)).splitlines()
    assert lines[-5:] == [
        "3  DDB001  dynamodb-pitr-disabled",
        "1  DDB002  dynamodb-deletion-protection-disabled",
        "1  DDB003  backup-plan-many-copies",
        "",
        "Found 2 errors, 2 warnings, 1 note in 6 files (1 suppressed). "
        "1 file could not be parsed. 1 file skipped.",
    ]


def test_no_problems(make_result, options) -> None:
    out = render(make_result(files=[f"f{i}.tf" for i in range(12)]), options)
    assert out == "No problems found in 12 files.\n"
    out = render(make_result(files=["a.tf"]), replace(options, statistics=True, color=True))
    assert ANSI.sub("", out) == "No problems found in 1 file.\n"


def test_only_suppressed(make_finding, make_result, options) -> None:
    out = render(make_result([make_finding(suppressed="accepted")]), options)
    assert out == "No problems found in 1 file (1 suppressed).\n"


def test_findings_are_sorted(make_finding, make_result, options) -> None:
    findings = [make_finding(path="b.tf", line=2), make_finding(path="a.tf", line=9),
                make_finding(path="a.tf", line=1)]  # fmt: skip
    lines = render(make_result(findings), options).splitlines()
    assert [ln.split(": ")[0] for ln in lines[:3]] == ["a.tf:1:3", "a.tf:9:3", "b.tf:2:3"]


def test_notice_without_line_in_color_mode(make_result, options) -> None:
    res = make_result(notices=[Notice("x.json", "skipped: binary", kind="skipped", level="note")])
    plain = ANSI.sub("", render(res, replace(options, color=True))).splitlines()
    assert plain[:2] == ["x.json", "  notice [note]: skipped: binary"]


def test_related_location_uses_its_own_path(make_finding, make_result, options) -> None:
    rel = [(Location("other/x.tf", 42, 1), "variable default")]
    out = render(make_result([make_finding(related=rel)]), options)
    assert "  ↳ other/x.tf:42: variable default" in out.splitlines()
