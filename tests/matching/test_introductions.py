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


def test_claire_states_what_she_needs_without_a_vacancy_and_asks_with_one_of_hers(person, users, orgs):
    """No vacancy to show: a site, an occupation (its ESCO skills) and a language. The cards carry her company's
    codes; asking for an introduction takes one of her open vacancies, and the request uses its code."""
    make_candidate(person, users)  # Ahmad: welder, Dutch A2, consents
    shy = make_candidate(PersonFactory(given_name="Rami", family_name="Saleh", organisation=orgs["vdab"]), users,
                         consent=False)
    vacancy = make_vacancy(orgs, users)  # her open vacancy (creates the Menen site)
    needs = {"site": vacancy.site_id, "occupation": vacancy.occupation_id,
             "languages": [{"code": "nld", "level": "A2"}]}
    found = Client().post("/api/v1/candidates/search", json.dumps(needs), **_api(users["employer"]))
    assert found.status_code == 200, found.content
    body = found.json()
    code = selectors.needs_code(orgs["company"].pk, person.pk)
    assert [c["candidate"] for c in body["candidates"]] == [code] and code.startswith("N-")
    assert selectors.needs_code(orgs["company"].pk, shy.pk) not in found.content.decode()
    assert "Al-Hamwi" not in found.content.decode() and len(body["skills"]) == 4  # the welder's essential skills
    assert body["shortfalls"]["people"] == 1

    asked = Client().post(f"/api/v1/vacancies/{vacancy.pk}/introductions", json.dumps({"candidate": code}),
                          **_api(users["employer"]))
    assert asked.status_code == 201, asked.content
    assert asked.json()["candidate"] == selectors.candidate_code(vacancy.pk, person.pk)  # the vacancy's code

    def post(payload, user="employer"):
        return Client().post("/api/v1/candidates/search", json.dumps(payload), **_api(users[user]))

    assert post({"site": vacancy.site_id}).status_code == 422  # nothing to look for
    refused = post({**needs, "languages": [{"code": "tir", "level": "B1"}]})
    assert refused.status_code == 422 and "languages" in refused.content.decode()
    assert post(needs, "adviser").status_code == 404
    assert post({**needs, "site": 10**9}).status_code == 404


def test_the_needs_page_finds_lists_the_skills_searched_and_asks_for_an_introduction(person, users, orgs):
    make_candidate(person, users)
    vacancy = make_vacancy(orgs, users)
    claire = Client()
    claire.force_login(users["employer"])
    assert claire.get("/jobs/candidates/").status_code == 200
    query = f"site={vacancy.site_id}&occupation={vacancy.occupation_id}&language_0=nld&level_0=A2"
    page = claire.get(f"/jobs/candidates/?{query}").content.decode()
    code = selectors.needs_code(orgs["company"].pk, person.pk)
    assert code in page and "Al-Hamwi" not in page
    assert 'name="skills" value=' in page and "checked" in page  # the occupation's skills, ticked for next time
    refused = claire.get(f"/jobs/candidates/?site={vacancy.site_id}")
    assert refused.status_code == 422 and "Name an occupation or at least one skill." in refused.content.decode()
    asked = claire.post("/jobs/candidates/ask/", {"candidate": code, "vacancy": vacancy.pk, "query": query})
    assert asked.status_code == 302 and asked["Location"].endswith(f"?{query}")
    assert Introduction.objects.get().pseudonym == selectors.candidate_code(vacancy.pk, person.pk)
    advisor = Client()
    advisor.force_login(users["adviser"])
    assert advisor.get(f"/jobs/candidates/?{query}").status_code == 404
    assert advisor.post("/jobs/candidates/ask/", {"candidate": code, "vacancy": vacancy.pk}).status_code == 404
