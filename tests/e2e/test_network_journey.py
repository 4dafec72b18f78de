"""The advisers' bridge in the browser: Lies (VDAB, Dutch) finds a Forem offer in Mouscron that Ahmad is
eligible for, records his consent and refers him; Jean-Marc (Forem, French) accepts and closes it with the
outcome; Lies sees it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from pont.core.models import Municipality
from pont.network.models import Offer
from tests.e2e.conftest import force_login
from tests.factories import PersonLanguageFactory

pytestmark = pytest.mark.e2e


def test_lies_refers_ahmad_across_the_language_border_and_jean_marc_accepts(page, new_page, live_server, users,
                                                                             orgs, person):
    PersonLanguageFactory(person=person, code="fra", level="A2")
    offer = Offer(organisation=orgs["forem"], kind="language_course", title_fr="Français au travail",
                  title_nl="Frans op het werk", title_en="French at work", languages=["fra"], min_age=18,
                  municipality=Municipality.objects.get(name="Mouscron"))
    offer.full_clean()
    offer.save()
    for name, language in (("adviser", "nl"), ("other_adviser", "fr")):
        users[name].language = language
        users[name].save(update_fields=["language"])

    force_login(page, live_server, users["adviser"])
    page.goto(f"{live_server.url}/network/offers/?person={person.pk}")
    page.get_by_label("Zoeken", exact=True).fill("Frans")
    page.get_by_role("button", name="Zoeken").click()
    card = page.locator(f'.offer[data-source="offer"][data-id="{offer.pk}"]')
    expect(card).to_contain_text("Frans op het werk")
    expect(card).to_contain_text("Toelaatbaar")
    card.get_by_role("link", name="Ahmad doorverwijzen").click()
    expect(page.get_by_text("Ontbreekt: de toestemming van de persoon")).to_be_visible()
    page.get_by_role("button", name="De toestemming nu registreren").click()
    expect(page.get_by_text("Van kracht:")).to_be_visible()
    page.get_by_label("Waarom dit aanbod").fill("Wil Frans leren voor werk in Mouscron.")
    page.get_by_role("button", name="De doorverwijzing versturen").click()
    expect(page.locator("#referral-status")).to_have_text("Verstuurd")

    jean_marc = new_page("fr-BE")
    force_login(jean_marc, live_server, users["other_adviser"])
    jean_marc.goto(f"{live_server.url}/network/referrals/")
    jean_marc.get_by_role("link", name=person.reference).click()
    expect(jean_marc.get_by_text("Ahmad Al-Hamwi")).to_be_visible()
    jean_marc.get_by_role("button", name="Accepter et ouvrir un dossier").click()
    expect(jean_marc.get_by_role("status").first).to_contain_text("Orientation acceptée")
    expect(jean_marc.get_by_role("link", name="Ouvrir la page de la personne")).to_be_visible()
    jean_marc.get_by_label("Résultat").select_option("enrolled")
    jean_marc.get_by_role("button", name="Clôturer avec ce résultat").click()
    expect(jean_marc.locator("#referral-outcome")).to_have_text("Inscrit")

    page.reload()
    expect(page.locator("#referral-status")).to_have_text("Afgesloten")
