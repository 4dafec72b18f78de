"""Two advisers take the last place of the year at the same moment: exactly one succeeds.

Runs real threads, each with its own database connection, outside any test transaction, on both databases:
on PostgreSQL the programme's row lock orders them; on SQLite (a file, as in production) BEGIN IMMEDIATE
does, and the one that waits gets "No place left", never "database is locked".
"""

from __future__ import annotations

import contextlib
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils import translation

from pont.employment import services
from pont.employment.models import Enrolment
from tests.concurrency import file_database  # noqa: F401 (the fixture)
from tests.employment.factories import ProgrammeFactory
from tests.factories import MembershipFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("file_database")]


def test_two_advisers_race_for_the_last_place(orgs, monkeypatch):
    programme = ProgrammeFactory(organisation=orgs["vdab"], capacity=1, right_to_work="not_required")
    advisers = [MembershipFactory(user=UserFactory(username=f"racer{i}"), organisation=orgs["vdab"],
                                  role="adviser").user for i in range(2)]
    people = [PersonFactory(organisation=orgs["vdab"]) for _ in range(2)]

    # Hold each thread right after it counted the places, until the other one counted too (or 1 s passed):
    # without the row lock both would count 0 taken and both would enrol.
    barrier = threading.Barrier(2, timeout=1)
    count = services._seats_taken

    def counted_then_wait(*args, **kwargs):
        taken = count(*args, **kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()
        return taken

    monkeypatch.setattr(services, "_seats_taken", counted_then_wait)
    outcomes: list[str] = []

    def enrol(i: int) -> None:
        translation.activate("en")  # a new thread starts in the default language (French)
        try:
            services.enrolment_create(person=people[i], programme=programme, by=advisers[i], enrol=True)
            outcomes.append("enrolled")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=enrol, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert outcomes.count("enrolled") == 1, outcomes
    assert "No place left" in next(o for o in outcomes if o != "enrolled")
    assert Enrolment.objects.filter(programme=programme, status="enrolled").count() == 1
