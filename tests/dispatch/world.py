"""Dispatch objects for the permission matrix: an (empty) plan of the Belgian care organisation."""

import datetime as dt

from django.utils import timezone

from pont.dispatch.models import Plan


def dispatch_objects(orgs, users) -> dict:
    now = timezone.now()
    plan = Plan.objects.create(organisation=orgs["care_be"], window_from=now, window_to=now + dt.timedelta(hours=8),
                               created_by=users["dispatcher"])
    return {"plan": plan.pk}
