"""A confirmed second factor lasts a working day (SECOND_FACTOR_MAX_AGE), not the 14 days of the session."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from pont.core.second_factor import VERIFIED_AT
from tests.care.world import pass_second_factor

HOUR = 3600


@pytest.fixture
def verified_client(users):
    """Return a client logged in as the persona, its second factor confirmed just now with a real code."""

    def make(name: str) -> Client:
        client = Client()
        client.force_login(users[name])
        pass_second_factor(client, users[name])
        return client

    return make


def confirmed_hours_ago(client, hours: float) -> None:
    """Move the session's confirmation time back, as if the code had been typed `hours` ago."""
    session = client.session
    session[VERIFIED_AT] -= int(hours * HOUR)
    session.save()


def test_a_code_confirmed_this_morning_still_opens_care_pages(db, users, verified_client):
    client = verified_client("dispatcher")
    confirmed_hours_ago(client, 9.5)
    assert client.get(reverse("care:queue")).status_code == 200
    assert client.get("/api/v1/signals").status_code == 200


def test_after_a_working_day_care_pages_ask_for_the_code_again(db, users, verified_client):
    client = verified_client("dispatcher")
    confirmed_hours_ago(client, 10.1)
    response = client.get(reverse("care:queue"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("otp_verify"))
    assert client.get("/api/v1/signals").status_code == 401
    assert client.get(reverse("home")).status_code == 200  # still logged in: only the second factor expired
    # A new code opens them again, for another working day.
    pass_second_factor(client, users["dispatcher"])
    assert client.get(reverse("care:queue")).status_code == 200


def test_the_working_day_is_configurable(db, users, verified_client, settings):
    settings.SECOND_FACTOR_MAX_AGE = 1 * HOUR
    client = verified_client("coordinator")
    assert client.get("/api/v1/indicators/care").status_code == 200
    confirmed_hours_ago(client, 1.5)
    assert client.get("/api/v1/indicators/care").status_code == 401


def test_a_session_verified_before_the_rule_without_a_time_asks_again(db, users, verified_client):
    client = verified_client("therapist")
    session = client.session
    del session[VERIFIED_AT]
    session.save()
    assert client.get(reverse("care:agenda")).status_code == 302
