"""Background tasks of the network app (django-tasks; run by `manage.py db_worker`)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from pont.network import exchange

DIGEST_HOUR = 8  # Monday morning, the region's time


def next_monday(now: dt.datetime | None = None) -> dt.datetime:
    """Return the next Monday at DIGEST_HOUR (local time), after `now`."""
    now = timezone.localtime(now or timezone.now())
    days = (7 - now.weekday()) % 7 or 7
    return (now + dt.timedelta(days=days)).replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)


@task()
def weekly_digest() -> int:
    """Send the practice exchange's weekly digest, then queue the next one (a periodic job)."""
    sent = exchange.weekly_digest()
    schedule_digest()
    return sent


def schedule_digest() -> None:
    """Queue the next digest for next Monday, unless one is queued already."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(task_path="pont.network.tasks.weekly_digest",
                                          status=TaskResultStatus.READY).exists()
    if not waiting:
        weekly_digest.using(run_after=next_monday()).enqueue()
