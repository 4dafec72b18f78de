"""Appending to the audit trail. Services and selectors call `audit(...)`; nothing else writes it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from pont.audit.models import AuditEvent
from pont.core.middleware import current_caller_request_id, current_channel, current_request_id

# One list event names at most this many ids (a page of results is 25 to 200).
MAX_LISTED_IDS = 500


def audit(*, actor, verb: str, obj: models.Model | None = None, person=None, organisation=None,
          detail: dict[str, Any] | None = None) -> AuditEvent:
    """Append one event (`person.viewed`, `person.created`, …) and return it."""
    return _append(actor=actor, verb=verb, object_type=obj._meta.label_lower if obj is not None else "",
                   object_id=str(obj.pk) if obj is not None else "", person=person, organisation=organisation,
                   detail=detail or {})


def audit_listed(*, actor, verb: str, records: Iterable[models.Model], organisation=None,
                 detail: dict[str, Any] | None = None) -> AuditEvent | None:
    """Append one event for a page of list or search results, naming the ids it showed.

    Nothing is written for an empty page: nobody's data was shown.
    """
    records = list(records)
    if not records:
        return None
    return _append(actor=actor, verb=verb, object_type=records[0]._meta.label_lower, object_id="", person=None,
                   organisation=organisation,
                   detail={**(detail or {}), "ids": [r.pk for r in records[:MAX_LISTED_IDS]], "count": len(records)})


def _append(*, actor, verb: str, object_type: str, object_id: str, person, organisation,
            detail: dict[str, Any]) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=verb, object_type=object_type, object_id=object_id, person=person, organisation=organisation,
        request_id=current_request_id(), caller_request_id=current_caller_request_id(),
        channel=current_channel(), detail=detail,
    )
