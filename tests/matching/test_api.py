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


def test_an_id_beyond_64_bits_is_a_422_and_an_id_naming_nothing_a_404(person, users, orgs):
    make_vacancy(orgs, users)
    employer = api(users["employer"])
    site = employer.get("/api/v1/sites").json()[0]["id"]
    response = employer.post("/api/v1/vacancies", {"site": site, "occupation": 10**12, "essential_skills": [10**9]},
                             content_type="application/json")
    assert response.status_code == 404 and "occupation" in response.json()["detail"]
    assert employer.patch("/api/v1/vacancies/999999999", {"posts": 2},
                          content_type="application/json").status_code == 404
    adviser = api(users["adviser"])
    # Was a 500 (an overflow in the database): a 20-digit occupation id in the skill profile.
    response = adviser.put(f"/api/v1/persons/{person.pk}/skill-profile",
                           {"past_occupations": [{"occupation": 10**19, "years": 2}]}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "occupation"
    assert adviser.get(f"/api/v1/vacancies/{10**19}").status_code == 422


def test_a_body_must_be_an_object_of_the_declared_types(person, users):
    adviser = api(users["adviser"])
    url = f"/api/v1/persons/{person.pk}/skill-profile"
    for body in ([None, None], {"travel_radius_km": True}, {"travel_radius_km": "20"}, {"has_car": 1},
                 {"available_from": 1700000000}):
        assert adviser.put(url, body, content_type="application/json").status_code == 422, body
    assert adviser.put(url, {"travel_radius_km": 20.0}, content_type="application/json").status_code == 200


def test_refusals_for_lack_of_rights_are_404_not_422(person, users, orgs):
    """The "Only advisers…" / "Only employers…" answers (422) are gone: whoever may not, finds nothing."""
    vacancy = make_vacancy(orgs, users)
    make_candidate(person, users)
    employer, adviser = api(users["employer"]), api(users["adviser"])
    site = vacancy.site_id
    assert adviser.post("/api/v1/vacancies", {"site": site, "occupation": vacancy.occupation_id},
                        content_type="application/json").status_code == 404
    assert adviser.post("/api/v1/sites", {"name": "Annexe", "municipality": vacancy.site.municipality_id},
                        content_type="application/json").status_code == 404
    assert employer.post("/api/v1/proposals", {"person": person.pk, "vacancy": vacancy.pk},
                         content_type="application/json").status_code == 404
    proposal = adviser.post("/api/v1/proposals", {"person": person.pk, "vacancy": vacancy.pk},
                            content_type="application/json").json()["id"]
    assert adviser.post(f"/api/v1/proposals/{proposal}/feedback", {"outcome": "interview_requested"},
                        content_type="application/json").status_code == 404
    assert employer.post(f"/api/v1/proposals/{proposal}/withdraw").status_code == 404


def test_a_request_the_records_state_refuses_is_a_409(person, users, orgs):
    vacancy = make_vacancy(orgs, users)
    make_candidate(person, users)
    employer, adviser = api(users["employer"]), api(users["adviser"])
    body = {"person": person.pk, "vacancy": vacancy.pk}
    assert adviser.post("/api/v1/proposals", body, content_type="application/json").status_code == 201
    again = adviser.post("/api/v1/proposals", body, content_type="application/json")
    assert again.status_code == 409 and "already proposed" in again.json()["detail"][0]["msg"]
    proposal = adviser.get("/api/v1/proposals").json()[0]["id"]
    assert adviser.post(f"/api/v1/proposals/{proposal}/answer", {"accepted": True},
                        content_type="application/json").status_code == 409  # no interview asked for yet
    hired = employer.post(f"/api/v1/proposals/{proposal}/feedback", {"outcome": "hired", "start_date": "2026-12-01"},
                          content_type="application/json")
    assert hired.status_code == 409 and hired.json()["detail"][0]["loc"] == ["body", "outcome"]
    site = {"name": vacancy.site.name, "municipality": vacancy.site.municipality_id}
    assert employer.post("/api/v1/sites", site, content_type="application/json").status_code == 409


def test_every_matching_operation_declares_what_it_answers():
    from pont.api import api as pont_api

    schema = pont_api.get_openapi_schema()
    matching = {(path, method): op for path, ops in schema["paths"].items() for method, op in ops.items()
                if "matching" in op.get("tags", []) or "taxonomy" in op.get("tags", [])}
    assert len(matching) == 26
    for (path, method), op in matching.items():
        declared = {str(code) for code in op["responses"]}
        assert {"401", "422"} <= declared, (path, method)
        assert "{" not in path or "404" in declared, (path, method)
        # A write the record's state may refuse declares 409; creating and searching (a query sent as a body) do not.
        assert method == "get" or "409" in declared or \
            path.endswith(("/vacancies", "/skill-profile", "/suggest", "/search")), (path, method)
        for code, answer in op["responses"].items():
            assert answer["content"]["application/json"]["schema"], (path, method, code)


def test_the_api_schema_takes_limits_and_choices_from_the_models():
    from pont.api import api as pont_api
    from pont.matching.models import Vacancy

    fields = pont_api.get_openapi_schema()["components"]["schemas"]["VacancyIn"]["properties"]
    hours = Vacancy._meta.get_field("hours_per_week")
    assert (fields["hours_per_week"]["minimum"], fields["hours_per_week"]["maximum"]) == \
        tuple(v.limit_value for v in hours.validators[:2])
    assert fields["title"]["maxLength"] == 200 and fields["description"]["maxLength"] == 4000
    assert fields["contract_type"]["enum"] == [code for code, _ in Vacancy._meta.get_field("contract_type").choices]
    assert "self_employment" not in fields["contract_type"]["enum"]


def test_a_related_skill_from_the_esco_hierarchy_earns_partial_credit_and_is_named(person, users, orgs):
    """The demo taxonomy's broaderRelationsSkillPillar puts MIG/MAG and TIG welding under one broader skill."""
    from pont.matching import services
    from pont.taxonomy.models import SkillBroader
    from tests.matching.world import occupation, skills

    load_taxonomy(full=True)
    assert SkillBroader.objects.count() > 100
    vacancy = make_vacancy(orgs, users, title="TIG")
    services.vacancy_update(vacancy=vacancy, by=users["employer"], changes={}, lists=services.VacancySkills(
        essential=skills("perform TIG welding", "read technical drawings"), optional=[]))
    make_candidate(person, users, skill_labels=["perform MIG/MAG welding", "read technical drawings"])
    [item] = api(users["adviser"]).get(f"/api/v1/persons/{person.pk}/matches").json()
    explanation = item["explanation"]
    assert [s["label"] for s in explanation["essential_met"]] == ["read technical drawings"]
    [related] = explanation["essential_related"]
    assert related["label"] == "perform TIG welding" and related["via"]["label"] == "perform MIG/MAG welding"
    assert explanation["essential_missing"] == [] and 0.5 < explanation["parts"]["essential"] < 1
    assert occupation("welder")  # the demo's welder is there too
