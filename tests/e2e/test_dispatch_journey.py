"""Karim, dispatcher: plans the next hours, reviews the proposal, accepts it in the browser."""

import datetime as dt

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from pont.care import services as care_services
from pont.care.models import TeamMember, Visit
from tests.care.world import build_team, current_code, totp_device
from tests.e2e.conftest import force_login
from tests.factories import municipality

pytestmark = pytest.mark.e2e


def test_a_dispatcher_plans_reviews_and_accepts(page, live_server, orgs, users):
    team = build_team(orgs, users)
    TeamMember.objects.filter(team=team).update(works_from=dt.time(0, 0), works_until=dt.time(23, 59),
                                                working_days=[0, 1, 2, 3, 4, 5, 6])
    signal = care_services.signal_create(
        data=care_services.SignalInput(relation="supporting", target_group="refugee",
                                       municipality=municipality("Kortrijk"), languages=["ukr", "rus"],
                                       concerns=["sleep"], first_name="Oksana"),
        channel="phone", organisation=orgs["care_be"], by=users["dispatcher"])
    care_services.signal_triage(signal=signal, category="B", reasons="Not wanting to go on.", team=team,
                                by=users["dispatcher"])
    device = totp_device(users["dispatcher"])

    force_login(page, live_server, users["dispatcher"])
    page.goto(f"{live_server.url}/dispatch/plans/")
    page.fill("#id_token", current_code(device))  # the second factor, then back to the planning screen
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(f"{live_server.url}/dispatch/plans/")

    page.fill("#id_hours", "12")
    page.get_by_role("button", name="Propose a plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Planning")  # the planner works in the background
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)  # the task worker of `make run`
    expect(page.get_by_role("heading", level=1)).to_have_text("Proposed plan", timeout=15_000)
    row = page.locator("#proposed tbody tr", has_text=signal.reference)
    expect(row).to_contain_text("Mediator-interpreter")
    expect(row).to_contain_text("on time")
    expect(page.locator("#agenda")).to_contain_text(signal.reference)
    expect(page.locator("#unserved")).to_contain_text("Every open signal gets a visit.")

    row.get_by_role("checkbox").check()
    page.get_by_role("button", name="Accept the ticked visits").click()
    expect(page.get_by_text("1 visit planned.")).to_be_visible()
    expect(page.locator("#proposed tbody tr", has_text=signal.reference)).to_contain_text("Planned")
    assert Visit.objects.filter(signal=signal).count() == 1
