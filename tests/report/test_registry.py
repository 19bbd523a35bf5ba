"""The format registry: names, lazy imports, the Reporter protocol."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import ddb_guard
from ddb_guard.report import (
    FORMATS,
    CostReporter,
    Reporter,
    ReportOptions,
    get_cost_reporter,
    get_reporter,
)

ROOT = Path(__file__).resolve().parents[2]


def test_formats_are_the_documented_six() -> None:
    assert FORMATS == ("text", "json", "sarif", "github", "junit", "gitlab")


@pytest.mark.parametrize("name", FORMATS)
def test_every_format_is_a_reporter_module(name: str) -> None:
    reporter = get_reporter(name)
    assert isinstance(reporter, Reporter)
    assert reporter.__name__ == f"ddb_guard.report.{name}"  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", FORMATS)
def test_every_format_renders_an_empty_result(name: str, make_result) -> None:
    out = get_reporter(name).render(make_result(), ReportOptions())
    assert isinstance(out, str)
    assert out == "" or out.endswith("\n")


def test_unknown_format_names_the_choices() -> None:
    with pytest.raises(ValueError, match=r"unknown output format 'xml' \(choose from text, json"):
        get_reporter("xml")


def test_default_options() -> None:
    opts = ReportOptions()
    assert (opts.color, opts.statistics, opts.fail_on) == (False, False, "warning")
    assert opts.tool_version == ddb_guard.__version__


def _loaded_after(code: str) -> set[str]:
    probe = (
        f"import sys\n{code}\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('ddb_guard.report.')"
        " or m in ('json', 'urllib.parse', 'hashlib'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return set(out.split())


def test_importing_the_package_loads_no_format_module() -> None:
    loaded = _loaded_after("import ddb_guard.report")
    assert not {m for m in loaded if m.startswith("ddb_guard.report.")}


def test_get_reporter_loads_only_the_requested_format() -> None:
    loaded = _loaded_after("from ddb_guard.report import get_reporter; get_reporter('text')")
    assert {m for m in loaded if m.startswith("ddb_guard.report.")} == {
        "ddb_guard.report.text",
        "ddb_guard.report.summary",
        "ddb_guard.report.safe",
    }


@pytest.mark.parametrize("name", FORMATS)
def test_output_does_not_depend_on_input_order(name: str, make_finding, make_result) -> None:
    same_place = [make_finding(message="B."), make_finding(message="A.")]
    render = get_reporter(name).render
    first = render(make_result(same_place), ReportOptions())
    assert render(make_result(list(reversed(same_place))), ReportOptions()) == first
    assert first.index("A.") < first.index("B.")


def test_cost_formats_come_from_the_same_registry() -> None:
    from ddb_guard.report import COST_FORMATS

    assert COST_FORMATS == ("text", "json", "markdown")
    with pytest.raises(ValueError, match=r"unknown output format 'sarif' \(choose from text, json"):
        get_cost_reporter("sarif")


@pytest.mark.parametrize("name", ["text", "json", "markdown"])
def test_every_cost_format_is_a_cost_reporter_module(name: str) -> None:
    from ddb_guard.costreport.data import CostReport

    reporter = get_cost_reporter(name)
    assert isinstance(reporter, CostReporter)
    assert reporter.__name__ == f"ddb_guard.costreport.render_{name}"  # type: ignore[attr-defined]
    out = reporter.render(CostReport())
    assert out.endswith("\n")
    if name != "json":
        assert "No DynamoDB tables or backup rules found." in out


def test_the_cost_command_offers_the_registry_formats() -> None:
    from ddb_guard.cli import main
    from ddb_guard.report import COST_FORMATS

    fmt = next(p for p in main.commands["cost"].params if p.name == "fmt")
    assert tuple(fmt.type.choices) == COST_FORMATS
