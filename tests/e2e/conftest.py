"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live server.

How to write one (see tests/e2e/test_foundation.py for examples)::

    import pytest
    from playwright.sync_api import expect

    from tests.e2e.conftest import force_login, login

    pytestmark = pytest.mark.e2e

    def test_something(page, live_server, users, person):
        login(page, live_server, "adviser")              # any persona of tests/conftest.py PERSONAS
        page.goto(f"{live_server.url}/people/{person.pk}/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("AL-HAMWI")

    def test_other(page, live_server, users):
        force_login(page, live_server, users["coordinator"])   # no login form: faster
        page.goto(f"{live_server.url}/audit/")

Fixtures and helpers
- ``browser`` (session): one headless Chromium, ``/usr/bin/chromium`` (``apt-get install chromium``; never
  ``playwright install``). A missing browser FAILS the tests with a clear message: it never skips.
- ``page`` (per test): a fresh browser context (no cookies), viewport 1280×900, locale ``en-GB``, short
  timeouts (10 s per action) so a broken page fails quickly. ``new_page(locale="nl-BE", **context_kwargs)``
  opens more pages (another locale, a second user) that are closed at the end of the test.
- ``live_server`` (pytest-django, session): ``live_server.url`` is the base URL; static files (Bootstrap,
  htmx, pont.css) are served from the finders. Using it makes the test transactional (the database is
  flushed after each test); the ``_e2e_reference_data`` autouse fixture reloads the regions and municipalities
  that the migrations load, so factories such as ``PersonFactory`` keep working.
- ``users``, ``orgs``, ``person``, ``foreign_person`` come from tests/conftest.py; every persona's password is
  ``PASSWORD`` ("correct horse battery staple") and its saved language is English.
- ``login(page, live_server, username, password=PASSWORD)`` logs in through the real form and waits for the
  home page. ``force_login(page, live_server, user_or_username)`` signs the page in without the form (faster:
  use it when logging in is not what the test is about), then ``page.goto(...)``.
- ``screenshot(page, name)`` saves ``var/e2e/<name>.png`` (to look at a page); when a test using ``page``
  fails, ``var/e2e/failed-<test>.png`` shows the page as it was.
- Data made in the test (factories, ORM) is visible to the server at once; read what the browser saved
  with the ORM after waiting for the page that confirms it (``page.wait_for_url(...)``, ``expect(...)``).

Mark every browser test with ``@pytest.mark.e2e`` (or ``pytestmark = pytest.mark.e2e``): ``pytest -m e2e``
runs only those, ``-m "not e2e"`` skips them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import PASSWORD

# Playwright's sync API runs an event loop in this thread; Django would refuse ORM calls from test code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("PONT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 10_000
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "e2e"

__all__ = ["PASSWORD", "force_login", "login", "screenshot"]


@pytest.fixture(scope="session")
def _playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(_playwright):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install it with `apt-get install -y chromium` "
                    "(browser tests never skip; never run `playwright install`).", pytrace=False)
    browser = _playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


@pytest.fixture
def new_page(browser):
    """Return a function opening a page in a fresh context: new_page(locale="fr-BE", **context_kwargs)."""
    contexts = []

    def make(locale: str = "en-GB", **kwargs):
        kwargs.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(locale=locale, **kwargs)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(2 * TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed
    return report


_CALL_FAILED = pytest.StashKey[bool]()


@pytest.fixture
def page(request, new_page):
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    page = new_page()
    yield page
    if request.node.stash.get(_CALL_FAILED, False) and not page.is_closed():
        name = "failed-" + "".join(c if c.isalnum() else "_" for c in request.node.name)
        try:
            print(f"screenshot of the failed test: {screenshot(page, name)}")
        except Exception as error:  # a screenshot must never hide the real failure
            print(f"no screenshot: {error}")


@pytest.fixture(autouse=True)
def _e2e_reference_data(request):
    """Reload the regions and municipalities that a previous transactional test's flush removed."""
    if "live_server" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    from pont.core.models import Municipality, Region
    from pont.core.places import load_places

    if not Municipality.objects.exists():
        load_places(Region, Municipality)


def login(page, live_server, username: str, password: str = PASSWORD, *, expect_success: bool = True):
    """Log in through the login form; with expect_success, wait until the home page is shown."""
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").click()
    if expect_success:
        page.wait_for_url(f"{live_server.url}/")
    else:
        page.wait_for_load_state()
    return page


def force_login(page, live_server, user) -> None:
    """Sign the page's browser context in as `user` (a User or a username) without the form: faster."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    if isinstance(user, str):
        user = get_user_model().objects.get(username=user)
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot to var/e2e/<name>.png and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
