"""Eligibility: the pure engine over plain data, and the adapter's reasons in the user's language."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from pont.employment import eligibility
from pont.employment.eligibility import Candidate, Rules, evaluate
from pont.employment.selectors import eligibility_for
from tests.employment.factories import ProgrammeFactory
from tests.factories import LegalStatusFactory, PersonFactory, region

ADULT = Candidate(age=34, legal_status="recognised_refugee", region="BE25",
                  languages={"nld": "A2", "ara": "native"}, right_to_work={"BE": "may_work", "FR": "needs_permit"})


def test_a_programme_without_conditions_admits_everyone():
    assert evaluate(Rules(country="BE", right_to_work="not_required"), ADULT).eligible


def test_it_refuses_someone_older_than_the_age_range():
    verdict = evaluate(Rules(country="FR", min_age=16, max_age=25, right_to_work="not_required"), ADULT)
    assert not verdict.eligible
    assert verdict.failed[0].code == eligibility.AGE
    assert verdict.failed[0].values == {"age": 34, "min": 16, "max": 25}


def test_it_checks_the_right_to_work_in_the_programmes_country():
    assert evaluate(Rules(country="BE", right_to_work="may_work"), ADULT).eligible
    assert not evaluate(Rules(country="FR", right_to_work="may_work"), ADULT).eligible
    assert evaluate(Rules(country="FR", right_to_work="permit_ok"), ADULT).eligible


def test_it_compares_cefr_levels_in_order():
    assert evaluate(Rules(country="BE", right_to_work="not_required", language="nld", language_level="A2"),
                    ADULT).eligible
    assert not evaluate(Rules(country="BE", right_to_work="not_required", language="nld", language_level="B1"),
                        ADULT).eligible
    # A language the person does not speak reaches no level.
    assert not evaluate(Rules(country="BE", right_to_work="not_required", language="fra", language_level="A1"),
                        ADULT).eligible


def test_it_checks_status_and_region():
    rules = Rules(country="BE", right_to_work="not_required", legal_statuses=("asylum_seeker",), regions=("BE32",))
    verdict = evaluate(rules, ADULT)
    assert {c.code for c in verdict.failed} == {eligibility.STATUS, eligibility.REGION}


@given(age=st.integers(0, 120), low=st.integers(0, 120), high=st.integers(0, 120))
def test_age_check_matches_the_range(age, low, high):
    candidate = Candidate(age=age, legal_status=None, region="BE25")
    verdict = evaluate(Rules(country="BE", min_age=low, max_age=high, right_to_work="not_required"), candidate)
    assert verdict.eligible == (low <= age <= high)


@given(level=st.sampled_from(eligibility.CEFR_ORDER), minimum=st.sampled_from(eligibility.CEFR_ORDER[1:]))
def test_level_at_least_is_monotonic(level, minimum):
    assert eligibility.level_at_least(level, minimum) == \
        (eligibility.CEFR_ORDER.index(level) >= eligibility.CEFR_ORDER.index(minimum))


@pytest.fixture
def youth_guidance(db):
    from pont.core.models import Organisation

    mission_locale = Organisation.objects.create(name="Mission Locale Test", kind="employment_service", country="FR")
    return ProgrammeFactory(organisation=mission_locale, kind="youth_guidance", name_en="Youth guidance",
                            min_age=16, max_age=25, right_to_work="not_required")


def test_the_adapter_gives_the_age_reason_in_the_users_language(orgs, youth_guidance):
    today = dt.date(2026, 10, 1)
    person = PersonFactory(organisation=orgs["vdab"], date_of_birth=dt.date(1999, 5, 1))
    result = eligibility_for(person=person, programmes=[youth_guidance], today=today)[0]
    assert not result.eligible
    assert result.reasons[0].text == "Aged 27: this programme is for 16 to 25."
    with translation.override("fr"):
        french = eligibility_for(person=person, programmes=[youth_guidance], today=today)[0]
    assert "27" in french.reasons[0].text


def test_the_adapter_explains_the_right_to_work(orgs, shop_floor):
    # An asylum seeker in Belgium for two months: no right to work yet (4 months).
    today = dt.date(2026, 6, 1)
    person = PersonFactory(organisation=orgs["vdab"], region=region("BE25"))
    LegalStatusFactory(person=person, status="asylum_seeker", country="BE", start_date=dt.date(2026, 4, 1))
    result = eligibility_for(person=person, programmes=[shop_floor], today=today)[0]
    assert not result.eligible
    failed = [r.text for r in result.reasons if not r.ok]
    assert failed and failed[0].startswith("May not work in Belgium")


def test_eligibility_of_ahmad_for_the_shop_floor_training(refugee, shop_floor, forem_training, users):
    results = eligibility_for(person=refugee, programmes=[shop_floor, forem_training], user=users["adviser"])
    assert [r.eligible for r in results] == [True, True]
    assert [r.can_enrol for r in results] == [True, False]  # Forem's is read-only for a VDAB adviser
    assert results[0].seats_left == 20
