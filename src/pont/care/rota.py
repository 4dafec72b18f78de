"""The on-duty rota and the browsers that get alerts: reads and writes (care.alerting sends the alerts).

A care organisation's dispatchers and coordinators keep its rota; a slot names one of its dispatchers. Any care
user may subscribe their own browser to push notifications (only dispatchers are ever called).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from pont.audit.services import audit, audit_listed
from pont.care.alerting import dispatchers_of
from pont.care.models import DutySlot, PushSubscription
from pont.core import access
from pont.core.models import Organisation, User
from pont.core.roles import OrganisationKind, Role

MAX_SLOT = dt.timedelta(days=31)


def rota_org_ids(user) -> list[int]:
    """Return the care organisations whose rota `user` keeps (their dispatchers and coordinators)."""
    if not user.is_authenticated:
        return []
    return [o.pk for o in access.organisations(user, Role.DISPATCHER, Role.COORDINATOR)
            if o.kind == OrganisationKind.CARE_TEAM]


def rota_view(*, user, since: dt.datetime | None = None) -> list[DutySlot]:
    """Return the slots of the user's organisations that have not ended, soonest first (audited)."""
    org_ids = rota_org_ids(user)
    if not org_ids:
        raise Http404
    since = since or timezone.now()
    slots = list(DutySlot.objects.filter(organisation_id__in=org_ids, ends_at__gt=since)
                 .select_related("user", "organisation").order_by("starts_at", "rank", "pk")[:200])
    audit_listed(actor=user, verb="care.rota.listed", records=slots)
    return slots


def slot_get(*, user, pk: int) -> DutySlot:
    try:
        return DutySlot.objects.select_related("organisation").get(pk=pk, organisation_id__in=rota_org_ids(user))
    except (DutySlot.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def slot_add(*, organisation: Organisation, dispatcher: User | None, starts_at: dt.datetime | None,
             ends_at: dt.datetime | None, rank: int | None, by: User) -> DutySlot:
    """Put one of the organisation's dispatchers on duty for a period, at a rank (1 = called first)."""
    if organisation.pk not in rota_org_ids(by):
        raise Http404
    errors: dict[str, str] = {}
    if dispatcher is None or dispatcher.pk not in {u.pk for u in dispatchers_of(organisation.pk)}:
        errors["user"] = _("Choose one of your organisation's dispatchers.")
    if starts_at and ends_at and ends_at - starts_at > MAX_SLOT:
        errors["ends_at"] = _("A slot lasts at most %(days)d days.") % {"days": MAX_SLOT.days}
    if ends_at and ends_at <= timezone.now():
        errors.setdefault("ends_at", _("This period is over already."))
    if starts_at is None or ends_at is None:
        errors.setdefault("starts_at" if starts_at is None else "ends_at", _("This field is required."))
        raise ValidationError(errors)
    slot = DutySlot(organisation=organisation, user=dispatcher, starts_at=starts_at, ends_at=ends_at,
                    rank=rank or 1, created_by=by)
    try:
        slot.full_clean(exclude=["user", "created_by"])
    except ValidationError as error:
        for key, messages in error.message_dict.items():
            errors.setdefault(key, messages[0])
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        slot.save()
        audit(actor=by, verb="care.rota.added", obj=slot, organisation=organisation,
              detail={"user": slot.user_id, "rank": slot.rank})
    return slot


def slot_remove(*, slot: DutySlot, by: User) -> None:
    if slot.organisation_id not in rota_org_ids(by):
        raise Http404
    with transaction.atomic():
        audit(actor=by, verb="care.rota.removed", obj=slot, organisation=slot.organisation,
              detail={"user": slot.user_id, "rank": slot.rank})
        slot.delete()


def subscriptions_of(user) -> QuerySet[PushSubscription]:
    return PushSubscription.objects.filter(user=user)


def push_subscribe(*, user: User, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    """Record (or move to this user) a browser's push subscription; the keys are the browser's own."""
    subscription = PushSubscription(user=user, endpoint=(endpoint or "").strip(), p256dh=(p256dh or "").strip(),
                                    auth=(auth or "").strip())
    subscription.full_clean(exclude=["user"], validate_unique=False)
    with transaction.atomic():
        saved, _created = PushSubscription.objects.update_or_create(
            endpoint=subscription.endpoint, defaults={"user": user, "p256dh": subscription.p256dh,
                                                      "auth": subscription.auth})
        audit(actor=user, verb="care.push.subscribed", obj=saved)
    return saved


def push_unsubscribe(*, user: User, endpoint: str = "") -> int:
    """Forget one of the user's browsers (or all of them when no endpoint is given)."""
    qs = subscriptions_of(user)
    if endpoint:
        qs = qs.filter(endpoint=endpoint)
    count, _kinds = qs.delete()
    if count:
        audit(actor=user, verb="care.push.unsubscribed", obj=user, detail={"browsers": count})
    return count
