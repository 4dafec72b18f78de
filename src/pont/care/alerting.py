"""Alerts that leave the screen: who is called (the on-duty rota), by e-mail (Django's mail backend) and by
Web Push to the browsers they subscribed (pywebpush, VAPID), and who is called next when nobody acknowledges.

An alert (care.models.Alert: an urgent A/B signal to plan again, a target close, a target missed; raised by
care.clock, delivered by the task worker: care.tasks.escalate_alert) goes first to
the rota's rank 1 for its organisation at that moment; unacknowledged after PONT_CARE["ESCALATE_AFTER_MINUTES"]
it goes to rank 2, then 3…; after the last rank, to every dispatcher of the organisation. Without a rota, every
dispatcher of the organisation is called at once. Each delivery is recorded (AlertNotice) and audited.
"""

from __future__ import annotations

import datetime as dt
import json
import logging

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from pont.audit.services import audit
from pont.care.models import Alert, AlertNotice, DutySlot, PushSubscription
from pont.core.mail import mail_each
from pont.core.models import User
from pont.core.roles import Role

log = logging.getLogger(__name__)


def dispatchers_of(organisation_id: int) -> list[User]:
    return list(User.objects.filter(is_active=True, memberships__organisation_id=organisation_id,
                                    memberships__role=Role.DISPATCHER).distinct().order_by("pk"))


def on_duty(organisation_id: int, at: dt.datetime | None = None) -> list[User]:
    """Return who is called for the organisation's alerts at `at`, in the rota's order (empty: no rota)."""
    at = at or timezone.now()
    slots = (DutySlot.objects.filter(organisation_id=organisation_id, starts_at__lte=at, ends_at__gt=at,
                                     user__is_active=True).select_related("user").order_by("rank", "pk"))
    seen: dict[int, User] = {}
    for slot in slots:
        seen.setdefault(slot.user_id, slot.user)
    return list(seen.values())


def _recipients(alert: Alert, step: int) -> tuple[list[User], bool]:
    """Return who is called at this step, and whether a later step remains."""
    rota = on_duty(alert.signal.organisation_id)
    if not rota:
        return dispatchers_of(alert.signal.organisation_id), False
    if step <= len(rota):
        return [rota[step - 1]], True
    return dispatchers_of(alert.signal.organisation_id), False


def _texts(alert: Alert) -> tuple[str, str, str]:
    """Return (title, body, path) in the active language."""
    s = alert.signal
    due = formats.date_format(timezone.localtime(s.target_at), "D d/m H:i")
    title = {
        "urgent": _("Urgent signal %(ref)s (category %(category)s): plan again"),
        "due_soon": _("%(ref)s (category %(category)s): first contact due soon"),
        "overdue": _("%(ref)s (category %(category)s): first contact overdue"),
    }.get(alert.kind, "%(ref)s") % {"ref": s.reference, "category": s.category}
    body = _("%(place)s · first contact due %(due)s. Acknowledge the alert in Pont when you take it.") % {
        "place": s.municipality.name, "due": due}
    path = reverse("dispatch:plan_new") if alert.kind == "urgent" else reverse("care:signal", args=[s.pk])
    return title, body, path


def _push(subscription: PushSubscription, payload: dict) -> bool:
    from pywebpush import WebPushException, webpush

    keys = settings.PONT_PUSH
    try:
        webpush(subscription_info={"endpoint": subscription.endpoint,
                                   "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}},
                data=json.dumps(payload), vapid_private_key=keys["VAPID_PRIVATE_KEY"],
                vapid_claims={"sub": keys["VAPID_SUBJECT"]}, ttl=3600, timeout=10)
    except WebPushException as error:
        status = getattr(error.response, "status_code", None)
        if status in (404, 410):  # the browser dropped the subscription: forget it
            subscription.delete()
        log.warning("push to %s failed: %s", subscription.pk, status or error)
        return False
    except Exception as error:  # a push service unreachable must not lose the e-mail
        log.warning("push to %s failed: %s", subscription.pk, error)
        return False
    return True


def deliver(alert: Alert, step: int = 1) -> list[AlertNotice]:
    """Call this step's people by e-mail and push; record and audit it; schedule the next step."""
    from django.utils import translation

    from pont.care.tasks import escalate_alert

    recipients, more = _recipients(alert, step)
    notices: list[AlertNotice] = []
    site = settings.PONT_SITE_URL

    def compose() -> tuple[str, str]:
        title, body, path = _texts(alert)
        return f"[Pont] {title}", f"{body}\n\n{site}{path}"

    for user in recipients:
        if mail_each([user], compose):
            notices.append(AlertNotice(alert=alert, user=user, channel="mail", step=step))
        if settings.PONT_PUSH["VAPID_PRIVATE_KEY"]:
            with translation.override(user.language or settings.LANGUAGE_CODE):
                title, body, path = _texts(alert)
            for subscription in list(PushSubscription.objects.filter(user=user)):
                ok = _push(subscription, {"title": title, "body": body, "url": f"{site}{path}",
                                          "tag": f"alert-{alert.pk}"})
                notices.append(AlertNotice(alert=alert, user=user, channel="push", step=step, delivered=ok))
    AlertNotice.objects.bulk_create(notices)
    audit(actor=None, verb="care.alert.sent", obj=alert.signal, organisation=alert.signal.organisation,
          detail={"alert": alert.pk, "kind": alert.kind, "step": step, "to": sorted({u.pk for u in recipients}),
                  "channels": sorted({n.channel for n in notices})})
    if more:
        later = timezone.now() + dt.timedelta(minutes=settings.PONT_CARE["ESCALATE_AFTER_MINUTES"])
        escalate_alert.using(run_after=later).enqueue(alert.pk, step + 1)
    return notices


def escalate(alert_id: int, step: int) -> list[AlertNotice]:
    """The escalation task: call the next people unless the alert was acknowledged or the signal answered."""
    alert = Alert.objects.filter(pk=alert_id).select_related("signal__organisation", "signal__municipality").first()
    if alert is None or alert.acknowledged_at is not None or alert.signal.closed_at is not None \
            or alert.signal.first_contact_at is not None:
        return []
    return deliver(alert, step)
