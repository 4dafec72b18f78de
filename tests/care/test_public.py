"""The public signal page's flood protection: limits per device and per address (a shelter's shared connection),
the form's signed time stamp, and the client's address behind a trusted reverse proxy."""

from __future__ import annotations

import json
import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from pont.care import public
from pont.care.models import Signal
from tests.care.test_web import public_form
from tests.factories import municipality

PAGE = reverse("care:public_signal")


@pytest.fixture
def limits(settings):
    """Two signals an hour per device, three per address."""
    settings.PONT_CARE = {**settings.PONT_CARE, "PUBLIC_SIGNALS_PER_HOUR": 2,
                          "PUBLIC_SIGNALS_PER_ADDRESS_PER_HOUR": 3}


def device(address: str) -> Client:
    """A browser at `address` that opened the page (and so holds a device cookie)."""
    client = Client(REMOTE_ADDR=address)
    assert client.get(PAGE).status_code == 200
    assert public.DEVICE_COOKIE in client.cookies
    return client


def send(client: Client, **changes) -> int:
    return client.post(PAGE, public_form(**changes)).status_code


def api_signal(address: str) -> int:
    body = {"relation": "self", "target_group": "refugee", "municipality": municipality("Douai").pk}
    return Client(REMOTE_ADDR=address).post("/api/v1/signals", json.dumps(body),
                                            content_type="application/json").status_code


def test_a_device_past_its_limit_is_refused_while_its_neighbour_still_sends(db, orgs, limits):
    first, second = device("203.0.113.20"), device("203.0.113.20")
    assert [send(first), send(first), send(first)] == [200, 200, 429]
    assert send(second) == 200  # same shelter connection, another phone
    assert Signal.objects.count() == 3


def test_refusals_of_one_device_do_not_use_up_its_address(db, orgs, limits):
    noisy, other = device("203.0.113.21"), device("203.0.113.21")
    statuses = [send(noisy) for _ in range(6)]
    assert statuses == [200, 200, 429, 429, 429, 429]
    assert send(other) == 200


def test_an_address_past_its_ceiling_is_refused_for_every_device_even_a_new_one(db, orgs, limits):
    phones = [device("203.0.113.22") for _ in range(3)]
    assert [send(phone) for phone in phones] == [200, 200, 200]
    assert send(device("203.0.113.22")) == 429  # a fresh cookie does not buy more
    assert send(device("203.0.113.23")) == 200  # another address does not share the count
    refused = Client(REMOTE_ADDR="203.0.113.22").post(PAGE + "?lang=ar", public_form())
    assert refused.status_code == 429
    assert public.texts("ar")["rate_limited"] in refused.content.decode()


def test_callers_without_the_cookie_count_as_one_device_per_address(db, orgs, limits):
    assert [api_signal("203.0.113.24") for _ in range(3)] == [201, 201, 429]
    assert send(device("203.0.113.24")) == 200  # a browser with its cookie, at the same address, still sends


def test_a_forged_device_cookie_counts_as_no_cookie(db, orgs, limits):
    client = Client(REMOTE_ADDR="203.0.113.25")
    for _ in range(2):
        client.cookies[public.DEVICE_COOKIE] = "0" * 32  # unsigned: each attempt, the same forged value
        assert send(client) == 200
    client.cookies[public.DEVICE_COOKIE] = "1" * 32  # another forged value does not open a new count
    assert send(client) == 429


# --- The form's time stamp --------------------------------------------------------------------------------


def test_the_page_carries_a_signed_time_stamp_in_the_form_without_javascript(db):
    html = Client().get(PAGE).content.decode()
    assert 'type="hidden" name="form_token"' in html


@pytest.mark.parametrize(("token", "text"), [
    (lambda: public.form_token(), "form_too_fast"),                                # sent at once: a robot
    (lambda: "", "form_stale"),                                                     # no stamp
    (lambda: public.form_token(issued_at=time.time() - 60)[:-2] + "xx", "form_stale"),  # forged
    (lambda: public.form_token(issued_at=time.time() - 7 * 3600), "form_stale"),   # open all day long
])
@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_submission_without_a_valid_human_time_stamp_is_refused_in_the_page_language(
        db, orgs, token, text, language):
    with translation.override(language):
        expected = public.texts(language)[text]
    response = Client().post(f"{PAGE}?lang={language}", public_form(form_token=token()))
    html = response.content.decode()
    assert response.status_code == 422
    assert expected in html
    assert not Signal.objects.exists()
    # The form is shown again with what was typed and a fresh stamp: sending it again later goes through.
    assert 'value="Oksana"' in html
    fresh = html.split('name="form_token" value="', 1)[1].split('"', 1)[0]
    assert public.form_token_problem(fresh) == "form_too_fast"  # issued just now


def test_the_stamp_is_refused_in_french_too(db, orgs):
    response = Client().post(f"{PAGE}?lang=fr", public_form(form_token=public.form_token()))
    assert response.status_code == 422
    assert "Ce formulaire a été envoyé très peu de temps après son ouverture" in response.content.decode()


def test_a_person_who_took_their_time_is_not_refused(db, orgs, settings):
    assert public.form_token_problem(public.form_token(issued_at=time.time() - 3)) is None
    settings.PONT_CARE = {**settings.PONT_CARE, "PUBLIC_FORM_MIN_SECONDS": 0}
    assert send(Client(), form_token=public.form_token()) == 200


# --- Behind a reverse proxy -------------------------------------------------------------------------------


def test_behind_a_trusted_proxy_each_client_address_gets_its_own_count(db, orgs, limits, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    def via_proxy(client_address: str) -> Client:
        return Client(REMOTE_ADDR="10.0.0.2", headers={"X-Forwarded-For": client_address})

    assert [send(via_proxy("198.51.100.7")) for _ in range(3)] == [200, 200, 429]  # no cookie: per address
    assert send(via_proxy("198.51.100.8")) == 200


def test_a_forwarded_address_from_an_untrusted_peer_is_ignored(db, orgs, limits, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    statuses = [send(Client(REMOTE_ADDR="203.0.113.26", headers={"X-Forwarded-For": f"198.51.100.{i}"}))
                for i in range(3)]
    assert statuses == [200, 200, 429]  # a made-up address each time does not buy more
