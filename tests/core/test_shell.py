"""Home pages by role, the language switch, login lockout, tokens."""

from django.test import Client

from pont.core.auth import token_issue
from pont.core.models import ApiToken


def test_language_choice_is_remembered_for_the_user(client_for, users):
    client = client_for("adviser")
    response = client.post("/language/", {"language": "nl", "next": "/people/"})
    assert response.status_code == 302 and response["Location"] == "/people/"
    users["adviser"].refresh_from_db()
    assert users["adviser"].language == "nl"
    fresh = Client()
    fresh.force_login(users["adviser"])
    assert '<html lang="nl"' in fresh.get("/", headers={"Accept-Language": "fr"}).content.decode()


def test_browser_language_is_the_first_guess(db):
    page = Client().get("/login/", headers={"Accept-Language": "nl-BE,nl;q=0.9"}).content.decode()
    assert '<html lang="nl"' in page


def test_language_switch_refuses_an_outside_redirect(client_for):
    response = client_for("adviser").post("/language/", {"language": "fr", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_coordinator_home_shows_counts_not_names(client_for, person):
    page = client_for("coordinator").get("/").content.decode()
    assert person.family_name not in page and person.given_name not in page
    assert "People supported" in page


def test_employer_and_care_roles_see_no_person_data(client_for, person):
    for role in ("employer", "dispatcher", "therapist", "ambassador"):
        page = client_for(role).get("/").content.decode()
        assert person.family_name not in page


def test_lockout_after_repeated_failures(users, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "adviser", "password": "wrong"})
    response = client.post("/login/", {"username": "adviser", "password": "correct horse battery staple"},
                           headers={"Accept-Language": "en"})
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()


def test_tokens_are_stored_hashed_and_revocable(users):
    token, raw = token_issue(user=users["adviser"])
    assert raw not in token.key_hash and ApiToken.hash(raw) == token.key_hash
    client = Client()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).json()["username"] == "adviser"
    from pont.core.auth import token_revoke

    token_revoke(token=token, by=users["adviser"])
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_the_login_page_shows_the_demo_logins_only_on_a_demo_instance(db, users):
    from tests.factories import UserFactory

    assert "Demo instance" not in Client().get("/login/").content.decode()
    UserFactory(username="lvermeulen", email="lvermeulen@demo.pont.invalid")
    page = Client().get("/login/", headers={"Accept-Language": "en"}).content.decode()
    assert "Demo instance" in page and "<code>lvermeulen</code>" in page and "/care/help/" in page


def test_favicon_ico_leads_to_the_svg_icon(db):
    response = Client().get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith(".svg")
