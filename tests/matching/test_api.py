"""The matching API: matches with score and explanation, vacancies, proposals and feedback, bounded input."""

from __future__ import annotations

import pytest
from django.test import Client

from pont.core.auth import token_issue
from tests.matching.world import load_taxonomy, make_candidate, make_vacancy

pytestmark = pytest.mark.django_db


def api(user) -> Client:
    _, raw = token_issue(user=user)
    return Client(headers={"Authorization": f"Bearer {raw}", "Accept-Language": "en"})


def test_person_matches_have_a_score_and_an_explanation(person, users, orgs):
    vacancy = make_vacancy(orgs, users)
    make_candidate(person, users, skill_labels=["perform MIG/MAG welding", "use welding equipment"])
    response = api(users["adviser"]).get(f"/api/v1/persons/{person.pk}/matches?limit=20")
    assert response.status_code == 200
    [item] = response.json()
    assert item["vacancy"]["id"] == vacancy.pk and 0 < item["score"] <= 1
    explanation = item["explanation"]
    assert {s["label"] for s in explanation["essential_missing"]} == {"read technical drawings",
                                                                     "inspect weld quality"}
    assert explanation["right_to_work"] == "may_work"
    assert api(users["adviser"]).get(f"/api/v1/persons/{person.pk}/matches?limit=1000").status_code == 422
    assert api(users["other_adviser"]).get(f"/api/v1/persons/{person.pk}/matches").status_code == 404


def test_an_employer_posts_a_vacancy_with_esco_skills_and_follows_the_shortlist(person, users, orgs):
    vacancy = make_vacancy(orgs, users)  # creates the site
    employer = api(users["employer"])
    site = employer.get("/api/v1/sites").json()[0]["id"]
    response = employer.post("/api/v1/vacancies", {
        "site": site, "occupation": vacancy.occupation_id, "posts": 6,
        "languages": [{"code": "fra", "level": "B1"}]}, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert len(body["essential_skills"]) == 4 and body["languages"] == [{"code": "fra", "level": "B1"}]

    make_candidate(person, users)
    adviser = api(users["adviser"])
    proposal = adviser.post("/api/v1/proposals", {"person": person.pk, "vacancy": vacancy.pk},
                            content_type="application/json")
    assert proposal.status_code == 201, proposal.content
    pid = proposal.json()["id"]
    card = employer.get(f"/api/v1/proposals/{pid}").json()
    assert card["name"] is None and card["candidate"].startswith("C-") and "person" not in card
    assert employer.post(f"/api/v1/proposals/{pid}/feedback", {"outcome": "interview_requested"},
                         content_type="application/json").status_code == 201
    assert adviser.post(f"/api/v1/proposals/{pid}/answer", {"accepted": True},
                        content_type="application/json").status_code == 200
    assert employer.get(f"/api/v1/proposals/{pid}").json()["name"] == "Ahmad Al-Hamwi"
    assert employer.get("/api/v1/proposals").json()[0]["person"] is None


def test_skill_type_ahead_answers_in_the_callers_language(users):
    load_taxonomy(full=True)
    client = api(users["adviser"])
    found = client.get("/api/v1/skills?q=soudage&lang=fr").json()
    assert found and all("soud" in (item["label"] + item["matched"]).lower() for item in found)
    assert client.get("/api/v1/skills?q=" + "x" * 101).status_code == 422
    assert client.get("/api/v1/skills?q=lassen&limit=51").status_code == 422


def test_bad_ids_answer_422_not_500(users, orgs):
    make_vacancy(orgs, users)
    employer = api(users["employer"])
    response = employer.post("/api/v1/vacancies", {"site": 1, "occupation": 10**12, "essential_skills": [10**9]},
                             content_type="application/json")
    assert response.status_code == 422
    assert employer.patch("/api/v1/vacancies/999999999", {"posts": 2},
                          content_type="application/json").status_code == 404
