"""Care in a real browser: a public signal (Arabic, then English) → triage → visit → screening → closure,
with the team logging in with a TOTP code computed from a device created in the test."""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright.sync_api import expect

from pont.care.models import Signal
from pont.core.models import Region
from tests.care.world import build_team, current_code, totp_device, working_slot
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def second_factor(page, user) -> None:
    """Type the code an authenticator app would show now (computed from the device's key)."""
    expect(page.get_by_role("heading", level=1)).to_contain_text("second factor")
    page.fill("#id_token", current_code(totp_device(user)))
    page.locator("main form button[type=submit]").click()


def test_public_signal_to_closure(page, new_page, live_server, orgs, users):
    orgs["care_be"].regions.add(Region.objects.get(code="BE25"))
    build_team(orgs, users)
    for role in ("dispatcher", "therapist"):
        totp_device(users[role])

    # Someone signals, first reading the page in Arabic (right to left), then in English.
    page.goto(f"{live_server.url}/care/help/?lang=ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    # Really on screen, not only in the DOM: an off-page element once scrolled this page to emptiness.
    expect(page.locator("h1")).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    expect(page.get_by_role("heading", level=1)).to_have_text("اطلب مساعدة نفسية واجتماعية")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator("#emergency")).to_contain_text("112")
    page.check("#id_danger_now_1")  # "yes": the help lines come to the front at once
    expect(page.locator("#emergency")).to_have_class("alert alert-danger in-danger")
    page.check("#id_danger_now_0")
    page.check("#id_relation_1")
    page.select_option("#id_target_group", "refugee")
    page.select_option("#id_municipality", label="Kortrijk (8500)")
    page.locator("summary", has_text="Languages the person speaks").click()  # collapsed: ticks, not "hold Ctrl"
    page.get_by_label("Ukrainian", exact=True).check()
    page.get_by_label("Russian", exact=True).check()
    page.check("#id_concerns_1")
    page.fill("#id_first_name", "Oksana")
    page.fill("#id_signaller_contact", "+32 470 00 00 00")
    # A person takes longer than the form's minimum (its signed time stamp refuses robots): wait that long.
    page.wait_for_timeout(settings.PONT_CARE["PUBLIC_FORM_MIN_SECONDS"] * 1000)
    page.get_by_role("button", name="Send").click()
    reference = page.locator("#signal-reference").inner_text()
    assert reference.startswith("SG-")
    signal = Signal.objects.get(reference=reference)

    # The dispatcher logs in with the second factor, triages, plans a visit.
    login(page, live_server, "dispatcher")
    page.goto(f"{live_server.url}/care/signals/")
    second_factor(page, users["dispatcher"])
    page.get_by_role("link", name=reference).click()
    page.select_option("#id_category", "B")
    page.fill("#id_reasons", "Talks of not wanting to go on.")
    page.get_by_role("button", name="Save the triage").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("category B")
    page.get_by_role("link", name="Plan a visit").click()
    start = working_slot(days=2, hour=14)
    page.fill("#id_starts_at", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_place", "Reception centre")  # leaving the start re-ranks the members for that slot (htmx)
    expect(page.locator("#members-table")).to_contain_text("free")
    members = page.locator("#members-table tbody tr")
    members.filter(has_text="Mediator-interpreter").get_by_role("checkbox").check()
    members.filter(has_text="Therapist").get_by_role("checkbox").check()
    page.get_by_role("button", name="Plan the visit").click()
    expect(page.get_by_text("Visit planned.")).to_be_visible()
    visit_url = page.url

    # The therapist screens (PHQ-9 in French, not the validated translation), reports and closes.
    therapist = new_page()
    login(therapist, live_server, "therapist")
    therapist.goto(visit_url)
    second_factor(therapist, users["therapist"])
    therapist.get_by_role("link", name=f"Open the case {reference}").click()
    therapist.get_by_role("link", name="PHQ-9").click()
    therapist.select_option("#screening-language", "fr")
    therapist.get_by_role("button", name="Show").click()
    expect(therapist.locator("#translation-warning")).to_be_visible()
    for item in range(1, 10):
        therapist.check(f"#id_item_{item}_2")
    therapist.get_by_role("button", name="Score and save").click()
    expect(therapist.get_by_text("total 18")).to_be_visible()
    expect(therapist.get_by_role("alert").filter(has_text="a clinician must see this person")).to_be_visible()
    # the flag, in words
    expect(therapist.get_by_role("cell", name="Thoughts of death or self-harm", exact=False)).to_be_visible()
    therapist.goto(visit_url)
    therapist.select_option("#id_next_step", "mental_health")
    therapist.get_by_role("button", name="Save the report").click()
    expect(therapist.get_by_text("Visit reported.")).to_be_visible()
    therapist.get_by_role("link", name=f"Open the case {reference}").click()
    therapist.select_option("#id_outcome", "referred")
    therapist.get_by_role("button", name="Close the signal").click()
    expect(therapist.get_by_text("Signal closed.")).to_be_visible()
    signal.refresh_from_db()
    assert signal.closed_at and signal.first_contact_at and signal.category == "B" and signal.needs_clinician
