"""The employer's own search: Claire finds consenting candidates for her vacancy as codes (never a name or a
legal status), asks their adviser for an introduction, and the adviser proposes or declines."""

from __future__ import annotations

import json

from django.test import Client

from pont.core.auth import token_issue
from pont.matching import selectors
from pont.matching.models import Introduction, Proposal
from pont.people.services import consent_withdraw
from tests.factories import PersonFactory
from tests.matching.world import make_candidate, make_vacancy


def _api(user):
    _, raw = token_issue(user=user)
    return {"headers": {"Authorization": f"Bearer {raw}"}, "content_type": "application/json"}


def test_claire_finds_a_candidate_asks_for_an_introduction_and_the_adviser_proposes(
        person, users, orgs, mailoutbox, django_capture_on_commit_callbacks):
    make_candidate(person, users)  # Ahmad: consents to share with employers
    for name in ("adviser", "other_adviser"):
        users[name].email = f"{name}@pont.test"
        users[name].save(update_fields=["email"])
    shy = make_candidate(PersonFactory(given_name="Rami", family_name="Saleh", organisation=orgs["vdab"]), users,
                         consent=False)
    vacancy = make_vacancy(orgs, users)
    claire = Client()
    claire.force_login(users["employer"])
    page = claire.get(f"/jobs/vacancies/{vacancy.pk}/candidates/").content.decode()
    code = selectors.candidate_code(vacancy.pk, person.pk)
    assert code in page and person.family_name not in page and "Saleh" not in page  # no names, no one unwilling
    assert selectors.candidate_code(vacancy.pk, shy.pk) not in page
    found = Client().get(f"/api/v1/vacancies/{vacancy.pk}/candidates", **_api(users["employer"])).json()
    assert [c["candidate"] for c in found] == [code] and "name" not in found[0]

    body = json.dumps({"candidate": code, "message": "Could he start in March?"})
    with django_capture_on_commit_callbacks(execute=True):
        asked = Client().post(f"/api/v1/vacancies/{vacancy.pk}/introductions", body, **_api(users["employer"]))
    assert asked.status_code == 201 and asked.json()["person"] is None  # the employer is not told who
    # Ahmad's adviser (VDAB) is told by e-mail, naming the vacancy and the code, not Ahmad; Forem is not.
    assert [m.to for m in mailoutbox] == [[users["adviser"].email]]
    assert code in mailoutbox[0].body and person.family_name not in mailoutbox[0].body
    again = Client().post(f"/api/v1/vacancies/{vacancy.pk}/introductions", json.dumps({"candidate": code}),
                          **_api(users["employer"]))
    assert again.status_code == 404  # asked already: no longer in the pool
    unknown = Client().post(f"/api/v1/vacancies/{vacancy.pk}/introductions", json.dumps({"candidate": "C-XXXXXX"}),
                            **_api(users["employer"]))
    assert unknown.status_code == 404
    still_listed = claire.get(f"/jobs/vacancies/{vacancy.pk}/candidates/").content.decode()
    assert code not in still_listed.split("Your requests")[0]  # among her requests now, not the search

    introduction = Introduction.objects.get()
    other = Client().post(f"/api/v1/introductions/{introduction.pk}/answer", json.dumps({"accepted": True}),
                          **_api(users["other_adviser"]))
    assert other.status_code == 404  # Forem does not follow Ahmad
    lies = Client()
    lies.force_login(users["adviser"])
    listing = lies.get("/jobs/introductions/").content.decode()
    assert person.family_name in listing and "Could he start in March?" in listing
    assert lies.post(f"/jobs/introductions/{introduction.pk}/answer/", {"accepted": "1"}).status_code == 302
    introduction.refresh_from_db()
    proposal = Proposal.objects.get(person=person, vacancy=vacancy)
    assert introduction.status == "accepted" and introduction.proposal == proposal and proposal.pseudonym == code
    shortlist = claire.get(f"/jobs/vacancies/{vacancy.pk}/").content.decode()
    assert code in shortlist and person.family_name not in shortlist  # in her shortlist, still pseudonymous
    answered = Client().post(f"/api/v1/introductions/{introduction.pk}/answer", json.dumps({"accepted": False}),
                             **_api(users["adviser"]))
    assert answered.status_code == 409


def test_a_withdrawn_consent_takes_the_candidate_out_of_the_search(person, users, orgs):
    make_candidate(person, users)
    vacancy = make_vacancy(orgs, users)
    assert selectors.candidate_search(user=users["employer"], vacancy=vacancy)
    consent_withdraw(consent=person.consents.get(purpose="share_employers"), by=users["adviser"])
    assert selectors.candidate_search(user=users["employer"], vacancy=vacancy) == []
