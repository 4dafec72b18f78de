"""The first-contact clock of a signal: its target, its state and the alerts it raises.

One module that the services (which start and move the clock) and the background task (which checks it
when it nears and passes its target) both call; it imports neither.
"""

from __future__ import annotations

import datetime as dt
import functools

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from pont.audit.services import audit
from pont.care.choices import CATEGORY_ORDER, DEFAULT_TARGET_MINUTES
from pont.care.models import Alert, ResponseTarget, Signal


def alert_when_left() -> float:
    """The share of a target left when the "due soon" alert is raised (settings, default a quarter)."""
    return float(settings.PONT_CARE.get("ALERT_WHEN_LEFT", 0.25))


def target_minutes(organisation_id: int, category: str) -> int:
    """Return the organisation's response target for a category (its own setting, else DOMAIN.md's)."""
    own = ResponseTarget.objects.filter(organisation_id=organisation_id, category=category) \
        .values_list("minutes", flat=True).first()
    return own if own is not None else DEFAULT_TARGET_MINUTES[category]


def targets_of(organisation_ids: list[int]) -> dict[int, dict[str, int]]:
    """Return each organisation's targets by category (its own settings, else DOMAIN.md's), in one query."""
    targets = {org: dict(DEFAULT_TARGET_MINUTES) for org in organisation_ids}
    for org, category, minutes in ResponseTarget.objects.filter(organisation_id__in=organisation_ids) \
            .values_list("organisation_id", "category", "minutes"):
        targets[org][category] = minutes
    return targets


def targets_for(organisation_id: int) -> dict[str, int]:
    targets = targets_of([organisation_id])[organisation_id]
    return {c: targets[c] for c in CATEGORY_ORDER}


def set_target(signal: Signal) -> None:
    """Set when first contact is due: the category's target, counted from arrival."""
    signal.target_at = signal.received_at + dt.timedelta(minutes=target_minutes(signal.organisation_id,
                                                                                signal.category))


def check_times(signal: Signal, now: dt.datetime | None = None) -> list[dt.datetime]:
    """Return when the clock must be checked: when little is left of the target, and when it passes."""
    span = signal.target_at - signal.received_at
    warn_at = signal.target_at - span * alert_when_left()
    now = now or timezone.now()
    return sorted({max(warn_at, now), max(signal.target_at, now)})


def clock_state(signal: Signal, now: dt.datetime | None = None) -> str:
    """Return "contacted", "overdue", "due_soon" or "on_time" for a signal's first-contact clock."""
    if signal.first_contact_at is not None:
        return "contacted"
    now = now or timezone.now()
    if now >= signal.target_at:
        return "overdue"
    span = (signal.target_at - signal.received_at).total_seconds()
    if (signal.target_at - now).total_seconds() <= span * alert_when_left():
        return "due_soon"
    return "on_time"


def raise_alerts(*, signal_id: int, now: dt.datetime | None = None) -> list[Alert]:
    """Raise the alerts due on a signal still waiting for first contact: "due_soon" when little of its target
    is left, "overdue" once it has passed. Idempotent: an alert is raised once per kind and target."""
    now = now or timezone.now()
    signal = Signal.objects.filter(pk=signal_id).first()
    if signal is None or signal.closed_at is not None or signal.first_contact_at is not None:
        return []
    kinds = {"overdue": ["due_soon", "overdue"], "due_soon": ["due_soon"]}.get(clock_state(signal, now), [])
    raised = []
    with transaction.atomic():
        for kind in kinds:
            alert, created = Alert.objects.get_or_create(signal=signal, kind=kind, target_at=signal.target_at)
            if created:
                raised.append(alert)
                audit(actor=None, verb="care.alert.raised", obj=signal, organisation=signal.organisation,
                      detail={"kind": kind, "category": signal.category})
        announce(raised)
    return raised


URGENT = ("A", "B")


def raise_urgent(signal: Signal) -> Alert | None:
    """Raise the "urgent: plan again" alert of an A or B signal still waiting for first contact (once per
    target), delivered to the dispatcher on duty outside the page."""
    if signal.category not in URGENT or signal.closed_at is not None or signal.first_contact_at is not None:
        return None
    with transaction.atomic():
        alert, created = Alert.objects.get_or_create(signal=signal, kind="urgent", target_at=signal.target_at)
        if not created:
            return None
        audit(actor=None, verb="care.alert.raised", obj=signal, organisation=signal.organisation,
              detail={"kind": "urgent", "category": signal.category})
        announce([alert])
    return alert


def announce(alerts: list[Alert]) -> None:
    """Have the task worker deliver newly raised alerts (e-mail, push: care.alerting) once they are committed."""
    from pont.care.tasks import escalate_alert

    def enqueue(pk: int) -> None:
        escalate_alert.enqueue(pk, 1)

    for alert in alerts:
        transaction.on_commit(functools.partial(enqueue, alert.pk))
