"""The employment pathway's indicators beyond people and stable jobs: programmes, time to a job, retention,
employers, the matching funnel, and the funder's common indicators (ESF+). Same conventions as
reporting.indicators: SQL aggregates, rows (key, label, value, n), registered in the registry."""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from pont.employment import stable
from pont.employment.choices import EnrolmentStatus
from pont.employment.models import Enrolment, FollowUp, Placement
from pont.matching.choices import ProposalStatus
from pont.matching.models import Proposal
from pont.people.choices import EU_MEMBER_STATES as EU
from pont.people.models import Person, PersonFile
from pont.reporting import indicators as base
from pont.reporting.indicators import AGE, COUNTRY, REGION, SEX, Row, Scope, _by, _moment, people_in
from pont.reporting.registry import Breakdown, Indicator, Period, register

SIX_MONTHS = dt.timedelta(days=182)

PROGRAMME = Breakdown("programme", _("programme"))
STAGE = Breakdown("stage", _("stage reached"))


def _mine(qs: QuerySet, scope: Scope, person: str = "person") -> QuerySet:
    """Records of the people the scope's organisations follow (every partner's: the portfolio), living in its
    country and region; `person` is the path from the record to the person."""
    if scope.person_org_ids is not None:
        qs = qs.filter(**{f"{person}__files__organisation_id__in": scope.person_org_ids})
    return base._where(qs, scope, f"{person}__region")


def _programme_rows(qs: QuerySet[Enrolment], by: str, period: Period) -> list[Row]:
    if by != "programme":
        people = Person.objects.filter(pk__in=qs.values("person_id"))
        if not by:
            n = qs.count()
            return [("", "", n, n)]
        return _by(people, by, period, base.PERSON_FIELDS)
    rows = qs.order_by().values("programme_id", "programme__name", "programme__organisation__name") \
        .annotate(n=Count("pk", distinct=True)).order_by("programme__organisation__name", "programme__name")
    return [(str(r["programme_id"]), f"{r['programme__name']} ({r['programme__organisation__name']})", r["n"], r["n"])
            for r in rows]


def enrolments(scope: Scope, period: Period, by: str = "") -> list[Row]:
    qs = _mine(Enrolment.objects.filter(enrolled_on__gte=period.since, enrolled_on__lte=period.until), scope)
    return _programme_rows(qs.distinct(), by, period)


def completions(scope: Scope, period: Period, by: str = "") -> list[Row]:
    qs = _mine(Enrolment.objects.filter(status=EnrolmentStatus.COMPLETED, completed_on__gte=period.since,
                                        completed_on__lte=period.until), scope)
    return _programme_rows(qs.distinct(), by, period)


def completion_share(scope: Scope, period: Period, by: str = "") -> list[Row]:
    """Of the enrolments that ended in the period (completed or dropped out), the share completed."""
    ended = _mine(Enrolment.objects.filter(
        Q(completed_on__gte=period.since, completed_on__lte=period.until)
        | Q(dropped_out_on__gte=period.since, dropped_out_on__lte=period.until)), scope)
    ended = Enrolment.objects.filter(pk__in=ended.values("pk"))
    return base.share(ended, Q(status=EnrolmentStatus.COMPLETED), by, "programme_id",
                      label_fields=("programme__name", "programme__organisation__name"))


def _days_to(scope: Scope, period: Period, by: str, placements: QuerySet[Placement]) -> list[Row]:
    """Median days from registration to the first placement of `placements` begun since registration (a job
    held before Pont knew the person is not Pont's), of the people whose such placement started in the period:
    placements grouped by person (one pass over the placements, not a subquery per person)."""
    since_registration = _mine(placements.filter(start_date__gte=TruncDate("person__created_at")), scope)
    fields = {"country": "person__region__country", "region": "person__region__code", "sex": "person__sex",
              "age_band": "_band"}
    group = ["person", "person__created_at"] + ([fields[by]] if by else [])
    if by == "age_band":
        since_registration = since_registration.annotate(_band=base.age_band(period.until, "person__date_of_birth"))
    firsts = since_registration.values(*group).annotate(
        first=Min("start_date"),
        days=ExpressionWrapper(Min("start_date") - TruncDate("person__created_at"), output_field=DurationField()),
    ).filter(first__gte=period.since, first__lte=period.until)

    def one(qs: QuerySet) -> tuple[float | None, int]:
        value, n = base.quantile(qs, "days", 0.5, tie="person")
        return (None if value is None else round(value / 86400, 1)), n

    if not by:
        value, n = one(firsts)
        return [("", "", value, n)]
    out: list[Row] = []
    for key, label in base._labels(by).items():  # a handful of groups, a pair of reads each
        value, n = one(firsts.filter(**{fields[by]: key}))
        if n:
            out.append((key, label, value, n))
    return out


def days_to_first_job(scope: Scope, period: Period, by: str = "") -> list[Row]:
    return _days_to(scope, period, by, Placement.objects.all())


def days_to_stable_job(scope: Scope, period: Period, by: str = "") -> list[Row]:
    return _days_to(scope, period, by, Placement.objects.filter(stable.stable_q()))


def retention(scope: Scope, period: Period, by: str = "") -> list[Row]:
    """Of the placements whose six-month follow-up was due in the period and recorded, the share still employed."""
    due = _mine(FollowUp.objects.filter(month=6, due_on__gte=period.since, due_on__lte=period.until,
                                        still_employed__isnull=False),
                scope, "placement__person")
    due = FollowUp.objects.filter(pk__in=due.values("pk"))
    field = {"country": "placement__person__region__country", "sex": "placement__person__sex"}.get(by, "")
    return base.share(due, Q(still_employed=True), by, field)


def _proposals(scope: Scope, period: Period) -> QuerySet[Proposal]:
    qs = Proposal.objects.filter(proposed_at__gte=_moment(period.since), proposed_at__lte=_moment(period.until, True))
    if scope.person_org_ids is not None:
        qs = qs.filter(organisation_id__in=scope.person_org_ids)
    return base._where(qs, scope, "person__region")


INTERVIEWED = (ProposalStatus.INTERVIEW_ACCEPTED, ProposalStatus.INTERVIEWED, ProposalStatus.NOT_RETAINED,
               ProposalStatus.HIRED)


def funnel(scope: Scope, period: Period, by: str = "") -> list[Row]:
    """Proposals made in the period, and how many reached an interview and a hire (each stage counts the
    proposals that reached it or went further)."""
    agg = _proposals(scope, period).aggregate(
        n=Count("pk"), interview=Count("pk", filter=Q(status__in=INTERVIEWED)),
        hired=Count("pk", filter=Q(status=ProposalStatus.HIRED)))
    if not by:
        return [("", "", agg["n"], agg["n"])]
    return [("proposed", str(_("proposed")), agg["n"], agg["n"]),
            ("interview", str(_("interview")), agg["interview"], agg["interview"]),
            ("hired", str(_("hired")), agg["hired"], agg["hired"])]


def employers_engaged(scope: Scope, period: Period, by: str = "") -> list[Row]:
    """Employers with a proposal of the scope's advisers, or a placement of its people, in the period."""
    proposed = _proposals(scope, period).values("vacancy__employer_id")
    placed = _mine(Placement.objects.filter(start_date__gte=period.since, start_date__lte=period.until,
                                            employer__isnull=False), scope).values("employer_id")
    from pont.core.models import Organisation

    employers = Organisation.objects.filter(Q(pk__in=proposed) | Q(pk__in=placed))
    if not by:
        n = employers.count()
        return [("", "", n, n)]
    labels = base._labels("country")
    rows = employers.order_by().values("country").annotate(n=Count("pk")).order_by("country")
    return [(r["country"], labels.get(r["country"], r["country"]), r["n"], r["n"]) for r in rows]


def vacancies_filled(scope: Scope, period: Period, by: str = "") -> list[Row]:
    """Vacancies where a proposal of the scope's advisers became a hire in the period."""
    hires = Proposal.objects.filter(status=ProposalStatus.HIRED, status_changed_at__gte=_moment(period.since),
                                    status_changed_at__lte=_moment(period.until, True))
    if scope.person_org_ids is not None:
        hires = hires.filter(organisation_id__in=scope.person_org_ids)
    hires = base._where(hires, scope, "person__region")
    if not by:
        n = hires.values("vacancy_id").distinct().count()
        return [("", "", n, n)]
    labels = base._labels("country")
    rows = hires.order_by().values("vacancy__employer__country").annotate(n=Count("vacancy_id", distinct=True)) \
        .order_by("vacancy__employer__country")
    return [(r["vacancy__employer__country"], labels.get(r["vacancy__employer__country"], ""), r["n"], r["n"])
            for r in rows]


def third_country_nationals(scope: Scope, period: Period, by: str = "") -> list[Row]:
    people = people_in(scope, period).exclude(nationality="").exclude(nationality__in=EU)
    return _by(people, by, period, base.PERSON_FIELDS)


def employed_after_leaving(scope: Scope, period: Period, by: str = "") -> list[Row]:
    """ESF+ longer-term result: people who left (their file closed) and were in a job six months later, the
    six months ending in the period."""
    files = PersonFile.objects.filter(closed_at__isnull=False).annotate(
        six=TruncDate(ExpressionWrapper(F("closed_at") + SIX_MONTHS, output_field=DateTimeField()))).filter(
        six__gte=period.since, six__lte=period.until)
    if scope.person_org_ids is not None:
        files = files.filter(organisation_id__in=scope.person_org_ids)
    in_job = Placement.objects.filter(person_id=OuterRef("person_id"), start_date__lte=OuterRef("six")).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=OuterRef("six")))
    people = base._where(Person.objects.filter(pk__in=files.filter(Exists(in_job)).values("person_id")), scope,
                         "region")
    return _by(people, by, period, base.PERSON_FIELDS)


PERIOD_ENROLLED = _("Enrolments whose enrolment date falls in the period.")
PEOPLE_BREAKDOWNS = (COUNTRY, REGION, SEX, AGE)

register(Indicator(
    code="enrolments", name=_("Enrolments in programmes"),
    definition=_("Enrolments of the people followed in a workplace-training or other programme (proposals not "
                 "taken up are not counted)."), unit="enrolments",
    numerator=_("enrolments"), denominator="", period_rule=PERIOD_ENROLLED,
    breakdowns=(PROGRAMME, COUNTRY, SEX, AGE), track="employment", compute=enrolments))
register(Indicator(
    code="completions", name=_("Programmes completed"), definition=_("Enrolments completed."), unit="enrolments",
    numerator=_("enrolments completed"), denominator="",
    period_rule=_("Enrolments whose completion date falls in the period."),
    breakdowns=(PROGRAMME, COUNTRY, SEX, AGE), track="employment", compute=completions))
register(Indicator(
    code="completion_share", name=_("Share completing their programme"),
    definition=_("Of the enrolments that ended in the period, the share that ended by completion rather than "
                 "dropping out."), unit="share",
    numerator=_("enrolments completed in the period"),
    denominator=_("enrolments completed or dropped out in the period"),
    period_rule=_("Enrolments whose completion or drop-out date falls in the period."),
    breakdowns=(PROGRAMME,), track="employment", compute=completion_share))
register(Indicator(
    code="days_to_first_job", name=_("Median time from registration to a first job"),
    definition=_("The median number of days from a person's registration in Pont to the start of their first "
                 "job since then, of the people whose first such job started in the period."), unit="days",
    numerator=_("days from registration to the first placement's start"), denominator="",
    period_rule=_("People whose first placement started in the period."),
    breakdowns=(COUNTRY, SEX, AGE), track="employment", compute=days_to_first_job))
register(Indicator(
    code="days_to_stable_job", name=_("Median time from registration to a stable job"),
    definition=_("The median number of days from registration to the start of the first stable job (by the "
                 "stable-job rule), of the people whose first stable job started in the period."), unit="days",
    numerator=_("days from registration to the first stable placement's start"), denominator="",
    period_rule=_("People whose first stable placement started in the period."),
    breakdowns=(COUNTRY, SEX, AGE), track="employment", compute=days_to_stable_job))
register(Indicator(
    code="job_retention", name=_("Still in the job after six months"),
    definition=_("Of the placements whose six-month follow-up was due in the period and recorded, the share "
                 "where the person was still employed."), unit="share",
    numerator=_("six-month follow-ups answered “still employed”"),
    denominator=_("six-month follow-ups due in the period and recorded"),
    period_rule=_("Follow-ups whose due date falls in the period."),
    breakdowns=(COUNTRY, SEX), track="employment", compute=retention))
register(Indicator(
    code="employers_engaged", name=_("Employers engaged"),
    definition=_("Employers who received a proposal of a candidate or took on a person followed, in the period."),
    unit="employers", numerator=_("employers"), denominator="",
    period_rule=_("A proposal made or a placement started in the period."),
    breakdowns=(COUNTRY,), track="employment", compute=employers_engaged, suppress=False))
register(Indicator(
    code="vacancies_filled", name=_("Vacancies filled"),
    definition=_("Vacancies where a proposed candidate was hired."), unit="vacancies",
    numerator=_("vacancies with a hire"), denominator="",
    period_rule=_("Hires recorded in the period."),
    breakdowns=(COUNTRY,), track="employment", compute=vacancies_filled, suppress=False))
register(Indicator(
    code="proposal_funnel", name=_("Proposals, interviews, hires"),
    definition=_("Candidates proposed to employers in the period, and how many of those proposals reached an "
                 "interview and a hire."), unit="proposals",
    numerator=_("proposals"), denominator="",
    period_rule=_("Proposals made in the period, at the stage they have reached today."),
    breakdowns=(STAGE,), track="employment", compute=funnel))
register(Indicator(
    code="third_country_nationals", name=_("Third-country nationals supported (ESF+)"),
    definition=_("People supported whose nationality is not that of an EU member state (people without a "
                 "recorded nationality are not counted)."), unit="people",
    numerator=_("people with a file and a non-EU nationality"), denominator="", period_rule=base.PERIOD_PEOPLE,
    breakdowns=PEOPLE_BREAKDOWNS, track="employment", compute=third_country_nationals))
register(Indicator(
    code="employed_after_leaving", name=_("In employment six months after leaving (ESF+)"),
    definition=_("People whose file was closed and who were in a job (a placement begun and not ended) six "
                 "months later (182 days)."), unit="people",
    numerator=_("people in a job six months after their file closed"), denominator="",
    period_rule=_("People for whom the six months after leaving end in the period."),
    breakdowns=PEOPLE_BREAKDOWNS, track="employment", compute=employed_after_leaving))
