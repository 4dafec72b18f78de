"""The right-to-work table (DOMAIN.md) applied to the cases advisers meet."""

import datetime as dt

import pytest

from pont.people.right_to_work import (
    MAY_NOT_WORK,
    MAY_WORK,
    NEEDS_PERMIT,
    StatusFact,
    add_months,
    assess,
    current_fact,
    load_rules,
)

TODAY = dt.date(2026, 11, 29)


def outcome(status, country, start, work_country, decision=None, end=None):
    return assess([StatusFact(status, country, start, end, decision)], work_country, TODAY).outcome


@pytest.mark.parametrize(("status", "country", "work_country", "expected"), [
    ("recognised_refugee", "BE", "BE", MAY_WORK),
    ("recognised_refugee", "BE", "FR", NEEDS_PERMIT),
    ("subsidiary_protection", "FR", "FR", MAY_WORK),
    ("subsidiary_protection", "FR", "BE", NEEDS_PERMIT),
    ("temporary_protection", "BE", "BE", MAY_WORK),
    ("temporary_protection", "FR", "BE", NEEDS_PERMIT),
    ("rejected", "BE", "BE", MAY_NOT_WORK),
    ("other", "FR", "FR", MAY_NOT_WORK),
])
def test_protection_statuses(status, country, work_country, expected):
    assert outcome(status, country, dt.date(2024, 3, 12), work_country) == expected


def test_belgian_asylum_seeker_may_work_after_four_months_without_decision():
    assert outcome("asylum_seeker", "BE", add_months(TODAY, -4), "BE") == MAY_WORK
    assert outcome("asylum_seeker", "BE", add_months(TODAY, -4) + dt.timedelta(days=1), "BE") == MAY_NOT_WORK


def test_belgian_right_is_kept_during_the_appeal():
    start = add_months(TODAY, -10)
    assert outcome("asylum_appeal", "BE", start, "BE", decision=add_months(start, 5)) == MAY_WORK


def test_belgian_decision_within_four_months_gives_no_right():
    start = add_months(TODAY, -10)
    assert outcome("asylum_seeker", "BE", start, "BE", decision=add_months(start, 3)) == MAY_NOT_WORK


def test_yonas_asylum_seeker_in_france_for_seven_months_may_request_an_authorisation():
    result = assess([StatusFact("asylum_seeker", "FR", add_months(TODAY, -7))], "FR", TODAY, "en")
    assert result.outcome == NEEDS_PERMIT
    assert "OFPRA" in result.reason and "job offer" in result.reason


def test_french_asylum_seeker_before_six_months_may_not_work_and_learns_when():
    result = assess([StatusFact("asylum_seeker", "FR", add_months(TODAY, -2))], "FR", TODAY, "fr")
    assert result.outcome == MAY_NOT_WORK
    assert "2027" in result.reason  # the date from which an authorisation can be requested


def test_no_work_authorisation_during_a_cnda_appeal():
    assert outcome("asylum_appeal", "FR", add_months(TODAY, -12), "FR") == MAY_NOT_WORK


def test_asylum_claim_in_the_other_country_gives_no_right():
    assert outcome("asylum_seeker", "FR", add_months(TODAY, -12), "BE") == MAY_NOT_WORK


def test_history_keeps_both_statuses_and_the_latest_in_force_decides():
    facts = [
        StatusFact("asylum_seeker", "BE", dt.date(2023, 1, 10), dt.date(2024, 3, 11)),
        StatusFact("recognised_refugee", "BE", dt.date(2024, 3, 12)),
    ]
    assert current_fact(facts, TODAY).status == "recognised_refugee"
    assert assess(facts, "BE", TODAY).outcome == MAY_WORK


def test_no_status_recorded():
    result = assess([], "BE", TODAY, "nl")
    assert result.outcome == MAY_NOT_WORK and "status" in result.reason


def test_reasons_exist_in_every_ui_language():
    table = load_rules()
    branches = [table["no_status"]] + [b for r in table["rules"] for b in (r, r.get("before"), r.get("decided")) if b]
    for branch in branches:
        assert set(branch["reason"]) == {"en", "fr", "nl"}


def test_add_months_clamps_to_month_end():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 11, 29), -12) == dt.date(2025, 11, 29)
