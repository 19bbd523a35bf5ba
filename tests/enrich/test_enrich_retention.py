"""Retained copies at steady state, lifecycle validation and copy destinations."""

from __future__ import annotations

import pytest

from ddb_guard.enrich.retention import check_days, compute_retention, lifecycle_error
from ddb_guard.enrich.schedule import analyze
from ddb_guard.model import Value

DAILY = analyze("cron(0 5 ? * * *)", this_year=2026)
WEEKLY = analyze("cron(0 5 ? * MON *)", this_year=2026)
HOURLY = analyze("cron(0 * ? * * *)", this_year=2026)


def attrs(delete=None, cold=None, copies=None):
    def val(x):
        if isinstance(x, Value):
            return x
        return Value.absent(None) if x is None else Value.of(x)

    return {"delete_after": val(delete), "cold_after": val(cold), "copy_actions": copies or []}


def retained(a, sched=DAILY, advanced="assumed on", ratio=0.3):
    res = compute_retention(a, sched, advanced, ratio)
    assert res.retained is not None, res.unknown
    return res.retained


def test_daily_30_days_keeps_30_copies() -> None:
    r = retained(attrs(30))
    assert r["copies"] == 30 and r["warm_copies"] == 30 and r["cold_copies"] == 0
    assert r["peak_copies"] == 30
    assert r["unbounded"] is False and r["retention_days"] == 30


def test_weekly_35_days_keeps_5_copies() -> None:
    r = retained(attrs(35), WEEKLY)
    assert r["copies"] == 5.0
    assert r["peak_copies"] == 5


def test_hourly_7_days_keeps_168_copies() -> None:
    assert retained(attrs(7), HOURLY)["copies"] == 168


def test_no_delete_after_is_unbounded() -> None:
    r = retained(attrs(None))
    assert r["unbounded"] is True
    assert r["copies"] is None and r["total_copies"] is None
    assert r["copies_after_year"] == 365


def test_minus_one_keeps_forever() -> None:
    r = retained(attrs(-1))
    assert r["unbounded"] is True
    assert "indefinitely" in r["notes"][0]


def test_cold_split_with_advanced_backup_assumed_on() -> None:
    r = retained(attrs(365, cold=30))
    assert r["warm_copies"] == 30 and r["cold_copies"] == 335
    assert r["copies"] == 365
    assert r["cold_effective"] is True
    assert r["warm_equivalent"] == pytest.approx(30 + 335 * 0.3)
    assert any("assumes AWS Backup advanced" in n for n in r["notes"])


def test_cold_ignored_when_advanced_backup_off() -> None:
    r = retained(attrs(365, cold=30), advanced="off")
    assert r["cold_ignored"] is True and r["cold_effective"] is False
    assert r["warm_copies"] == 365 and r["cold_copies"] == 0
    assert r["warm_equivalent"] == 365
    assert any("stay warm" in n for n in r["notes"])


def test_cold_billed_for_90_days_minimum() -> None:
    # invalid lifecycle (AWS rejects it), but priced as billed if it existed
    res = compute_retention(attrs(60, cold=30), DAILY, "on", 0.3)
    assert res.retained["cold_copies"] == 30
    assert res.retained["cold_billed_copies"] == 90
    assert "cold_storage_after (30) + 90 = 120" in res.lifecycle_error


def test_copy_action_adds_destination_copies() -> None:
    copies = [
        {
            "destination_vault": Value.of("arn:aws:backup:eu-west-1:123456789012:backup-vault:dr"),
            "delete_after": Value.of(7),
            "cold_after": Value.absent(None),
        }
    ]
    r = retained(attrs(30, copies=copies))
    assert r["destination_copies"] == 7
    assert r["destinations"][0]["region"] == "eu-west-1"
    assert r["total_copies"] == 37
    assert r["warm_equivalent"] == 37


def test_copy_action_without_lifecycle_never_expires() -> None:
    copies = [{"destination_vault": Value.of("arn:aws:backup:us-east-1:1:backup-vault:x")}]
    r = retained(attrs(30, copies=copies))
    assert r["destination_unbounded"] is True
    assert r["destination_copies"] is None
    assert r["unbounded"] is False and r["copies"] == 30
    assert r["total_copies"] is None


def test_copy_action_lifecycle_error_is_reported() -> None:
    copies = [
        {
            "destination_vault": Value.of("x"),
            "cold_after": Value.of(10),
            "delete_after": Value.of(50),
        }
    ]
    res = compute_retention(attrs(30, copies=copies), DAILY, "on", 0.3)
    assert res.lifecycle_error.startswith("copy_action[0]: delete_after (50)")


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (-5, "delete_after is negative (-5)"),
        ("thirty", "delete_after is the string 'thirty'"),
        (0, "delete_after is 0"),
        (1.5, "whole number of days"),
        (True, "not true"),
        (40000, "above the AWS maximum of 36500"),
        ([30], "not list"),
    ],
)
def test_bad_retention_values_give_an_error_and_no_number(value, error) -> None:
    res = compute_retention(attrs(value), DAILY, "on", 0.3)
    assert error in res.value_error
    assert res.retained["copies"] is None
    assert res.retained["warm_copies"] is None


def test_numeric_strings_are_converted() -> None:
    assert check_days("35", "delete_after").days == 35
    assert check_days(" 7 ", "delete_after").days == 7
    assert check_days(30.0, "delete_after").days == 30


def test_unknown_delete_after_makes_retention_unknown() -> None:
    res = compute_retention(
        attrs(Value.unknown_because("depends on var.days, which has no default")),
        DAILY,
        "on",
        0.3,
    )
    assert res.retained is None
    assert "var.days" in res.unknown
    assert res.lifecycle_error is None and "var.days" in res.lifecycle_unknown


def test_unknown_copy_actions_make_retention_unknown() -> None:
    a = attrs(30)
    a["copy_actions"] = Value.unknown_because("dynamic block over var.copies")
    res = compute_retention(a, DAILY, "on", 0.3)
    # the rule's own copies are still known; every total including the copies is not
    r = res.retained
    assert r is not None and res.unknown is None
    assert r["copies"] == 30 and r["copies_words"] == "about 30 full copies"
    assert "var.copies" in r["destinations_unknown"]
    assert "cannot be counted" in r["destination_words"]
    for key in ("destination_copies", "total_copies", "warm_equivalent"):
        assert not r[key].known and "var.copies" in r[key].unknown


def test_copies_in_words_are_plural_only_when_plural() -> None:
    assert retained(attrs(1))["copies_words"] == "about 1 full copy"
    assert retained(attrs(2))["copies_words"] == "about 2 full copies"
    yearly = analyze("cron(0 5 1 1 ? *)", this_year=2026)
    assert retained(attrs(None), sched=yearly)["year_words"] == "about 1 full copy"


def test_destination_copies_are_said_separately() -> None:
    a = attrs(30)
    a["copy_actions"] = [
        {
            "destination_vault": Value.of("arn:aws:backup:eu-west-1:1:backup-vault:dr"),
            "cold_after": Value.absent(None),
            "delete_after": Value.of(90),
        }
    ]
    r = retained(a)
    assert r["copies"] == 30 and r["total_copies"] == 120
    assert r["destination_words"] == " in its vault, plus about 90 in the copy destination's vault"
    assert r["total_words"] == " in all"
    assert retained(attrs(30))["destination_words"] == retained(attrs(30))["total_words"] == ""


def test_on_demand_rule_keeps_no_estimate() -> None:
    r = retained(attrs(None), sched=None)
    assert r["on_demand"] is True and r["unbounded"] is True
    assert r["copies"] is None
    assert any("on demand" in n for n in r["notes"])


def test_invalid_schedule_gives_no_copy_count() -> None:
    r = retained(attrs(30), sched=analyze("rate(1 day)"))
    assert r["copies"] is None
    assert any("invalid schedule" in n for n in r["notes"])


def test_lifecycle_rule() -> None:
    assert lifecycle_error(check_days(30, "c"), check_days(120, "d")) is None
    assert lifecycle_error(check_days(30, "c"), check_days(119, "d")) is not None
    assert lifecycle_error(check_days(None, "c"), check_days(1, "d")) is None
