"""The mobile teams' indicators beyond signals and response times: visits in the person's language and who
spoke it, the ambassadors' visits and hours, change in screening scores, minors supported. Same conventions
as reporting.indicators."""

from __future__ import annotations

from django.db.models import (
    Avg,
    Case,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _

from pont.care import instruments
from pont.care.choices import AgeGroup, MemberRole, TargetGroup, VisitStatus
from pont.care.models import Screening, Signal, TeamMember, Visit
from pont.reporting import indicators as base
from pont.reporting.indicators import CATEGORY, CHANNEL, TARGET_GROUP, Row, Scope, _by, _signals
from pont.reporting.registry import Breakdown, Indicator, Period, register

SPOKEN_BY = Breakdown("spoken_by", _("who spoke the person's language"))
INSTRUMENT = Breakdown("instrument", _("screening instrument"))
MINOR_AGES = (AgeGroup.CHILD, AgeGroup.ADOLESCENT)


def _visits(scope: Scope, period: Period) -> QuerySet[Visit]:
    """Visits done in the period on the scope's signals."""
    return base._where(Visit.objects.filter(
        status=VisitStatus.DONE, signal__organisation_id__in=scope.care_org_ids,
        starts_at__gte=base._moment(period.since), starts_at__lte=base._moment(period.until, True)),
        scope, "signal__municipality__region")


def _with(role: str):
    return Exists(TeamMember.objects.filter(visits=OuterRef("pk"), role=role))


def _spoken_by() -> Case:
    """Who covered the language: an interpreter sent on the visit, else an ambassador, else the staff."""
    return Case(When(_with(MemberRole.INTERPRETER), then=Value("interpreter")),
                When(_with(MemberRole.AMBASSADOR), then=Value("ambassador")), default=Value("staff"))


SPOKEN_LABELS = {"interpreter": _("a mediator-interpreter"), "ambassador": _("an integration ambassador"),
                 "staff": _("the staff themselves")}


def in_language(scope: Scope, period: Period, by: str = "") -> list[Row]:
    """Share of the reported visits where someone spoke the person's language; by whom, of those visits."""
    reported = _visits(scope, period).filter(language_spoken__isnull=False)
    if not by:
        return base.share(reported, Q(language_spoken=True))
    spoken = reported.filter(language_spoken=True).annotate(who=_spoken_by())
    total = spoken.count()
    rows = {r["who"]: r["n"] for r in spoken.order_by().values("who").annotate(n=Count("pk"))}
    return [(k, str(label), base._ratio(rows.get(k, 0), total), rows.get(k, 0))
            for k, label in SPOKEN_LABELS.items()]


def _ambassador_visits(scope: Scope, period: Period) -> QuerySet[Visit]:
    return _visits(scope, period).filter(_with(MemberRole.AMBASSADOR))


def ambassador_visits(scope: Scope, period: Period, by: str = "") -> list[Row]:
    visits = _ambassador_visits(scope, period)
    return _by(visits, by, period, {"category": "signal__category", "target_group": "signal__target_group"})


def ambassador_hours(scope: Scope, period: Period, by: str = "") -> list[Row]:
    """Hours the ambassadors spent on visits: each ambassador's time on each visit done (two on one visit count
    twice)."""
    through = Visit.members.through.objects.filter(
        visit__in=_visits(scope, period), teammember__role=MemberRole.AMBASSADOR)
    agg = through.aggregate(
        n=Count("visit_id", distinct=True),
        time=Sum(ExpressionWrapper(F("visit__ends_at") - F("visit__starts_at"), output_field=DurationField())))
    hours = round(agg["time"].total_seconds() / 3600, 1) if agg["time"] else 0
    return [("", "", hours, agg["n"])]


def screening_change(scope: Scope, period: Period, by: str = "") -> list[Row]:
    """Mean change of the total score from a signal's first to its last screening with one instrument, over
    the signals screened at least twice with it whose last screening falls in the period (paired); by
    instrument. A negative change is a lower score (for these instruments: fewer symptoms)."""
    out: list[Row] = []
    codes = list(Screening.objects.filter(signal__organisation_id__in=scope.care_org_ids).order_by("instrument")
                 .values_list("instrument", flat=True).distinct())
    for code in codes:  # one query per instrument (a handful), never per signal
        of = Screening.objects.filter(signal=OuterRef("pk"), instrument=code)
        pairs = base._where(Signal.objects.filter(organisation_id__in=scope.care_org_ids, merged_into__isnull=True),
                            scope, "municipality__region").annotate(
            times=Subquery(of.order_by().values("signal").annotate(c=Count("pk")).values("c")[:1],
                           output_field=IntegerField()),
            first=Subquery(of.order_by("recorded_at", "pk").values("total")[:1], output_field=IntegerField()),
            last=Subquery(of.order_by("-recorded_at", "-pk").values("total")[:1], output_field=IntegerField()),
            last_at=Subquery(of.order_by("-recorded_at", "-pk").values("recorded_at")[:1])).filter(
            times__gte=2, last_at__gte=base._moment(period.since), last_at__lte=base._moment(period.until, True))
        agg = pairs.aggregate(n=Count("pk"), change=Avg(F("last") - F("first")))
        if agg["n"]:
            spec = instruments.shipped().get(code)
            label = spec.name if spec else code
            out.append((code, label, round(float(agg["change"]), 1), agg["n"]))
    if not by:
        n = sum(r[3] for r in out)
        return [("", "", None, n)]
    return out


def minors(scope: Scope, period: Period, by: str = "") -> list[Row]:
    """Signals about a minor: an unaccompanied minor, or a person under 18 by the age group."""
    qs = _signals(scope, period).filter(Q(target_group=TargetGroup.UNACCOMPANIED_MINOR) | Q(age_group__in=MINOR_AGES))
    return _by(qs, by, period, base.SIGNAL_FIELDS)


PERIOD_VISITS = _("Visits done, starting in the period.")

register(Indicator(
    code="visits_in_language", name=_("Visits in the person's language"),
    definition=_("Share of the visits reported in the period where someone spoke the person's language; by whom: "
                 "a mediator-interpreter sent on the visit, else an integration ambassador, else the staff "
                 "themselves."), unit="share",
    numerator=_("visits reported “someone spoke the person's language”"),
    denominator=_("visits done and reported"), period_rule=PERIOD_VISITS, breakdowns=(SPOKEN_BY,), track="care",
    compute=in_language))
register(Indicator(
    code="ambassador_visits", name=_("Visits with an integration ambassador"),
    definition=_("Visits done with at least one peer integration ambassador in the team."), unit="visits",
    numerator=_("visits"), denominator="", period_rule=PERIOD_VISITS, breakdowns=(CATEGORY, TARGET_GROUP),
    track="care", compute=ambassador_visits))
register(Indicator(
    code="ambassador_hours", name=_("Integration ambassadors' hours on visits"),
    definition=_("The time of the visits done, counted once per ambassador on the visit."), unit="hours",
    numerator=_("hours"), denominator="", period_rule=PERIOD_VISITS, breakdowns=(), track="care",
    compute=ambassador_hours))
register(Indicator(
    code="screening_change", name=_("Change in screening scores, first to last"),
    definition=_("Per instrument, the mean change of the total score between a person's first and last "
                 "screening with it (paired: people screened at least twice). A negative change means fewer "
                 "symptoms."), unit="points",
    numerator=_("last total minus first total"), denominator=_("people screened at least twice"),
    period_rule=_("Pairs whose last screening falls in the period."), breakdowns=(INSTRUMENT,), track="care",
    compute=screening_change))
register(Indicator(
    code="minors_supported", name=_("Minors supported by the mobile teams"),
    definition=_("Signals about an unaccompanied minor or a person under 18."), unit="signals",
    numerator=_("signals"), denominator="", period_rule=base.PERIOD_SIGNALS, breakdowns=(CHANNEL, CATEGORY),
    track="care", compute=minors))
