"""Database → engine: build a solver Instance from care's signals, teams and visits, and back to datetimes.

Times in the engine are whole minutes from the start of the planning window.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils import timezone

from pont.care import cooperation
from pont.care.choices import VisitStatus
from pont.care.models import Signal, TeamMember, Visit
from pont.dispatch import solver
from pont.dispatch.solver.travel import travel_of

THERAPIST_VISIT = 90  # minutes: a clinical visit with screening
SOCIAL_VISIT = 60
EXPLAIN_REACH = dt.timedelta(days=7)


@dataclass
class Planning:
    """An engine instance and the database rows behind its ids."""

    instance: solver.Instance
    start: dt.datetime
    signals: dict[int | str, Signal]  # the engine's ids (ints here; the engine also takes strings)
    members: dict[int | str, TeamMember]

    def at(self, minute: int) -> dt.datetime:
        return self.start + dt.timedelta(minutes=minute)

    def travel_minutes(self, team: list[TeamMember], signal: Signal) -> int:
        """Return the longest trip of a team from their bases to the signal's place, in minutes."""
        travel = travel_of(self.instance)
        place = _place(signal.municipality)
        return max((travel.minutes(_place(m.base_municipality), place) for m in team), default=0)

    def detail(self, explanation: solver.Explanation) -> dict:
        """Return an explanation as stored on UnservedSignal.detail (ids and ISO times, no names)."""
        out: dict = {}
        if explanation.member_id is not None and explanation.free_at is not None:
            out["member"] = explanation.member_id
            out["free_at"] = self.at(explanation.free_at).isoformat()
        if explanation.option is not None:
            o = explanation.option
            out["option"] = {"members": list(o.member_ids), "starts_at": self.at(o.start).isoformat(),
                             "travel_minutes": o.travel_minutes, "late_minutes": o.late_minutes}
        return out


def _minutes(start: dt.datetime, when: dt.datetime) -> int:
    return math.floor((when - start).total_seconds() / 60)


def _place(municipality) -> tuple[float, float]:
    return float(municipality.latitude), float(municipality.longitude)


def open_signals(organisation_id: int):
    """Return the organisation's open, triaged signals that have no planned or done visit (staff scope checked by
    the caller)."""
    live_visit = Visit.objects.filter(signal_id=OuterRef("pk")).exclude(status=VisitStatus.CANCELLED)
    return (Signal.objects.filter(organisation_id=organisation_id, closed_at__isnull=True, triaged_at__isnull=False)
            .exclude(Exists(live_visit)).select_related("municipality__region").order_by("target_at", "pk"))


def working_windows(member: TeamMember, start: dt.datetime, end: dt.datetime) -> tuple[tuple[int, int], ...]:
    """Return the member's working hours between start and end, in minutes from start (local time)."""
    tz = timezone.get_current_timezone()
    local_start = timezone.localtime(start)
    out = []
    day = local_start.date()
    while True:
        begin = timezone.make_aware(dt.datetime.combine(day, member.works_from), tz)
        if begin >= end:
            break
        if day.weekday() in (member.working_days or []):
            finish = timezone.make_aware(dt.datetime.combine(day, member.works_until), tz)
            a, b = max(0, _minutes(start, begin)), min(_minutes(start, end), _minutes(start, finish))
            if b > a:
                out.append((a, b))
        day += dt.timedelta(days=1)
    return tuple(out)


def build(organisation_id: int, start: dt.datetime, end: dt.datetime) -> Planning:
    """Return the planning instance of an organisation's open signals and active team members over [start, end)."""
    start = start.replace(second=0, microsecond=0)
    horizon = max(1, _minutes(start, end))
    signals: dict[int | str, Signal] = {s.pk: s for s in open_signals(organisation_id)}
    terms = cooperation.lenders_to(organisation_id, timezone.localtime(start).date())
    members: dict[int | str, TeamMember] = {
        m.pk: m for m in cooperation.members_for(organisation_id, timezone.localtime(start).date())
        .select_related("team__base__region", "base__region", "user").order_by("pk")}
    busy: dict[int | str, list[solver.Busy]] = {pk: [] for pk in members}
    planned = (Visit.objects.filter(members__in=members.values(), starts_at__lt=end + EXPLAIN_REACH,
                                    ends_at__gt=start - dt.timedelta(hours=12))
               .exclude(status=VisitStatus.CANCELLED).select_related("municipality")
               .prefetch_related("members").distinct())
    for visit in planned:
        lat, lon = _place(visit.municipality)
        for m in visit.members.all():
            if m.pk in busy:
                busy[m.pk].append(solver.Busy(_minutes(start, visit.starts_at), math.ceil(
                    (visit.ends_at - start).total_seconds() / 60), lat, lon))
    engine_signals = []
    for s in signals.values():
        lat, lon = _place(s.municipality)
        clinical = s.needs_therapist
        engine_signals.append(solver.Signal(
            id=s.pk, category=s.category, arrival=_minutes(start, s.received_at),
            deadline=_minutes(start, s.target_at), lat=lat, lon=lon,
            # care refuses a visit before the languages are recorded: "unknown" matches nobody
            languages=frozenset(s.languages or ["?"]),
            needs=solver.THERAPIST if clinical else solver.SOCIAL_WORKER,
            duration=THERAPIST_VISIT if clinical else SOCIAL_VISIT, country=s.municipality.region.country,
            area=s.municipality.region_id))
    engine_members = []
    # Working hours a week past the window: the planner keeps to the window, the explanations look beyond it.
    reach = end + EXPLAIN_REACH
    for m in members.values():
        lat, lon = _place(m.base_municipality)
        lent = m.team.organisation_id != organisation_id
        areas: frozenset = frozenset()
        if lent:
            covering = [t for t in terms if t.lender_id == m.team.organisation_id and m.role in t.roles]
            # areas are a restriction only when every agreement that lends this role names some
            if all(t.region_ids for t in covering):
                areas = frozenset().union(*(t.region_ids for t in covering))
        engine_members.append(solver.Member(
            id=m.pk, role=m.role, languages=frozenset(m.languages or []), lat=lat, lon=lon,
            windows=working_windows(m, start, reach), country=m.team.country, busy=tuple(busy[m.pk]),
            areas=areas, organisation=m.team.organisation_id))
    instance = solver.Instance(tuple(engine_signals), tuple(engine_members), horizon)
    return Planning(instance, start, signals, members)
