"""Fuzz every operation of the API's OpenAPI document with all of schemathesis's checks: no 5xx, every
status declared with its schema, schema-violating requests refused and schema-valid ones accepted.

The operations are read from `/api/v1/openapi.json` when the tests are collected, so an operation added
by any app is fuzzed without touching this file. Requests go through Django's WSGI application
(schemathesis's WSGI transport: no server), authenticated as an adviser with a bearer token.
An operation with a `{person_id}` path parameter is also called on a person in the adviser's scope, so
bodies reach the services' validation rather than stopping at 404.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from pont.core.auth import token_issue
from tests.factories import LegalStatusFactory, PersonFactory, PersonLanguageFactory

# Examples generated per operation and phase. FUZZ_MAX_EXAMPLES=200 for a deeper run by hand.
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "20"))

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
# The coverage phase (every boundary value of every field, unbounded by max_examples) takes ~30 s per
# operation here: too slow for CI with dozens of operations. FUZZ_COVERAGE=1 turns it back on.
schema.config.phases.coverage.enabled = bool(os.environ.get("FUZZ_COVERAGE"))
if os.environ.get("FUZZ_PATHS"):  # e.g. FUZZ_PATHS='^/api/v1/persons' to fuzz some operations only
    schema = schema.include(path_regex=os.environ["FUZZ_PATHS"])


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Django's WSGI handler closes the database connection after each request; Django's test Client
    prevents that, schemathesis's WSGI transport does not. Closing would end the test's transaction
    (PostgreSQL: "the connection is closed"), so keep the connection as the test Client does."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def adviser_headers(users):
    _, raw = token_issue(user=users["adviser"], name="fuzz")
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def in_scope(orgs):
    """Objects the adviser may act on, by path parameter name."""
    person = PersonFactory(given_name="Fuzz", family_name="Target", organisation=orgs["vdab"])
    PersonLanguageFactory(person=person)
    LegalStatusFactory(person=person)
    return {"person_id": person.pk}


# JSON Schema cannot say "not after today", nor compare a body with the stored record (a status ending
# before it starts, a programme's age range once patched, a follow-up before its due date, a job before the
# person's 14th birthday): these operations refuse some schema-valid bodies with a field error (422), so
# they run every check but positive_data_acceptance. Every other operation runs all of them.
TODAY_OR_HISTORY_RULES = {
    "POST /api/v1/persons", "PATCH /api/v1/persons/{person_id}",
    "POST /api/v1/persons/{person_id}/legal-statuses",
    "PATCH /api/v1/persons/{person_id}/legal-statuses/{status_id}",
    "POST /api/v1/programmes", "PATCH /api/v1/programmes/{programme_id}",
    "POST /api/v1/enrolments", "POST /api/v1/enrolments/{enrolment_id}/status",
    "POST /api/v1/placements", "POST /api/v1/placements/{placement_id}/follow-ups",
    # Care: answers checked against the instrument (data, per instrument), visits against the members'
    # agendas and languages, a plan's window against now.
    "POST /api/v1/screenings", "POST /api/v1/visits", "POST /api/v1/dispatch/plans",
    "POST /api/v1/signals/{signal_id}/first-contact",
    # Reporting: a period's end before its start.
    "POST /api/v1/extracts",
    # Matching: stated needs name an occupation or skills, at least one of the two (422 with neither).
    "POST /api/v1/candidates/search",
}


def _excluded(case) -> list:
    label = f"{case.method.upper()} {case.path}"
    return [positive_data_acceptance] if label in TODAY_OR_HISTORY_RULES else []


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, print_blob=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much, HealthCheck.data_too_large])
def test_every_answer_is_declared_and_no_input_causes_a_server_error(case, adviser_headers, in_scope):
    case.call_and_validate(headers=adviser_headers, excluded_checks=_excluded(case))
    known = {name: pk for name, pk in in_scope.items() if name in (case.path_parameters or {})}
    # Again on a record in scope, for schema-valid requests only (a negative case would become valid).
    if known and case.meta is not None and case.meta.generation.mode.is_positive:
        case.path_parameters = {**case.path_parameters, **known}
        case.call_and_validate(headers=adviser_headers, excluded_checks=_excluded(case))


def test_the_schema_lists_the_api_operations():
    """A guard for the fuzzing above: the document was loaded and has the foundation's operations."""
    operations = {f"{op.method.upper()} {op.path}" for op in
                  (result.ok() for result in schema.get_all_operations())}
    assert {"GET /persons", "POST /persons", "GET /persons/{person_id}", "PATCH /persons/{person_id}",
            "GET /me"} <= {name.replace("/api/v1", "") for name in operations}
