"""Background tasks of the reporting app (django-tasks; run by `manage.py db_worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def extract_work(extract_id: int) -> int:
    """Prepare a requested evaluation extract (reporting.services.extract_work); returns its rows."""
    from pont.reporting import services

    extract = services.extract_work(extract_id=extract_id)
    return extract.rows if extract else 0
