"""Consent enforced between the tracks (docs/consent.md): an adviser asks the care team for support only with
the person's `care` consent; a withdrawal stops new care records at once unless the care team states the
vital interest (recorded and audited); `share_tracks` decides whether either track shows anything of the
other."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from pont.audit.models import AuditEvent
from pont.care import selectors, services
from pont.care.models import Signal
from pont.core.auth import token_issue
from pont.core.exceptions import Conflict
from pont.employment.models import Enrolment
from pont.people.models import PersonLanguage
from pont.people.services import consent_record, consent_withdraw
from tests.care.world import build_team, totp_device, working_slot
from tests.employment.factories import ProgrammeFactory
from tests.factories import municipality

CONCERNS = ["sleep", "integration"]


@pytest.fixture
def registered(person, users):
    """Ahmad, living in Kortrijk, speaks Arabic and Dutch; his adviser is the `adviser` persona."""
    place = municipality("Kortrijk")
    person.municipality, person.region = place, place.region
    person.save(update_fields=["municipality", "region"])
    PersonLanguage.objects.bulk_create([PersonLanguage(person=person, code="ara"),
                                        PersonLanguage(person=person, code="nld")])
    return person


def _api(user):
    totp_device(user)
    _, raw = token_issue(user=user)
    return {"headers": {"Authorization": f"Bearer {raw}"}, "content_type": "application/json"}


def _consent(person, users, purpose):
    return consent_record(person=person, by=users["adviser"], purpose=purpose, given_by="person")


def test_an_adviser_asks_for_care_only_with_the_care_consent(registered, users, orgs, client):
    with pytest.raises(Conflict):
        services.care_request_create(person=registered, by=users["adviser"], concerns=CONCERNS, description="")
    url = f"/api/v1/persons/{registered.pk}/care-requests"
    refused = Client().post(url, json.dumps({"concerns": CONCERNS}), **_api(users["adviser"]))
    assert refused.status_code == 409 and "consent" in refused.json()["detail"][0]["loc"]
    client.force_login(users["adviser"])
    page = client.post(reverse("care:person_request", args=[registered.pk]), {"concerns": CONCERNS})
    assert page.status_code == 422 and "consent to psychosocial care first" in page.content.decode()
    assert not Signal.objects.exists()

    _consent(registered, users, "care")
    created = Client().post(url, json.dumps({"concerns": CONCERNS, "description": "Sleeps badly."}),
                            **_api(users["adviser"]))
    assert created.status_code == 201, created.content
    signal = Signal.objects.get(reference=created.json()["reference"])
    assert signal.person == registered and signal.legal_basis == "consent" and signal.channel == "referral"
    assert signal.organisation == orgs["care_be"] and signal.first_name == registered.given_name
    assert signal.languages == ["ara", "nld"] and signal.category == "C"
    assert AuditEvent.objects.filter(verb="care.signal.created", person=registered).exists()
    # The page sends the same request through the same service.
    sent = client.post(reverse("care:person_request", args=[registered.pk]), {"concerns": ["sleep"]})
    assert sent.status_code == 302 and Signal.objects.filter(person=registered).count() == 2
    # Another office's adviser cannot ask for someone outside their scope.
    other = Client().post(url, json.dumps({"concerns": CONCERNS}), **_api(users["other_adviser"]))
    assert other.status_code == 404


def test_withdrawal_stops_new_care_records_at_once_unless_the_vital_interest_is_stated(registered, users, orgs,
                                                                                       verified_client):
    team = build_team(orgs, users)
    care = _consent(registered, users, "care")
    signal = services.care_request_create(person=registered, by=users["adviser"], concerns=CONCERNS,
                                          description="")
    services.signal_triage(signal=signal, category="C", reasons="Sleep, hopelessness.", team=team,
                           by=users["dispatcher"])
    consent_withdraw(consent=care, by=users["adviser"])
    signal.refresh_from_db()
    assert selectors.care_basis(signal) is None
    social_worker = team.members.get(role="social_worker")
    with pytest.raises(Conflict):
        services.visit_create(signal=signal, members=[social_worker], starts_at=working_slot(), place="Home",
                              by=users["dispatcher"])
    with pytest.raises(Conflict):
        services.note_add(signal=signal, kind="social", body="Called.", by=users["social_worker"])
    note = Client().post(f"/api/v1/signals/{signal.pk}/notes", json.dumps({"kind": "social", "body": "Called."}),
                         **_api(users["social_worker"]))
    assert note.status_code == 409 and "legal_basis" in note.json()["detail"][0]["loc"]
    page = verified_client("dispatcher").get(reverse("care:signal", args=[signal.pk])).content.decode()
    assert 'data-basis="none"' in page and "State the vital interest" in page

    blank = Client().post(f"/api/v1/signals/{signal.pk}/vital-interest", json.dumps({"legal_basis_note": " "}),
                          **_api(users["dispatcher"]))
    assert blank.status_code == 422
    stated = verified_client("dispatcher").post(reverse("care:vital_interest", args=[signal.pk]), {
        "legal_basis_note": "Unconscious after an overdose at the reception centre."})
    assert stated.status_code == 302
    signal.refresh_from_db()
    assert signal.legal_basis == "vital_interest" and signal.legal_basis_by == users["dispatcher"]
    assert AuditEvent.objects.filter(verb="care.signal.vital_interest", person=registered).exists()
    services.note_add(signal=signal, kind="social", body="Called the reception centre.", by=users["social_worker"])
    detail = Client().get(f"/api/v1/signals/{signal.pk}", **_api(users["dispatcher"])).json()
    assert detail["registered"] and detail["legal_basis"] == "vital_interest"


def test_a_hand_over_to_emergency_services_rests_on_the_vital_interest(registered, users):
    care = _consent(registered, users, "care")
    signal = services.care_request_create(person=registered, by=users["adviser"], concerns=[], description="",
                                          danger_now=True)
    consent_withdraw(consent=care, by=users["adviser"])
    signal = services.handover_record(signal=signal, note="SAMU 15, 10:02", by=users["dispatcher"])
    assert signal.legal_basis == "vital_interest" and signal.legal_basis_note
    assert selectors.care_basis(signal) == "vital_interest"


def test_a_signal_about_nobody_registered_rests_on_the_request(world, users):
    signal = Signal.objects.get(pk=world["signal"])
    assert signal.person_id is None and selectors.care_basis(signal) == "request"
    with pytest.raises(Conflict):
        services.vital_interest_record(signal=signal, legal_basis_note="x", by=users["dispatcher"])


def test_nothing_of_one_track_is_shown_in_the_other_without_share_tracks(registered, users, orgs,
                                                                         verified_client):
    build_team(orgs, users)
    _consent(registered, users, "care")
    signal = services.care_request_create(person=registered, by=users["adviser"], concerns=CONCERNS,
                                          description="Nightmares since the crossing.")
    Enrolment.objects.create(person=registered, programme=ProgrammeFactory(organisation=orgs["vdab"],
                                                                           name_en="Welding on the shop floor"),
                             status="enrolled", proposed_on=signal.received_at.date())
    adviser = Client()
    adviser.force_login(users["adviser"])
    panel_url = reverse("care:person_panel", args=[registered.pk])
    api_url = f"/api/v1/persons/{registered.pk}/care-requests"
    signal_url = reverse("care:signal", args=[signal.pk])

    panel = adviser.get(panel_url).content.decode()
    assert "shows nothing of the care track" in panel and orgs["care_be"].name not in panel
    assert Client().get(api_url, **_api(users["adviser"])).json() == {"shared": False, "requests": []}
    assert "Welding on the shop floor" not in verified_client("dispatcher").get(signal_url).content.decode()

    _consent(registered, users, "share_tracks")
    panel = adviser.get(panel_url).content.decode()
    assert orgs["care_be"].name in panel and "Waiting for the first contact" in panel
    assert "Nightmares" not in panel  # how far, never what
    shared = Client().get(api_url, **_api(users["adviser"])).json()
    assert shared["shared"] and shared["requests"][0]["state"] == "waiting"
    assert "Welding on the shop floor" in verified_client("dispatcher").get(signal_url).content.decode()
    assert AuditEvent.objects.filter(verb="care.shared_track.viewed").exists()
    assert AuditEvent.objects.filter(verb="employment.shared_track.viewed").exists()
