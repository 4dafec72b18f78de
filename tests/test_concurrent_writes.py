"""Many requests writing at the same moment, as a multi-threaded gunicorn serves them: none answers 500.

On the SQLite default, deferred transactions that read and then write failed at once with "database is locked"
(221 of 560 concurrent enrolment and visit requests in the security sweep); BEGIN IMMEDIATE with a busy timeout
makes them wait their turn. Real threads, each with its own connection and its own HTTP client, on a database
file (tests/concurrency.py) or PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from pont.care.models import TeamMember, Visit
from pont.core.auth import token_issue
from pont.employment.models import Enrolment
from tests.care.world import build_world, working_slot
from tests.concurrency import file_database, run_together  # noqa: F401 (file_database is a fixture)
from tests.employment.factories import ProgrammeFactory
from tests.factories import PersonFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("file_database")]

WRITERS = 10


def api_post(token: str, path: str, body: dict) -> int:
    client = Client(raise_request_exception=False)  # a server error is an answer here, as gunicorn gives it
    return client.post(path, json.dumps(body), content_type="application/json",
                       headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"}).status_code


def test_concurrent_enrolments_all_succeed(orgs, users):
    programme = ProgrammeFactory(organisation=orgs["vdab"], capacity=50, right_to_work="not_required")
    people = [PersonFactory(organisation=orgs["vdab"]) for _ in range(WRITERS)]
    _, token = token_issue(user=users["adviser"])
    statuses = run_together([
        lambda person=person: api_post(token, "/api/v1/enrolments",
                                       {"person": person.pk, "programme": programme.pk, "status": "enrolled"})
        for person in people])
    assert statuses == [201] * WRITERS
    assert Enrolment.objects.filter(programme=programme, status="enrolled").count() == WRITERS


def test_concurrent_visits_of_one_team_all_succeed(orgs, users):
    world = build_world(orgs, users)
    members = [world["member_therapist"], world["member_interpreter"]]
    _, token = token_issue(user=users["dispatcher"])
    first = working_slot(days=8, hour=9)  # a working day after the world's own visit
    slots = [first + dt.timedelta(minutes=45 * i) for i in range(WRITERS)]  # back to back, within working hours
    statuses = run_together([
        lambda start=start: api_post(token, "/api/v1/visits", {
            "signal": world["signal"], "members": members, "starts_at": start.isoformat(),
            "ends_at": (start + dt.timedelta(minutes=45)).isoformat(), "place": "Reception centre"})
        for start in slots])
    assert statuses == [201] * WRITERS
    assert Visit.objects.filter(members__in=TeamMember.objects.filter(pk=members[0])).count() == WRITERS + 1


def test_the_same_slot_booked_twice_at_once_gives_one_visit_and_one_field_error(orgs, users):
    world = build_world(orgs, users)
    _, token = token_issue(user=users["dispatcher"])
    start = working_slot(days=9, hour=10)
    body = {"signal": world["signal"], "members": [world["member_therapist"], world["member_interpreter"]],
            "starts_at": start.isoformat(), "place": "Reception centre"}
    statuses = run_together([lambda: api_post(token, "/api/v1/visits", body)] * 4)
    assert sorted(statuses) == [201, 422, 422, 422]
