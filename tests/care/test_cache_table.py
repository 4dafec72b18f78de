"""A fresh `migrate` is all the public signal page needs: it creates the database cache's table, where the
page's flood protection counts (before, a forgotten `createcachetable` made every public signal a 500)."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.test import Client

from tests.factories import municipality

pytestmark = pytest.mark.django_db(transaction=True)


def public_signal() -> int:
    body = {"relation": "self", "target_group": "refugee", "municipality": municipality("Douai").pk}
    return Client(REMOTE_ADDR="203.0.113.90").post("/api/v1/signals", json.dumps(body),
                                                   content_type="application/json").status_code


def test_migrate_creates_the_cache_table(orgs):
    table = settings.CACHES["default"]["LOCATION"]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {connection.ops.quote_name(table)}")  # an installation that never had it
    try:
        with pytest.raises(DatabaseError):
            public_signal()  # what such an installation answered: a server error
        call_command("migrate", "care", "0001", verbosity=0)
        call_command("migrate", verbosity=0)  # a fresh migrate, nothing else
        assert table in connection.introspection.table_names()
        assert public_signal() == 201
    finally:
        call_command("createcachetable", verbosity=0)  # never leave the next tests without it
