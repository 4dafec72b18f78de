"""Sophie (portfolio coordinator, nl/fr; PERSONAS.md, issue 13) reports to the funder in the browser: the
indicators in Dutch, the infographic downloaded in Dutch (PDF) and French (PNG), a table as CSV and XLSX, and
the pseudonymised extract prepared in the background and downloaded; then the same dashboard in French."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import expect

from pont.core.roles import Role
from pont.reporting import extract as engine
from tests.care.world import current_code, totp_device
from tests.e2e.conftest import force_login, screenshot
from tests.factories import MembershipFactory, PersonFactory, UserFactory, region

pytestmark = pytest.mark.e2e
KEY = "sleutel van Sophie voor de evaluatie"


def _confirm(page, live_server, user, path):
    device = totp_device(user)
    page.goto(f"{live_server.url}{path}")
    page.fill("#id_token", current_code(device))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}{path}")


def _download(page, click) -> bytes:
    with page.expect_download() as info:
        click()
    return Path(info.value.path()).read_bytes()


def test_sophie_reports_in_dutch_and_french(new_page, live_server, orgs):
    sophie = UserFactory(username="smartens", first_name="Sophie", last_name="Martens", language="nl")
    MembershipFactory(user=sophie, organisation=orgs["portfolio"], role=Role.COORDINATOR)
    people = [PersonFactory(region=region("BE25"), organisation=orgs["vdab"]) for _ in range(6)]
    people += [PersonFactory(region=region("FRE11"), organisation=orgs["forem"]) for _ in range(5)]

    page = new_page(locale="nl-BE")
    force_login(page, live_server, sophie)
    _confirm(page, live_server, sophie, "/reporting/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Indicatoren")
    expect(page.get_by_test_id("total-people_supported")).to_have_text("11")
    expect(page.get_by_role("heading", name="Begeleide personen — land")).to_be_visible()
    assert page.locator("svg.chart title").first.text_content().startswith("Begeleide personen")
    csv_bytes = _download(page, lambda: page.get_by_role("link", name="CSV").first.click())
    assert "België" in csv_bytes.decode("utf-8-sig") and "Frankrijk" in csv_bytes.decode("utf-8-sig")

    page.locator("a[href^=\"/reporting/people_supported/\"]").click()  # the key figure's details
    page.get_by_label("Uitsplitsen per").select_option("sex")
    page.locator("#main").get_by_role("button", name="Wijzigen").click()
    expect(page.locator("table caption")).to_have_text("Per geslacht")
    book = load_workbook(io.BytesIO(_download(page, lambda: page.get_by_role("link", name="XLSX").click())))
    assert len(book.sheetnames) == 2 and any(str(r[1]) == "11" for r in book.worksheets[0].iter_rows(values_only=True))

    page.goto(f"{live_server.url}/reporting/infographic/")
    page.get_by_label("Taal van de infographic").select_option("nl")
    page.get_by_role("button", name="Tonen").click()
    expect(page.locator(".infographic svg title")).to_contain_text("Pont: over de grens")
    screenshot(page, "reporting-infographic-nl")
    assert _download(page, lambda: page.get_by_role("link", name="Downloaden als pdf").click())[:5] == b"%PDF-"
    page.get_by_label("Taal van de infographic").select_option("fr")
    page.get_by_role("button", name="Tonen").click()
    expect(page.locator(".infographic svg title")).to_contain_text("Pont : par-delà la frontière")
    png = _download(page, lambda: page.get_by_role("link", name="Downloaden als png").click())
    assert png[:8] == b"\x89PNG\r\n\x1a\n"

    page.goto(f"{live_server.url}/reporting/extracts/")
    page.get_by_label("Exportsleutel").fill(KEY)
    page.get_by_role("button", name="Het extract voorbereiden").click()
    expect(page.get_by_text("Het extract wordt voorbereid.")).to_be_visible()
    expect(page.locator("tbody progress")).to_be_visible()
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)  # the task worker of `make run`
    expect(page.get_by_text("Klaar")).to_be_visible(timeout=15_000)  # htmx follows the task
    rows = list(csv.DictReader(io.StringIO(_download(
        page, lambda: page.get_by_role("link", name="Downloaden (CSV)").click()).decode("utf-8"))))
    assert {r["pseudonym"] for r in rows} == {engine.pseudonym(KEY, p.pk) for p in people}
    assert not any(p.family_name in str(rows) for p in people)

    # She switches Pont to French for the Walloon partners
    page.goto(f"{live_server.url}/reporting/")
    page.select_option("#language-select", "fr")
    page.locator("#language-form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Indicateurs")
    expect(page.get_by_role("heading", name="Parcours vers l'emploi")).to_be_visible()
    expect(page.get_by_test_id("total-people_supported")).to_have_text("11")
    screenshot(page, "reporting-dashboard-fr")
