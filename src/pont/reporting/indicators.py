"""The indicators' definitions and their SQL (annotate/aggregate, conditional aggregation; the median by an
ordered offset query per group, the same on PostgreSQL and SQLite). No loop over rows in Python.

Each compute function takes a Scope (whose records), a Period and a breakdown code ("" for the whole) and
returns rows (key, label, value, n): `n` is the number of people or signals behind the value, which
decides the suppression (reporting.suppression).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connections
from django.db.models import (
    Aggregate,
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pont.care.choices import Category, Channel, TargetGroup
from pont.care.models import Signal
from pont.core.models import Region
from pont.core.roles import Country
from pont.employment import stable
from pont.employment.models import Placement
from pont.people.choices import LabourStatus, LegalStatusKind, Sex
from pont.people.models import Person, PersonFile
from pont.reporting.registry import Breakdown, Indicator, Period, register


@dataclass(frozen=True)
class Scope:
    """Whose records an indicator counts: people followed by these organisations (None: every partner) and the
    signals of these care organisations."""

    person_org_ids: list[int] | None
    care_org_ids: list[int]
    country: str = ""  # BE or FR: where people live, where signals came from ("" for both)
    region: str = ""  # a NUTS code, the same way


Row = tuple[str, str, float | int | None, int]

# --- Breakdowns -------------------------------------------------------------------------------------------

COUNTRY = Breakdown("country", _("country"))
REGION = Breakdown("region", _("region"))
SEX = Breakdown("sex", _("sex"))
AGE = Breakdown("age_band", _("age band (ESF+: under 18, 18–29, 30–54, 55 and over)"))
STATUS = Breakdown("legal_status", _("legal status"))
MINOR = Breakdown("minor", _("unaccompanied minor"))
LABOUR = Breakdown("labour_status", _("labour-market status at entry (ESF+)"))
CATEGORY = Breakdown("category", _("triage category"))
TARGET_GROUP = Breakdown("target_group", _("target group"))
CHANNEL = Breakdown("channel", _("channel"))

AGE_BANDS = (("under_18", _("under 18")), ("18_29", _("18 to 29")), ("30_54", _("30 to 54")),
             ("55_plus", _("55 and over")))


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def age_band(until: dt.date, born: str = "date_of_birth") -> Case:
    """The ESF+ age band at the end of the period, computed in SQL from the date of birth (`born`: its path)."""
    return Case(
        When(**{f"{born}__gt": _years_before(until, 18)}, then=Value("under_18")),
        When(**{f"{born}__gt": _years_before(until, 30)}, then=Value("18_29")),
        When(**{f"{born}__gt": _years_before(until, 55)}, then=Value("30_54")),
        default=Value("55_plus"))


def _labels(code: str) -> dict[str, str]:
    if code == "country":
        return {c.value: str(c.label) for c in Country}
    if code == "region":
        return {r.code: r.name for r in Region.objects.all()}
    if code == "sex":
        return {c.value: str(c.label) for c in Sex}
    if code == "age_band":
        return {k: str(v) for k, v in AGE_BANDS}
    if code == "legal_status":
        return {c.value: str(c.label) for c in LegalStatusKind} | {"": str(_("not recorded"))}
    if code == "labour_status":
        return {c.value: str(c.label) for c in LabourStatus} | {"": str(_("not recorded"))}
    if code == "minor":
        return {"True": str(_("yes")), "False": str(_("no"))}
    if code == "category":
        return {c.value: str(c.label) for c in Category}
    if code == "target_group":
        return {c.value: str(c.label) for c in TargetGroup}
    if code == "channel":
        return {c.value: str(c.label) for c in Channel}
    return {}


def _moment(day: dt.date, end: bool = False) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max if end else dt.time.min))


# --- Employment -------------------------------------------------------------------------------------------


def files_in(scope: Scope, period: Period) -> QuerySet[PersonFile]:
    """Files open at some time in the period, of the scope's organisations."""
    files = PersonFile.objects.filter(opened_at__lte=_moment(period.until, end=True)).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=_moment(period.since)))
    if scope.person_org_ids is not None:
        files = files.filter(organisation_id__in=scope.person_org_ids)
    return files


def people_in(scope: Scope, period: Period) -> QuerySet[Person]:
    """People with a file open at some time in the period, in the scope's organisations."""
    return _where(Person.objects.filter(pk__in=files_in(scope, period).values("person_id")), scope, "region")


def _where(qs: QuerySet, scope: Scope, region_path: str) -> QuerySet:
    """Narrow to the scope's country and region (of residence for people, of the place for signals)."""
    if scope.country:
        qs = qs.filter(**{f"{region_path}__country": scope.country})
    if scope.region:
        qs = qs.filter(**{f"{region_path}__code": scope.region})
    return qs


PERSON_FIELDS = {"country": "region__country", "region": "region__code", "sex": "sex", "legal_status": "current_status",
                 "minor": "unaccompanied_minor", "labour_status": "labour_status"}


def _by(qs: QuerySet, by: str, period: Period, fields: dict[str, str]) -> list[Row]:
    """Count `qs` as a whole or by a breakdown, in one query."""
    if not by:
        n = qs.count()
        return [("", "", n, n)]
    if by == "age_band":
        qs, field = qs.annotate(_band=age_band(period.until)), "_band"
    else:
        field = fields[by]
    labels = _labels(by)
    rows = qs.order_by().values(field).annotate(n=Count("pk", distinct=True)).order_by(field)
    return [(str(r[field]), labels.get(str(r[field]), str(r[field])), r["n"], r["n"]) for r in rows]


def people_supported(scope: Scope, period: Period, by: str = "") -> list[Row]:
    if not by and not scope.country and not scope.region:  # the whole: the files alone, no join to people
        n = files_in(scope, period).values("person_id").distinct().count()
        return [("", "", n, n)]
    return _by(people_in(scope, period), by, period, PERSON_FIELDS)


def stable_jobs(scope: Scope, period: Period, by: str = "") -> list[Row]:
    placements = Placement.objects.filter(stable.stable_q(), start_date__gte=period.since,
                                          start_date__lte=period.until)
    if scope.person_org_ids is not None:
        placements = placements.filter(person__files__organisation_id__in=scope.person_org_ids)
    people = _where(Person.objects.filter(pk__in=placements.values("person_id")), scope, "region")
    return _by(people, by, period, PERSON_FIELDS)


# --- Psychosocial -----------------------------------------------------------------------------------------


def _signals(scope: Scope, period: Period) -> QuerySet[Signal]:
    return _where(Signal.objects.filter(
        organisation_id__in=scope.care_org_ids, merged_into__isnull=True, received_at__gte=_moment(period.since),
        received_at__lte=_moment(period.until, True)), scope, "municipality__region")


SIGNAL_FIELDS = {"category": "category", "target_group": "target_group", "channel": "channel"}


def signals(scope: Scope, period: Period, by: str = "") -> list[Row]:
    return _by(_signals(scope, period), by, period, SIGNAL_FIELDS)


def _ratio(ok: int, n: int) -> float | None:
    return round(ok / n, 3) if n else None


def share(qs: QuerySet, ok: Q, by: str = "", field: str = "", labels: dict[str, str] | None = None,
          label_fields: tuple[str, ...] = ()) -> list[Row]:
    """The share of `qs` matching `ok`, as a whole or per value of `field` (conditional counts, one query);
    a group's label is `labels[key]`, or the `label_fields` of the group joined ("name (organisation)")."""
    if not by:
        agg = qs.aggregate(n=Count("pk"), ok=Count("pk", filter=ok))
        return [("", "", _ratio(agg["ok"], agg["n"]), agg["n"])]
    labels = labels if labels is not None else _labels(by)
    rows = qs.order_by().values(field, *label_fields).annotate(n=Count("pk"), ok=Count("pk", filter=ok)) \
        .order_by(*label_fields, field)
    out: list[Row] = []
    for r in rows:
        key = str(r[field])
        label = f"{r[label_fields[0]]} ({r[label_fields[1]]})" if len(label_fields) == 2 else labels.get(key, key)
        out.append((key, label, _ratio(r["ok"], r["n"]), r["n"]))
    return out


def within_target(scope: Scope, period: Period, by: str = "") -> list[Row]:
    """Share of the signals due in the period (target passed, or contacted) first contacted within target."""
    due = _signals(scope, period).filter(Q(first_contact_at__isnull=False) | Q(target_at__lte=timezone.now()))
    return share(due, Q(first_contact_at__lte=F("target_at")), by, SIGNAL_FIELDS.get(by, ""))


class PercentileCont(Aggregate):
    """PostgreSQL's percentile_cont(q) WITHIN GROUP (ORDER BY expression)."""

    function = "percentile_cont"
    template = "%(function)s(%(percentile)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    allow_distinct = False

    def __init__(self, expression, percentile: float, **extra):
        super().__init__(expression, percentile=float(percentile), **extra)


def quantile(qs: QuerySet, field: str, q: float, tie: str = "pk") -> tuple[float | None, int]:
    """The q-quantile of an annotated `field` over `qs`, linear between the two nearest ranks. PostgreSQL:
    percentile_cont in one aggregate query (over the grouped rows when `qs` is grouped). Elsewhere: an
    ordered offset query, two rows read at most. Durations come back in seconds."""
    if connections[qs.db].vendor == "postgresql":
        field_type = qs.query.annotations[field].output_field if field in qs.query.annotations else None
        agg = qs.aggregate(n=Count("*"), value=PercentileCont(field, q, output_field=field_type or FloatField()))
        return (None if agg["value"] is None else _number(agg["value"])), agg["n"]
    n = qs.count()
    if not n:
        return None, 0
    ordered = qs.order_by(field, tie).values_list(field, flat=True)
    position = (n - 1) * q
    low, high = int(position), min(int(position) + 1, n - 1)
    a, b = (_number(ordered[low]), _number(ordered[high])) if high != low else (_number(ordered[low]),) * 2
    return a + (b - a) * (position - low), n


def _number(value) -> float:
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


def contact_waits(qs: QuerySet[Signal]) -> QuerySet[Signal]:
    """The contacted signals of `qs`, each with its `wait` from arrival to first contact."""
    return qs.filter(first_contact_at__isnull=False).annotate(
        wait=ExpressionWrapper(F("first_contact_at") - F("received_at"), output_field=DurationField()))


def by_quantile(base: QuerySet, fields: dict[str, str], by: str, value_field: str, q: float,
                scale: float = 60.0, groups: QuerySet | None = None) -> list[Row]:
    """A quantile as a whole or per group (one pair of reads per group: a handful of groups, never per row);
    the groups are those of `groups` when given (a group with no value shows as none, not as absent)."""
    def one(qs: QuerySet) -> tuple[float | None, int]:
        value, n = quantile(qs, value_field, q)
        return (None if value is None else round(value / scale, 1)), n

    if not by:
        value, n = one(base)
        return [("", "", value, n)]
    field = fields[by]
    labels = _labels(by)
    out: list[Row] = []
    for key in (base if groups is None else groups).order_by(field).values_list(field, flat=True).distinct():
        value, n = one(base.filter(**{field: key}))
        out.append((str(key), labels.get(str(key), str(key)), value, n))
    return out


def median_first_contact(scope: Scope, period: Period, by: str = "") -> list[Row]:
    signals = _signals(scope, period)
    return by_quantile(contact_waits(signals), SIGNAL_FIELDS, by, "wait", 0.5, groups=signals)


def p90_first_contact(scope: Scope, period: Period, by: str = "") -> list[Row]:
    signals = _signals(scope, period)
    return by_quantile(contact_waits(signals), SIGNAL_FIELDS, by, "wait", 0.9, groups=signals)


PERIOD_PEOPLE = _("People whose file was open at some time in the period (opened before its end, not closed "
                  "before its start), counted once whatever the number of their files.")
PERIOD_SIGNALS = _("Signals received in the period (merged duplicates counted once).")

register(Indicator(
    code="people_supported", name=_("People supported"),
    definition=_("People followed by a partner's employment or integration track."), unit="people",
    numerator=_("people with a file"), denominator="", period_rule=PERIOD_PEOPLE,
    breakdowns=(COUNTRY, REGION, SEX, AGE, STATUS, MINOR, LABOUR), track="employment", compute=people_supported))
register(Indicator(
    code="stable_jobs", name=_("Refugees supported towards a stable job"),
    definition=_("People who started a stable job in the period, by the configured stable-job rule (default: "
                 "an open-ended contract or self-employment, or a fixed-term or agency contract of at least six "
                 "months, and still employed at the six-month follow-up) — the project's output, target 230."),
    unit="people",
    numerator=_("people with a stable placement starting in the period"), denominator="",
    period_rule=_("Placements whose start date falls in the period; a person counts once."),
    breakdowns=(COUNTRY, REGION, SEX, AGE), track="employment", compute=stable_jobs))
register(Indicator(
    code="signals", name=_("Distress signals"), definition=_("Signals received by the mobile teams."),
    unit="signals", numerator=_("signals"), denominator="", period_rule=PERIOD_SIGNALS,
    breakdowns=(CATEGORY, TARGET_GROUP, CHANNEL), track="care", compute=signals))
register(Indicator(
    code="first_contact_within_target", name=_("First contact within the response target"),
    definition=_("Share of the signals due in the period that had a first contact before their target."),
    unit="share", numerator=_("signals first contacted before their target"),
    denominator=_("signals received in the period whose target has passed or that were contacted"),
    period_rule=PERIOD_SIGNALS, breakdowns=(CATEGORY, TARGET_GROUP, CHANNEL), track="care", compute=within_target))
register(Indicator(
    code="median_first_contact", name=_("Median time to first contact"),
    definition=_("The median of the minutes from a signal's arrival to its first contact."), unit="minutes",
    numerator=_("minutes from arrival to first contact, of the contacted signals"), denominator="",
    period_rule=PERIOD_SIGNALS, breakdowns=(CATEGORY, TARGET_GROUP, CHANNEL), track="care",
    compute=median_first_contact))
register(Indicator(
    code="p90_first_contact", name=_("Time to first contact, 90th percentile"),
    definition=_("Nine contacted signals in ten had their first contact within this time (linear between the two "
                 "nearest ranks)."), unit="minutes",
    numerator=_("minutes from arrival to first contact, of the contacted signals"), denominator="",
    period_rule=PERIOD_SIGNALS, breakdowns=(CATEGORY, TARGET_GROUP, CHANNEL), track="care",
    compute=p90_first_contact))


