"""Personas shared by every test: one user per role, in two employment services, a care team, a company."""

from __future__ import annotations

import pytest

from pont.core.roles import OrganisationKind, Role
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory, UserFactory

PASSWORD = "correct horse battery staple"


def _flush_around_the_audit_guard() -> None:
    """Let the test runner empty the audit table between transactional tests on SQLite.

    Django flushes SQLite with DELETE, which the audit trail's trigger refuses (PostgreSQL flushes with
    TRUNCATE, which row triggers do not see). Tests only: the flush drops the guard, empties the tables and
    puts the guard back, so the next test still runs against the guarded table.
    """
    from django.db.backends.sqlite3.base import DatabaseOperations

    from pont.audit import guard

    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, **kwargs):
        statements = original(self, style, tables, **kwargs)
        if guard.TABLE not in tables:
            return statements
        return [*guard.SQLITE_DROP, *statements, *guard.SQLITE_CREATE]

    DatabaseOperations.sql_flush = sql_flush


_flush_around_the_audit_guard()


@pytest.fixture(autouse=True)
def _reference_places(django_db_setup, django_db_blocker):
    """Regions and municipalities come from a data migration; a transactional test's flush deletes them,
    so put them back for whatever test comes next (one query when they are there)."""
    from pont.core.models import Municipality, Region
    from pont.core.places import load_places

    with django_db_blocker.unblock():
        if not Municipality.objects.exists():
            load_places(Region, Municipality)


@pytest.fixture(autouse=True)
def _english_unless_asked():
    """Code called outside a request speaks the default language (French); tests read English unless
    they ask for another language (requests still follow the user's choice or the browser)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Fast hashing, and static files served without the collected manifest."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    settings.WHITENOISE_AUTOREFRESH = True
    # Each test runs in a transaction a background thread cannot see: the matching snapshot rebuilds inline.
    settings.PONT = {**settings.PONT, "MATCHING_REBUILD": "inline", "REPORTING_CACHE_SECONDS": 0}


def make_orgs() -> dict:
    return {
        "vdab": OrganisationFactory(name="VDAB Test", kind=OrganisationKind.EMPLOYMENT_SERVICE, country="BE"),
        "forem": OrganisationFactory(name="Forem Test", kind=OrganisationKind.EMPLOYMENT_SERVICE, country="BE"),
        "care_be": OrganisationFactory(name="IntergraPsy BE Test", kind=OrganisationKind.CARE_TEAM, country="BE"),
        "company": OrganisationFactory(name="Metal Test NV", kind=OrganisationKind.COMPANY, country="BE"),
        "portfolio": OrganisationFactory(name="Portfolio Test", kind=OrganisationKind.OTHER, country="BE"),
    }


@pytest.fixture
def orgs(db):
    return make_orgs()


# role name used in tests → (organisation key, Role)
PERSONAS = {
    "adviser": ("vdab", Role.ADVISER),
    "other_adviser": ("forem", Role.ADVISER),
    "employer": ("company", Role.EMPLOYER),
    "dispatcher": ("care_be", Role.DISPATCHER),
    "social_worker": ("care_be", Role.SOCIAL_WORKER),
    "therapist": ("care_be", Role.THERAPIST),
    "interpreter": ("care_be", Role.INTERPRETER),
    "ambassador": ("care_be", Role.AMBASSADOR),
    "coordinator": ("vdab", Role.COORDINATOR),
    "care_coordinator": ("care_be", Role.COORDINATOR),
}


def make_users(orgs) -> dict:
    result = {}
    for name, (org_key, role) in PERSONAS.items():
        membership = MembershipFactory(user=UserFactory(username=name), organisation=orgs[org_key], role=role)
        result[name] = membership.user
    return result


def make_person(orgs):
    """Someone followed by the VDAB test office (the `adviser` persona's organisation)."""
    return PersonFactory(given_name="Ahmad", family_name="Al-Hamwi", organisation=orgs["vdab"])


@pytest.fixture
def users(orgs):
    return make_users(orgs)


@pytest.fixture
def person(orgs):
    """Someone followed by the VDAB test office (the `adviser` persona's organisation)."""
    return make_person(orgs)


@pytest.fixture
def foreign_person(orgs):
    """Someone followed only by the Forem test office: out of the `adviser` persona's scope."""
    return PersonFactory(given_name="Yonas", family_name="Tesfay", organisation=orgs["forem"])


@pytest.fixture
def client_for(client, users):
    """Return a Django test client logged in as the named persona (None: anonymous)."""
    from django.test import Client

    def make(name: str | None) -> Client:
        c = Client()
        if name is not None:
            c.force_login(users[name])
        return c

    return make


def pytest_collection_modifyitems(items):
    """Browser tests run last (their order otherwise kept). They start threads that live to the end of the
    session (the live server, Playwright's driver); a later test that forks processes (matching's batch in
    forked workers) could then copy a lock one of those threads held, and its workers would wait forever."""
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)
