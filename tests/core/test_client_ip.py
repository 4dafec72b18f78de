"""The client's address: REMOTE_ADDR, unless a trusted proxy forwarded the request; the forwarded headers of
anyone else are dropped before Django (SECURE_PROXY_SSL_HEADER) or django-axes read them."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory

from pont.core.client_ip import client_ip


@pytest.fixture
def proxies(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "2001:db8:1::/48"]


def request_from(peer: str, forwarded: str | None = None):
    headers = {} if forwarded is None else {"X-Forwarded-For": forwarded}
    return RequestFactory().get("/", REMOTE_ADDR=peer, headers=headers)


@pytest.mark.parametrize(("peer", "forwarded", "client"), [
    ("203.0.113.5", None, "203.0.113.5"),                          # no proxy
    ("203.0.113.5", "198.51.100.1", "203.0.113.5"),                # not our proxy: its header proves nothing
    ("10.0.0.2", "198.51.100.1", "198.51.100.1"),                  # our proxy
    ("10.0.0.2", "6.6.6.6, 198.51.100.1", "198.51.100.1"),         # the client wrote the left part itself
    ("10.0.0.2", "198.51.100.1, 10.0.0.3", "198.51.100.1"),        # two of our proxies in a row
    ("10.0.0.2", "198.51.100.1:51000", "198.51.100.1"),            # with a port
    ("10.0.0.2", "[2001:db8:2::7]:443", "2001:db8:2::7"),
    ("2001:db8:1::9", "2001:db8:2::7", "2001:db8:2::7"),
    ("10.0.0.2", "garbage", "10.0.0.2"),                           # a broken header: the proxy is all we know
    ("10.0.0.2", None, "10.0.0.2"),
])
def test_the_client_is_the_right_most_address_that_is_not_a_trusted_proxy(proxies, peer, forwarded, client):
    assert client_ip(request_from(peer, forwarded)) == client


def test_without_trusted_proxies_the_header_is_never_read(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request_from("10.0.0.2", "198.51.100.1")) == "10.0.0.2"


def test_https_claimed_by_anyone_but_the_proxy_is_not_believed(db, proxies, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    direct = Client(REMOTE_ADDR="203.0.113.5").get("/login/", headers={"X-Forwarded-Proto": "https"})
    assert direct.status_code == 301 and direct["Location"].startswith("https://")
    proxied = Client(REMOTE_ADDR="10.0.0.2").get("/login/", headers={"X-Forwarded-Proto": "https"})
    assert proxied.status_code == 200
