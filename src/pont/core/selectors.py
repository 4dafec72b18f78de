"""Reads of organisations and of the audit trail, scoped by the acting user."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from pont.core.models import AuditEvent, Organisation
from pont.core.roles import Role


def organisations_visible_to(user) -> QuerySet[Organisation]:
    """Return the partner organisations: their names, kinds and regions are not personal data."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.prefetch_related("regions").order_by("name")


def audit_events_visible_to(user) -> QuerySet[AuditEvent]:
    """Return the audit trail a coordinator may read: their organisation's people and staff.

    Only coordinators read it; everybody else gets an empty set.
    """
    from pont.people.models import PersonFile

    org_ids = user.organisation_ids(Role.COORDINATOR) if user.is_authenticated else []
    if not org_ids:
        return AuditEvent.objects.none()
    in_org_file = PersonFile.objects.filter(person_id=OuterRef("person_id"), organisation_id__in=org_ids)
    return (
        AuditEvent.objects.filter(Q(organisation_id__in=org_ids) | Q(Exists(in_org_file)))
        .select_related("actor", "person")
        .order_by("-at", "-id")
    )
