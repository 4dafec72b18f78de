"""The scoring module against DOMAIN.md's table: every band edge, property tests over all valid answers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pont.care import instruments, scoring

SHIPPED = instruments.shipped()


def answers_summing(code: str, total: int) -> dict[int, int]:
    """Return valid answers for an instrument whose in-total items sum to `total` (greedy from item 1)."""
    instrument = SHIPPED[code]
    answers, left = {}, total - instrument.min_total
    for item in instrument.items:
        low = min(item.values)
        best = max((v for v in item.values if v - low <= left), default=low)
        answers[item.number] = best
        left -= best - low
    assert left == 0, f"{code}: cannot reach {total}"
    return answers


def test_every_instrument_of_the_table_ships_and_rhs15_does_not():
    assert set(SHIPPED) == {"phq-9", "gad-7", "phq-4", "k10", "pcl-5", "cries-8", "audit-c", "cage"}
    assert "rhs-15" not in SHIPPED


@pytest.mark.parametrize(("code", "items", "low", "high"), [
    ("phq-9", 9, 0, 27), ("gad-7", 7, 0, 21), ("phq-4", 4, 0, 12), ("k10", 10, 10, 50), ("pcl-5", 20, 0, 80),
    ("cries-8", 8, 0, 40), ("audit-c", 3, 0, 12), ("cage", 4, 0, 4),
])
def test_items_and_score_range(code, items, low, high):
    instrument = SHIPPED[code]
    assert len(instrument.items) == items
    assert (instrument.min_total, instrument.max_total) == (low, high)


def test_cries8_answers_are_0_1_3_5():
    assert all(item.values == {0, 1, 3, 5} for item in SHIPPED["cries-8"].items)


def test_french_and_dutch_are_marked_not_validated():
    for instrument in SHIPPED.values():
        assert instrument.languages == {"en": True, "fr": False, "nl": False}
        assert all({"en", "fr", "nl"} <= set(item.text) for item in instrument.items)


BANDS = {
    "phq-9": [(0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"),
              (15, "moderately_severe"), (19, "moderately_severe"), (20, "severe"), (27, "severe")],
    "gad-7": [(0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"),
              (15, "severe"), (21, "severe")],
    "phq-4": [(0, "none"), (2, "none"), (3, "mild"), (5, "mild"), (6, "moderate"), (8, "moderate"), (9, "severe"),
              (12, "severe")],
    "k10": [(10, "low"), (15, "low"), (16, "moderate"), (21, "moderate"), (22, "high"), (29, "high"),
            (30, "very_high"), (50, "very_high")],
    "cage": [(0, "not_significant"), (1, "not_significant"), (2, "significant"), (4, "significant")],
}


@pytest.mark.parametrize(("code", "total", "band"), [(c, t, b) for c, rows in BANDS.items() for t, b in rows])
def test_band_edges(code, total, band):
    result = scoring.score(SHIPPED[code], answers_summing(code, total))
    assert (result.total, result.band) == (total, band)


@pytest.mark.parametrize(("code", "total", "positive"), [
    ("gad-7", 9, False), ("gad-7", 10, True), ("pcl-5", 32, False), ("pcl-5", 33, True),
    ("cries-8", 16, False), ("cries-8", 17, True), ("cage", 1, False), ("cage", 2, True),
])
def test_positive_cut_offs(code, total, positive):
    assert scoring.score(SHIPPED[code], answers_summing(code, total)).positive is positive


def test_phq9_and_k10_define_no_cut_off():
    assert scoring.score(SHIPPED["phq-9"], answers_summing("phq-9", 27)).positive is None
    assert scoring.score(SHIPPED["k10"], answers_summing("k10", 50)).positive is None


@pytest.mark.parametrize(("sex", "total", "positive"), [("M", 3, False), ("M", 4, True), ("F", 2, False),
                                                        ("F", 3, True), ("X", 3, True)])
def test_audit_c_cut_off_depends_on_sex(sex, total, positive):
    result = scoring.score(SHIPPED["audit-c"], answers_summing("audit-c", total), {"sex": sex})
    assert result.positive is positive


def test_audit_c_without_sex_is_refused():
    with pytest.raises(scoring.AnswerError) as error:
        scoring.score(SHIPPED["audit-c"], {1: 0, 2: 0, 3: 0})
    assert error.value.problems == {"sex": "needed"}


@pytest.mark.parametrize(("anxiety", "depression", "positive"), [((1, 1), (1, 1), False), ((2, 1), (0, 0), True),
                                                                  ((0, 0), (3, 0), True), ((1, 1), (2, 0), False)])
def test_phq4_subscales(anxiety, depression, positive):
    result = scoring.score(SHIPPED["phq-4"], {1: anxiety[0], 2: anxiety[1], 3: depression[0], 4: depression[1]})
    assert result.subscales["anxiety"].positive is (sum(anxiety) >= 3)
    assert result.subscales["depression"].positive is (sum(depression) >= 3)
    assert result.positive is positive


def test_pcl5_clusters_and_endorsement():
    answers = {n: 0 for n in range(1, 21)}
    answers.update({1: 2, 6: 3, 8: 2, 9: 4, 15: 2, 16: 2, 17: 1})
    result = scoring.score(SHIPPED["pcl-5"], answers)
    assert {c: (s.score, s.endorsed) for c, s in result.subscales.items()} == {
        "B": (2, 1), "C": (3, 1), "D": (6, 2), "E": (5, 2)}
    assert [f.code for f in result.flags] == ["dsm5_pattern"]
    answers[15] = 1
    assert scoring.score(SHIPPED["pcl-5"], answers).flags == ()


@pytest.mark.parametrize("item9", [0, 1, 2, 3])
def test_phq9_item9_escalates_to_b_and_asks_for_a_clinician(item9):
    result = scoring.score(SHIPPED["phq-9"], {**{n: 0 for n in range(1, 9)}, 9: item9})
    assert result.needs_clinician is (item9 > 0)
    assert result.escalate_to == ("B" if item9 > 0 else None)


def test_incomplete_and_out_of_range_answers_are_refused_naming_the_items():
    with pytest.raises(scoring.AnswerError) as error:
        scoring.score(SHIPPED["phq-9"], {1: 0, 2: 4, 3: -1, 4: "2", 5: True, 10: 1, "x": 0})
    assert error.value.problems == {
        "item 2": "out_of_range", "item 3": "out_of_range", "item 4": "out_of_range", "item 5": "out_of_range",
        "item 6": "missing", "item 7": "missing", "item 8": "missing", "item 9": "missing",
        "item 10": "unknown", "item x": "unknown"}
    assert error.value.allowed["item 2"] == [0, 1, 2, 3]


def test_cries8_refuses_a_2():
    with pytest.raises(scoring.AnswerError) as error:
        scoring.score(SHIPPED["cries-8"], {**{n: 0 for n in range(1, 9)}, 4: 2})
    assert error.value.problems == {"item 4": "out_of_range"}


def _valid_answers(instrument):
    return st.fixed_dictionaries({item.number: st.sampled_from(sorted(item.values)) for item in instrument.items})


@pytest.mark.parametrize("code", sorted(SHIPPED))
def test_property_every_valid_answer_set_scores_consistently(code):
    instrument = SHIPPED[code]

    @settings(max_examples=150, deadline=None)
    @given(answers=_valid_answers(instrument), sex=st.sampled_from(["M", "F"]))
    def check(answers, sex):
        result = scoring.score(instrument, answers, {"sex": sex})
        assert result.total == sum(answers.values())
        assert instrument.min_total <= result.total <= instrument.max_total
        if instrument.bands:  # bands cover the whole range without gaps: exactly one holds
            assert [b.code for b in instrument.bands if b.low <= result.total <= b.high] == [result.band]
        if code in ("gad-7", "pcl-5", "cries-8", "cage"):
            assert result.positive is (result.total >= {"gad-7": 10, "pcl-5": 33, "cries-8": 17, "cage": 2}[code])
        if code == "audit-c":
            assert result.positive is (result.total >= {"M": 4, "F": 3}[sex])
        if code == "phq-9":
            assert (result.escalate_to == "B") is (answers[9] > 0)
        for name, sub in result.subscales.items():
            spec = next(s for s in instrument.subscales if s.code == name)
            assert sub.score == sum(answers[n] for n in spec.items)
        # Any one item removed: refused, naming exactly that item.
        for number in answers:
            partial = {k: v for k, v in answers.items() if k != number}
            with pytest.raises(scoring.AnswerError) as error:
                scoring.score(instrument, partial, {"sex": sex})
            assert error.value.problems == {f"item {number}": "missing"}

    check()


def test_rhs15_style_definition_loads_with_thermometer_outside_the_total():
    definition = {
        "code": "rhs-15", "name": "RHS-15", "options": [{"value": v} for v in range(5)],
        "items": [{"text": f"item {n}"} for n in range(1, 15)]
        + [{"text": "thermometer", "in_total": False, "options": [{"value": v} for v in range(11)]}],
        "scoring": {"positive": [{"total_at_least": 12}, {"item_at_least": {"item": 15, "value": 5}}]},
    }
    instrument = scoring.parse(definition)
    low = {n: 0 for n in range(1, 15)}
    assert scoring.score(instrument, {**low, 15: 4}).positive is False
    assert scoring.score(instrument, {**low, 15: 5}).positive is True
    assert scoring.score(instrument, {**low, 1: 4, 2: 4, 3: 4, 15: 0}).positive is True
    assert scoring.score(instrument, {**low, 1: 4, 2: 4, 3: 3, 15: 10}).total == 11


@pytest.mark.parametrize("broken", [
    {}, {"code": "x", "name": "X", "items": []}, {"code": "x", "name": "X", "items": [{"text": "a"}]},
    {"code": "x", "name": "X", "options": [{"value": 0}], "items": [{"text": "a"}],
     "scoring": {"flags": [{"code": "f", "item": 2, "at_least": 1}]}},
    {"code": "x", "name": "X", "options": [{"value": 0}], "items": [{"text": "a"}],
     "scoring": {"positive": [{"magic": 1}]}},
    {"code": "x", "name": "X", "options": [{"value": 0}, {"value": 1}], "items": [{"text": "a"}],
     "scoring": {"bands": [{"code": "lo", "min": 0, "max": 0}]}},
])
def test_broken_definitions_are_refused(broken):
    with pytest.raises(scoring.DefinitionError):
        scoring.parse(broken)
