"""The reporting records the permission matrix names: a ready extract of the employment coordinator's."""

from __future__ import annotations

from django.utils import timezone

from pont.reporting import extract as engine
from pont.reporting.indicators import Scope
from pont.reporting.models import Extract, ExtractStatus
from pont.reporting.registry import Period


def reporting_objects(orgs, users) -> dict:
    today = timezone.localdate()
    period = Period(today.replace(month=1, day=1), today)
    data, rows = engine.write(scope=Scope(person_org_ids=[orgs["vdab"].pk], care_org_ids=[]), period=period,
                              key="k" * 16, care=False)
    ready = Extract.objects.create(requested_by=users["coordinator"], since=period.since, until=period.until,
                                   status=ExtractStatus.DONE, progress=100, rows=rows, data=data,
                                   key_fingerprint=engine.fingerprint("k" * 16))
    today_iso = today.isoformat()
    return {"extract": ready.pk, "infographic_format": "pdf",
            "extract_body": {"from": today.replace(month=1, day=1).isoformat(), "to": today_iso, "key": "k" * 20}}
