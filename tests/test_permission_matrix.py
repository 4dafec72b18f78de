"""Every URL and every API operation × every role (and anonymous), with the status each must answer.

A new URL pattern or API operation without a row here fails `test_every_url_has_a_row` /
`test_every_api_operation_has_a_row`: access is decided on purpose, never by default.
Out-of-scope records answer 404, never 403.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from pont.core.auth import token_issue
from tests.conftest import PERSONAS

ROLES = ["anonymous", *PERSONAS]

# name → (method, url kwargs as fixture names, {role: status}; "*" is every other signed-in role)
UI = {
    "home": ("get", {}, {"anonymous": 302, "*": 200}),
    "login": ("get", {}, {"anonymous": 200, "*": 302}),
    "logout": ("post", {}, {"*": 302, "anonymous": 302}),
    "language": ("post", {}, {"*": 302, "anonymous": 302}),
    "health": ("get", {}, {"*": 200, "anonymous": 200}),
    "audit_trail": ("get", {}, {"anonymous": 302, "coordinator": 200, "*": 404}),
    "people:list": ("get", {}, {"anonymous": 302, "adviser": 200, "other_adviser": 200, "*": 404}),
    "people:create": ("get", {}, {"anonymous": 302, "adviser": 200, "other_adviser": 200, "*": 404}),
    "people:duplicates": ("get", {}, {"anonymous": 302, "adviser": 200, "other_adviser": 200, "*": 404}),
    "people:detail": ("get", {"pk": "person"}, {"anonymous": 302, "adviser": 200, "*": 404}),
    "people:edit": ("get", {"pk": "person"}, {"anonymous": 302, "adviser": 200, "*": 404}),
    "people:status_add": ("post", {"pk": "person"}, {"anonymous": 302, "adviser": 422, "*": 404}),
    "people:consent_add": ("post", {"pk": "person"}, {"anonymous": 302, "adviser": 422, "*": 404}),
    "people:consent_withdraw": ("post", {"pk": "person", "consent_pk": "consent"},
                                {"anonymous": 302, "adviser": 302, "*": 404}),
    # Django admin: superusers only; staff of the app are sent to the admin login.
    "admin:index": ("get", {}, {"*": 302, "anonymous": 302}),
}

# "METHOD /path" (as in the OpenAPI document) → (path kwargs, body, {role: status})
API = {
    "GET /api/v1/me": ({}, None, {"anonymous": 401, "*": 200}),
    "GET /api/v1/organisations": ({}, None, {"anonymous": 401, "*": 200}),
    "GET /api/v1/persons": ({}, None, {"anonymous": 401, "*": 200}),  # others get an empty page
    "POST /api/v1/persons": ({}, {}, {"anonymous": 401, "*": 422}),
    "GET /api/v1/persons/{person_id}": ({"person_id": "person"}, None,
                                        {"anonymous": 401, "adviser": 200, "*": 404}),
    "PATCH /api/v1/persons/{person_id}": ({"person_id": "person"}, {"phone": "+32 470 00 00 00"},
                                          {"anonymous": 401, "adviser": 200, "*": 404}),
    "GET /api/v1/persons/{person_id}/right-to-work": ({"person_id": "person"}, None,
                                                      {"anonymous": 401, "adviser": 200, "*": 404}),
}


def expected(table_row: dict, role: str) -> int:
    return table_row.get(role, table_row.get("*"))


def _all_url_names(resolver=None, namespace="") -> set[str]:
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns == "admin":
                names.add("admin:index")
                continue
            if ns == "api":
                continue  # API operations are enumerated from the OpenAPI document below
            names |= _all_url_names(entry, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}{entry.name}")
    return names


def _api_operations() -> set[str]:
    from pont.api import api

    schema = api.get_openapi_schema()
    return {f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops}


def test_every_url_has_a_row():
    missing = _all_url_names() - set(UI)
    assert not missing, f"URL patterns without a permission-matrix row: {sorted(missing)}"


def test_every_api_operation_has_a_row():
    missing = _api_operations() - set(API)
    assert not missing, f"API operations without a permission-matrix row: {sorted(missing)}"


@pytest.fixture
def objects(person, users):
    from pont.people.services import consent_record

    consent = consent_record(person=person, by=users["adviser"], purpose="employment_followup", given_by="person")
    return {"person": person.pk, "consent": consent.pk}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(UI))
def test_ui(name, role, users, objects):
    method, kwargs, row = UI[name]
    client = Client()
    if role != "anonymous":
        client.force_login(users[role])
    url = reverse(name, kwargs={k: objects[v] for k, v in kwargs.items()})
    response = getattr(client, method)(url)
    assert response.status_code == expected(row, role), f"{role} {method.upper()} {url}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", sorted(API))
def test_api(operation, role, users, objects):
    kwargs, body, row = API[operation]
    method, path = operation.split(" ", 1)
    for key, fixture in kwargs.items():
        path = path.replace("{" + key + "}", str(objects[fixture]))
    headers = {}
    if role != "anonymous":
        _, raw = token_issue(user=users[role])
        headers["Authorization"] = f"Bearer {raw}"
    response = Client().generic(method, path, data=None if body is None else __import__("json").dumps(body),
                                content_type="application/json", headers=headers)
    assert response.status_code == expected(row, role), f"{role} {operation}: {response.content[:200]!r}"
