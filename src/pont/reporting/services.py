"""Writes of the reporting app: the evaluation extracts (requested, worked out by a task, deleted); audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from pont.audit.services import audit
from pont.reporting import extract as engine
from pont.reporting import selectors
from pont.reporting.models import Extract, ExtractStatus
from pont.reporting.registry import Period


def extract_request(*, user, period: Period, filters: selectors.Filters, key: str) -> Extract:
    """Ask for an extract: stored as "being prepared", worked out by `reporting.tasks.extract_work`."""
    from pont.reporting.tasks import extract_work

    if not selectors.may_extract(user):
        raise Http404
    selectors.scope_of(user, filters)  # an organisation outside the user's: 404
    if period.until < period.since:
        raise ValidationError({"until": _("The end must come after the start.")})
    extract = Extract(requested_by=user, since=period.since, until=period.until, filters=filters.detail(),
                      key=key, key_fingerprint=engine.fingerprint(key) if key else "")
    extract.full_clean()
    with transaction.atomic():
        extract.save()
        audit(actor=user, verb="reporting.extract.requested", obj=extract,
              detail={"from": period.since.isoformat(), "to": period.until.isoformat()} | filters.detail())
        transaction.on_commit(lambda: extract_work.enqueue(extract.pk))
    return extract


def extract_work(*, extract_id: int) -> Extract | None:
    """Write the extract (the task's body); the key is erased when done, whatever happens."""
    extract = Extract.objects.select_related("requested_by").filter(pk=extract_id,
                                                                    status=ExtractStatus.RUNNING).first()
    if extract is None or not extract.key:
        return None
    user = extract.requested_by
    filters = selectors.Filters(**extract.filters)
    scope = selectors.scope_of(user, filters)
    care = selectors.reads_care(user)

    def progress(done: int, total: int) -> None:
        Extract.objects.filter(pk=extract.pk).update(progress=min(99, round(100 * done / total)) if total else 99)

    try:
        data, rows = engine.write(scope=scope, period=Period(extract.since, extract.until), key=extract.key,
                                  care=care, progress=progress)
    except Exception:
        Extract.objects.filter(pk=extract.pk).update(status=ExtractStatus.FAILED, key=None,
                                                     finished_at=timezone.now())
        raise
    Extract.objects.filter(pk=extract.pk).update(status=ExtractStatus.DONE, progress=100, rows=rows, data=data,
                                                 key=None, finished_at=timezone.now())
    return Extract.objects.get(pk=extract.pk)


def extract_downloaded(*, user, extract: Extract) -> None:
    audit(actor=user, verb="reporting.extract.downloaded", obj=extract, detail={"rows": extract.rows})


def extract_delete(*, user, extract: Extract) -> None:
    with transaction.atomic():
        audit(actor=user, verb="reporting.extract.deleted", obj=extract)
        extract.delete()
