"""Appending to the audit trail. Services and selectors call `audit(...)`; nothing else writes it."""

from __future__ import annotations

from typing import Any

from django.db import models

from pont.core.middleware import current_channel, current_request_id
from pont.core.models import AuditEvent


def audit(*, actor, verb: str, obj: models.Model | None = None, person=None, organisation=None,
          detail: dict[str, Any] | None = None) -> AuditEvent:
    """Append one event (`person.viewed`, `person.created`, …) and return it."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        person=person,
        organisation=organisation,
        request_id=current_request_id(),
        channel=current_channel(),
        detail=detail or {},
    )
