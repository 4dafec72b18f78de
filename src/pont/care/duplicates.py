"""Signals that look like the same situation: the same place, within a day, close words — a neighbour calls,
then the reception centre, then the person themselves. The dispatcher sees them together and merges them or
keeps them apart (the decision is kept: the pair is not proposed again).

The texts are encrypted at rest and cannot be compared in SQL: the candidates are narrowed in SQL (the same
organisation and municipality, open, received within a day), then compared in Python (rapidfuzz).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from rapidfuzz import fuzz

from pont.audit.services import audit
from pont.care.choices import Outcome, VisitStatus
from pont.care.models import Signal, SignalsKeptApart
from pont.care.selectors import dispatcher_org_ids
from pont.core.exceptions import Conflict
from pont.core.models import User

WINDOW = dt.timedelta(hours=24)
ALIKE = 60  # rapidfuzz token_set_ratio of the texts, out of 100
MAX_SHOWN = 5


@dataclass(frozen=True)
class Duplicate:
    signal: Signal
    hours_apart: float
    text_alike: int  # 0–100
    same_first_name: bool


def _text(signal: Signal) -> str:
    return " ".join(filter(None, [signal.first_name or "", signal.description or ""])).lower()


def _decided(signal: Signal) -> set[int]:
    pairs = SignalsKeptApart.objects.filter(Q(first=signal) | Q(second=signal)).values_list("first_id", "second_id")
    return {b if a == signal.pk else a for a, b in pairs}


def _alike(signal: Signal, other: Signal) -> Duplicate | None:
    """Return how `other` looks like `signal` when it may be the same situation (same place within a day is
    checked by the caller), else None."""
    mine, theirs = _text(signal), _text(other)
    alike = round(fuzz.token_set_ratio(mine, theirs)) if mine and theirs else 0
    same_name = bool(signal.first_name and other.first_name
                     and signal.first_name.strip().lower() == other.first_name.strip().lower())
    if alike < ALIKE and not same_name:
        return None
    hours = abs((other.received_at - signal.received_at).total_seconds()) / 3600
    return Duplicate(other, round(hours, 1), alike, same_name)


def possible_duplicates(signal: Signal) -> list[Duplicate]:
    """Return the open signals of the same organisation and place received within a day of `signal` whose words
    are close (or that name the same first name), closest first — not those already kept apart from it."""
    if signal.closed_at is not None:
        return []
    near = (Signal.objects.filter(organisation_id=signal.organisation_id, municipality_id=signal.municipality_id,
                                  closed_at__isnull=True, received_at__gte=signal.received_at - WINDOW,
                                  received_at__lte=signal.received_at + WINDOW)
            .exclude(pk=signal.pk).exclude(pk__in=_decided(signal)).order_by("received_at")[:50])
    out = [d for other in near if (d := _alike(signal, other)) is not None]
    out.sort(key=lambda d: (-d.same_first_name, -d.text_alike, d.hours_apart))
    return out[:MAX_SHOWN]


def flagged(signals: list[Signal]) -> set[int]:
    """Return the ids of the listed open signals that look like another listed one (the queue's badge): pairs in
    the same place within a day, not kept apart. One query for the decisions."""
    ids = [s.pk for s in signals]
    apart = set(SignalsKeptApart.objects.filter(first_id__in=ids, second_id__in=ids)
                .values_list("first_id", "second_id"))
    out: set[int] = set()
    by_place: dict[tuple, list[Signal]] = {}
    for s in signals:
        if s.closed_at is None:
            by_place.setdefault((s.organisation_id, s.municipality_id), []).append(s)
    for group in by_place.values():
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                pair = (min(a.pk, b.pk), max(a.pk, b.pk))
                if pair in apart or abs(a.received_at - b.received_at) > WINDOW:
                    continue
                if _alike(a, b) is not None:
                    out |= {a.pk, b.pk}
    return out


def _both(signal: Signal, other: Signal, by: User) -> None:
    orgs = dispatcher_org_ids(by)
    if signal.organisation_id not in orgs or other.organisation_id not in orgs or signal.pk == other.pk:
        raise Http404
    if signal.organisation_id != other.organisation_id:
        raise Http404


def keep_apart(*, signal: Signal, other: Signal, by: User) -> None:
    """Record that the two signals are different situations (a dispatcher of their organisation)."""
    _both(signal, other, by)
    first, second = sorted([signal, other], key=lambda s: s.pk)
    with transaction.atomic():
        SignalsKeptApart.objects.get_or_create(first=first, second=second, defaults={"by": by})
        audit(actor=by, verb="care.signal.kept_apart", obj=signal, organisation=signal.organisation,
              detail={"other": other.pk})


def merge(*, signal: Signal, other: Signal, by: User) -> Signal:
    """Merge `other` into `signal`: its languages and concerns join, its visits, notes, screenings and alerts
    move over, and it is closed as merged (it stays readable, pointing at the signal kept). The earlier
    response target of the two is kept."""
    _both(signal, other, by)
    with transaction.atomic():
        keep, gone = (Signal.objects.select_for_update().get(pk=pk) for pk in (signal.pk, other.pk))
        if keep.closed_at is not None or gone.closed_at is not None:
            raise Conflict({"other": _("Only open signals can be merged.")})
        keep.languages = list(dict.fromkeys([*keep.languages, *gone.languages]))[:10]
        keep.concerns = list(dict.fromkeys([*keep.concerns, *gone.concerns]))
        keep.danger_now = keep.danger_now or gone.danger_now
        keep.needs_clinician = keep.needs_clinician or gone.needs_clinician
        if gone.target_at < keep.target_at:  # the more urgent clock wins
            keep.category, keep.target_at = gone.category, gone.target_at
        keep.person = keep.person or gone.person
        keep.first_contact_at = min(filter(None, [keep.first_contact_at, gone.first_contact_at]), default=None)
        keep.full_clean()
        keep.save()
        gone.visits.exclude(status=VisitStatus.CANCELLED).update(signal=keep)
        gone.notes.update(signal=keep)
        gone.screenings.update(signal=keep)
        for alert in gone.alerts.all():  # one alert per kind and target: keep's own wins
            if keep.alerts.filter(kind=alert.kind, target_at=alert.target_at).exists():
                alert.delete()
            else:
                alert.signal = keep
                alert.save(update_fields=["signal"])
        gone.merged_into, gone.closed_at, gone.closed_by, gone.outcome = keep, timezone.now(), by, Outcome.MERGED
        gone.save(update_fields=["merged_into", "closed_at", "closed_by", "outcome"])
        audit(actor=by, verb="care.signal.merged", obj=keep, person=keep.person, organisation=keep.organisation,
              detail={"merged": gone.pk})
    return keep
