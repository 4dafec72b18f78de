"""The person lists (UI and API) run a fixed number of queries, whatever the page size or the rows shown.

A new query per row (an N+1: a related object read in a template or a schema) makes these fail.
"""

from __future__ import annotations

import datetime as dt

import pytest

from pont.core.auth import token_issue
from tests.factories import LegalStatusFactory, PersonFactory, PersonLanguageFactory, municipality, region

# /people/ for an adviser (session login):
#   1. the session            2. the user              3. the user's memberships (menu, rules, scope; cached)
#   4. the regions of the filter form                  5. COUNT of the people in scope (paginator)
#   6. the page: people + region + municipality (one join)                  7. the audit event naming the page
#   8. COUNT of the referrals waiting for the user's organisations (the Network menu's badge)
UI_QUERIES = 8

# GET /api/v1/persons with a bearer token (after a first call, so `last_used_at` is not written again):
#   1. the token with its user                         2. the user's memberships (scope; cached)
#   3. the page: people + region (one join)            4. the audit event naming the page
#   5. COUNT of the people in scope
API_QUERIES = 5


@pytest.fixture
def many_people(orgs, users):
    """45 people in the adviser's organisation with everything a row could show (and tempt an N+1 on)."""
    kortrijk, ypres = municipality("Kortrijk"), region("BE25")
    people = []
    for index in range(45):
        person = PersonFactory(family_name=f"Listed{index:02d}", organisation=orgs["vdab"],
                               region=kortrijk.region if index % 2 else ypres,
                               municipality=kortrijk if index % 2 else None,
                               current_status="recognised_refugee" if index % 3 else "asylum_seeker",
                               date_of_birth=dt.date(1990, 1, 1) + dt.timedelta(days=index * 40))
        PersonLanguageFactory(person=person, code="ara", level="native")
        PersonLanguageFactory(person=person, code="nld", level="A2")
        LegalStatusFactory(person=person)
        people.append(person)
    PersonFactory(organisation=orgs["forem"])  # out of scope: never listed, never counted
    return people


@pytest.mark.parametrize("page_size", [5, 40])
def test_ui_list_queries_do_not_grow_with_page_size(client_for, many_people, settings, page_size,
                                                    django_assert_num_queries):
    settings.PONT = {**settings.PONT, "PAGE_SIZE": page_size}
    client = client_for("adviser")
    with django_assert_num_queries(UI_QUERIES):
        response = client.get("/people/")
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == page_size
    assert response.context["page"].count == 45


@pytest.mark.parametrize("params", [
    {"q": "listed"}, {"region": "BE25"}, {"status": "asylum_seeker"}, {"language": "ara"}, {"age_band": "26-35"},
    {"status": "recognised_refugee", "language": "nld", "age_band": "26-50"},
])
def test_ui_filtered_list_queries(client_for, many_people, params, django_assert_num_queries):
    client = client_for("adviser")
    with django_assert_num_queries(UI_QUERIES):
        response = client.get("/people/", params)
    assert response.status_code == 200


def test_ui_list_rows_partial_for_htmx(client_for, many_people, django_assert_num_queries):
    """The htmx refresh renders only the rows: the same queries but the menu's badge (no page shell)."""
    client = client_for("adviser")
    with django_assert_num_queries(UI_QUERIES - 1):
        response = client.get("/people/", {"q": "listed"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b"<html" not in response.content


@pytest.fixture
def api_client(users):
    from django.test import Client

    _, raw = token_issue(user=users["adviser"])
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert client.get("/api/v1/me").status_code == 200  # first use writes last_used_at; not counted below
    return client


@pytest.mark.parametrize("limit", [5, 40])
def test_api_list_queries_do_not_grow_with_page_size(api_client, many_people, limit, django_assert_num_queries):
    with django_assert_num_queries(API_QUERIES):
        response = api_client.get("/api/v1/persons", {"limit": limit})
    assert response.status_code == 200
    body = response.json()
    assert len(body["items"]) == limit
    assert body["count"] == 45


@pytest.mark.parametrize("params", [
    {"q": "listed"}, {"region": "BE25"}, {"status": "asylum_seeker"}, {"language": "ara"}, {"age_band": "26-35"},
    {"offset": 40, "limit": 40},
])
def test_api_filtered_list_queries(api_client, many_people, params, django_assert_num_queries):
    with django_assert_num_queries(API_QUERIES):
        response = api_client.get("/api/v1/persons", params)
    assert response.status_code == 200


def test_the_list_pages_by_neighbours_every_page_at_the_same_cost(client_for, many_people, settings,
                                                                 django_assert_num_queries):
    """Next, Previous, First and Last walk the 45 people in name order, each seen once; a page found by its
    neighbour costs the first page's queries and one more (the neighbour's place in the order)."""
    settings.PONT = {**settings.PONT, "PAGE_SIZE": 10}
    client = client_for("adviser")
    expected = sorted(many_people, key=lambda p: (p.family_name, p.given_name, p.pk))
    seen, url = [], "/people/"
    while url:
        page = client.get(url).context["page"]
        seen += [p.pk for p in page]
        url = f"/people/?after={page.next_after}" if page.has_next else None
    assert seen == [p.pk for p in expected]
    with django_assert_num_queries(UI_QUERIES):
        last = client.get("/people/", {"last": "1"}).context["page"]
    assert [p.pk for p in last] == [p.pk for p in expected[-10:]] and last.has_previous and not last.has_next
    with django_assert_num_queries(UI_QUERIES + 1):
        before = client.get("/people/", {"before": last.previous_before}).context["page"]
    assert [p.pk for p in before] == [p.pk for p in expected[-20:-10]] and before.has_next
    filtered = client.get("/people/", {"region": "BE25", "after": expected[0].pk}).content.decode()
    assert "after=" in filtered and "region=BE25" in filtered  # the pager keeps the filters
    assert client.get("/people/", {"after": "not-a-number"}).status_code == 200
