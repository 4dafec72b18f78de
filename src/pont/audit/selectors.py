"""Reads of the audit trail, scoped by the acting user."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from pont.audit.models import AuditEvent
from pont.core import access
from pont.core.roles import Role
from pont.people.models import PersonFile


def audit_events_visible_to(user) -> QuerySet[AuditEvent]:
    """Return the trail a coordinator may read: events of their organisations and of the people those follow.

    Only coordinators read it; everybody else gets an empty set.
    """
    org_ids = access.organisation_ids(user, Role.COORDINATOR)
    if not org_ids:
        return AuditEvent.objects.none()
    in_org_file = PersonFile.objects.filter(person_id=OuterRef("person_id"), organisation_id__in=org_ids)
    return (
        AuditEvent.objects.filter(Q(organisation_id__in=org_ids) | Q(Exists(in_org_file)))
        .select_related("actor", "person")
        .order_by("-at", "-id")
    )
