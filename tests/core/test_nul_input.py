"""A NUL character (U+0000) anywhere in the input is refused at the door, as a field error, never a 500.

PostgreSQL text cannot hold NUL: each of these requests answered 500 there before RefuseNulMiddleware.
Each row is a valid request once the NUL is taken out (checked first: 2xx), so the refusal is the NUL's alone.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from pont.core.auth import token_issue
from tests.care.world import build_world, totp_device
from tests.matching.world import matching_objects

NUL = "\x00"

# (persona, method, path with {placeholders}, body or None, where the NUL is: loc of the expected error)
API_CASES = {
    "person patch": ("adviser", "patch", "/api/v1/persons/{person}", {"given_name": f"Ah{NUL}mad"},
                     ["body", "given_name"]),
    "person search": ("adviser", "get", "/api/v1/persons?q=Ah%00", None, ["query", "q"]),
    "person list filter": ("adviser", "get", "/api/v1/persons?region=BE%0025", None, ["query", "region"]),
    "skill search": ("adviser", "get", "/api/v1/skills?q=weld%00", None, ["query", "q"]),
    "occupation search": ("adviser", "get", "/api/v1/occupations?q=%00weld", None, ["query", "q"]),
    "vacancy title": ("employer", "patch", "/api/v1/vacancies/{vacancy}", {"title": f"Welder{NUL}"},
                      ["body", "title"]),
    "triage reasons": ("dispatcher", "post", "/api/v1/signals/{signal}/triage",
                       {"category": "B", "reasons": f"Confirmed{NUL} by phone."}, ["body", "reasons"]),
    "hand-over note": ("dispatcher", "post", "/api/v1/signals/{signal}/handover", {"note": f"SAMU{NUL} 15"},
                       ["body", "note"]),
    "a language in a list": (None, "post", "/api/v1/signals",
                             {"relation": "self", "target_group": "refugee", "municipality": "{municipality}",
                              "languages": ["ara", f"uk{NUL}r"]}, ["body", "languages", 1]),
    "public signal": (None, "post", "/api/v1/signals",
                      {"relation": "self", "target_group": "refugee", "municipality": "{municipality}",
                       "description": f"cannot{NUL} sleep"}, ["body", "description"]),
}


@pytest.fixture
def objects(person, users, orgs):
    from tests.factories import municipality

    totp_device(users["dispatcher"])
    return {"person": person.pk, "municipality": municipality("Douai").pk, **build_world(orgs, users),
            **matching_objects(person, users, orgs)}


def _fill(value, objects: dict):
    if isinstance(value, str):
        return value.format(**objects) if value.startswith("{") or "/{" in value else value
    if isinstance(value, dict):
        return {key: _fill(item, objects) for key, item in value.items()}
    if isinstance(value, list):
        return [_fill(item, objects) for item in value]
    return value


def _without_nul(value):
    if isinstance(value, str):
        return value.replace(NUL, "").replace("%00", "")
    if isinstance(value, dict):
        return {key: _without_nul(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    return value


def _call(users, persona, method, path, body):
    headers = {"Accept-Language": "en"}
    if persona:
        _, raw = token_issue(user=users[persona])
        headers["Authorization"] = f"Bearer {raw}"
    if isinstance(body, dict) and body.get("municipality", "").isdigit():
        body = {**body, "municipality": int(body["municipality"])}
    return Client().generic(method.upper(), path, data=None if body is None else json.dumps(body),
                            content_type="application/json", headers=headers)


@pytest.mark.parametrize("case", sorted(API_CASES))
def test_the_api_refuses_a_nul_anywhere_as_a_field_error(case, users, objects):
    persona, method, path, body, loc = API_CASES[case]
    path, body = _fill(path, objects), _fill(body, objects)
    clean = _call(users, persona, method, _without_nul(path), _without_nul(body))
    assert 200 <= clean.status_code < 300, (case, clean.status_code, clean.content[:300])
    response = _call(users, persona, method, path, body)
    assert response.status_code == 422, (case, response.status_code, response.content[:300])
    assert response.json() == {"detail": [{"loc": loc, "msg": "Null characters are not allowed.",
                                           "type": "value_error"}]}


def test_a_nul_in_a_header_is_refused_too(users):
    _, raw = token_issue(user=users["adviser"])
    response = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}", "User-Agent": f"bot{NUL}",
                                                    "Accept-Language": "en"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["header", "User-Agent"]


def test_the_error_speaks_the_callers_language(users):
    _, raw = token_issue(user=users["adviser"])
    response = Client().get("/api/v1/persons?q=%00", headers={"Authorization": f"Bearer {raw}",
                                                              "Accept-Language": "fr"})
    assert response.json()["detail"][0]["msg"] == "Le caractère nul n’est pas autorisé."


@pytest.mark.parametrize("url", ["/people/?q=Ah%00", "/people/?region=%00", "/jobs/skills/options/?q=%00"])
def test_pages_refuse_a_nul_in_the_query_string_in_the_users_language(client_for, url):
    client = client_for("adviser")
    assert client.get(url.split("?")[0]).status_code == 200
    response = client.get(url, headers={"Accept-Language": "nl"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'lang="en"' in html  # the adviser chose English: their choice wins over the browser's
    assert "Null characters are not allowed." in html


def test_the_public_page_refuses_a_nul_in_the_browsers_language(db):
    response = Client().get("/care/help/?lang=%00", headers={"Accept-Language": "nl"})
    assert response.status_code == 400
    assert "Null-tekens zijn niet toegestaan." in response.content.decode()


def test_a_form_posted_with_a_nul_is_refused(client_for, person):
    client = client_for("adviser")
    response = client.post(f"/people/{person.pk}/edit/", {"given_name": f"A{NUL}", "family_name": "B"})
    assert response.status_code == 400


def test_a_session_cookie_holding_a_nul_counts_as_no_session(db, settings):
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = f"abcdefgh{NUL}ijklmnop"
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
