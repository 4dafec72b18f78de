"""Every read of the employment pathway. Reads of personal data take the acting user and start from
`persons_visible_to(user)`; out of scope → Http404. Coordinators get counts, never names."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from pont.audit.services import audit, audit_listed
from pont.core import access
from pont.core.i18n import country_name, language_name
from pont.core.models import Region
from pont.core.roles import Role
from pont.employment import capacity, eligibility, stable
from pont.employment.choices import EnrolmentStatus
from pont.employment.models import (
    CoachingSession,
    EmploymentTarget,
    Enrolment,
    FollowUp,
    LanguageAssessment,
    LanguageTraining,
    Placement,
    Programme,
)
from pont.people.choices import ConsentPurpose, LegalStatusKind
from pont.people.models import Person
from pont.people.selectors import consents_in_force, persons_visible_to, right_to_work_for


def _reads_catalogue(user) -> bool:
    return bool(user.is_authenticated and access.can(user, "employment.read_catalogue"))


def _in_scope(qs: QuerySet, user, person_field: str = "person_id") -> QuerySet:
    visible = persons_visible_to(user).filter(pk=OuterRef(person_field))
    return qs.filter(Exists(visible))


# ---------------------------------------------------------------------------------------------- catalogue

def programmes_visible_to(user) -> QuerySet[Programme]:
    """Return every partner's catalogue for advisers and coordinators (not personal data); none otherwise."""
    if not _reads_catalogue(user):
        return Programme.objects.none()
    return (Programme.objects.select_related("organisation").prefetch_related("regions")
            .order_by("organisation__name", "kind", "id"))


def programme_get(*, user, pk: int) -> Programme:
    try:
        return programmes_visible_to(user).get(pk=pk)
    except (Programme.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def programme_get_for_edit(*, user, pk: int) -> Programme:
    """Return a programme of one of the user's coordinator organisations; 404 otherwise."""
    org_ids = access.organisation_ids(user, Role.COORDINATOR) if user.is_authenticated else []
    programme = programme_get(user=user, pk=pk)
    if programme.organisation_id not in org_ids:
        raise Http404
    return programme


# The places of a programme (per year or over the project): one rule for pages, API and seat-taking.
seats_taken = capacity.seats_taken
seats_left = capacity.seats_left


# ---------------------------------------------------------------------------------------------- eligibility

@dataclass(frozen=True)
class Reason:
    ok: bool
    text: str


@dataclass(frozen=True)
class ProgrammeEligibility:
    programme: Programme
    eligible: bool
    reasons: list[Reason]
    seats_taken: int | None = None
    seats_left: int | None = None
    can_enrol: bool = False   # the acting user's organisation runs it

    @property
    def seats_left_text(self) -> str:
        """Return "3 places left this year" / "31 places left over the project" ("" without a limit)."""
        return "" if self.seats_left is None else capacity.left_text(self.programme, self.seats_left)


def _names(codes, label) -> str:
    return ", ".join(label(c) for c in codes)


def _status_label(code: str | None) -> str:
    return str(LegalStatusKind(code).label) if code in LegalStatusKind.values else _("no legal status recorded")


def _reason_text(check: eligibility.Check, rtw_reasons: dict[str, str], regions: dict[str, str],
                 offer: bool = False) -> str:
    """Return the sentence for one check in the active language, about a programme or (`offer`) an offer."""
    v = check.values
    if check.code == eligibility.AGE:
        if v["min"] is not None and v["max"] is not None:
            rule = (_("this offer is for %(min)s to %(max)s") if offer else
                    _("this programme is for %(min)s to %(max)s")) % v
        elif v["min"] is not None:
            rule = (_("this offer is for people aged %(min)s or more") if offer else
                    _("this programme is for people aged %(min)s or more")) % v
        else:
            rule = (_("this offer is for people aged %(max)s or less") if offer else
                    _("this programme is for people aged %(max)s or less")) % v
        return _("Aged %(age)s: %(rule)s.") % {"age": v["age"], "rule": rule}
    if check.code == eligibility.STATUS:
        allowed = _names(v["allowed"], _status_label)
        if check.ok:
            return _("Legal status admitted: %(status)s.") % {"status": _status_label(v["status"])}
        return (_("Legal status: %(status)s; this offer admits: %(allowed)s.") if offer else
                _("Legal status: %(status)s; this programme admits: %(allowed)s.")) % {
            "status": _status_label(v["status"]), "allowed": allowed}
    if check.code == eligibility.RIGHT_TO_WORK:
        country = country_name(v["country"])
        outcome = {"may_work": _("may work in %(country)s"), "needs_permit": _("needs a work permit in %(country)s"),
                   "may_not_work": _("may not work in %(country)s")}.get(v["outcome"], _("may not work in %(country)s"))
        text = (outcome % {"country": country})
        text = text[:1].upper() + text[1:]
        if not check.ok and v["rule"] == "may_work" and v["outcome"] == "needs_permit":
            return (_("%(outcome)s: this offer needs people already allowed to work. %(reason)s") if offer else
                    _("%(outcome)s: this programme needs people already allowed to work. %(reason)s")) % {
                "outcome": text, "reason": rtw_reasons.get(v["country"], "")}
        return f"{text}: {rtw_reasons.get(v['country'], '')}".strip()
    if check.code == eligibility.LANGUAGE:
        values = {"language": language_name(v["language"]), "level": v["level"] or _("not assessed"),
                  "min": v["min"]}
        if check.ok:
            return _("%(language)s at level %(level)s (needed: %(min)s).") % values
        return (_("%(language)s at level %(level)s: this offer asks for at least %(min)s.") if offer else
                _("%(language)s at level %(level)s: this programme asks for at least %(min)s.")) % values
    if check.code == eligibility.REGION:
        values = {"region": regions.get(v["region"], v["region"]),
                  "allowed": _names(v["allowed"], lambda c: regions.get(c, c))}
        if check.ok:
            return _("Lives in %(region)s.") % values
        return (_("Lives in %(region)s: this offer is for people living in %(allowed)s.") if offer else
                _("Lives in %(region)s: this programme is for people living in %(allowed)s.")) % values
    return check.code


def rules_of(programme) -> eligibility.Rules:
    """Return the conditions of a programme (or of a network offer: the same fields) as the pure engine's
    dataclass (regions must be prefetched)."""
    return eligibility.Rules(
        country=programme.organisation.country, min_age=programme.min_age, max_age=programme.max_age,
        legal_statuses=tuple(programme.legal_statuses or ()), right_to_work=programme.right_to_work,
        language=programme.min_language, language_level=programme.min_language_level,
        regions=tuple(r.code for r in programme.regions.all()))


@dataclass(frozen=True)
class Assessed:
    """A person as the eligibility rules see them, with the reasons of their right to work per country."""

    candidate: eligibility.Candidate
    rtw_reasons: dict[str, str]
    regions: dict[str, str]  # NUTS code → name, for the sentences


def assess_person(person: Person, today: dt.date | None = None) -> Assessed:
    """Return `person` (reached through a scoped selector) as the eligibility rules see them."""
    today = today or timezone.localdate()
    assessments = right_to_work_for(person, today)
    candidate = eligibility.Candidate(
        age=person.age(today), legal_status=_current_status(person, today), region=person.region.code,
        languages={lang.code: lang.level for lang in person.languages.all()},
        right_to_work={a.country: a.outcome for a in assessments})
    return Assessed(candidate, {a.country: a.reason for a in assessments},
                    {r.code: r.name for r in Region.objects.all()})


def explain(rules: eligibility.Rules, person: Assessed, offer: bool = False) -> tuple[bool, list[Reason]]:
    """Return (eligible, every reason as a sentence in the active language) for one set of conditions."""
    verdict = eligibility.evaluate(rules, person.candidate)
    reasons = [Reason(c.ok, _reason_text(c, person.rtw_reasons, person.regions, offer)) for c in verdict.checks]
    if not reasons:
        reasons = [Reason(True, _("This offer sets no conditions.") if offer else
                          _("This programme sets no conditions."))]
    return verdict.eligible, reasons


def eligibility_for(*, person: Person, programmes, today: dt.date | None = None, user=None,
                    with_seats: bool = True) -> list[ProgrammeEligibility]:
    """Return, for each programme, eligible or not with every reason in the active language.

    The caller reached `person` through a scoped selector. Queries: languages, statuses, regions, seats.
    """
    today = today or timezone.localdate()
    programmes = list(programmes)
    assessed = assess_person(person, today)
    taken = seats_taken(programmes, today.year) if with_seats else {}
    own_orgs = set(access.organisation_ids(user, Role.ADVISER)) if user is not None else set()
    results = []
    for programme in programmes:
        eligible, reasons = explain(rules_of(programme), assessed)
        n = taken.get(programme.pk, 0)
        results.append(ProgrammeEligibility(
            programme=programme, eligible=eligible, reasons=reasons,
            seats_taken=n if with_seats else None, seats_left=seats_left(programme, n) if with_seats else None,
            can_enrol=programme.organisation_id in own_orgs and programme.active))
    return results


def _current_status(person: Person, today: dt.date) -> str | None:
    in_force = [s for s in person.legal_statuses.all()
                if s.start_date <= today and (s.end_date is None or s.end_date >= today)]
    latest = max(in_force, key=lambda s: (s.start_date, s.pk), default=None)
    return latest.status if latest else None


# ---------------------------------------------------------------------------------------------- enrolments

def enrolments_visible_to(user) -> QuerySet[Enrolment]:
    return _in_scope(Enrolment.objects.all(), user)


def enrolment_list(*, user, person_id: int | None = None, status: str = "") -> QuerySet[Enrolment]:
    """Return the enrolments of the user's people, with person and programme (one query)."""
    qs = enrolments_visible_to(user).select_related("person", "programme__organisation", "host_company")
    if person_id is not None:
        qs = qs.filter(person_id=person_id)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-proposed_on", "-id")


def enrolment_get(*, user, pk: int) -> Enrolment:
    """Return one enrolment of a person in the user's scope, to act on (404 otherwise; not audited)."""
    try:
        enrolment = (enrolments_visible_to(user)
                     .select_related("person__region", "programme__organisation", "host_company", "created_by")
                     .prefetch_related("programme__regions").get(pk=pk))
    except (Enrolment.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    return enrolment


def enrolment_view(*, user, pk: int) -> Enrolment:
    """Return one enrolment in the user's scope, to show it: audits `enrolment.viewed`."""
    enrolment = enrolment_get(user=user, pk=pk)
    audit(actor=user, verb="enrolment.viewed", obj=enrolment, person=enrolment.person)
    return enrolment


# ---------------------------------------------------------------------------------------------- placements

def placements_visible_to(user) -> QuerySet[Placement]:
    return _in_scope(Placement.objects.all(), user)


def placement_list(*, user, person_id: int | None = None) -> QuerySet[Placement]:
    qs = (placements_visible_to(user).select_related("person", "enrolment__programme")
          .prefetch_related(Prefetch("followups", queryset=FollowUp.objects.order_by("month"))))
    if person_id is not None:
        qs = qs.filter(person_id=person_id)
    return qs.order_by("-start_date", "-id")


def placement_get(*, user, pk: int) -> Placement:
    """Return one placement of a person in the user's scope, to act on (404 otherwise; not audited)."""
    try:
        placement = (placements_visible_to(user)
                     .select_related("person", "employer", "enrolment__programme", "organisation")
                     .prefetch_related(Prefetch("followups", queryset=FollowUp.objects.order_by("month")))
                     .get(pk=pk))
    except (Placement.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    return placement


def placement_view(*, user, pk: int) -> Placement:
    """Return one placement in the user's scope, to show it: audits `placement.viewed`."""
    placement = placement_get(user=user, pk=pk)
    audit(actor=user, verb="placement.viewed", obj=placement, person=placement.person)
    return placement


def placement_is_stable(placement: Placement) -> bool:
    current = stable.rule()
    check = next((f for f in placement.followups.all() if f.month == current.employed_at_month), None)
    return stable.is_stable(placement.contract_type, placement.contract_months,
                            check.still_employed if check else None, current)


def followups_due(*, user, until: dt.date | None = None) -> QuerySet[FollowUp]:
    """Return follow-ups not yet recorded, due by `until` (default: a week from today), of jobs not ended.

    One query, with the placement and the person.
    """
    until = until or timezone.localdate() + dt.timedelta(days=7)
    qs = FollowUp.objects.filter(done_on__isnull=True, due_on__lte=until, placement__ended_on__isnull=True)
    consented = consents_in_force(ConsentPurpose.EMPLOYMENT_FOLLOWUP).filter(
        person_id=OuterRef("placement__person_id"))
    return (_in_scope(qs, user, "placement__person_id").select_related("placement__person")
            .annotate(consented=Exists(consented)).order_by("due_on", "id"))


def _shown(user, verb: str, rows: list) -> list:
    """Audit a page of list results as one event naming the ids (nothing for an empty page)."""
    audit_listed(actor=user, verb=verb, records=rows)
    return rows


def followups_due_view(*, user, limit: int | None = None) -> list[FollowUp]:
    """The follow-ups due (each marked `consented` or not) as shown on a page: one audited list event."""
    qs = followups_due(user=user)
    return _shown(user, "followup.listed", list(qs[:limit] if limit else qs))


def coaching_due_view(*, user, limit: int | None = None) -> list[CoachingSession]:
    qs = coaching_due(user=user)
    return _shown(user, "coaching_session.listed", list(qs[:limit] if limit else qs))


def enrolment_page(*, user, person_id: int | None, status: str, offset: int, limit: int) -> list[Enrolment]:
    rows = list(enrolment_list(user=user, person_id=person_id, status=status)[offset:offset + limit])
    return _shown(user, "enrolment.listed", rows)


def placement_page(*, user, person_id: int | None, offset: int, limit: int) -> list[Placement]:
    rows = list(placement_list(user=user, person_id=person_id)[offset:offset + limit])
    return _shown(user, "placement.listed", rows)


def coaching_due(*, user, until: dt.date | None = None) -> QuerySet[CoachingSession]:
    """Return coaching sessions whose planned next date falls between today and `until` (one query)."""
    today = timezone.localdate()
    until = until or today + dt.timedelta(days=7)
    qs = CoachingSession.objects.filter(next_date__gte=today, next_date__lte=until)
    return _in_scope(qs, user).select_related("person").order_by("next_date", "id")


def coaching_log(*, user, person: Person) -> QuerySet[CoachingSession]:
    return (_in_scope(CoachingSession.objects.filter(person=person), user)
            .select_related("recorded_by", "enrolment__programme").order_by("-date", "-id"))


def language_trainings(*, user, person: Person) -> QuerySet[LanguageTraining]:
    return (_in_scope(LanguageTraining.objects.filter(person=person), user)
            .select_related("enrolment__programme")
            .prefetch_related(Prefetch("assessments", queryset=LanguageAssessment.objects.order_by("date", "id"))))


def language_training_get(*, user, pk: int) -> LanguageTraining:
    try:
        return _in_scope(LanguageTraining.objects.select_related("person"), user).get(pk=pk)
    except (LanguageTraining.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def followup_get(*, user, pk: int) -> FollowUp:
    try:
        return (_in_scope(FollowUp.objects.select_related("placement__person", "placement__organisation"),
                          user, "placement__person_id").get(pk=pk))
    except (FollowUp.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


# ---------------------------------------------------------------------------------------------- timeline

@dataclass(frozen=True)
class TimelineEntry:
    date: dt.date
    kind: str          # status | enrolment | coaching | language | placement | followup
    title: str
    detail: str = ""
    url: str = ""


@dataclass(frozen=True)
class Pathway:
    enrolments: list[Enrolment]
    placements: list[Placement]
    timeline: list[TimelineEntry]


def person_pathway(*, person: Person) -> Pathway:
    """Return a person's enrolments, placements and timeline (newest first): legal statuses, enrolment
    steps, coaching sessions, language courses and levels, placements and follow-ups.

    `person` must come from a scoped selector (`person_get`), which also prefetched the statuses.
    Six queries.
    """
    from django.urls import reverse

    enrolments = list(Enrolment.objects.filter(person=person)
                      .select_related("programme__organisation").order_by("-proposed_on", "-id"))
    placements = list(Placement.objects.filter(person=person).select_related("enrolment__programme")
                      .prefetch_related(Prefetch("followups", queryset=FollowUp.objects.order_by("month")))
                      .order_by("-start_date", "-id"))
    sessions = CoachingSession.objects.filter(person=person).order_by("-date", "-id")
    trainings = (LanguageTraining.objects.filter(person=person).order_by("-start_date", "-id")
                 .prefetch_related(Prefetch("assessments", queryset=LanguageAssessment.objects.order_by("date"))))
    entries: list[TimelineEntry] = []
    for s in person.legal_statuses.all():
        entries.append(TimelineEntry(s.start_date, "status", _("Legal status: %(status)s (%(country)s)") % {
            "status": s.get_status_display(), "country": s.get_country_display()}))
    steps = (("proposed_on", EnrolmentStatus.PROPOSED), ("enrolled_on", EnrolmentStatus.ENROLLED),
             ("started_on", EnrolmentStatus.ACTIVE), ("completed_on", EnrolmentStatus.COMPLETED),
             ("dropped_out_on", EnrolmentStatus.DROPPED_OUT))
    for e in enrolments:
        url = reverse("employment:enrolment_detail", args=[e.pk])
        for attribute, status in steps:
            day = getattr(e, attribute)
            if day:
                detail = e.dropout_reason if status == EnrolmentStatus.DROPPED_OUT else ""
                entries.append(TimelineEntry(day, "enrolment", f"{e.programme.name}: {status.label}", detail, url))
    for c in sessions:
        detail = c.next_step and _("Next step: %(step)s") % {"step": c.next_step}
        entries.append(TimelineEntry(c.date, "coaching", _("Coaching: %(kind)s") % {"kind": c.get_kind_display()},
                                     detail or ""))
    for t in trainings:
        entries.append(TimelineEntry(t.start_date, "language", _("%(language)s course “%(course)s” (%(hours)s h), "
                                                                 "level at the start %(level)s") % {
            "language": language_name(t.language), "course": t.course, "hours": t.hours, "level": t.level_at_start}))
        for a in t.assessments.all():
            entries.append(TimelineEntry(a.date, "language", _("%(language)s assessed at %(level)s") % {
                "language": language_name(t.language), "level": a.level}))
    for p in placements:
        url = reverse("employment:placement_detail", args=[p.pk])
        entries.append(TimelineEntry(p.start_date, "placement", _("Job: %(title)s at %(employer)s (%(contract)s)") % {
            "title": p.job_title, "employer": p.employer_name, "contract": p.get_contract_type_display()}, url=url))
        for f in p.followups.all():
            if f.done_on:
                state = _("still employed") if f.still_employed else _("no longer employed: %(why)s") % {
                    "why": f.get_reason_left_display()}
                entries.append(TimelineEntry(f.done_on, "followup", _("Follow-up at %(month)s months: %(state)s") % {
                    "month": f.month, "state": state}, url=url))
    entries.sort(key=lambda e: e.date, reverse=True)
    return Pathway(enrolments, placements, entries)


# ---------------------------------------------------------------------------------------------- indicators

def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    today = today or timezone.localdate()
    return dt.date(today.year - 2, 1, 1), dt.date(today.year + 1, 12, 31)


def target_get() -> EmploymentTarget:
    """Return the portfolio's target; before a coordinator set one, the default (230 people, DOMAIN.md),
    unsaved: a read creates nothing (`services.target_update` saves it)."""
    target = EmploymentTarget.objects.order_by("pk").first()
    if target is None:
        start, end = default_period()
        target = EmploymentTarget(target=230, period_start=start, period_end=end)
    return target


def can_read_indicators(user) -> bool:
    """Coordinators of employment services and of the portfolio (a care organisation's read care's counts)."""
    return bool(user.is_authenticated and access.is_employment_coordinator(user))


def employment_indicators(*, user) -> dict:
    """Return stable jobs against the target, by region of residence and by programme: counts, no names.

    Coordinators only (Http404 otherwise). The count is portfolio-wide: the target is the portfolio's.
    """
    if not can_read_indicators(user):
        raise Http404
    from pont.reporting import indicators as reporting
    from pont.reporting.registry import Period

    target = target_get()
    # The registry's definition (reporting.indicators.stable_jobs), over the target's period, every partner's.
    scope, period = reporting.Scope(person_org_ids=None, care_org_ids=[]), Period(target.period_start,
                                                                               target.period_end)
    total = int(reporting.stable_jobs(scope, period)[0][2] or 0)
    region_names = {r.code: r.name for r in Region.objects.all()}
    by_region = [{"code": key, "name": region_names.get(key, label), "stable_jobs": n}
                 for key, label, n, _n in reporting.stable_jobs(scope, period, "region")]
    stable_jobs = Placement.objects.filter(stable.stable_q(), start_date__gte=target.period_start,
                                           start_date__lte=target.period_end)
    by_programme_rows = (stable_jobs.values("enrolment__programme_id")
                         .annotate(n=Count("person_id", distinct=True)).order_by())
    names = {p.pk: p for p in Programme.objects.select_related("organisation").filter(
        pk__in=[r["enrolment__programme_id"] for r in by_programme_rows if r["enrolment__programme_id"]])}
    by_programme = []
    for row in by_programme_rows:
        programme = names.get(row["enrolment__programme_id"])
        by_programme.append({
            "programme_id": programme.pk if programme else None,
            "name": programme.name if programme else str(_("Without a programme")),
            "organisation": programme.organisation.name if programme else "",
            "stable_jobs": row["n"],
        })
    by_programme.sort(key=lambda r: (r["programme_id"] is None, r["organisation"], r["name"]))
    today = timezone.localdate()
    return {
        "stable_jobs": total,
        "target": target.target,
        "period_start": target.period_start,
        "period_end": target.period_end,
        "percent": round(100 * total / target.target) if target.target else 0,
        "placements": Placement.objects.filter(start_date__gte=target.period_start,
                                               start_date__lte=target.period_end).count(),
        "period_label": _("%(start)s to %(end)s") % {
            "start": formats.date_format(target.period_start, "SHORT_DATE_FORMAT"),
            "end": formats.date_format(target.period_end, "SHORT_DATE_FORMAT")},
        "days_left": max((target.period_end - today).days, 0),
        "by_region": by_region,
        "by_programme": by_programme,
    }
