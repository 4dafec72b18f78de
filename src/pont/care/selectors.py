"""Every read of care records. Each takes the acting user, applies their scope and audits what it shows.

Who sees what (DESIGN.md, issue "Psychosocial support"):
- dispatchers: the signals of their organisation (triage, visits' logistics), never notes or screenings;
- social workers and therapists *assigned* to a case (members of its team, or members of one of its visits):
  the case and its social notes and screening scores; therapists also clinical notes and screening answers;
- interpreters and ambassadors: only the logistics of their own visits (time, place, language, first name);
- coordinators: indicators only; employment roles: nothing (404).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from pont.audit.services import audit, audit_listed
from pont.care import clock
from pont.care.choices import CATEGORY_ORDER, LegalBasis, MemberRole, NoteKind, VisitStatus
from pont.care.clock import clock_state
from pont.care.models import Alert, Note, Screening, Signal, Team, TeamMember, Visit
from pont.core import access
from pont.core.i18n import country_name
from pont.core.roles import CARE_ROLES, OrganisationKind, Role
from pont.employment.models import Enrolment
from pont.people.selectors import consents_in_force

CASE_ROLES = (MemberRole.SOCIAL_WORKER, MemberRole.THERAPIST)


def has_care_role(user) -> bool:
    return bool(user.is_authenticated and access.holds(user, *CARE_ROLES))


def dispatcher_org_ids(user) -> list[int]:
    return access.organisation_ids(user, Role.DISPATCHER) if user.is_authenticated else []


def _assigned(user, roles=CASE_ROLES) -> Q:
    """Signals whose team has `user` as an active member in one of `roles`, or one of whose visits does."""
    in_team = TeamMember.objects.filter(team_id=OuterRef("team_id"), user=user, active=True, role__in=roles)
    on_visit = Visit.objects.filter(signal_id=OuterRef("pk"), members__user=user, members__role__in=roles)
    return Q(Exists(in_team)) | Q(Exists(on_visit))


def signals_visible_to(user) -> QuerySet[Signal]:
    """Return the signals a user may open: their organisation's (dispatchers) or the cases assigned to them."""
    if not has_care_role(user):
        return Signal.objects.none()
    scope = Q(pk__in=[])
    org_ids = dispatcher_org_ids(user)
    if org_ids:
        scope |= Q(organisation_id__in=org_ids)
    if access.holds(user, *CASE_ROLES):
        scope |= _assigned(user)
    return Signal.objects.filter(scope)


@dataclass(frozen=True)
class CaseAccess:
    """What one user may see of one case."""

    dispatcher: bool = False
    social: bool = False      # social notes, screening scores
    clinical: bool = False    # clinical notes, screening answers

    @property
    def any(self) -> bool:
        return self.dispatcher or self.social or self.clinical


def case_access(user, signal: Signal) -> CaseAccess:
    """Return what `user` may see of `signal` (three small queries at most)."""
    if not has_care_role(user):
        return CaseAccess()
    dispatcher = signal.organisation_id in dispatcher_org_ids(user)
    roles: set[str] = set()
    if access.holds(user, *CASE_ROLES):
        mine = TeamMember.objects.filter(user=user, role__in=CASE_ROLES)
        if signal.team_id:
            roles |= set(mine.filter(team_id=signal.team_id, active=True).values_list("role", flat=True))
        roles |= set(mine.filter(visits__signal=signal).values_list("role", flat=True))
    return CaseAccess(dispatcher=dispatcher, social=bool(roles),
                      clinical=MemberRole.THERAPIST in roles)


def signal_get(*, user, pk: int) -> tuple[Signal, CaseAccess]:
    """Return one signal in the user's scope with what they may see of it, to act on (the write that follows
    is audited); 404 otherwise. A page or an answer that shows the signal calls `signal_view`."""
    try:
        signal = (signals_visible_to(user)
                  .select_related("organisation", "team", "municipality", "triaged_by", "first_contact_by")
                  .get(pk=pk))
    except (Signal.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    access = case_access(user, signal)
    if not access.any:
        raise Http404
    return signal, access


def signal_view(*, user, pk: int) -> tuple[Signal, CaseAccess]:
    """Return `signal_get`'s signal and access, and audit the read as `care.signal.viewed`."""
    signal, access = signal_get(user=user, pk=pk)
    audit(actor=user, verb="care.signal.viewed", obj=signal, person=signal.person, organisation=signal.organisation)
    return signal, access


def care_basis(signal: Signal) -> str | None:
    """Return the legal basis a signal's care rests on now, or None when nothing covers it (docs/consent.md).

    A signal about nobody registered rests on the request for help; a registered person's on their `care`
    consent, read now (a withdrawal takes effect at the next request), or on the vital interest the care team
    stated for them.
    """
    if signal.person_id is None:
        return LegalBasis.REQUEST
    if signal.legal_basis == LegalBasis.VITAL_INTEREST:
        return LegalBasis.VITAL_INTEREST
    if consents_in_force("care").filter(person_id=signal.person_id).exists():
        return LegalBasis.CONSENT
    return None


def _shares_tracks(person_id: int) -> bool:
    return consents_in_force("share_tracks").filter(person_id=person_id).exists()


@dataclass(frozen=True)
class CareRequestState:
    """What a registered person's adviser sees of a care case: who, since when, how far — never its content."""

    organisation: str
    received_at: dt.datetime
    state: Literal["waiting", "in_contact", "closed"]


def care_requests_for(*, user, person) -> list[CareRequestState] | None:
    """Return the care cases of a person the adviser reached through a people selector, as their states —
    or None when the person has not consented to sharing between tracks (nothing of care is shown then).
    Audited as one event naming the cases shown."""
    if not _shares_tracks(person.pk):
        return None
    signals = list(Signal.objects.filter(person=person).select_related("organisation").order_by("-received_at"))
    audit_listed(actor=user, verb="care.shared_track.viewed", records=signals, detail={"person": person.pk})
    return [CareRequestState(organisation=s.organisation.name, received_at=s.received_at,
                             state="closed" if s.closed_at else "in_contact" if s.first_contact_at else "waiting")
            for s in signals]


def employment_track_for(*, user, signal: Signal, access: CaseAccess) -> list[Enrolment] | None:
    """Return the registered person's programmes (title, organisation, status) for the case's dispatcher and
    team — or None when the person has not consented to sharing between tracks. Audited when shown."""
    if signal.person_id is None or not access.any or not _shares_tracks(signal.person_id):
        return None
    enrolments = list(Enrolment.objects.filter(person_id=signal.person_id)
                      .select_related("programme__organisation").order_by("-proposed_on"))
    audit_listed(actor=user, verb="employment.shared_track.viewed", records=enrolments,
                 organisation=signal.organisation, detail={"signal": signal.pk})
    return enrolments


# --- The dispatcher's queue -------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    signal: Signal
    state: str
    minutes_left: int

    @property
    def minutes_late(self) -> int:
        return max(0, -self.minutes_left)


def signal_queue(*, user, include_closed: bool = False) -> list[QueueRow]:
    """Return the dispatcher's open signals sorted by time left to target (most urgent first). Two queries."""
    org_ids = dispatcher_org_ids(user)
    if not org_ids:
        return []
    qs = Signal.objects.filter(organisation_id__in=org_ids).select_related("municipality", "team")
    if not include_closed:
        qs = qs.filter(closed_at__isnull=True)
    now = timezone.now()
    rows = [QueueRow(s, clock_state(s, now), int(s.time_left(now).total_seconds() // 60))
            for s in qs.order_by("target_at", "id")]
    # Contacted signals wait for visits, not for the clock: they follow the ones still waiting for a contact.
    return sorted(rows, key=lambda r: (r.state == "contacted", r.signal.target_at, r.signal.pk))


@dataclass(frozen=True)
class Worklist:
    """What the signals page and `GET /api/v1/signals` show: the dispatcher's queue, then the open cases
    assigned to the user (social workers, therapists) that the queue does not hold."""

    queue: list[QueueRow]
    assigned: list[Signal]

    @property
    def signals(self) -> list[Signal]:
        return [*(row.signal for row in self.queue), *self.assigned]


def worklist_view(*, user) -> Worklist:
    """Return the user's worklist; audited as one event naming the signals shown."""
    queue = signal_queue(user=user)
    seen = {row.signal.pk for row in queue}
    assigned = list(signals_visible_to(user).filter(closed_at__isnull=True).exclude(pk__in=seen)
                    .select_related("municipality", "team").order_by("target_at")) \
        if access.holds(user, *CASE_ROLES) else []
    worklist = Worklist(queue=queue, assigned=assigned)
    audit_listed(actor=user, verb="care.signals.listed", records=worklist.signals)
    return worklist


def alerts_for(*, user) -> QuerySet[Alert]:
    """Return the unacknowledged alerts of the dispatcher's organisations, on signals still waiting."""
    return (Alert.objects.filter(signal__organisation_id__in=dispatcher_org_ids(user), acknowledged_at__isnull=True,
                                 signal__first_contact_at__isnull=True, signal__closed_at__isnull=True)
            .select_related("signal").order_by("signal__target_at"))


# --- Notes, screenings, visits ----------------------------------------------------------------------------


def notes_for(*, user, signal: Signal, access: CaseAccess) -> list[Note]:
    """Return the notes this user may read on the case (social; clinical for therapists); audits the read."""
    kinds = []
    if access.social:
        kinds.append(NoteKind.SOCIAL)
    if access.clinical:
        kinds.append(NoteKind.CLINICAL)
    if not kinds:
        return []
    notes = list(signal.notes.filter(kind__in=kinds).select_related("author"))
    if notes:
        audit(actor=user, verb="care.note.viewed", obj=signal, person=signal.person, organisation=signal.organisation,
              detail={"notes": [n.pk for n in notes]})
    return notes


def screenings_for(*, user, signal: Signal, access: CaseAccess) -> list[Screening]:
    """Return the case's screenings (scores) for its social workers and therapists; audits the read.

    Only therapists may read the answers themselves (Screening.answers); templates and the API check
    `access.clinical` before showing them.
    """
    if not access.social:
        return []
    screenings = list(signal.screenings.select_related("recorded_by"))
    if screenings:
        audit(actor=user, verb="care.screening.viewed", obj=signal, person=signal.person,
              organisation=signal.organisation,
              detail={"screenings": [s.pk for s in screenings], "answers": access.clinical})
    return screenings


def score_changes(screenings: list[Screening]) -> dict[str, dict]:
    """Return, per instrument, the first and last total and the change between them."""
    by_instrument: dict[str, list[Screening]] = {}
    for s in sorted(screenings, key=lambda s: (s.recorded_at, s.pk)):
        by_instrument.setdefault(s.instrument, []).append(s)
    return {
        code: {"first": rows[0].total, "last": rows[-1].total, "change": rows[-1].total - rows[0].total,
               "count": len(rows), "first_band": rows[0].band, "last_band": rows[-1].band}
        for code, rows in by_instrument.items()
    }


def visits_visible_to(user) -> QuerySet[Visit]:
    """Return the visits a user may see: their own (any role) and those of the signals they may open."""
    if not has_care_role(user):
        return Visit.objects.none()
    mine = Visit.objects.filter(members__user=user).values("pk")
    cases = Visit.objects.filter(signal__in=signals_visible_to(user)).values("pk")
    return Visit.objects.filter(Q(pk__in=mine) | Q(pk__in=cases))


def visit_get(*, user, pk: int) -> tuple[Visit, CaseAccess]:
    """Return a visit in the user's scope and the access they have to its case, to act on; 404 otherwise.

    A member who is not allowed into the case (interpreter, ambassador) gets an empty CaseAccess: the page
    then shows the logistics only.
    """
    try:
        visit = (visits_visible_to(user)
                 .select_related("signal", "signal__organisation", "municipality")
                 .prefetch_related(Prefetch("members", queryset=TeamMember.objects.select_related("user", "team")))
                 .get(pk=pk))
    except (Visit.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    return visit, case_access(user, visit.signal)


def visit_view(*, user, pk: int) -> tuple[Visit, CaseAccess]:
    """Return `visit_get`'s visit and access, and audit the read as `care.visit.viewed`."""
    visit, access = visit_get(user=user, pk=pk)
    audit(actor=user, verb="care.visit.viewed", obj=visit, person=visit.signal.person,
          organisation=visit.signal.organisation)
    return visit, access


def agenda(*, user, since: dt.datetime | None = None, until: dt.datetime | None = None) -> list[Visit]:
    """Return the user's own visits from `since` (default: today) on, before `until` if given, soonest first,
    with their members; audited as one event naming the visits shown."""
    since = since or timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    window = {"starts_at__lt": until} if until else {}
    visits = list(Visit.objects.filter(members__user=user, starts_at__gte=since, **window)
                  .exclude(status=VisitStatus.CANCELLED)
                  .select_related("signal", "municipality")
                  .prefetch_related(Prefetch("members", queryset=TeamMember.objects.select_related("user")))
                  .order_by("starts_at").distinct())
    audit_listed(actor=user, verb="care.visits.listed", records=visits)
    return visits


def teams_for_planning(*, user) -> list[Team]:
    """Return the active mobile teams a care role may see, with their active members (staff data only).

    Dispatchers, social workers and therapists: the teams of their own organisations (members and teams
    of another organisation are not theirs to staff until a cooperation agreement exists). Interpreters
    and ambassadors: only the members of their own visits.
    """
    if not has_care_role(user):
        return []
    members = TeamMember.objects.filter(active=True).select_related("user", "base").order_by("role", "user__first_name")
    teams = Team.objects.filter(active=True)
    if access.holds(user, Role.DISPATCHER, Role.SOCIAL_WORKER, Role.THERAPIST):
        teams = teams.filter(organisation_id__in=access.organisation_ids(user, *CARE_ROLES))
    else:
        mine = TeamMember.objects.filter(visits__members__user=user).values("pk")
        members = members.filter(pk__in=mine)
        teams = teams.filter(members__in=mine).distinct()
    return list(teams.select_related("organisation", "base").prefetch_related(Prefetch("members", queryset=members)))


# --- Indicators -------------------------------------------------------------------------------------------


def indicator_org_ids(user) -> list[int] | None:
    """Return the care organisations whose indicators `user` may read (None: not allowed at all).

    Dispatchers: their organisations. Coordinators: their own organisations; a coordinator of the
    portfolio itself (organisation of kind "other") reads every care organisation.
    """
    if not user.is_authenticated or not access.holds(user, Role.DISPATCHER, Role.COORDINATOR):
        return None
    ids = set(dispatcher_org_ids(user)) | set(access.organisation_ids(user, Role.COORDINATOR))
    if user.memberships.filter(role=Role.COORDINATOR, organisation__kind=OrganisationKind.OTHER).exists():
        from pont.core.models import Organisation

        ids |= set(Organisation.objects.filter(kind=OrganisationKind.CARE_TEAM).values_list("pk", flat=True))
    return sorted(ids)


def care_indicators(*, user, since: dt.date | None = None, until: dt.date | None = None) -> dict:
    """Return the care indicators (counts and times, never names) for the user's organisations: a thin view
    of the reporting registry's SQL (reporting.indicators: the same signals, waits and quantiles), grouped by
    category, team and country. A few queries per group, never a row per signal in Python."""
    from pont.reporting import indicators as reporting

    org_ids = indicator_org_ids(user)
    if org_ids is None:
        raise Http404
    signals = Signal.objects.filter(organisation_id__in=org_ids, merged_into__isnull=True)  # a situation once
    if since:
        signals = signals.filter(received_at__date__gte=since)
    if until:
        signals = signals.filter(received_at__date__lte=until)
    signals = signals.annotate(where=Coalesce("team__country", "organisation__country"))
    visits = Visit.objects.filter(signal__in=signals.values("pk"), status=VisitStatus.DONE).annotate(
        where=Coalesce("signal__team__country", "signal__organisation__country"))

    def times(qs) -> dict:
        waits = reporting.contact_waits(qs)
        agg = qs.aggregate(n=Count("pk"), contacted=Count("pk", filter=Q(first_contact_at__isnull=False)),
                           within=Count("pk", filter=Q(first_contact_at__lte=F("target_at"))))
        median, _n = reporting.quantile(waits, "wait", 0.5)
        p90, _n = reporting.quantile(waits, "wait", 0.9)
        return {"signals": agg["n"], "contacted": agg["contacted"],
                "median_minutes": None if median is None else round(median / 60, 1),
                "p90_minutes": None if p90 is None else round(p90 / 60, 1), "within_target": agg["within"],
                "within_target_share": round(agg["within"] / agg["contacted"], 3) if agg["contacted"] else None}

    def language(qs) -> dict:
        agg = qs.aggregate(n=Count("pk"), spoken=Count("pk", filter=Q(language_spoken=True)))
        return {"visits": agg["n"], "language_spoken": agg["spoken"],
                "language_share": round(agg["spoken"] / agg["n"], 3) if agg["n"] else None}

    targets = clock.targets_of(org_ids)
    common = targets[org_ids[0]] if len(org_ids) == 1 else {}
    by_category = []
    for category in CATEGORY_ORDER:
        rows = signals.filter(category=category)
        target = common.get(category)
        if target is None:
            first = rows.values_list("organisation_id", flat=True).first()
            target = targets[first][category] if first else None
        by_category.append({"category": category, "target_minutes": target, **times(rows)})
    groups: dict[str, list[dict]] = {"team": [], "country": []}
    for key, signal_field, visit_field in (("team", "team__name", "signal__team__name"),
                                           ("country", "where", "where")):
        names = sorted(set(signals.values_list(signal_field, flat=True).distinct())
                       | set(visits.values_list(visit_field, flat=True).distinct()), key=lambda n: n or "")
        for name in names:
            # A country is shown by its name in the reader's language ("België", not "BE").
            if key == "country":
                label = country_name(name) if name else ""
            else:
                label = name or str(_("Not yet given to a team"))
            groups[key].append({"by": key, "name": name or "", "label": label,
                                **times(signals.filter(**{signal_field: name})),
                                **language(visits.filter(**{visit_field: name}))})
    return {"total": times(signals) | language(visits), "by_category": by_category, "by_team": groups["team"],
            "by_country": groups["country"], "organisations": len(org_ids)}


# --- Who could go: the manual visit form's ranking --------------------------------------------------------


@dataclass(frozen=True)
class VisitCandidate:
    """One member the dispatcher may send on a signal's visit, with what decides it."""

    member: TeamMember
    lent: bool  # another organisation lends them under a cooperation agreement
    speaks: str  # the person's language they speak ("" when none)
    has_role: bool  # the role the case needs (therapist for A/B or a clinician flag, else social worker)
    travel_minutes: int  # from their base to the signal's place
    works: bool | None  # inside their working hours in the slot (None: no slot given)
    busy_until: dt.datetime | None  # on another visit in the slot, until then

    @property
    def provides(self) -> str:
        """Who provides the language: "staff", "interpreter" or "ambassador" ("" when they do not speak it)."""
        if not self.speaks:
            return ""
        return self.member.role if self.member.role in (MemberRole.INTERPRETER, MemberRole.AMBASSADOR) else "staff"


def visit_candidates(*, user, signal: Signal, starts_at: dt.datetime | None = None,
                     ends_at: dt.datetime | None = None) -> list[VisitCandidate]:
    """Return the members the dispatcher may send on `signal`'s visit (their own and those lent under an
    agreement in force that day for the signal's area), best first: who speaks the person's language, who has
    the role the case needs, who is free and working in the slot, who is nearest. Staff data only."""
    from pont.care import cooperation
    from pont.dispatch.solver.travel import DEFAULT as TRAVEL

    if signal.organisation_id not in dispatcher_org_ids(user):
        raise Http404
    day = timezone.localtime(starts_at).date() if starts_at else timezone.localdate()
    terms = cooperation.lenders_to(signal.organisation_id, day)
    members = [m for m in cooperation.members_for(signal.organisation_id, day)
               .select_related("user", "team", "base", "team__base").order_by("team__name", "role", "pk")
               if cooperation.may_send(m, signal.organisation_id, signal.municipality.region_id, day, terms)]
    busy: dict[int, dt.datetime] = {}
    if starts_at and ends_at:
        for member_id, until in (Visit.objects.filter(members__in=members, starts_at__lt=ends_at, ends_at__gt=starts_at)
                                 .exclude(status=VisitStatus.CANCELLED).values_list("members", "ends_at")):
            busy[member_id] = max(until, busy.get(member_id, until))
    needs = MemberRole.THERAPIST if signal.needs_therapist else MemberRole.SOCIAL_WORKER
    place = (float(signal.municipality.latitude), float(signal.municipality.longitude))
    out = []
    for m in members:
        base = m.base_municipality
        spoken = next((code for code in signal.languages if code in (m.languages or [])), "")
        out.append(VisitCandidate(
            member=m, lent=m.team.organisation_id != signal.organisation_id, speaks=spoken,
            has_role=m.role == needs,
            travel_minutes=TRAVEL.minutes((float(base.latitude), float(base.longitude)), place),
            works=m.works_at(starts_at, ends_at) if starts_at and ends_at else None, busy_until=busy.get(m.pk)))
    out.sort(key=lambda c: (not c.speaks, not c.has_role, c.busy_until is not None, c.works is False,
                            c.travel_minutes, c.member.pk))
    return out
