"""Reads of organisations (partners are not personal data)."""

from __future__ import annotations

from django.db.models import QuerySet

from pont.core.models import Organisation


def organisations_visible_to(user) -> QuerySet[Organisation]:
    """Return the partner organisations: their names, kinds and regions are not personal data."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.prefetch_related("regions").order_by("name")
