"""The right-to-work table (DOMAIN.md) applied to the cases advisers meet."""

import copy
import datetime as dt

import pytest

from pont.people.right_to_work import (
    BRANCHES,
    MAY_NOT_WORK,
    MAY_WORK,
    NEEDS_PERMIT,
    StatusFact,
    add_months,
    assess,
    check_rules,
    current_fact,
    load_rules,
    procedure_of,
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


def test_belgian_decision_within_four_months_gives_no_right():
    start = add_months(TODAY, -10)
    assert outcome("asylum_seeker", "BE", start, "BE", decision=add_months(start, 3)) == MAY_NOT_WORK


def test_belgian_decision_after_four_months_keeps_the_right_until_the_claim_row_ends():
    start = add_months(TODAY, -10)
    assert outcome("asylum_seeker", "BE", start, "BE", decision=add_months(start, 5)) == MAY_WORK


# Belgium, appeals before the CCE/RvV (issue 9): the four months run from the CLAIM, never from the appeal.
CLAIM = dt.date(2026, 1, 10)


def belgian_history(decision: dt.date, appeal: dt.date) -> list[StatusFact]:
    """A claim row ended by the appeal row, as `legal_status_add` records them."""
    return [StatusFact("asylum_seeker", "BE", CLAIM, appeal - dt.timedelta(days=1), decision),
            StatusFact("asylum_appeal", "BE", appeal)]


def test_belgian_appeal_after_a_decision_taken_after_four_months_keeps_the_right_to_work():
    result = assess(belgian_history(dt.date(2026, 6, 10), dt.date(2026, 7, 1)), "BE", dt.date(2026, 8, 15))
    assert result.outcome == MAY_WORK
    assert result.since == dt.date(2026, 5, 10)  # four months after the claim
    assert "January 10, 2026" in result.reason and "CCE/RvV" in result.reason


def test_belgian_appeal_after_a_decision_taken_within_four_months_gives_no_right():
    result = assess(belgian_history(dt.date(2026, 4, 10), dt.date(2026, 5, 1)), "BE", dt.date(2026, 11, 15))
    assert result.outcome == MAY_NOT_WORK
    assert result.since == dt.date(2026, 4, 10)
    assert "April 10, 2026" in result.reason and "no right to work" in result.reason


def test_the_appeal_row_alone_carries_the_claim_and_the_decision_it_appeals():
    may = StatusFact("asylum_appeal", "BE", dt.date(2026, 7, 1), decision_date=dt.date(2026, 6, 10),
                     claim_date=CLAIM)
    may_not = StatusFact("asylum_appeal", "BE", dt.date(2026, 5, 1), decision_date=dt.date(2026, 4, 10),
                         claim_date=CLAIM)
    assert assess([may], "BE", dt.date(2026, 8, 15)).outcome == MAY_WORK
    assert assess([may_not], "BE", dt.date(2026, 11, 15)).outcome == MAY_NOT_WORK


def test_the_appeal_rows_own_dates_win_over_the_history():
    history = [StatusFact("asylum_seeker", "BE", dt.date(2025, 1, 10), dt.date(2026, 6, 30)),
               StatusFact("asylum_appeal", "BE", dt.date(2026, 7, 1), decision_date=dt.date(2026, 6, 10),
                          claim_date=dt.date(2026, 3, 1))]
    assert assess(history, "BE", dt.date(2026, 8, 15)).outcome == MAY_NOT_WORK  # 1 March + 4 months > 10 June


@pytest.mark.parametrize("appeal", [
    StatusFact("asylum_appeal", "BE", dt.date(2026, 7, 1)),                                  # neither date
    StatusFact("asylum_appeal", "BE", dt.date(2026, 7, 1), claim_date=CLAIM),                # no decision
    StatusFact("asylum_appeal", "BE", dt.date(2026, 7, 1), decision_date=dt.date(2026, 6, 10)),  # no claim
])
def test_an_appeal_whose_claim_or_decision_is_unknown_asks_for_the_dates(appeal):
    result = assess([appeal], "BE", dt.date(2026, 8, 15))
    assert result.outcome == MAY_NOT_WORK
    assert "record the date of the asylum claim" in result.reason


def test_an_appeal_finds_its_claim_in_the_same_country_only():
    history = [StatusFact("asylum_seeker", "FR", CLAIM, dt.date(2026, 3, 1), dt.date(2026, 2, 1)),
               StatusFact("asylum_appeal", "BE", dt.date(2026, 7, 1), decision_date=dt.date(2026, 6, 10))]
    assert procedure_of(history[1], history).claim is None


def test_reasons_show_dates_in_the_users_language():
    result = assess(belgian_history(dt.date(2026, 6, 10), dt.date(2026, 7, 1)), "BE", dt.date(2026, 8, 15), "nl")
    assert "10 januari 2026" in result.reason and "RvV" in result.reason
    french = assess(belgian_history(dt.date(2026, 6, 10), dt.date(2026, 7, 1)), "BE", dt.date(2026, 8, 15), "fr")
    assert "10 janvier 2026" in french.reason and "CCE" in french.reason


def test_yonas_asylum_seeker_in_france_for_seven_months_may_request_an_authorisation():
    result = assess([StatusFact("asylum_seeker", "FR", add_months(TODAY, -7))], "FR", TODAY, "en")
    assert result.outcome == NEEDS_PERMIT
    assert "OFPRA" in result.reason and "job offer" in result.reason


def test_french_asylum_seeker_before_six_months_may_not_work_and_learns_when():
    result = assess([StatusFact("asylum_seeker", "FR", add_months(TODAY, -2))], "FR", TODAY, "fr")
    assert result.outcome == MAY_NOT_WORK
    assert "2027" in result.reason  # the date from which an authorisation can be requested


def test_french_six_months_edge():
    assert outcome("asylum_seeker", "FR", add_months(TODAY, -6), "FR") == NEEDS_PERMIT
    assert outcome("asylum_seeker", "FR", add_months(TODAY, -6) + dt.timedelta(days=1), "FR") == MAY_NOT_WORK


def test_a_french_work_authorisation_granted_lets_the_asylum_seeker_work():
    claim = add_months(TODAY, -8)
    granted = add_months(claim, 7)
    result = assess([StatusFact("asylum_seeker", "FR", claim, work_authorisation_date=granted)], "FR", TODAY)
    assert result.outcome == MAY_WORK and result.since == granted
    assert "Work authorisation granted on" in result.reason
    # Not before the day it was granted.
    assert assess([StatusFact("asylum_seeker", "FR", claim, work_authorisation_date=granted)], "FR",
                  granted - dt.timedelta(days=1)).outcome == NEEDS_PERMIT


def test_no_new_work_authorisation_during_a_cnda_appeal():
    result = assess([StatusFact("asylum_appeal", "FR", add_months(TODAY, -12))], "FR", TODAY)
    assert result.outcome == MAY_NOT_WORK and "no new request" in result.reason


def test_an_authorisation_obtained_before_the_cnda_appeal_stays_valid_during_it():
    claim, granted, appeal = dt.date(2025, 9, 1), dt.date(2026, 3, 20), dt.date(2026, 6, 1)
    history = [StatusFact("asylum_seeker", "FR", claim, appeal - dt.timedelta(days=1), dt.date(2026, 5, 10),
                          work_authorisation_date=granted),
               StatusFact("asylum_appeal", "FR", appeal)]
    result = assess(history, "FR", TODAY)
    assert result.outcome == MAY_WORK and result.since == granted
    assert "CNDA" in result.reason and "verify" in result.reason
    # Recorded on the appeal row itself, it counts the same.
    alone = StatusFact("asylum_appeal", "FR", appeal, work_authorisation_date=granted)
    assert assess([alone], "FR", TODAY).outcome == MAY_WORK


def test_a_french_authorisation_gives_nothing_in_belgium():
    fact = StatusFact("asylum_seeker", "FR", add_months(TODAY, -8), work_authorisation_date=add_months(TODAY, -1))
    assert assess([fact], "BE", TODAY).outcome == MAY_NOT_WORK


@pytest.mark.parametrize(("country", "work_country", "expected"), [
    ("BE", "BE", MAY_WORK), ("FR", "FR", MAY_WORK), ("BE", "FR", NEEDS_PERMIT), ("FR", "BE", NEEDS_PERMIT),
])
def test_eu_long_term_residence_gives_free_access_only_in_the_state_that_granted_it(country, work_country,
                                                                                    expected):
    result = assess([StatusFact("long_term_resident", country, dt.date(2020, 5, 1))], work_country, TODAY)
    assert result.outcome == expected
    if expected == NEEDS_PERMIT:
        assert "2003/109" in result.reason and "verify" in result.reason


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
    branches = [table["no_status"]] + [b for r in table["rules"] for b in (r, *(r.get(k) for k in BRANCHES)) if b]
    for branch in branches:
        assert set(branch["reason"]) == {"en", "fr", "nl"}


def test_add_months_clamps_to_month_end():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 11, 29), -12) == dt.date(2025, 11, 29)


def test_a_table_with_an_unknown_word_is_refused_naming_the_rule():
    table = copy.deepcopy(load_rules())
    table["rules"][0]["wait_month"] = 4
    with pytest.raises(ValueError, match=r"rule 1 .*wait_month"):
        check_rules(table)
    table = copy.deepcopy(load_rules())
    table["rules"][0]["reason"]["fr"] = "Depuis le {start}"
    with pytest.raises(ValueError, match="unknown values"):
        check_rules(table)


def test_an_appeal_rule_with_a_wait_must_say_what_to_answer_when_dates_are_missing():
    table = copy.deepcopy(load_rules())
    appeal = next(r for r in table["rules"] if r["statuses"] == ["asylum_appeal"] and "wait_months" in r)
    del appeal["undetermined"]
    with pytest.raises(ValueError, match="undetermined"):
        check_rules(table)


def test_manage_py_check_reports_a_broken_table(tmp_path, monkeypatch):
    from pont.people import apps, right_to_work

    assert apps.right_to_work_table_check() == []
    broken = tmp_path / "rules.json"
    broken.write_text('{"rules": [', encoding="utf-8")
    monkeypatch.setattr(right_to_work, "RULES_PATH", broken)
    [error] = apps.right_to_work_table_check()
    assert error.id == "people.E001" and "rules.json" in error.msg


def test_a_table_without_a_catch_all_rule_is_refused():
    table = copy.deepcopy(load_rules())
    table["rules"].pop()
    with pytest.raises(ValueError, match="must match everything"):
        check_rules(table)
