"""Referrals between partners: consent-gated, the receiver accepts (the person gets a file there), declines or
closes; both sides see the status and its history; a withdrawn consent takes back what travelled."""

from __future__ import annotations

import pytest
from django.test import Client

from pont.core.models import Municipality
from pont.network.models import Offer, Referral
from pont.people.models import PersonFile
from pont.people.services import consent_record, consent_withdraw
from tests.factories import OrganisationFactory, PersonLanguageFactory
from tests.network.api import call

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(orgs):
    offer = Offer(organisation=orgs["forem"], kind="language_course", title_en="French at work",
                  title_fr="Français au travail", title_nl="Frans op het werk",
                  municipality=Municipality.objects.get(name="Mouscron"), languages=["fra"])
    offer.full_clean()
    offer.save()
    return offer


def test_a_referral_needs_consent_opens_a_file_on_acceptance_and_both_sides_follow_it(
        person, users, orgs, course, mailoutbox, django_capture_on_commit_callbacks):
    PersonLanguageFactory(person=person, code="fra", level="A2")
    users["other_adviser"].email = "jm@forem.test"
    users["other_adviser"].save(update_fields=["email"])
    body = {"person": person.pk, "offer": course.pk, "reason": "Wants French for work in Mouscron.",
            "fields": ["name", "languages"]}
    refused = call(users["adviser"], "post", "/api/v1/referrals", body)
    assert refused.status_code == 409 and "consent" in refused.json()["detail"][0]["loc"]
    consent_record(person=person, by=users["adviser"], purpose="employment_followup", given_by="person")
    assert call(users["other_adviser"], "get", f"/api/v1/persons/{person.pk}").status_code == 404  # not theirs yet
    with django_capture_on_commit_callbacks(execute=True):
        sent = call(users["adviser"], "post", "/api/v1/referrals", body)
    assert sent.status_code == 201, sent.content
    referral = sent.json()
    assert referral["status"] == "sent" and referral["shared"]["name"] == "Ahmad Al-Hamwi"
    assert referral["shared"]["languages"][0]["code"] == "fra" and "birth_year" not in referral["shared"]
    assert [m.to for m in mailoutbox] == [["jm@forem.test"]] and "Ahmad" not in mailoutbox[0].body

    incoming = call(users["other_adviser"], "get", "/api/v1/referrals?direction=incoming").json()
    assert [r["id"] for r in incoming] == [referral["id"]] and incoming[0]["person"] is None
    assert call(users["employer"], "get", f"/api/v1/referrals/{referral['id']}").status_code == 404
    assert call(users["adviser"], "post", f"/api/v1/referrals/{referral['id']}/accept").status_code == 404  # sender
    accepted = call(users["other_adviser"], "post", f"/api/v1/referrals/{referral['id']}/accept",
                    {"note": "Welcome"})
    assert accepted.status_code == 200 and accepted.json()["person"] == person.pk
    assert PersonFile.objects.filter(person=person, organisation=orgs["forem"], closed_at__isnull=True).exists()
    assert call(users["other_adviser"], "get", f"/api/v1/persons/{person.pk}").status_code == 200  # in scope now
    again = call(users["other_adviser"], "post", f"/api/v1/referrals/{referral['id']}/accept")
    assert again.status_code == 409
    closed = call(users["other_adviser"], "post", f"/api/v1/referrals/{referral['id']}/close",
                  {"outcome": "enrolled"})
    assert closed.status_code == 200
    seen = call(users["adviser"], "get", f"/api/v1/referrals/{referral['id']}").json()
    assert seen["status"] == "closed" and seen["outcome"] == "enrolled"
    assert [step["status"] for step in seen["history"]] == ["sent", "accepted", "closed"]


def test_declining_needs_a_reason_and_a_withdrawn_consent_takes_back_what_travelled(person, users, orgs, course):
    consent = consent_record(person=person, by=users["adviser"], purpose="cross_border_referral", given_by="person")
    body = {"person": person.pk, "offer": course.pk, "reason": "French course.", "fields": ["name", "birth_year"]}
    first = call(users["adviser"], "post", "/api/v1/referrals", body).json()
    assert call(users["other_adviser"], "post", f"/api/v1/referrals/{first['id']}/decline",
                {"reason": ""}).status_code == 422
    declined = call(users["other_adviser"], "post", f"/api/v1/referrals/{first['id']}/decline",
                    {"reason": "Course full until June."})
    assert declined.status_code == 200 and declined.json()["decline_reason"] == "Course full until June."
    second = call(users["adviser"], "post", "/api/v1/referrals", body).json()
    consent_withdraw(consent=consent, by=users["adviser"])
    withdrawn = Referral.objects.get(pk=second["id"])
    assert withdrawn.status == "withdrawn" and withdrawn.shared == {}
    assert Referral.objects.get(pk=first["id"]).shared == {}


def test_across_the_border_only_the_cross_border_consent_counts_and_a_coordinator_may_override(person, users, orgs):
    mission = OrganisationFactory(name="Mission Locale Test", kind="employment_service", country="FR")
    offer = Offer(organisation=mission, kind="housing", title_en="Housing help", title_fr="Aide au logement",
                  title_nl="Huisvestingshulp", municipality=Municipality.objects.get(name="Douai"))
    offer.full_clean()
    offer.save()
    consent_record(person=person, by=users["adviser"], purpose="employment_followup", given_by="person")
    body = {"person": person.pk, "offer": offer.pk, "reason": "Moving to Douai.", "fields": ["name"]}
    assert call(users["adviser"], "post", "/api/v1/referrals", body).status_code == 409
    justified = {**body, "override_justification": "He asked in person; the form follows."}
    assert call(users["adviser"], "post", "/api/v1/referrals", justified).status_code == 409  # not a coordinator
    from tests.factories import MembershipFactory

    MembershipFactory(user=users["adviser"], organisation=orgs["vdab"], role="coordinator")
    overridden = call(users["adviser"], "post", "/api/v1/referrals", justified)
    assert overridden.status_code == 201 and overridden.json()["cross_border"] is True


def test_the_pages_take_a_referral_from_the_catalogue_to_its_outcome(person, users, orgs, course):
    lies, jean_marc = Client(), Client()
    lies.force_login(users["adviser"])
    jean_marc.force_login(users["other_adviser"])
    offers = lies.get("/network/offers/", {"person": person.pk}).content.decode()
    link = f"/network/referrals/new/?person={person.pk}&amp;offer={course.pk}"
    assert link in offers
    form = lies.get(link.replace("&amp;", "&"))
    assert form.status_code == 200 and "Record the consent now" in form.content.decode()
    recorded = lies.post(f"/people/{person.pk}/consents/", {"purpose": "cross_border_referral", "given_by": "person",
                                                            "next": link.replace("&amp;", "&")})
    assert recorded.status_code == 302 and recorded["Location"] == link.replace("&amp;", "&")
    sent = lies.post(link.replace("&amp;", "&"), {"reason": "French for work.", "fields_shared": ["name"]})
    assert sent.status_code == 302, sent.content.decode()[:2000]
    referral = Referral.objects.get()
    inbox = jean_marc.get("/network/referrals/?direction=incoming").content.decode()
    assert person.reference in inbox
    detail = jean_marc.get(f"/network/referrals/{referral.pk}/").content.decode()
    assert "Ahmad Al-Hamwi" in detail and "Accept and open a file" in detail
    jean_marc.post(f"/network/referrals/{referral.pk}/", {"action": "accept"})
    jean_marc.post(f"/network/referrals/{referral.pk}/", {"action": "close", "outcome": "enrolled"})
    seen = lies.get(f"/network/referrals/{referral.pk}/").content.decode()
    assert "Closed" in seen and "Enrolled" in seen
    assert Client().get("/network/referrals/").status_code == 302
    employer = Client()
    employer.force_login(users["employer"])
    assert employer.get("/network/referrals/").status_code == 404
    assert employer.get(f"/network/referrals/{referral.pk}/").status_code == 404


def test_the_network_menu_shows_how_many_referrals_wait_for_an_answer(person, users, course):
    consent_record(person=person, by=users["adviser"], purpose="cross_border_referral", given_by="person")
    jean_marc = Client()
    jean_marc.force_login(users["other_adviser"])
    assert 'id="referrals-waiting"' not in jean_marc.get("/network/offers/").content.decode()
    call(users["adviser"], "post", "/api/v1/referrals", {"person": person.pk, "offer": course.pk,
                                                         "reason": "French.", "fields": []})
    page = jean_marc.get("/network/offers/").content.decode()
    assert 'id="referrals-waiting">1<' in page and "referral waits for your answer" in page


def test_the_duplicate_warning_asks_the_organisation_following_a_similar_person_for_a_referral(
        users, orgs, foreign_person, mailoutbox):
    users["other_adviser"].email = "jm@forem.test"
    users["other_adviser"].save(update_fields=["email"])
    lies = Client()
    lies.force_login(users["adviser"])
    typed = {"given_name": foreign_person.given_name, "family_name": foreign_person.family_name,
             "date_of_birth": foreign_person.date_of_birth.isoformat()}
    warning = lies.get("/people/duplicates/", typed).content.decode()
    assert f"Ask {orgs['forem'].name} for a referral" in warning and foreign_person.family_name not in warning
    refused = lies.post("/network/referrals/ask/", {**typed, "ask_organisation": orgs["forem"].pk})
    assert refused.status_code == 302 and not mailoutbox  # the person's agreement is not ticked
    asked = lies.post("/network/referrals/ask/", {**typed, "ask_organisation": orgs["forem"].pk, "ask_agreed": "1"})
    assert asked.status_code == 302 and asked["Location"] == "/people/"
    [mail] = mailoutbox
    assert mail.to == ["jm@forem.test"] and foreign_person.date_of_birth.isoformat() in mail.body
    assert foreign_person.family_name not in mail.body and "Y. T." in mail.body
