"""Large-neighbourhood search for the instances too large for one exact CP-SAT model.

Start from the by-deadline greedy plan over the true travel times, then repeat until the time is up:

* destroy a neighbourhood: the visits of a few members whose bases are close (or the members able to serve
  a signal that is late or unserved), with the members who share those visits;
* repair it with the exact routing model (cpsat's, one circuit per member and working window, exact travel)
  over just those members and signals — the signals freed plus the late and unserved ones they could serve
  — with every other visit of theirs fixed where it is, hinted with the current plan;
* keep the repaired plan when the lexicographic objective (missed targets, lateness, unserved, travel)
  is no worse.

The repair can only find the current plan or a better one (the hint is feasible), so the search never loses
what the greedy found; the plan's ``stages`` count the repairs tried and kept.
"""

from __future__ import annotations

import dataclasses
import random
import time
from typing import Any

from .candidates import Candidates, clipped_windows
from .metrics import objective
from .model import Busy, Instance, Member, Options, Plan, Visit
from .travel import travel_of

MEMBERS_PER_MOVE = (2, 4)  # how many members a neighbourhood starts from (then their visits' co-members)
MAX_SIGNALS = 28  # signals in one repair at most
REPAIR_SECONDS = 0.6  # wall-clock budget of one repair (split over its stages)
DETERMINISTIC_MOVES = 24  # repairs when the budget is deterministic (reproducible plans)


def _nearest(instance: Instance, member: Member, k: int) -> list[Member]:
    travel = travel_of(instance)
    others = sorted((m for m in instance.members if m.id != member.id),
                    key=lambda m: (travel.minutes(member.place, m.place), str(m.id)))
    return others[:k]


class Search:
    def __init__(self, instance: Instance, options: Options, cands: list[Candidates], start: Plan):
        self.instance, self.options = instance, options
        self.cands = {c.signal.id: c for c in cands}
        self.signals = {s.id: s for s in instance.signals}
        self.members = {m.id: m for m in instance.members}
        self.visits = list(start.visits)
        self.best = objective(instance, Plan(self.visits, []), options.weights)
        self.rng = random.Random(options.seed)
        self.tried = self.kept = 0

    # --- neighbourhoods ---------------------------------------------------------------------------------

    def _pressing(self) -> list:
        """Return the signals late or unserved in the current plan, heaviest first."""
        starts = {v.signal_id: v.start for v in self.visits}
        w = self.options.weights
        out = [s for s in self.instance.signals if self.cands[s.id].reason is None
               and (s.id not in starts or starts[s.id] > s.deadline)]
        return sorted(out, key=lambda s: (-w[s.category], s.deadline, str(s.id)))

    def _choose(self, pressing: list) -> tuple[set, tuple[int, int]]:
        """Return the ids of the members whose visits the next move destroys, and the slice of time (one
        working window) it destroys them in."""
        k = self.rng.randint(*MEMBERS_PER_MOVE)
        if pressing and self.rng.random() < 0.6:
            s = pressing[min(len(pressing) - 1, int(self.rng.random() ** 2 * len(pressing)))]
            c = self.cands[s.id]
            pros = c.professionals[:6]
            comps = c.companions[:4]
            chosen = {m.id for m in self.rng.sample(pros, min(len(pros), max(1, k - 1)))}
            if comps:
                chosen.add(self.rng.choice(comps).id)
            member = self.members[next(iter(sorted(chosen, key=str)))]
            when = max(0, min(s.deadline, self.instance.horizon - 1))
        else:
            member = self.rng.choice(self.instance.members)
            chosen = {member.id} | {m.id for m in _nearest(self.instance, member, k - 1)}
            when = self.rng.randrange(self.instance.horizon)
        windows = clipped_windows(member, self.instance.horizon) or [(0, self.instance.horizon)]
        window = next((w for w in windows if w[1] > when), windows[-1])
        return chosen, window

    # --- one move ------------------------------------------------------------------------------------------

    def _sub(self, chosen: set, window: tuple[int, int], pressing: list
             ) -> tuple[Instance, list[Visit], list[Visit]] | None:
        """Return the sub-instance of a move, the visits it frees and the visits that stay."""
        a, b = window
        freed = [v for v in self.visits if chosen & set(v.member_ids) and v.start < b and v.end > a]
        team = set(chosen) | {mid for v in freed for mid in v.member_ids}
        kept = [v for v in self.visits if v not in freed]
        sids = [v.signal_id for v in freed]
        for s in pressing:
            if len(sids) >= MAX_SIGNALS:
                break
            c = self.cands[s.id]
            if s.id not in sids and {m.id for m in [*c.professionals, *c.companions]} & team:
                sids.append(s.id)
        if not sids:
            return None
        # a late signal already visited by members outside the move stays theirs
        taken = {v.signal_id for v in kept}
        sids = [sid for sid in sids if sid not in taken]
        busy: dict = {mid: list(self.members[mid].busy) for mid in team}
        for v in kept:
            s = self.signals[v.signal_id]
            for mid in v.member_ids:
                if mid in busy:
                    busy[mid].append(Busy(v.start, v.end, s.lat, s.lon))
        # the members work only in the slice in the sub-instance: what lies outside stays as it is
        members = tuple(dataclasses.replace(
            self.members[mid], busy=tuple(busy[mid]),
            windows=tuple((max(a, wa), min(b, wb)) for wa, wb in self.members[mid].windows
                          if min(b, wb) > max(a, wa)))
            for mid in sorted(team, key=str))
        sub = dataclasses.replace(self.instance, signals=tuple(self.signals[sid] for sid in sids), members=members)
        return sub, freed, kept

    def move(self, seconds: float) -> bool:
        from .candidates import candidates
        from .cpsat import STAGES, run_stages

        pressing = self._pressing()
        made = self._sub(*self._choose(pressing), pressing)
        if made is None:
            return False
        sub, freed, kept = made
        self.tried += 1
        sub_cands = candidates(sub, self.options.max_professionals, self.options.max_companions)
        # travel, the last objective, is searched on one move in four: the others spend their time on targets
        names = STAGES if self.tried % 4 == 0 else STAGES[:3]
        visits = run_stages(sub, self.options, sub_cands, Plan(freed, []), seconds, names=names)
        if visits is None:
            return False
        trial = kept + visits
        value = objective(self.instance, Plan(trial, []), self.options.weights)
        if value <= self.best:
            improved = value < self.best
            self.visits, self.best = trial, value
            self.kept += improved
            return improved
        return False


def on_time_first(instance: Instance, cands: list[Candidates], by_weight: bool = False) -> Plan:
    """Return a plan built in two passes (Moore–Hodgson's idea, weighted): by deadline, each signal that can
    still be seen in time goes to the team that gets there in time with the least travel; then the signals that
    cannot be in time anyway, heaviest first, at the earliest start. Unlike the by-deadline greedy, a visit that
    is late whatever happens does not take the time that would have kept another in time."""
    from .greedy import Timeline, best_team

    travel = travel_of(instance)
    lines = {m.id: Timeline(instance, m) for m in instance.members}
    visits: list[Visit] = []
    waiting = [c for c in cands if c.reason is None]

    def place(c: Candidates, in_time: bool) -> bool:
        s, found = c.signal, best_team(lines, c, travel, in_time=in_time)
        if found is None:
            return False
        start, team = found
        for m in team:
            lines[m.id].add(start, start + s.duration, s.place)
        visits.append(Visit(s.id, tuple(m.id for m in team), start, start + s.duration))
        return True

    weights = {"A": 5, "B": 4, "C": 3, "D": 2, "E": 1}

    def order(c: Candidates) -> tuple:
        s = c.signal
        return (-weights.get(s.category, 0) if by_weight else 0, s.deadline, str(s.id))

    late = [c for c in sorted(waiting, key=order) if c.signal.deadline < 0 or not place(c, True)]
    for c in sorted(late, key=lambda c: (-weights.get(c.signal.category, 0), c.signal.deadline, str(c.signal.id))):
        place(c, False)
    return Plan(visits, [], method="on-time-first", status="FEASIBLE")


def search(instance: Instance, options: Options, cands: list[Candidates], start: Plan, until: float) -> Plan:
    """Improve `start` until the perf_counter time `until` (or a fixed number of moves when the budget is
    deterministic); return the visits found, with how many moves were tried and kept."""
    for by_weight in (False, True):
        other = on_time_first(instance, cands, by_weight)
        if objective(instance, other, options.weights) < objective(instance, start, options.weights):
            start = other
    s = Search(instance, options, cands, start)
    began = time.perf_counter()
    total = max(0.001, until - began)
    moves = 0
    while True:
        left = until - time.perf_counter()
        if options.deterministic_limit:
            if moves >= DETERMINISTIC_MOVES:
                break
        elif left < 0.15:
            break
        s.move(min(REPAIR_SECONDS, max(0.1, left)))
        moves += 1
        if options.progress:
            done = moves / DETERMINISTIC_MOVES if options.deterministic_limit else 1 - left / total
            options.progress("search", min(1.0, done))
    stages: list[dict[str, Any]] = [{"objective": "lns", "moves": s.tried, "improved": s.kept,
                                     "seconds": round(time.perf_counter() - began, 2)}]
    return Plan(s.visits, [], method="lns", status="FEASIBLE", stages=stages)
