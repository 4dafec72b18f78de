"""The Content-Security-Policy in a real browser: no violation on the main pages (a literal 'nonce' in the policy
was reported as an invalid source on every page, and htmx's injected indicator style was refused)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.care.world import pass_second_factor
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e

# Every violation the page sees, collected from the document itself (init scripts are not subject to the CSP).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI || "inline"} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def watched(page):
    """The test's page, recording CSP violations and every console message about the policy."""
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.add_init_script(RECORD_VIOLATIONS)
    page.csp_messages = messages
    return page


def assert_no_violation(page) -> None:
    page.wait_for_load_state("load")
    violations = page.evaluate("window.__cspViolations")
    console = [text for text in page.csp_messages if "Content Security Policy" in text or "Refused to" in text]
    assert violations == [] and console == [], (page.url, violations, console)


def test_no_csp_violation_on_the_login_home_and_people_pages(watched, live_server, users, person):
    watched.goto(f"{live_server.url}/login/")
    assert_no_violation(watched)
    login(watched, live_server, "adviser")
    assert_no_violation(watched)
    watched.goto(f"{live_server.url}/people/")
    assert_no_violation(watched)
    watched.fill("#id_q", "Ahm")  # htmx fetches the rows: its request indicator must not need an inline style
    expect(watched.locator("#person-rows")).to_contain_text("AL-HAMWI")
    assert_no_violation(watched)


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_no_csp_violation_on_the_public_help_page(watched, live_server, db, language):
    watched.goto(f"{live_server.url}/care/help/?lang={language}")
    watched.check("#id_danger_now_1")  # care.js runs (with the nonce) and brings the help lines forward
    expect(watched.locator("#emergency")).to_have_class("alert alert-danger in-danger")
    assert_no_violation(watched)


def test_no_csp_violation_on_the_dispatchers_queue(watched, live_server, users):
    client = Client()
    client.force_login(users["dispatcher"])
    pass_second_factor(client, users["dispatcher"])  # a real TOTP code, through the verify page
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    watched.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    watched.goto(f"{live_server.url}/care/signals/")
    expect(watched.get_by_role("heading", level=1)).to_be_visible()
    assert_no_violation(watched)
