"""Background tasks of the care app (django-tasks; run by `manage.py db_worker`)."""

from __future__ import annotations

from django_tasks import task

from pont.care import clock


@task()
def check_signal_clock(signal_id: int) -> int:
    """Raise the alerts due on a signal that is near or past its response target without first contact.

    Enqueued with `run_after` when a signal arrives and whenever its target moves; returns how many alerts
    were raised.
    """
    return len(clock.raise_alerts(signal_id=signal_id))


@task()
def escalate_alert(alert_id: int, step: int) -> int:
    """Call the next dispatcher on the rota for an alert nobody acknowledged; returns how many notices went."""
    from pont.care import alerting

    return len(alerting.escalate(alert_id, step))
