"""Adviser proposes → employer's pseudonymous shortlist → interview accepted → hired → a placement."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from pont.employment.models import Placement
from pont.matching.models import Proposal
from tests.e2e.conftest import force_login
from tests.matching.world import load_taxonomy, make_candidate, make_vacancy

pytestmark = pytest.mark.e2e


def test_adviser_proposal_employer_shortlist_and_hire(page, new_page, live_server, users, orgs, person):
    vacancy = make_vacancy(orgs, users, title="Lasser MIG/MAG")
    make_candidate(person, users)

    # The adviser finds the vacancy and sees who in her caseload fits, with the explanation.
    force_login(page, live_server, users["adviser"])
    page.goto(f"{live_server.url}/jobs/vacancies/")
    page.get_by_role("link", name="Lasser MIG/MAG").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lasser MIG/MAG")
    expect(page.get_by_text("Ahmad Al-Hamwi")).to_be_visible()
    expect(page.get_by_text("Essential skills met")).to_be_visible()
    page.get_by_role("button", name="Propose to the employer").click()
    expect(page.get_by_role("status").first).to_contain_text("is proposed to")

    # The employer sees a pseudonymous card: skills and languages, no name.
    employer = new_page()
    force_login(employer, live_server, users["employer"])
    employer.goto(f"{live_server.url}/jobs/vacancies/{vacancy.pk}/")
    proposal = Proposal.objects.get(person=person)
    card = employer.locator(f'[data-candidate="{proposal.pseudonym}"]')
    expect(card).to_contain_text(f"Candidate {proposal.pseudonym}")
    expect(card).not_to_contain_text("Al-Hamwi")
    card.get_by_role("link", name="Open and answer").click()
    employer.get_by_label("Your decision").select_option("interview_requested")
    employer.get_by_role("button", name="Send").click()
    expect(employer.get_by_role("status").first).to_contain_text("recorded")

    # The adviser records that the candidate accepts the interview.
    page.goto(f"{live_server.url}/jobs/proposals/{proposal.pk}/")
    page.get_by_role("button", name="The candidate accepts the interview").click()
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "interview_accepted")

    # Now the employer sees the name, and hires.
    employer.reload()
    expect(employer.get_by_role("heading", level=1)).to_have_text("Ahmad Al-Hamwi")
    employer.get_by_label("Your decision").select_option("hired")
    employer.get_by_role("button", name="Send").click()
    expect(employer.get_by_role("status").first).to_contain_text("recorded")
    expect(employer.locator(".candidate-card")).to_contain_text("Hired")
    assert Placement.objects.filter(person=person, employer=orgs["company"]).exists()


def test_employer_finds_a_candidate_herself_and_the_adviser_introduces_him(page, new_page, live_server, users, orgs,
                                                                         person):
    """Claire, in French, finds a consenting welder for her vacancy, filters, asks his adviser; Lies proposes
    him; he joins Claire's shortlist under the same code, still without his name."""
    vacancy = make_vacancy(orgs, users, title="Soudeur MIG")
    make_candidate(person, users)

    force_login(page, live_server, users["employer"])
    page.goto(f"{live_server.url}/jobs/vacancies/{vacancy.pk}/")
    page.select_option("#language-select", "fr")
    with page.expect_navigation():
        page.locator("#language-form button[type=submit]").click()
    page.get_by_role("link", name="Trouver vous-même des candidats").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Trouver des candidats")
    page.get_by_label("Seulement dans leur rayon de déplacement").check()
    page.get_by_role("button", name="Filtrer").click()
    card = page.locator(".candidate-card").first
    expect(card).to_contain_text("Candidat")
    expect(card).not_to_contain_text("Al-Hamwi")
    code = card.get_attribute("data-candidate")
    card.get_by_label("Message au conseiller (facultatif)").fill("Disponible en mars ?")
    card.get_by_role("button", name="Demander une mise en relation à son conseiller").click()
    expect(page.get_by_role("status").first).to_contain_text("Demande envoyée")
    expect(page.get_by_text("Mise en relation demandée")).to_be_visible()

    adviser = new_page()
    force_login(adviser, live_server, users["adviser"])
    adviser.goto(f"{live_server.url}/jobs/introductions/")
    expect(adviser.get_by_text("Disponible en mars ?")).to_be_visible()
    adviser.get_by_role("button", name="Propose", exact=True).click()
    expect(adviser.get_by_role("status").first).to_contain_text("Proposed to the employer")

    page.goto(f"{live_server.url}/jobs/vacancies/{vacancy.pk}/")
    shortlisted = page.locator(f'[data-candidate="{code}"]')
    expect(shortlisted).to_contain_text(f"Candidat {code}")
    expect(shortlisted).not_to_contain_text("Al-Hamwi")


def test_employer_states_her_needs_without_a_vacancy_and_asks_for_an_introduction(page, live_server, users, orgs,
                                                                                  person):
    """Claire, in French, has no vacancy for the welder she needs: she names the occupation by typing, asks
    Dutch A2, finds a pseudonymous card and asks the adviser with one of her open vacancies."""
    load_taxonomy(full=True)
    vacancy = make_vacancy(orgs, users, title="Magasinier Menen", occupation="warehouse worker")
    make_candidate(person, users)

    force_login(page, live_server, users["employer"])
    page.goto(f"{live_server.url}/")
    page.select_option("#language-select", "fr")
    with page.expect_navigation():
        page.locator("#language-form button[type=submit]").click()
    page.get_by_role("navigation").get_by_role("link", name="Trouver des candidats").click()
    page.get_by_label("Rechercher dans les professions ESCO").fill("soud")
    expect(page.locator("#id_occupation option", has_text="soudeur")).to_have_count(1)
    page.select_option("#id_occupation", label="soudeur")
    page.locator("#id_language_0").select_option("nld")
    page.locator("#id_level_0").select_option("A2")
    page.get_by_role("button", name="Trouver des candidats").click()
    expect(page.get_by_label("utiliser un équipement de soudage")).to_be_checked()  # the occupation's skills
    card = page.locator(".candidate-card").first
    expect(card).to_contain_text("Candidat N-")
    expect(card).not_to_contain_text("Al-Hamwi")
    card.get_by_label("Pour votre offre").select_option(label="Magasinier Menen")
    card.get_by_role("button", name="Demander une mise en relation à son conseiller").click()
    expect(page.get_by_role("status").first).to_contain_text("Demande envoyée")
    expect(page.locator("#id_occupation option:checked")).to_have_text("soudeur")  # the search is kept
    assert vacancy.introductions.count() == 1
