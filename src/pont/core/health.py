"""What /health/ checks: the database answers, and the task queue answers and is being worked.

Each check returns "ok" or a short sentence saying what is wrong (for whoever reads the monitoring, in
English like the logs). Two queries in all, no login, nothing that grows with the data.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Q
from django.utils import timezone

OK = "ok"


def check_database(connection=None) -> str:
    """Return "ok" if the database answers a trivial query, else what went wrong."""
    connection = connection or connections[DEFAULT_DB_ALIAS]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # whatever it is, /health/ must say it rather than fail with a 500
        return f"the database does not answer ({error.__class__.__name__})"
    return OK


def overdue_tasks(now: dt.datetime | None = None) -> int:
    """Return how many queued tasks wait more than HEALTH_TASK_OVERDUE_MINUTES past the time they were due."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult, get_date_max

    cutoff = (now or timezone.now()) - dt.timedelta(minutes=settings.HEALTH_TASK_OVERDUE_MINUTES)
    due_long_ago = Q(run_after__lte=cutoff) | Q(run_after=get_date_max(), enqueued_at__lte=cutoff)  # max: "at once"
    return DBTaskResult.objects.filter(due_long_ago, status=TaskResultStatus.READY).count()


def check_tasks(now: dt.datetime | None = None) -> str:
    """Return "ok" if the task queue answers and no task is overdue (a worker is taking them), else why not."""
    try:
        late = overdue_tasks(now)
    except Exception as error:  # e.g. the table was never migrated
        return f"the task queue does not answer ({error.__class__.__name__})"
    if late:
        minutes = settings.HEALTH_TASK_OVERDUE_MINUTES
        return (f"{late} task(s) waiting more than {minutes} minutes past their time: "
                "is the worker (manage.py db_worker) running?")
    return OK


def run_checks() -> dict[str, str]:
    """Return {check: "ok" or what is wrong}; the queue is not checked when the database does not answer."""
    database = check_database()
    tasks = check_tasks() if database == OK else "not checked: the database does not answer"
    return {"database": database, "tasks": tasks}
