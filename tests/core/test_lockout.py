"""Login lockout: per username and address (django-axes), per address over all usernames (password spraying),
and the client's address read behind a trusted reverse proxy only."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import PASSWORD
from tests.factories import UserFactory

LOCKED = 429


@pytest.fixture
def limits(settings):
    """Five failures per username and address (the default), eight per address over all usernames."""
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_ADDRESS_FAILURE_LIMIT = 8


SPRAYED = "Winter2026!"  # the one password an attacker tries on every account


def attempt(username: str, password: str = SPRAYED, *, address: str = "203.0.113.50", **headers) -> int:
    client = Client(REMOTE_ADDR=address, headers=headers)
    return client.post("/login/", {"username": username, "password": password}).status_code


def test_one_password_sprayed_over_many_usernames_locks_the_address(db, users, limits):
    names = [UserFactory(username=f"staff{i}").username for i in range(8)]
    assert [attempt(name) for name in names] == [200] * 7 + [LOCKED]  # one failure each, 8 in all
    # Now even the right password of a real account is refused from that address…
    assert attempt("adviser", PASSWORD) == LOCKED
    # …while the same person logs in from elsewhere.
    assert attempt("adviser", PASSWORD, address="198.51.100.9") == 302


def test_colleagues_behind_one_address_who_mistype_are_not_locked_out(db, users, limits):
    for name in ("adviser", "dispatcher", "therapist"):
        assert attempt(name, "typo") == 200
        assert attempt(name, PASSWORD) == 302  # a success clears that username's failures only


def test_a_successful_login_does_not_reset_the_address_count(db, users, limits):
    for i in range(7):
        attempt(f"nobody{i}")
    assert attempt("adviser", PASSWORD) == 302   # the sprayer's own account
    assert attempt("nobody7") == LOCKED           # the eighth failure still locks the address


def test_the_per_username_limit_still_locks_first(db, users, limits):
    assert [attempt("adviser") for _ in range(5)] == [200] * 4 + [LOCKED]
    assert attempt("dispatcher", PASSWORD) == 302  # the address is not locked for everyone yet


def test_behind_a_trusted_proxy_the_forwarded_client_address_is_locked(db, users, limits, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    for i in range(8):
        attempt(f"nobody{i}", address="10.0.0.2", X_Forwarded_For="198.51.100.20")
    assert attempt("adviser", PASSWORD, address="10.0.0.2", X_Forwarded_For="198.51.100.20") == LOCKED
    # The proxy itself, and the other clients behind it, are not locked.
    assert attempt("adviser", PASSWORD, address="10.0.0.2", X_Forwarded_For="198.51.100.21") == 302


def test_a_forwarded_address_from_anyone_else_does_not_dodge_the_lock(db, users, limits, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    for i in range(8):  # a different made-up address each time, straight to Pont
        attempt(f"nobody{i}", X_Forwarded_For=f"198.51.100.{i}")
    assert attempt("adviser", PASSWORD, X_Forwarded_For="192.0.2.1") == LOCKED
