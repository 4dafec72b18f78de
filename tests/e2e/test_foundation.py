"""Pont's foundation in a real browser: logging in, languages, registering a person, duplicates, keyboard use."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import force_login, login, screenshot
from tests.factories import LegalStatusFactory, PersonFactory, UserFactory, region

pytestmark = pytest.mark.e2e

SHOTS = bool(os.environ.get("PONT_E2E_SCREENSHOTS"))


def shot(page, name: str) -> None:
    if SHOTS:
        screenshot(page, name)


def html_lang(page) -> str:
    return page.locator("html").get_attribute("lang")


def switch_language(page, code: str) -> None:
    """Use the switcher in the menu bar, as a person would."""
    page.select_option("#language-select", code)
    with page.expect_navigation():
        page.locator("#language-form button[type=submit]").click()


def focused(page) -> str:
    """Describe the focused element: its id, else its tag and text."""
    return page.evaluate("(() => { const e = document.activeElement;"
                         " return e.id || (e.tagName + ':' + (e.textContent || '').trim()); })()")


def tab_to(page, element_id: str, limit: int = 80) -> None:
    """Press Tab until the element with this id has the focus (keyboard only)."""
    for _ in range(limit):
        if focused(page) == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"#{element_id} never got the focus with Tab (last: {focused(page)})")


# --- Logging in ---------------------------------------------------------------------------------------------


def test_login_wrong_password_then_right_one(page, live_server, users):
    login(page, live_server, "adviser", "not the password", expect_success=False)
    expect(page.get_by_role("alert")).to_be_visible()
    assert page.url.startswith(f"{live_server.url}/login/")
    assert page.input_value("#id_username") == "adviser"
    shot(page, "login_error")

    login(page, live_server, "adviser")
    expect(page.locator("nav")).to_contain_text("Log out")
    expect(page.locator("main h1")).to_be_visible()
    # Static files are served: Bootstrap styles the menu bar, htmx is loaded.
    assert page.evaluate("getComputedStyle(document.querySelector('nav.navbar')).display") == "flex"
    assert page.evaluate("typeof window.htmx") == "object"
    shot(page, "home_adviser")


def test_anonymous_is_sent_to_login(page, live_server, users):
    page.goto(f"{live_server.url}/people/")
    assert page.url.startswith(f"{live_server.url}/login/?next=/people/")
    expect(page.locator("#id_username")).to_be_focused()


def test_lockout_after_five_failures(page, live_server, users):
    for _ in range(5):
        login(page, live_server, "adviser", "wrong password", expect_success=False)
    expect(page.locator("main h1")).to_have_text("Too many failed attempts")
    shot(page, "locked_out")
    # Even the right password is refused while locked.
    login(page, live_server, "adviser", expect_success=False)
    expect(page.locator("main h1")).to_have_text("Too many failed attempts")
    assert not page.url.rstrip("/").endswith(live_server.url.split("//")[1])


# --- Languages ----------------------------------------------------------------------------------------------


def test_switcher_on_every_page_and_choice_remembered(page, new_page, live_server, users, person):
    LegalStatusFactory(person=person, status="recognised_refugee", country="BE",
                       start_date=timezone.localdate() - dt.timedelta(days=400))
    login(page, live_server, "adviser")
    assert html_lang(page) == "en"

    pages = ["/", "/people/", f"/people/{person.pk}/", f"/people/{person.pk}/edit/", "/people/new/"]
    for code, path in zip(["nl", "fr", "en", "nl", "fr"], pages, strict=True):
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("#language-select")).to_be_visible()
        switch_language(page, code)
        assert page.url == f"{live_server.url}{path}", "the switcher brings the person back to the same page"
        assert html_lang(page) == code
        assert page.locator("#language-select").input_value() == code

    # The person page speaks the chosen language (the right-to-work reasons come from the rules table).
    page.goto(f"{live_server.url}/people/{person.pk}/")
    expect(page.locator("[data-country=BE]")).to_contain_text("Protection internationale accordée")
    switch_language(page, "nl")
    expect(page.locator("[data-country=BE]")).to_contain_text("Internationale bescherming")
    shot(page, "person_nl")

    users["adviser"].refresh_from_db()
    assert users["adviser"].language == "nl"

    # Next login, from another browser whose language is English: Pont remembers Dutch.
    other = new_page(locale="en-GB")
    login(other, live_server, "adviser")
    assert html_lang(other) == "nl"
    assert other.locator("#language-select").input_value() == "nl"


@pytest.mark.parametrize(("locale", "expected"), [("nl-BE", "nl"), ("fr-BE", "fr"), ("en-US", "en")])
def test_browser_language_is_the_first_guess(new_page, live_server, db, locale, expected):
    UserFactory(username="newcomer", language="")
    page = new_page(locale=locale)
    page.goto(f"{live_server.url}/login/")
    assert html_lang(page) == expected
    assert page.locator("#language-select").input_value() == expected
    login(page, live_server, "newcomer")
    assert html_lang(page) == expected


def test_login_error_in_the_users_language(new_page, live_server, users):
    page = new_page(locale="fr-FR")
    login(page, live_server, "adviser", "faux", expect_success=False)
    assert html_lang(page) == "fr"
    # Django's own catalogue: the message is French without waiting for Pont's translations.
    expect(page.get_by_role("alert")).to_contain_text("Saisissez un nom d’utilisateur et un mot de passe valides")


# --- Registering a person -----------------------------------------------------------------------------------


def test_register_a_person(page, live_server, users):
    login(page, live_server, "adviser")
    page.goto(f"{live_server.url}/people/new/")
    page.fill("#id_given_name", "Amina")
    page.fill("#id_family_name", "Yusuf")
    page.fill("#id_date_of_birth", (timezone.localdate() + dt.timedelta(days=3)).isoformat())
    page.select_option("#id_sex", "F")
    page.select_option("#id_nationality", "ER")
    page.select_option("#id_region", str(region("BE25").pk))
    page.select_option("#id_mother_tongue", "tir")
    page.select_option("#id_level_nld", "A2")
    page.select_option("#id_status", "recognised_refugee")
    page.select_option("#id_status_country", "BE")
    page.fill("#id_status_start", (timezone.localdate() - dt.timedelta(days=200)).isoformat())
    page.get_by_role("button", name="Register").click()

    # Field-level error, next to the field, linked for screen readers; nothing was saved.
    dob = page.locator("#id_date_of_birth")
    expect(dob).to_have_attribute("aria-invalid", "true")
    error = page.locator("#id_date_of_birth_error")
    expect(error).to_contain_text("cannot be in the future")
    assert "id_date_of_birth_error" in (dob.get_attribute("aria-describedby") or "")
    assert page.input_value("#id_given_name") == "Amina", "the form keeps what was typed"
    shot(page, "register_error")
    from pont.people.models import Person

    assert not Person.objects.filter(family_name="Yusuf").exists()

    dob.fill("1994-05-17")
    page.get_by_role("button", name="Register").click()
    page.wait_for_url(re.compile(r"/people/\d+/(#main)?$"))
    person = Person.objects.get(family_name="Yusuf")
    assert page.url == f"{live_server.url}/people/{person.pk}/"
    expect(page.locator("main h1")).to_have_text("Amina YUSUF")
    expect(page.get_by_role("status")).to_contain_text("Amina Yusuf is registered")
    rtw = page.locator("section[aria-labelledby=rtw-title]")
    expect(rtw.get_by_role("heading", name="Right to work")).to_be_visible()
    expect(rtw.locator("[data-country=BE]")).to_have_attribute("data-outcome", "may_work")
    expect(rtw.locator("[data-country=FR]")).to_have_attribute("data-outcome", "needs_permit")
    expect(rtw.locator("[data-country=BE]")).to_contain_text("may work")
    shot(page, "register_done")
    assert {(lang.code, lang.level) for lang in person.languages.all()} >= {("tir", "native"), ("nld", "A2")}


def test_duplicate_warning_then_go_on(page, live_server, users, orgs):
    existing = PersonFactory(given_name="Mohammed", family_name="Al-Hamwi", date_of_birth=dt.date(1990, 3, 14),
                             organisation=orgs["vdab"])
    login(page, live_server, "adviser")
    page.goto(f"{live_server.url}/people/new/")
    page.fill("#id_given_name", "Muhammad")
    page.fill("#id_family_name", "Alhamwi")
    page.fill("#id_date_of_birth", "1990-03-14")
    page.select_option("#id_sex", "M")
    page.select_option("#id_region", str(region("BE25").pk))
    # While typing, htmx already warns.
    warning = page.locator("#duplicate-warning")
    expect(warning).to_contain_text("Mohammed")
    page.get_by_role("button", name="Register").click()

    # On submit Pont stops and shows the candidate, with a link to open it.
    expect(page.locator("form .alert-danger")).to_contain_text("may be the same person")
    expect(warning).to_contain_text("Mohammed")
    candidate = warning.get_by_role("link", name=re.compile("Mohammed"))
    assert candidate.get_attribute("href") == f"/people/{existing.pk}/"
    shot(page, "duplicate_warning")

    # The adviser confirms it is someone else and goes on.
    page.get_by_label("I checked the similar people above").check()
    page.get_by_role("button", name="Register").click()
    page.wait_for_url(re.compile(r"/people/\d+/(#main)?$"))
    expect(page.locator("main h1")).to_have_text("Muhammad ALHAMWI")
    from pont.people.models import Person

    assert Person.objects.filter(date_of_birth=dt.date(1990, 3, 14)).count() == 2


# --- Keyboard and accessibility -----------------------------------------------------------------------------


def test_skip_link_and_keyboard_only_registration(page, live_server, users):
    login(page, live_server, "adviser")
    page.goto(f"{live_server.url}/people/new/")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    assert skip.get_attribute("href") == "#main"
    shot(page, "skip_link")
    page.keyboard.press("Enter")
    assert focused(page) == "main"

    tab_to(page, "id_given_name")
    page.keyboard.type("Olena")
    page.keyboard.press("Tab")
    assert focused(page) == "id_family_name"
    page.keyboard.type("Kovalenko")
    page.keyboard.press("Tab")
    assert focused(page) == "id_date_of_birth"
    page.keyboard.type("05051988")  # day and month alike: whatever order the browser's date field uses
    assert page.input_value("#id_date_of_birth") == "1988-05-05"
    tab_to(page, "id_sex")
    page.keyboard.press("ArrowDown")  # a closed select changes its value with the arrow keys
    assert page.input_value("#id_sex") != ""
    tab_to(page, "id_region")
    page.keyboard.press("ArrowDown")
    assert page.input_value("#id_region") != ""
    tab_to(page, "id_address")
    page.keyboard.type("Rue de la Paix 3")
    page.keyboard.press("Enter")  # implicit submission from a text field

    page.wait_for_url(re.compile(r"/people/\d+/(#main)?$"))
    expect(page.locator("main h1")).to_have_text("Olena KOVALENKO")
    from pont.people.models import Person

    person = Person.objects.get(family_name="Kovalenko")
    assert person.date_of_birth == dt.date(1988, 5, 5)
    assert person.address == "Rue de la Paix 3"


@pytest.mark.parametrize("code", ["fr", "nl", "en"])
def test_person_form_fields_are_labelled(page, live_server, users, code):
    users["adviser"].language = code
    users["adviser"].save(update_fields=["language"])
    force_login(page, live_server, users["adviser"])
    page.goto(f"{live_server.url}/people/new/")
    assert html_lang(page) == code
    unlabelled = page.evaluate("""() => [...document.querySelectorAll('input, select, textarea')]
        .filter(e => e.type !== 'hidden')
        .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                     && !e.getAttribute('aria-labelledby'))
        .map(e => e.id || e.name)""")
    assert unlabelled == []
    # Every label has text, and ids are unique (labels point to one field).
    assert page.evaluate("[...document.querySelectorAll('label')].every(l => l.textContent.trim().length > 0)")
    assert page.evaluate("""() => { const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
        return ids.length === new Set(ids).size; }""")
    assert page.locator("main h1").count() == 1
