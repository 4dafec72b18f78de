"""One source for every field rule: the model says it, the page and the API both apply it, with the same words."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from pont.core.auth import token_issue
from pont.employment.choices import ContractType
from pont.matching import choices, selectors, services
from pont.matching.models import SkillProfile
from pont.taxonomy.models import Occupation, OccupationSkill
from tests.matching.world import make_candidate, make_vacancy, occupation, skills

pytestmark = pytest.mark.django_db


def api(user) -> Client:
    _, raw = token_issue(user=user)
    return Client(headers={"Authorization": f"Bearer {raw}", "Accept-Language": "en"})


def _messages(response) -> dict[str, str]:
    return {item["loc"][-1]: item["msg"] for item in response.json()["detail"]}


@pytest.fixture
def vacancy(orgs, users):
    return make_vacancy(orgs, users)


def test_matching_speaks_of_the_employment_pathways_contract_types():
    assert choices.ContractType is ContractType
    assert set(choices.VACANCY_CONTRACTS) < set(ContractType)  # self-employment is no job offer
    assert set(choices.CONTRACT_BIT) == set(ContractType.values)


def test_a_fixed_term_vacancy_needs_its_length_and_an_open_ended_one_has_none(vacancy):
    vacancy.contract_type, vacancy.contract_months = ContractType.FIXED_TERM, None
    with pytest.raises(ValidationError) as refused:
        vacancy.full_clean()
    assert refused.value.message_dict == {"contract_months": ["Give the length of a fixed-term contract in months."]}
    vacancy.contract_type, vacancy.contract_months = ContractType.OPEN_ENDED, 6
    with pytest.raises(ValidationError, match="An open-ended contract has no length"):
        vacancy.full_clean()


def test_the_page_and_the_api_refuse_a_vacancy_with_the_models_words(vacancy, users, client_for):
    site, welder = vacancy.site_id, vacancy.occupation_id
    page = client_for("employer").post("/jobs/vacancies/new/", {
        "occupation": welder, "site": site, "contract_type": "fixed_term", "hours_per_week": 61, "posts": 1,
        "status": "open"})
    assert page.status_code == 422
    form = page.context["form"]
    assert form.errors["contract_months"] == ["Give the length of a fixed-term contract in months."]
    assert form.errors["hours_per_week"] == ["Ensure this value is less than or equal to 60."]
    response = api(users["employer"]).post("/api/v1/vacancies", {
        "site": site, "occupation": welder, "contract_type": "fixed_term"}, content_type="application/json")
    assert response.status_code == 422
    assert _messages(response) == {"contract_months": "Give the length of a fixed-term contract in months."}
    assert api(users["employer"]).post("/api/v1/vacancies", {"site": site, "occupation": welder, "hours_per_week": 61},
                                       content_type="application/json").status_code == 422


def test_a_change_that_does_not_fit_the_vacancys_other_fields_is_a_409(vacancy, users):
    client = api(users["employer"])
    response = client.patch(f"/api/v1/vacancies/{vacancy.pk}", {"contract_type": "fixed_term"},
                            content_type="application/json")
    assert response.status_code == 409 and _messages(response) == {
        "contract_months": "Give the length of a fixed-term contract in months."}
    response = client.patch(f"/api/v1/vacancies/{vacancy.pk}", {"contract_type": "fixed_term", "contract_months": 6},
                            content_type="application/json")
    assert response.status_code == 200 and response.json()["contract_months"] == 6
    vacancy.refresh_from_db()
    assert vacancy.contract_type == "fixed_term"


def test_a_patch_leaves_out_what_it_does_not_name_and_a_new_occupation_takes_escos_skills(vacancy, users):
    vacancy.skill_links.filter(relation="optional").delete()
    client = api(users["employer"])
    body = client.patch(f"/api/v1/vacancies/{vacancy.pk}", {"posts": 3, "title": None},
                        content_type="application/json").json()
    assert body["posts"] == 3 and body["title"] == "Lasser" and body["optional_skills"] == []
    other = Occupation.objects.create(uri="http://example.invalid/occupation/bricklayer", code="7112.1",
                                      labels={"en": "bricklayer"})
    OccupationSkill.objects.create(occupation=other, skill=skills("lay bricks")[0], relation="essential")
    body = client.patch(f"/api/v1/vacancies/{vacancy.pk}", {"occupation": other.pk},
                        content_type="application/json").json()
    assert [s["label"] for s in body["essential_skills"]] == ["lay bricks"]  # as the page does


def test_a_skill_in_both_lists_is_essential_on_the_page_and_in_the_api(vacancy, users):
    mig = skills("perform MIG/MAG welding")[0]
    body = api(users["employer"]).patch(f"/api/v1/vacancies/{vacancy.pk}", {
        "essential_skills": [mig.pk], "optional_skills": [mig.pk]}, content_type="application/json").json()
    assert [s["id"] for s in body["essential_skills"]] == [mig.pk] and body["optional_skills"] == []


def test_editing_a_vacancy_on_the_page_keeps_every_language_it_requires(vacancy, users, client_for):
    languages = {"fra": "B1", "nld": "A2", "eng": "A2", "deu": "A1"}
    services.vacancy_update(vacancy=vacancy, by=users["employer"], changes={},
                            lists=services.VacancySkills(languages=languages))
    employer = client_for("employer")
    form = employer.get(f"/jobs/vacancies/{vacancy.pk}/edit/").context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() not in (None, "", [])}
    assert sum(name.startswith("language_") for name in data) == 4
    assert employer.post(f"/jobs/vacancies/{vacancy.pk}/edit/", data).status_code == 302
    assert dict(vacancy.languages.values_list("code", "level")) == languages


def test_a_language_requirement_is_one_the_page_offers(vacancy, users):
    response = api(users["employer"]).patch(f"/api/v1/vacancies/{vacancy.pk}", {
        "languages": [{"code": "zzz", "level": "B1"}]}, content_type="application/json")
    assert response.status_code == 422
    response = api(users["employer"]).patch(f"/api/v1/vacancies/{vacancy.pk}", {
        "languages": [{"code": "fra", "level": "none"}]}, content_type="application/json")
    assert response.status_code == 422


def test_a_car_needs_a_driving_licence_on_the_page_and_in_the_api(person, users, client_for):
    page = client_for("adviser").post(f"/jobs/people/{person.pk}/profile/", {"travel_radius_km": 30, "has_car": "on"})
    assert page.status_code == 422
    message = "A car is only useful with a driving licence: tick the licence too."
    assert page.context["form"].errors["driving_licence"] == [message]
    response = api(users["adviser"]).put(f"/api/v1/persons/{person.pk}/skill-profile", {"has_car": True},
                                         content_type="application/json")
    assert response.status_code == 422 and _messages(response) == {"driving_licence": message}
    assert not SkillProfile.objects.filter(person=person).exists()


def test_availability_lies_within_whole_years_from_ten_back_to_two_ahead(person, users):
    year = timezone.localdate().year
    client = api(users["adviser"])
    url = f"/api/v1/persons/{person.pk}/skill-profile"
    for day, status in ((dt.date(year - 10, 1, 1), 200), (dt.date(year + 2, 12, 31), 200),
                        (dt.date(year - 11, 12, 31), 422), (dt.date(year + 3, 1, 1), 422)):
        assert client.put(url, {"available_from": day.isoformat()}, content_type="application/json").status_code == \
            status, day


def test_a_later_entry_for_the_same_past_occupation_wins(person, users):
    make_candidate(person, users)
    welder = occupation("welder")
    response = api(users["adviser"]).put(f"/api/v1/persons/{person.pk}/skill-profile", {
        "past_occupations": [{"occupation": welder.pk, "years": 2}, {"occupation": welder.pk, "years": 4.25}]},
        content_type="application/json")
    assert response.status_code == 200 and response.json()["past_occupations"] == [
        {"occupation": welder.pk, "years": 4.3}]


def test_feedback_not_retained_needs_its_reason_on_the_page_too(person, users, vacancy, client_for):
    make_candidate(person, users)
    proposal = services.proposal_create(person=person, vacancy=vacancy, by=users["adviser"])
    page = client_for("employer").post(f"/jobs/proposals/{proposal.pk}/feedback/", {"outcome": "not_retained"})
    assert page.status_code == 422
    assert page.context["feedback_form"].errors["reason"] == ["Say why the candidate was not retained."]
    response = api(users["employer"]).post(f"/api/v1/proposals/{proposal.pk}/feedback", {"outcome": "not_retained"},
                                           content_type="application/json")
    assert response.status_code == 422 and _messages(response) == {"reason": "Say why the candidate was not retained."}


def test_a_contract_wish_still_counts_in_the_match(person, users, orgs):
    make_vacancy(orgs, users, contract_type="fixed_term", contract_months=6)
    make_candidate(person, users)
    profile = person.skill_profile
    profile.contract_wishes = ["open_ended"]
    profile.save()
    [match] = selectors.person_matches_view(user=users["adviser"], person_pk=person.pk)[1]
    assert match["explanation"]["contract_wished"] is False
    profile.contract_wishes = ["fixed_term", "open_ended"]
    profile.save()
    [match] = selectors.person_matches_view(user=users["adviser"], person_pk=person.pk)[1]
    assert match["explanation"]["contract_wished"] is True
