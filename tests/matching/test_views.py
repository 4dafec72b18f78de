"""Matching screens: the forms save through the services and the pages show what they should."""

from __future__ import annotations

import pytest

from pont.matching.models import SkillProfile, Vacancy
from tests.matching.world import load_taxonomy, make_candidate, make_vacancy, occupation, skills

pytestmark = pytest.mark.django_db


def test_an_adviser_builds_a_skill_profile_with_the_type_ahead(client_for, person, users):
    load_taxonomy(full=True)
    adviser = client_for("adviser")
    options = adviser.get("/jobs/skills/options/?q=soudage", headers={"Accept-Language": "fr"})
    assert b"<option" in options.content
    mig, tig = skills("perform MIG/MAG welding", "perform TIG welding")
    response = adviser.post(f"/jobs/people/{person.pk}/profile/", {
        "travel_radius_km": 40, "cross_border": "on", "contract_wishes": ["open_ended"],
        "add_skills": [mig.pk, tig.pk], "add_past": occupation("welder").pk, "add_past_years": "12"})
    assert response.status_code == 302, response.content.decode()[:2000]
    profile = SkillProfile.objects.get(person=person)
    assert set(profile.skills.all()) == {mig, tig} and profile.past_occupations.get().years == 12
    page = adviser.get(f"/jobs/people/{person.pk}/profile/").content.decode()
    assert "perform TIG welding" in page


def test_an_employer_posts_a_vacancy_then_edits_its_skills(client_for, users, orgs):
    make_vacancy(orgs, users)  # the site
    employer = client_for("employer")
    site = orgs["company"].sites.get()
    welder = occupation("welder")
    response = employer.post("/jobs/vacancies/new/", {
        "occupation": welder.pk, "site": site.pk, "contract_type": "open_ended", "hours_per_week": 38,
        "posts": 6, "status": "open", "language_0": "fra", "level_0": "B1", "title": "Opérateur"})
    assert response.status_code == 302, response.content.decode()[:3000]
    vacancy = Vacancy.objects.get(title="Opérateur")
    assert vacancy.languages.get().level == "B1" and vacancy.skill_links.count() == 6
    keep = list(vacancy.skill_links.filter(relation="essential").values_list("skill_id", flat=True))[:2]
    response = employer.post(f"/jobs/vacancies/{vacancy.pk}/edit/", {
        "occupation": welder.pk, "site": site.pk, "contract_type": "open_ended", "hours_per_week": 38,
        "posts": 6, "status": "open", "title": "Opérateur", "essential_skills": keep})
    assert response.status_code == 302
    assert set(vacancy.skill_links.values_list("skill_id", flat=True)) == set(keep)


def test_the_matches_page_explains_and_offers_to_propose(client_for, person, users, orgs):
    make_vacancy(orgs, users, title="Lasser MIG/MAG", languages={"nld": "B1"})
    make_candidate(person, users)
    page = client_for("adviser").get(f"/jobs/people/{person.pk}/matches/").content.decode()
    assert "Lasser MIG/MAG" in page and "Propose to the employer" in page
    assert "Language gap" in page and "B1 required, has A2" in page
