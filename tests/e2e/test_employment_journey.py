"""An adviser walks Ahmad from eligibility to a stable job in a real browser (PERSONAS.md: Lies Vermeulen).

Eligibility with reasons → enrolment in her organisation's shop-floor training (host company, coach) →
start → a completion beyond the six-month limit refused with its reason → completion → an open-ended
contract → follow-ups at 3 and 6 months → "stable job", on the placement and in the person's timeline.
"""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pont.people.models import Consent
from pont.people.right_to_work import add_months
from tests.e2e.conftest import force_login
from tests.employment.factories import ProgrammeFactory
from tests.factories import LegalStatusFactory, PersonLanguageFactory

pytestmark = pytest.mark.e2e


def test_an_adviser_takes_ahmad_from_eligibility_to_a_stable_job(page, live_server, users, orgs, person):
    today = timezone.localdate()
    LegalStatusFactory(person=person, status="recognised_refugee", country="BE")
    PersonLanguageFactory(person=person, code="nld", level="A2")
    # Ahmad consented to follow-ups after the programme when he registered (docs/consent.md).
    Consent.objects.create(person=person, purpose="employment_followup", given_by="person",
                           recorded_by=users["adviser"])
    shop_floor = ProgrammeFactory(organisation=orgs["vdab"], kind="shop_floor_training", name_en="Shop-floor welding",
                                  max_duration_months=6, capacity=20, min_age=18)
    ProgrammeFactory(organisation=orgs["forem"], kind="youth_guidance", name_en="Youth guidance", min_age=16,
                     max_age=25, right_to_work="not_required")
    force_login(page, live_server, users["adviser"])

    # The person's page loads the employment panel (htmx) with the way to the programmes.
    page.goto(f"{live_server.url}/people/{person.pk}/")
    panel = page.locator("#employment-panel")
    expect(panel.get_by_text("No enrolment yet.")).to_be_visible()
    panel.get_by_role("link", name="Programmes and eligibility").click()

    # Every partner's programme, eligible or not, with the reason.
    welding = page.locator(f'[data-programme="{shop_floor.pk}"]')
    expect(welding).to_have_attribute("data-eligible", "yes")
    expect(welding).to_contain_text("20 places left this year")
    youth = page.locator('[data-eligible="no"]')
    expect(youth).to_contain_text(f"Aged {person.age()}: this programme is for 16 to 25.")

    # Enrol at once in her organisation's shop-floor training, with the host company and the coach.
    page.select_option("#id_programme", str(shop_floor.pk))
    page.check("#id_enrol")
    page.fill("#id_on", add_months(today, -11).isoformat())
    page.select_option("#id_host_company", label=orgs["company"].name)
    page.fill("#id_coach_name", "Geert Claeys")
    page.get_by_role("button", name="Propose").click()
    expect(page.get_by_test_id("enrolment-status")).to_have_text("Enrolled")

    # Start it ten months ago: the planned end defaults to the programme's six months.
    page.select_option("#id_status", "active")
    page.fill("#id_on", add_months(today, -10).isoformat())
    page.get_by_role("button", name="Record the step").click()
    expect(page.get_by_test_id("enrolment-status")).to_have_text("Active")

    # Completing it today would exceed six months: refused with the reason, nothing changes.
    page.select_option("#id_status", "completed")
    page.get_by_role("button", name="Record the step").click()
    expect(page.get_by_role("alert")).to_contain_text("at most 6 months")
    expect(page.get_by_test_id("enrolment-status")).to_have_text("Active")
    page.select_option("#id_status", "completed")
    page.fill("#id_on", add_months(today, -6).isoformat())
    page.get_by_role("button", name="Record the step").click()
    expect(page.get_by_test_id("enrolment-status")).to_have_text("Completed")

    # Seven months ago: an open-ended contract at the host company.
    page.get_by_role("link", name=person.full_name).click()
    page.locator("#employment-panel").get_by_role("link", name="Record a placement").click()
    page.select_option("#id_employer", label=orgs["company"].name)
    page.fill("#id_job_title", "Welder")
    page.select_option("#id_contract_type", "open_ended")
    page.fill("#id_hours_per_week", "38")
    page.fill("#id_start_date", add_months(today, -7).isoformat())
    page.select_option("#id_enrolment", label="Shop-floor welding")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("stable")).to_contain_text("Not (yet) a stable job")

    # The follow-ups at 3 and 6 months: still employed.
    for month in (3, 6):
        card = page.locator(f'[data-month="{month}"]')
        card.get_by_label("Yes").check()
        card.get_by_role("button", name="Record the follow-up").click()
        expect(page.locator(f'[data-month="{month}"]')).to_contain_text("still employed")
    expect(page.get_by_test_id("stable")).to_contain_text("Stable job")

    # The timeline on the person's page tells the whole pathway.
    page.get_by_role("link", name=person.full_name).click()
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("Follow-up at 6 months: still employed")
    expect(timeline).to_contain_text("Job: Welder at Metal Test NV")
    expect(timeline).to_contain_text("Shop-floor welding: Completed")
