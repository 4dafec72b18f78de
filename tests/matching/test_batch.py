"""The nightly batch on Dask (a LocalCluster of 2 worker processes) equals the single-process batch exactly,
and `manage.py match_batch` stores its result in bulk."""

from __future__ import annotations

import io
import json

import numpy as np
from django.core.management import call_command

from pont.matching import cluster
from pont.matching.models import BatchMatch
from tests.matching.test_engine import _random_world
from tests.matching.world import make_candidate, make_vacancy


def test_the_dask_batch_equals_the_single_process_batch(db):
    matcher = _random_world(seed=3, n=300, m=200)
    expected_idx, expected_score = matcher.batch_top(limit=7, chunk=64)
    with cluster.connect(workers=2) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        idx, score = cluster.run(matcher, client, limit=7, size=50)  # several blocks per worker
    np.testing.assert_array_equal(idx, expected_idx)
    np.testing.assert_array_equal(score, expected_score)
    assert (idx >= 0).any()


def test_match_batch_stores_every_persons_best_vacancies(person, users, orgs):
    make_candidate(person, users)
    vacancies = [make_vacancy(orgs, users, title=f"Lasser {n}") for n in range(3)]
    out = io.StringIO()
    call_command("match_batch", "--workers", "1", "--limit", "2", stdout=out)
    assert json.loads(out.getvalue())["lines"] == 2
    lines = list(BatchMatch.objects.filter(person=person))
    assert [line.rank for line in lines] == [1, 2]
    assert {line.vacancy_id for line in lines} <= {v.pk for v in vacancies}
    assert lines[0].score >= lines[1].score > 0
