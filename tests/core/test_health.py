"""/health/: the database and the task queue, each named in the answer; 503 says which failed."""

from __future__ import annotations

import datetime as dt

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pont.care.tasks import check_signal_clock
from pont.core import health


def test_all_well_answers_200_and_names_each_check(db):
    # 2 queries: the database's SELECT 1, the count of overdue tasks (no session, no user)
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = Client().get("/health/")
    assert len(queries) == 2
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "tasks": "ok"}}


def test_tasks_due_later_or_just_due_are_fine(db):
    check_signal_clock.using(run_after=timezone.now() + dt.timedelta(hours=3)).enqueue(1)
    check_signal_clock.enqueue(2)  # due now: a running worker takes it within seconds
    assert Client().get("/health/").status_code == 200


def test_tasks_left_waiting_mean_no_worker_runs_503_names_the_queue(db, settings):
    settings.HEALTH_TASK_OVERDUE_MINUTES = 5
    check_signal_clock.using(run_after=timezone.now() - dt.timedelta(minutes=6)).enqueue(1)
    task = check_signal_clock.enqueue(2)
    DBTaskResult.objects.filter(pk=task.id).update(enqueued_at=timezone.now() - dt.timedelta(minutes=30))
    response = Client().get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "failing" and body["failed"] == ["tasks"]
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["tasks"].startswith("2 task(s) waiting more than 5 minutes")
    assert "db_worker" in body["checks"]["tasks"]


def test_a_database_that_does_not_answer_is_named(db, tmp_path):
    real = connections[DEFAULT_DB_ALIAS]
    unreachable = {"NAME": str(tmp_path / "missing" / "db.sqlite3")} if real.vendor == "sqlite" else \
        {"PORT": "1"}  # no PostgreSQL listens there
    broken = real.__class__({**real.settings_dict, **unreachable}, DEFAULT_DB_ALIAS)
    try:
        assert health.check_database(broken) == "the database does not answer (OperationalError)"
    finally:
        broken.close()


def test_health_needs_no_login_and_stays_on_plain_http_behind_the_https_redirect(db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert Client().get("/health/").status_code == 200
    assert Client().get("/login/").status_code == 301
