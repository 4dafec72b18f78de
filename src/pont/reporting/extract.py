"""The person-level extract for the funder's evaluator: one row per person supported in the period, without
names, contacts, free text or exact dates.

- `pseudonym`: HMAC-SHA256 of the person's id under the export key the coordinator supplies (the same key gives
  the same pseudonyms next time; without the key nobody can link a row to a person);
- age band at the end of the period (ESF+), sex, country and region of residence; the municipality only when
  at least 5 people of the extract live there, else it is left empty (rolled up to the region);
- legal-status kind, unaccompanied minor, third-country national (not an EU citizen), month of registration;
- employment: programmes enrolled in and completed, days from registration to the first job and to the first
  stable job, in employment at the six-month follow-up;
- care (only for a reader of care indicators, and only the signals of their care organisations): counts of
  signals, visits done and screenings per person, never answers or notes.

One query with correlated subqueries, read in chunks; no model object is built.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import hmac
import io
from collections.abc import Callable, Iterator

from django.db.models import Count, Exists, IntegerField, Min, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, StreamingHttpResponse

from pont.care.models import Screening, Signal, Visit
from pont.employment import stable
from pont.employment.choices import EnrolmentStatus
from pont.employment.models import Enrolment, FollowUp, Placement
from pont.people.choices import EU_MEMBER_STATES as EU
from pont.reporting.indicators import Scope, age_band, people_in
from pont.reporting.registry import Period

MIN_CELL = 5
CHUNK = 5000

COLUMNS = ["pseudonym", "sex", "age_band", "country", "region", "municipality", "legal_status",
           "labour_status_at_entry", "unaccompanied_minor", "third_country_national", "registered_month",
           "enrolments", "completions", "days_to_first_job", "days_to_stable_job", "employed_at_6_months"]
CARE_COLUMNS = ["signals", "visits_done", "screenings"]


def pseudonym(key: str, person_id: int) -> str:
    return hmac.new(key.encode(), f"pont-person:{person_id}".encode(), hashlib.sha256).hexdigest()[:16]


def fingerprint(key: str) -> str:
    """What identifies a key without revealing it: the same key, the same fingerprint."""
    return hmac.new(key.encode(), b"pont-extract-key", hashlib.sha256).hexdigest()[:12]


def _count(qs: QuerySet, person: str = "person") -> Coalesce:
    """How many rows of `qs` (already narrowed to the outer person) there are: a correlated count, 0 for none."""
    return Coalesce(Subquery(qs.order_by().values(person).annotate(c=Count("pk")).values("c")[:1],
                             output_field=IntegerField()), 0)


def rows_query(scope: Scope, period: Period, care: bool) -> QuerySet:
    person = OuterRef("pk")
    placements = Placement.objects.filter(person=person)
    qs = people_in(scope, period).annotate(
        band=age_band(period.until),
        enrolled=_count(Enrolment.objects.filter(person=person).exclude(status=EnrolmentStatus.PROPOSED)),
        completed=_count(Enrolment.objects.filter(person=person, status=EnrolmentStatus.COMPLETED)),
        first_job=Subquery(placements.order_by().values("person").annotate(d=Min("start_date")).values("d")[:1]),
        first_stable=Subquery(placements.filter(stable.stable_q()).order_by().values("person")
                              .annotate(d=Min("start_date")).values("d")[:1]),
        employed_6=Exists(FollowUp.objects.filter(placement__person=person, month=6, still_employed=True)),
    )
    fields = ["pk", "sex", "band", "region__country", "region__code", "municipality_id", "municipality__name",
              "current_status", "labour_status", "unaccompanied_minor", "nationality", "created_at", "enrolled",
              "completed", "first_job", "first_stable", "employed_6"]
    if care:
        signals = Signal.objects.filter(person=person, organisation_id__in=scope.care_org_ids,
                                        merged_into__isnull=True)
        qs = qs.annotate(
            n_signals=_count(signals),
            n_visits=_count(Visit.objects.filter(signal__person=person, status="done",
                                                 signal__organisation_id__in=scope.care_org_ids), "signal__person"),
            n_screenings=_count(Screening.objects.filter(signal__person=person,
                                                         signal__organisation_id__in=scope.care_org_ids),
                                "signal__person"))
        fields += ["n_signals", "n_visits", "n_screenings"]
    return qs.order_by("pk").values_list(*fields)


def small_municipalities(scope: Scope, period: Period) -> set[int]:
    """The municipalities where fewer than 5 people of the extract live (one grouped query)."""
    grouped = people_in(scope, period).filter(municipality__isnull=False).order_by().values("municipality_id") \
        .annotate(n=Count("pk")).filter(n__lt=MIN_CELL)
    return {r["municipality_id"] for r in grouped}


def write(*, scope: Scope, period: Period, key: str, care: bool,
          progress: Callable[[int, int], None] = lambda done, total: None) -> tuple[bytes, int]:
    """Return the extract as gzip-compressed CSV (UTF-8) and its number of rows."""
    total = people_in(scope, period).count()
    hidden = small_municipalities(scope, period)
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        out = csv.writer(text)
        out.writerow(COLUMNS + (CARE_COLUMNS if care else []))
        done = 0
        for row in rows_query(scope, period, care).iterator(chunk_size=CHUNK):
            out.writerow(_line(row, key, hidden, care))
            done += 1
            if done % CHUNK == 0:
                progress(done, total)
        text.flush()
        text.detach()
    progress(done, total)
    return buffer.getvalue(), done


def _line(row: tuple, key: str, hidden: set[int], care: bool) -> list:
    (pk, sex, band, country, region, municipality_id, municipality, status, labour, minor, nationality, created_at,
     enrolled, completed, first_job, first_stable, employed_6, *care_counts) = row
    registered = created_at.date()
    line = [pseudonym(key, pk), sex, band, country, region, "" if municipality_id in hidden else municipality or "",
            status, labour, int(minor), "" if not nationality else int(nationality not in EU), f"{registered:%Y-%m}",
            enrolled, completed, "" if first_job is None else max((first_job - registered).days, 0),
            "" if first_stable is None else max((first_stable - registered).days, 0), int(employed_6)]
    return line + (list(care_counts) if care else [])


def read(data: bytes) -> Iterator[bytes]:
    """Stream a stored extract back as CSV bytes."""
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as raw:
        while chunk := raw.read(1 << 16):
            yield chunk


__all__ = ["CARE_COLUMNS", "COLUMNS", "fingerprint", "pseudonym", "read", "write"]


def response(*, user, pk: int) -> StreamingHttpResponse:
    """The download of a ready extract (page and API alike): streamed CSV; audited."""
    from pont.reporting import selectors, services
    from pont.reporting.models import ExtractStatus

    extract = selectors.extract_get(user=user, pk=pk, with_data=True)
    if extract.status != ExtractStatus.DONE or not extract.data:
        raise Http404
    services.extract_downloaded(user=user, extract=extract)
    answer = StreamingHttpResponse(read(bytes(extract.data)), content_type="text/csv; charset=utf-8")
    answer["Content-Disposition"] = (f'attachment; filename="pont-extract-{extract.since:%Y%m%d}-'
                                     f'{extract.until:%Y%m%d}-{extract.pk}.csv"')
    return answer
