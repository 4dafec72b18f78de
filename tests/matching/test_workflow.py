"""Proposals from adviser to employer: consent, right to work, pseudonymous cards, feedback, hire → placement."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from pont.employment.models import Placement
from pont.matching import selectors, services
from pont.matching.choices import ProposalStatus, VacancyStatus
from pont.people.services import consent_withdraw
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.matching.world import make_candidate, make_vacancy

pytestmark = pytest.mark.django_db


@pytest.fixture
def vacancy(orgs, users):
    return make_vacancy(orgs, users, posts=1)


def test_a_new_vacancy_takes_its_skills_from_esco(vacancy):
    essential = set(vacancy.skill_links.filter(relation="essential").values_list("skill__labels__en", flat=True))
    assert essential == {"perform MIG/MAG welding", "use welding equipment", "read technical drawings",
                         "inspect weld quality"}
    assert vacancy.skill_links.filter(relation="optional").count() == 2


def test_proposing_needs_the_consent_to_share_with_employers(person, users, vacancy):
    make_candidate(person, users, consent=False)
    with pytest.raises(ValidationError, match="has not consented"):
        services.proposal_create(person=person, vacancy=vacancy, by=users["adviser"])


def test_someone_who_may_not_work_in_the_vacancys_country_cannot_be_proposed(person, users, vacancy):
    make_candidate(person, users, status=None)  # no legal status recorded: may not work anywhere
    with pytest.raises(ValidationError, match="may not work"):
        services.proposal_create(person=person, vacancy=vacancy, by=users["adviser"])
    assert selectors.person_matches_view(user=users["adviser"], person_pk=person.pk)[1] == []


def test_the_employer_sees_a_pseudonymous_card_until_the_interview_is_accepted(person, users, vacancy):
    make_candidate(person, users)
    proposal = services.proposal_create(person=person, vacancy=vacancy, by=users["adviser"])
    employer = users["employer"]
    card = selectors.shortlist_view(user=employer, vacancy=vacancy)[0]
    assert card["candidate"] == proposal.pseudonym and card["name"] is None and card["phone"] is None
    assert "Al-Hamwi" not in repr(card) and "recognised_refugee" not in repr(card)
    assert card["explanation"]["essential_missing"] == []
    assert card["right_to_work"] == "may_work"

    services.feedback_record(proposal=proposal, by=employer, outcome="interview_requested")
    assert selectors.candidate_card(proposal)["name"] is None
    services.proposal_answer(proposal=proposal, by=users["adviser"], accepted=True)
    assert selectors.candidate_card(proposal)["name"] == "Ahmad Al-Hamwi"


def test_a_hire_becomes_a_placement_and_fills_the_vacancy(person, users, vacancy):
    make_candidate(person, users)
    proposal = services.proposal_create(person=person, vacancy=vacancy, by=users["adviser"])
    services.feedback_record(proposal=proposal, by=users["employer"], outcome="interview_requested")
    services.proposal_answer(proposal=proposal, by=users["adviser"], accepted=True)
    with pytest.raises(ValidationError):
        services.feedback_record(proposal=proposal, by=users["employer"], outcome="hired")  # no start date
    start = timezone.localdate() + dt.timedelta(days=14)
    services.feedback_record(proposal=proposal, by=users["employer"], outcome="hired", start_date=start)
    proposal.refresh_from_db()
    vacancy.refresh_from_db()
    assert proposal.status == ProposalStatus.HIRED
    assert vacancy.status == VacancyStatus.FILLED
    placement = Placement.objects.get(person=person)
    assert placement.employer_id == vacancy.employer_id and placement.start_date == start
    assert placement.occupation_uri == vacancy.occupation.uri


def test_feedback_follows_the_order_of_things(person, users, vacancy):
    make_candidate(person, users)
    proposal = services.proposal_create(person=person, vacancy=vacancy, by=users["adviser"])
    with pytest.raises(ValidationError, match="Not possible now"):
        services.feedback_record(proposal=proposal, by=users["employer"], outcome="hired",
                                 start_date=timezone.localdate())
    with pytest.raises(ValidationError, match="Say why"):
        services.feedback_record(proposal=proposal, by=users["employer"], outcome="not_retained")


def test_employers_see_only_their_own_and_only_while_the_consent_holds(person, users, vacancy, orgs):
    make_candidate(person, users)
    proposal = services.proposal_create(person=person, vacancy=vacancy, by=users["adviser"])
    rival = MembershipFactory(user=UserFactory(username="rival"), role="employer",
                              organisation=OrganisationFactory(name="Rival NV", kind="company")).user
    with pytest.raises(Http404):
        selectors.proposal_get(user=rival, pk=proposal.pk)
    with pytest.raises(Http404):
        selectors.vacancy_get(user=rival, pk=vacancy.pk)
    with pytest.raises(Http404):
        selectors.proposal_get(user=users["other_adviser"], pk=proposal.pk)
    consent_withdraw(consent=person.consents.get(purpose="share_employers"), by=users["adviser"])
    with pytest.raises(Http404):
        selectors.proposal_get(user=users["employer"], pk=proposal.pk)
    assert selectors.shortlist_view(user=users["employer"], vacancy=vacancy) == []


def test_a_person_is_proposed_once_per_vacancy(person, users, vacancy):
    make_candidate(person, users)
    services.proposal_create(person=person, vacancy=vacancy, by=users["adviser"])
    with pytest.raises(ValidationError, match="already proposed"):
        services.proposal_create(person=person, vacancy=vacancy, by=users["adviser"])
