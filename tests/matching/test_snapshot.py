"""The matching snapshot: built once per process from tuples, answered from memory, rebuilt after any write
that changes what matching reads (a vacancy, a profile, a person's languages or status history)."""

from __future__ import annotations

import time

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from pont.matching import adapters, selectors, services, store, tasks
from pont.matching.choices import VacancyStatus
from pont.people.models import PersonLanguage
from tests.factories import LegalStatusFactory
from tests.matching.world import make_candidate, make_vacancy


def test_the_snapshot_is_kept_until_something_matching_reads_changes(person, users, orgs):
    make_candidate(person, users)
    vacancy = make_vacancy(orgs, users)
    first = adapters.current()
    assert adapters.current() is first  # nothing changed: from memory
    with CaptureQueriesContext(connection) as queries:
        adapters.current()
    assert len(queries) <= 1  # the version check, nothing else

    second = make_vacancy(orgs, users, title="Lasser nacht")
    rebuilt = adapters.current()
    assert rebuilt is not first and rebuilt.vacancy_row(second.pk) is not None
    services.vacancy_update(vacancy=second, by=users["employer"], changes={"status": VacancyStatus.CLOSED})
    assert adapters.current().vacancy_row(second.pk) is None  # closed: no longer matched

    before = adapters.current()
    PersonLanguage.objects.filter(person=person).update(level="B2")  # a bulk update sends no signal…
    assert adapters.current() is before
    LegalStatusFactory(person=person, status="recognised_refugee", country="FR")  # …a saved row does
    assert adapters.current() is not before
    assert adapters.current().person_row(person.pk) is not None and vacancy.pk in adapters.current().vacancy_ids


def test_matches_pages_read_the_snapshot_with_a_few_queries(person, users, orgs):
    make_candidate(person, users)
    for n in range(5):
        make_vacancy(orgs, users, title=f"Lasser {n}")
    adapters.current()  # warm
    with CaptureQueriesContext(connection) as queries:
        _person, found = selectors.person_matches_view(user=users["adviser"], person_pk=person.pk)
    assert len(found) == 5
    assert len(queries) <= 12, [q["sql"][:80] for q in queries.captured_queries]  # whatever the number of matches


@pytest.mark.django_db(transaction=True)
def test_in_the_background_a_change_is_taken_in_without_a_request_waiting(person, users, orgs, settings):
    settings.PONT = {**settings.PONT, "MATCHING_REBUILD": "background"}
    adapters.forget()
    make_candidate(person, users)
    make_vacancy(orgs, users)
    first = adapters.current()  # the process's first snapshot: built within the request
    added = make_vacancy(orgs, users, title="Lasser nacht")
    assert adapters.current() is first  # answered at once from the previous snapshot…
    for _ in range(200):  # …while a thread builds the new one
        if not adapters.rebuilding():
            break
        time.sleep(0.05)
    assert adapters.current().vacancy_row(added.pk) is not None


def test_why_nobody_fits_names_the_requirement_that_excludes_most(person, users, orgs, client):
    make_candidate(person, users)  # Dutch A2, a welder, 30 km around Kortrijk
    vacancy = make_vacancy(orgs, users, town="Tournai", languages={"fra": "B1"})
    counts = selectors.vacancy_shortfalls(user=users["adviser"], vacancy=vacancy)
    assert counts["people"] == 1 and counts["language"] == 1 and counts["skills"] == 0
    assert counts["main"] in ("language", "distance")
    client.force_login(users["adviser"])
    page = client.get(f"/jobs/vacancies/{vacancy.pk}/").content.decode()
    assert "Why not more people" in page and "below a required language level" in page
    api = client.get(f"/api/v1/vacancies/{vacancy.pk}/shortfalls").json()
    assert api["language"] == 1 and api["people"] == 1
    assert client.get(f"/api/v1/vacancies/{vacancy.pk}/shortfalls").status_code == 200


def test_a_shortlist_is_built_in_one_pass_whatever_its_length(person, users, orgs):
    from tests.factories import PersonFactory

    vacancy = make_vacancy(orgs, users)

    def propose(n: int) -> int:
        for i in range(n):
            candidate = make_candidate(PersonFactory(given_name=f"Cand{i}{n}", organisation=orgs["vdab"]), users)
            services.proposal_create(person=candidate, vacancy=vacancy, by=users["adviser"])
        with CaptureQueriesContext(connection) as queries:
            cards = selectors.shortlist_view(user=users["employer"], vacancy=vacancy)
        assert all(card["score"] > 0 for card in cards)
        return len(queries)

    assert propose(2) == propose(3)  # 2 cards, then 5 cards: the same number of queries


def test_a_stored_matcher_maps_its_arrays_and_ranks_exactly_as_the_one_written(tmp_path):
    from tests.matching.test_engine import _random_world

    matcher = _random_world(21, n=30, m=25)
    matcher._overlap_operator()
    store.save({"matcher": matcher, "ids": np.arange(3), "places": {(50.8, 3.2): 0}}, tmp_path / "s")
    state = store.load(tmp_path / "s")
    mapped = state["matcher"]
    assert isinstance(mapped.p_skills.data, np.memmap) and not mapped.p_skills.data.flags.writeable
    assert state["places"] == {(50.8, 3.2): 0}
    np.testing.assert_array_equal(mapped.batch_top(limit=5)[0], matcher.batch_top(limit=5)[0])
    for row in range(len(matcher.p)):
        assert [(m.vacancy, m.score) for m in mapped.rank_vacancies(row, 5)] == \
            [(m.vacancy, m.score) for m in matcher.rank_vacancies(row, 5)]
    for row in range(len(matcher.v)):
        assert [m.person for m in mapped.rank_people(row, 5)] == [m.person for m in matcher.rank_people(row, 5)]
    assert store.save({"other": 1}, tmp_path / "s") == tmp_path / "s"  # written already: left as it is
    assert "other" not in store.load(tmp_path / "s")


@pytest.mark.django_db(transaction=True)
def test_shared_snapshots_are_built_once_and_mapped_by_every_process(person, users, orgs, settings, tmp_path):
    """The first process builds and writes; the others map the files; after a change the task worker writes
    the next one while every process answers from the previous."""
    settings.VAR_DIR = tmp_path
    settings.PONT = {**settings.PONT, "MATCHING_REBUILD": "shared"}
    adapters.forget()
    make_candidate(person, users)
    make_vacancy(orgs, users)
    built = adapters.current()
    expected = [(m.vacancy, m.score) for m in built.matcher.rank_vacancies(built.person_row(person.pk))]
    adapters.forget()  # as another worker would start
    mapped = adapters.current()
    assert mapped is not built and isinstance(mapped.matcher.p_skills.data, np.memmap)
    assert [(m.vacancy, m.score) for m in mapped.matcher.rank_vacancies(mapped.person_row(person.pk))] == expected
    _person, found = selectors.person_matches_view(user=users["adviser"], person_pk=person.pk)
    assert [m["vacancy"].pk for m in found] == [v for v, _ in expected]

    added = make_vacancy(orgs, users, title="Lasser nacht")
    assert adapters.current() is mapped  # the previous snapshot meanwhile…
    assert DBTaskResult.objects.filter(task_path="pont.matching.tasks.build_snapshot").count() == 1  # …asked once
    assert adapters.current() is mapped
    tasks.build_snapshot.call()  # what `manage.py db_worker` runs
    assert adapters.current().vacancy_row(added.pk) is not None
    assert len(list((tmp_path / "matching-snapshots").iterdir())) == 2
