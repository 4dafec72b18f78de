"""Karim (dispatcher, Lille) plans Oksana with Olena of the Belgian team across the border, in the browser
(PERSONAS.md; issue 12): without the agreement nobody speaks Ukrainian; under it the planner, working in the
background, proposes the French therapist with the Belgian interpreter, says it crosses the border, and the
visit lands in the interpreter's agenda."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from pont.care.models import Visit
from tests.care.world import agree, build_france, current_code, totp_device
from tests.e2e.conftest import force_login

pytestmark = pytest.mark.e2e


def _plan(page, live_server):
    page.goto(f"{live_server.url}/dispatch/plans/")
    page.fill("#id_hours", "12")
    page.get_by_role("button", name="Propose a plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Planning")
    expect(page.locator("progress")).to_be_visible()
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)  # the task worker of `make run`
    expect(page.get_by_role("heading", level=1)).to_have_text("Proposed plan", timeout=15_000)  # htmx polls


def test_karim_plans_oksana_with_olena_across_the_border(page, live_server, orgs, users):
    france = build_france(orgs, users)
    signal = france["signal"]
    device = totp_device(france["karim"])
    force_login(page, live_server, france["karim"])
    page.goto(f"{live_server.url}/dispatch/plans/")
    page.fill("#id_token", current_code(device))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(f"{live_server.url}/dispatch/plans/")

    _plan(page, live_server)
    row = page.locator("#unserved tbody tr", has_text=signal.reference)
    expect(row).to_contain_text("Nobody available speaks one of the person's languages")

    agree(orgs, france)
    _plan(page, live_server)
    row = page.locator("#proposed tbody tr", has_text=signal.reference)
    expect(row).to_contain_text("crosses the border")
    expect(row).to_contain_text("lent by IntergraPsy BE Test")
    expect(row).to_contain_text("Mediator-interpreter")
    row.get_by_role("checkbox").check()
    page.get_by_role("button", name="Accept the ticked visits").click()
    expect(page.get_by_text("1 visit planned.")).to_be_visible()
    visit = Visit.objects.get(signal=signal)
    assert {m.user.username for m in visit.members.all()} == {"thomas", "interpreter"}

    # the interpreter's own agenda shows the visit (logistics only)
    interpreter = users["interpreter"]
    totp_device(interpreter)
    force_login(page, live_server, interpreter)
    page.goto(f"{live_server.url}/care/visits/")
    page.fill("#id_token", current_code(totp_device(interpreter)))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(f"{live_server.url}/care/visits/")
    expect(page.locator("main")).to_contain_text("Douai")
