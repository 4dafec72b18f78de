"""Who may do what in matching (pont.matching.rules), for which company, and what reading people's data
leaves in the audit trail."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.test import Client

from pont.audit.models import AuditEvent
from pont.core import access
from pont.core.auth import token_issue
from pont.matching import selectors, services
from pont.matching.models import Vacancy
from tests.factories import MembershipFactory, OrganisationFactory, municipality
from tests.matching.world import make_candidate, make_vacancy

pytestmark = pytest.mark.django_db


def api(user) -> Client:
    _, raw = token_issue(user=user)
    return Client(headers={"Authorization": f"Bearer {raw}", "Accept-Language": "en"})


@pytest.fixture
def proposal(person, users, orgs):
    vacancy = make_vacancy(orgs, users)
    make_candidate(person, users)
    return services.proposal_create(person=person, vacancy=vacancy, by=users["adviser"])


@pytest.fixture
def second_company(users):
    """The test employer also acts for a second company."""
    company = OrganisationFactory(name="Agro Test SA", kind="company", country="BE")
    MembershipFactory(user=users["employer"], organisation=company, role="employer")
    access.forget(users["employer"])
    return company


@pytest.mark.parametrize(("role", "allowed"), [("employer", True), ("adviser", False), ("other_adviser", False),
                                               ("coordinator", False), ("dispatcher", False)])
def test_only_the_companys_employers_give_feedback(proposal, users, role, allowed):
    assert access.can(users[role], "matching.give_feedback", proposal) is allowed


@pytest.mark.parametrize(("role", "allowed"), [("adviser", True), ("other_adviser", False), ("employer", False),
                                               ("coordinator", False)])
def test_only_advisers_following_the_person_answer_and_withdraw(proposal, users, role, allowed):
    assert access.can(users[role], "matching.answer_proposal", proposal) is allowed
    assert access.can(users[role], "matching.withdraw_proposal", proposal) is allowed


def test_a_service_called_by_someone_without_the_right_answers_not_found(proposal, person, users, orgs):
    with pytest.raises(Http404):
        services.feedback_record(proposal=proposal, by=users["adviser"], outcome="interview_requested")
    with pytest.raises(Http404):
        services.proposal_withdraw(proposal=proposal, by=users["employer"])
    with pytest.raises(Http404):
        services.proposal_create(person=person, vacancy=proposal.vacancy, by=users["other_adviser"])
    with pytest.raises(Http404):
        services.site_create(employer=orgs["company"], by=users["adviser"], name="Annexe",
                             municipality=municipality("Menen"))
    with pytest.raises(Http404):
        services.vacancy_update(vacancy=proposal.vacancy, by=users["adviser"], changes={"posts": 2})
    rival = MembershipFactory(organisation=OrganisationFactory(name="Rival NV", kind="company"), role="employer").user
    with pytest.raises(Http404):
        services.feedback_record(proposal=proposal, by=rival, outcome="interview_requested")


def test_an_employer_of_several_companies_chooses_which_one_a_site_is_for(users, orgs, second_company):
    client = api(users["employer"])
    body = {"name": "Warehouse", "municipality": municipality("Tournai").pk}
    refused = client.post("/api/v1/sites", body, content_type="application/json")
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["body", "organisation"]
    created = client.post("/api/v1/sites", {**body, "employer": second_company.pk}, content_type="application/json")
    assert created.status_code == 201 and created.json()["employer"] == "Agro Test SA"
    not_theirs = OrganisationFactory(name="Rival NV", kind="company")
    assert client.post("/api/v1/sites", {**body, "employer": not_theirs.pk},
                       content_type="application/json").status_code == 404


def test_a_vacancy_belongs_to_the_company_of_its_site(users, orgs, second_company):
    site = services.site_create(employer=second_company, by=users["employer"], name="Usine",
                                municipality=municipality("Tournai"))
    make_vacancy(orgs, users)  # the taxonomy
    vacancy = Vacancy.objects.get()
    response = api(users["employer"]).post("/api/v1/vacancies", {"site": site.pk, "occupation": vacancy.occupation_id},
                                           content_type="application/json")
    assert response.status_code == 201 and response.json()["employer"] == "Agro Test SA"


def test_the_sites_page_lets_an_employer_of_several_companies_choose(client_for, users, second_company):
    page = client_for("employer")
    response = page.post("/jobs/sites/", {"name": "Usine", "municipality": municipality("Tournai").pk})
    assert response.status_code == 422 and "employer" in response.context["form"].errors
    response = page.post("/jobs/sites/", {"name": "Usine", "municipality": municipality("Tournai").pk,
                                          "employer": second_company.pk})
    assert response.status_code == 302 and second_company.sites.get().name == "Usine"


def _events(verb: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(verb=verb))


def test_the_people_who_fit_a_vacancy_are_audited_as_one_event_per_page(person, users, orgs, client_for):
    vacancy = make_vacancy(orgs, users)
    make_candidate(person, users)
    page = client_for("adviser").get(f"/jobs/vacancies/{vacancy.pk}/")
    assert "Ahmad Al-Hamwi" in page.content.decode()
    [event] = _events("vacancy.matches_listed")
    assert event.detail["ids"] == [person.pk] and event.object_type == "people.person"
    matches = api(users["adviser"]).get(f"/api/v1/vacancies/{vacancy.pk}/matches")
    assert matches.json()[0]["person"]["family_name"] == "Al-Hamwi"
    assert len(_events("vacancy.matches_listed")) == 2


def test_a_persons_matches_and_profile_are_audited_reads(person, users, orgs, client_for):
    make_vacancy(orgs, users)
    make_candidate(person, users)
    api(users["adviser"]).get(f"/api/v1/persons/{person.pk}/matches")
    client_for("adviser").get(f"/jobs/people/{person.pk}/matches/")
    events = _events("person.matches_viewed")
    assert len(events) == 2 and all(e.person_id == person.pk and e.detail["vacancies"] for e in events)
    client_for("adviser").get(f"/jobs/people/{person.pk}/profile/")
    api(users["adviser"]).get(f"/api/v1/persons/{person.pk}/skill-profile")
    assert [e.person_id for e in _events("skill_profile.viewed")] == [person.pk, person.pk]


def test_the_shortlist_is_audited_once_it_reveals_a_name(proposal, users, client_for):
    vacancy = proposal.vacancy
    employer = client_for("employer")
    employer.get(f"/jobs/vacancies/{vacancy.pk}/")
    assert _events("proposal.listed") == []  # pseudonymous cards only
    services.feedback_record(proposal=proposal, by=users["employer"], outcome="interview_requested")
    services.proposal_answer(proposal=proposal, by=users["adviser"], accepted=True)
    assert "Ahmad Al-Hamwi" in employer.get(f"/jobs/vacancies/{vacancy.pk}/").content.decode()
    [event] = _events("proposal.listed")
    assert event.detail["ids"] == [proposal.pk] and event.detail["persons"] == [proposal.person_id]


def test_proposal_lists_and_cards_are_audited(proposal, users):
    api(users["employer"]).get("/api/v1/proposals")
    [listed] = _events("proposal.listed")
    assert listed.detail["ids"] == [proposal.pk] and listed.actor == users["employer"]
    api(users["employer"]).get(f"/api/v1/proposals/{proposal.pk}")
    [viewed] = _events("proposal.viewed")
    assert viewed.organisation_id == proposal.vacancy.employer_id


def test_acting_on_a_proposal_is_not_audited_as_a_read(proposal, users):
    found = selectors.proposal_get(user=users["employer"], pk=proposal.pk)
    assert found == proposal and _events("proposal.viewed") == []
