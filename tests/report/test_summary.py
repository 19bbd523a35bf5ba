"""Counting, the summary line, statistics and fail-on."""

from __future__ import annotations

import pytest

from ddb_guard.model import Notice
from ddb_guard.report.summary import Counts, count, failing, rule_counts, summary_line


@pytest.mark.parametrize(
    ("counts", "line"),
    [
        (Counts(files=12), "No problems found in 12 files."),
        (Counts(files=1), "No problems found in 1 file."),
        (Counts(files=3, suppressed=2), "No problems found in 3 files (2 suppressed)."),
        (
            Counts(error=3, warning=2, note=1, suppressed=2, files=5, parse_errors=1),
            "Found 3 errors, 2 warnings, 1 note in 5 files (2 suppressed). "
            "1 file could not be parsed.",
        ),
        (Counts(error=1, files=1), "Found 1 error in 1 file."),
        (Counts(note=2, files=4), "Found 2 notes in 4 files."),
        (
            Counts(warning=1, files=9, parse_errors=2, skipped=1),
            "Found 1 warning in 9 files. 2 files could not be parsed. 1 file skipped.",
        ),
    ],
)
def test_summary_line(counts: Counts, line: str) -> None:
    assert summary_line(counts) == line


def test_count_sample(result) -> None:
    c = count(result)
    assert (c.error, c.warning, c.note, c.suppressed) == (2, 2, 1, 1)
    assert (c.files, c.parse_errors, c.skipped) == (6, 1, 1)


def test_parse_errors_count_files_not_notices(make_result) -> None:
    notices = [
        Notice("a.tf", "bad", 1, kind="parse-error", level="error"),
        Notice("a.tf", "worse", 9, kind="parse-error", level="error"),
        Notice("b.yaml", "bad", 2, kind="parse-error", level="error"),
    ]
    assert count(make_result(notices=notices)).parse_errors == 2


def test_rule_counts_most_frequent_first_ignoring_suppressed(result) -> None:
    assert rule_counts(result) == [(3, "DDB001"), (1, "DDB002"), (1, "DDB003")]


@pytest.mark.parametrize(
    ("fail_on", "expected"), [("error", 2), ("warning", 4), ("note", 5), ("never", 0)]
)
def test_failing_respects_fail_on_and_suppressions(result, fail_on: str, expected: int) -> None:
    found = failing(result, fail_on)
    assert len(found) == expected
    assert all(f.suppression is None for f in found)


def test_failing_rejects_unknown_level(result) -> None:
    with pytest.raises(ValueError, match="fail_on must be one of"):
        failing(result, "fatal")
