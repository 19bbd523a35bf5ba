"""`ddb-guard cost examples/`: 120 columns, a valid Mermaid xychart-beta equal to the JSON,
and the KPI extension point."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from ddb_guard.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SIZES = ["--table-size", "shop-orders-prod=120", "--table-size", "shop-carts-prod=40"]


def invoke(fmt: str, *extra: str) -> str:
    result = CliRunner().invoke(
        main, ["cost", str(EXAMPLES), "--format", fmt, *SIZES, *extra], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_text_fits_120_columns() -> None:
    for extra in ((), ("--table-size", "checkout-orders=5000")):
        text = invoke("text", *extra)
        widest = max(len(line) for line in text.splitlines())
        assert widest <= 120, widest


_NUMS = r"\[\s*-?\d+(?:\.\d+)?(?:\s*,\s*-?\d+(?:\.\d+)?)*\s*\]"


def mermaid_blocks(md: str) -> list[list[str]]:
    return [b.strip("\n").splitlines() for b in re.findall(r"```mermaid\n(.*?)```", md, re.S)]


def check_xychart(lines: list[str]) -> dict[str, list[float]]:
    """The xychart-beta grammar we emit: header, title, x-axis, y-axis, one series per line."""
    assert lines[0] == "xychart-beta"
    series: dict[str, list[float]] = {}
    seen = set()
    for line in lines[1:]:
        s = line.strip()
        if s.startswith("title "):
            assert re.fullmatch(r'title "[^"]+"', s), s
            seen.add("title")
        elif s.startswith("x-axis"):
            assert re.fullmatch(r'x-axis \[\s*"[^"]+"(?:\s*,\s*"[^"]+")*\s*\]', s), s
            seen.add("x")
        elif s.startswith("y-axis"):
            assert re.fullmatch(r'y-axis "[^"]+" -?\d+(?:\.\d+)? --> -?\d+(?:\.\d+)?', s), s
            seen.add("y")
        else:
            m = re.fullmatch(r"(bar|line) (" + _NUMS + ")", s)
            assert m, s
            series[m.group(1)] = json.loads(m.group(2))
    assert seen == {"title", "x", "y"} and series
    return series


def test_markdown_has_a_valid_xychart_with_the_json_numbers() -> None:
    md = invoke("markdown")
    blocks = mermaid_blocks(md)
    assert len(blocks) == 1
    series = check_xychart(blocks[0])
    data = json.loads(invoke("json"))
    assert series["bar"] == data["totals"]["ramp_usd"]
    assert len(series["bar"]) == 12
    x = re.search(r"x-axis \[(.*)\]", "\n".join(blocks[0])).group(1)  # type: ignore[union-attr]
    assert x.count(",") == 11
    top = float(re.search(r"--> (\S+)", "\n".join(blocks[0])).group(1))  # type: ignore[union-attr]
    assert top >= max(series["bar"])


def test_the_checker_rejects_broken_charts() -> None:
    import pytest

    with pytest.raises(AssertionError):
        check_xychart(["xychart-beta", 'title "t"', "x-axis [a, b]", 'y-axis "y" 0 --> 1'])
    with pytest.raises(AssertionError):
        check_xychart(["xychart-beta", 'title "t"', 'y-axis "y" 0 --> 1', "bar [1, 2] line [3]"])


def test_json_ramp_sums_to_the_12_month_total() -> None:
    tot = json.loads(invoke("json"))["totals"]
    assert round(sum(tot["ramp_usd"]), 2) == tot["first_12_months_usd"]
    assert tot["first_month_usd"] == tot["ramp_usd"][0]


def test_kpis_and_their_extension_point() -> None:
    from ddb_guard.costreport import extensions
    from ddb_guard.costreport.data import Kpi

    def fleet(model, report):
        return [Kpi("roles_unable_to_back_up", "Roles unable to back up", 2, "2 roles")]

    extensions.register(fleet)
    try:
        data = json.loads(invoke("json"))
        text = invoke("text")
    finally:
        extensions._PROVIDERS.remove(fleet)
    kpis = data["kpis"]
    assert kpis["roles_unable_to_back_up"] == 2
    assert "Roles unable to back up: 2 roles" in text
    assert kpis["tables"] == 16
    assert 0 < kpis["pitr_compliance_rate"] < 1
    assert isinstance(kpis["snapshot_gap"], list) and isinstance(kpis["unprotected_tables"], list)
    tot = data["totals"]
    assert (
        kpis["protection_share_of_storage"]
        == round(tot["monthly_protection_cost_usd"] / tot["monthly_table_storage_usd"], 4)
        or abs(
            kpis["protection_share_of_storage"]
            - tot["monthly_protection_cost_usd"] / tot["monthly_table_storage_usd"]
        )
        < 1e-3
    )
    # one restore drill: (120 + 40) GB x 0.15 restore price (us-east-1)
    assert kpis["restore_drill_usd"] == round(160 * 0.15, 2)
