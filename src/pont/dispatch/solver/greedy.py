"""The baseline a dispatcher does by hand: signals in order of arrival, each to the qualified
members who can be there first (nearest free). Also used, ordered by deadline, to give CP-SAT a
first solution."""

from __future__ import annotations

import itertools
import time

from .candidates import Candidates, candidates, clipped_windows
from .model import Instance, Member, Plan, Reason, Signal, Unserved, Visit
from .travel import travel_of


class Timeline:
    """One member's agenda: what is already planned, and where a new visit still fits.

    ``padded`` routes every leg through the base (the scalable CP-SAT model's conservative rule).
    """

    def __init__(self, instance: Instance, member: Member, padded: bool = False):
        self.travel = travel_of(instance)
        self.member = member
        self.padded = padded
        self.windows = sorted(clipped_windows(member, instance.horizon))
        self.items: list[tuple[int, int, tuple[float, float]]] = sorted(
            (b.start, b.end, b.place) for b in member.busy
        )

    def leg(self, a, b) -> int:
        if not self.padded:
            return self.travel.minutes(a, b)
        base = self.member.place
        return self.travel.minutes(a, base) + self.travel.minutes(base, b)

    def earliest(self, signal: Signal, not_before: int) -> int | None:
        """Return the earliest start >= not_before at which the member can make the visit, or None."""
        base, p, d = self.member.place, signal.place, signal.duration
        best = None
        for a, b in self.windows:
            if b <= not_before:
                continue
            seq = [(a, a, base)] + [it for it in self.items if it[0] < b and it[1] > a] + [(b, b, base)]
            for (_, e1, q1), (s2, _, q2) in itertools.pairwise(seq):
                lo = max(not_before, e1 + self.leg(q1, p))
                if lo + d + self.leg(p, q2) <= s2:
                    best = lo if best is None else min(best, lo)
                    break
            if best is not None:
                return best
        return best

    def add(self, start: int, end: int, place) -> None:
        self.items.append((start, end, place))
        self.items.sort()


def _common_start(lines: list[Timeline], signal: Signal) -> int | None:
    """Return the earliest start at which all the given members are free together."""
    t = 0
    for _ in range(200):
        found = [line.earliest(signal, t) for line in lines]
        starts = [start for start in found if start is not None]
        if len(starts) < len(found):
            return None
        if max(starts) == min(starts):
            return starts[0]
        t = max(starts)
    return None


def best_team(lines: dict, c: Candidates, travel, *, in_time: bool = False) -> tuple[int, tuple] | None:
    """Return (start, team) for c's signal on these agendas: the earliest start (then the least travel); with
    `in_time`, among the teams there before the target, the least travel (then the earliest). None: no team."""
    s, best = c.signal, None
    for team in c.teams():
        start = _common_start([lines[m.id] for m in team], s)
        if start is None or (in_time and start > s.deadline):
            continue
        trip = sum(travel.minutes(m.place, s.place) for m in team)
        ids = [str(m.id) for m in team]
        key = (trip, start, ids) if in_time else (start, trip, ids)
        if best is None or key < best[0]:
            best = (key, start, team)
    return None if best is None else (best[1], best[2])


def greedy(instance: Instance, order: str = "arrival", padded: bool = False, cands: list[Candidates] | None = None,
           ) -> Plan:
    """Return the greedy plan; ``order`` is "arrival" (the baseline) or "deadline" (weighted, for hints)."""
    began = time.perf_counter()
    travel = travel_of(instance)
    cands = cands if cands is not None else candidates(instance)
    lines = {m.id: Timeline(instance, m, padded) for m in instance.members}
    if order == "arrival":
        queue = sorted(cands, key=lambda c: (c.signal.arrival, str(c.signal.id)))
    else:
        queue = sorted(cands, key=lambda c: (c.signal.deadline, -c.signal.duration, str(c.signal.id)))
    visits, unserved = [], []
    for c in queue:
        s = c.signal
        if c.reason is not None:
            unserved.append(Unserved(s.id, c.reason))
            continue
        found = best_team(lines, c, travel)
        if found is None:
            unserved.append(Unserved(s.id, Reason.CAPACITY))
            continue
        start, team = found
        for m in team:
            lines[m.id].add(start, start + s.duration, s.place)
        visits.append(Visit(s.id, tuple(m.id for m in team), start, start + s.duration))
    return Plan(visits, unserved, method=f"greedy-{order}", status="FEASIBLE",
                solve_seconds=time.perf_counter() - began)
