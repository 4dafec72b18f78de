"""The client's IP address, behind a reverse proxy or not: one answer for the login lockout and the public page.

REMOTE_ADDR is the address that opened the connection: behind a reverse proxy, the proxy's. The proxy writes
the client's address into a header (settings.CLIENT_IP_HEADER, X-Forwarded-For by default), but anyone can
send that header: it counts only when the connection comes from one of settings.TRUSTED_PROXIES, and then
the client is the right-most address that is not itself a trusted proxy (each proxy appends the address it
saw, so the addresses on the left were written by the client and prove nothing).
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(configured: tuple[str, ...]) -> tuple[_Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in configured)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1:text.index("]")]
    elif text.count(":") == 1:  # 203.0.113.7:51000
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def is_trusted_proxy(address: str) -> bool:
    """Return whether `address` is one of settings.TRUSTED_PROXIES."""
    parsed = _address(address)
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    return parsed is not None and any(parsed in network for network in networks)


def client_ip(request) -> str:
    """Return the address of the client that sent `request` (django-axes' AXES_CLIENT_IP_CALLABLE too)."""
    peer = request.META.get("REMOTE_ADDR", "") or ""
    if not is_trusted_proxy(peer):
        return peer
    forwarded = request.META.get(settings.CLIENT_IP_HEADER, "")
    for hop in reversed(forwarded.split(",")):
        address = _address(hop)
        if address is None:
            break  # a trusted proxy passed on garbage: the proxy's own address is all we know
        if not is_trusted_proxy(str(address)):
            return str(address)
    return peer
