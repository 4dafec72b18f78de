"""Why a plan leaves a signal unserved, computed from the instance and the plan, and the nearest option.

For each unserved signal: the true reason (nobody has the role; nobody speaks the language; the working hours
in the window leave no room for the visit and the travel; who speaks the language, or who has the role, is on
other visits until after the window; the time went to more urgent signals) and the best partial option —
the earliest team that could go after the plan's own visits, in the members' working hours beyond the window
too (``Member.windows`` may run past the horizon for this), with how far they travel and how late it is.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from .candidates import allowed
from .greedy import Timeline, _common_start
from .model import Instance, Member, Plan, Reason, Signal
from .travel import travel_of


@dataclass(frozen=True)
class Option:
    member_ids: tuple
    start: int  # minutes from the start of the window (may lie beyond the horizon)
    travel_minutes: int  # the longest trip of the team from their base
    late_minutes: int  # start − target (≤ 0: in time)


@dataclass(frozen=True)
class Explanation:
    signal_id: object
    reason: Reason
    member_id: object = None  # the busy speaker or professional the reason names
    free_at: int | None = None  # when that member can first be there
    option: Option | None = None


class _Reach(Timeline):
    """A member's agenda over all their listed working hours, not only the planning window."""

    def __init__(self, instance: Instance, member: Member, until: int):
        super().__init__(instance, member)
        self.windows = sorted((max(0, a), b) for a, b in member.windows if b > max(0, a) and a < until)


def _teams(signal: Signal, pros: list[Member], speakers: list[Member]):
    for p in pros:
        if not signal.languages or p.languages & signal.languages:
            yield (p,)
        else:
            for comp in speakers:
                if comp.role != signal.needs:
                    yield (p, comp)


def _best(lines: dict, signal: Signal, teams, travel) -> Option | None:
    best: tuple | None = None
    for team in teams:
        start = _common_start([lines[m.id] for m in team], signal)
        if start is None:
            continue
        trip = max(travel.minutes(m.place, signal.place) for m in team)
        key = (start, trip, [str(m.id) for m in team])
        if best is None or key < best[0]:
            best = (key, team)
    if best is None:
        return None
    (start, trip, _), team = best
    return Option(tuple(m.id for m in team), start, trip, start - signal.deadline)


def _earliest(lines: dict, signal: Signal, members: list[Member]) -> tuple[int, Member] | None:
    found = [(start, m) for m in members if (start := lines[m.id].earliest(signal, 0)) is not None]
    return min(found, key=lambda f: (f[0], str(f[1].id))) if found else None


def explain(instance: Instance, plan: Plan) -> list[Explanation]:
    """Return an explanation for every signal the plan leaves unserved, in the plan's order."""
    travel = travel_of(instance)
    signals = {s.id: s for s in instance.signals}
    reach = max((b for m in instance.members for _, b in m.windows), default=instance.horizon)
    planned = {m.id: _Reach(instance, m, reach) for m in instance.members}
    # the window with empty agendas: does the visit fit the working hours and the travel at all?
    empty = {m.id: Timeline(instance, dataclasses.replace(m, busy=())) for m in instance.members}
    for v in plan.visits:
        for mid in v.member_ids:
            planned[mid].add(v.start, v.end, signals[v.signal_id].place)
    out = []
    for u in plan.unserved:
        s = signals[u.signal_id]
        here = [m for m in instance.members if allowed(instance, m, s)]
        pros = [m for m in here if m.role == s.needs]
        speakers = [m for m in here if not s.languages or m.languages & s.languages]
        if not pros:
            out.append(Explanation(s.id, Reason.NO_PROFESSIONAL))
            continue
        if not speakers:
            out.append(Explanation(s.id, Reason.NO_LANGUAGE))
            continue
        option = _best(planned, s, _teams(s, pros, speakers), travel)
        free = _best(empty, s, _teams(s, pros, speakers), travel)
        if free is None or free.start + s.duration > instance.horizon:
            out.append(Explanation(s.id, Reason.NO_TIME, option=option))
            continue
        speaker = _earliest(planned, s, speakers)
        professional = _earliest(planned, s, pros)
        late = max(0, s.deadline)
        if speaker is None or speaker[0] > max(late, free.start):
            reason = Reason.SPEAKER_BUSY
            named = speaker
        elif professional is None or professional[0] > max(late, free.start):
            reason, named = Reason.PROFESSIONAL_BUSY, professional
        else:
            reason, named = Reason.CAPACITY, None
        out.append(Explanation(s.id, reason, member_id=named[1].id if named else None,
                               free_at=named[0] if named else None, option=option))
    return out
