"""The login page's "demo: try …" box, shown only on an instance that `seed_demo` filled."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from pont.core.roles import Role
from pont.demo.staff import STAFF, demo_password

# The journeys to start with (PERSONAS.md): an adviser on each side, a dispatcher, the portfolio coordinator.
SUGGESTED = ("lvermeulen", "jmdufour", "khaddad", "smartens")
DEMO_DOMAIN = "@demo.pont.invalid"  # seed_demo gives its staff this address (.invalid: never a real one)


def demo_logins() -> dict | None:
    """Return {"logins": [(username, role label, organisation)], "password": …} on a demo instance, else None.

    One query. A real instance has no staff at the demo's reserved mail domain, so it never shows the box.
    """
    seeded = set(get_user_model().objects.filter(username__in=SUGGESTED, email__endswith=DEMO_DOMAIN)
                 .values_list("username", flat=True))
    if not seeded:
        return None
    logins = [(username, Role(role).label, org) for username, _f, _l, _lang, org, role in STAFF
              if username in seeded and username in SUGGESTED]
    logins.sort(key=lambda row: SUGGESTED.index(row[0]))
    return {"logins": logins, "password": demo_password()}
