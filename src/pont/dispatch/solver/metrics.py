"""Figures that compare plans: missed targets, time to first contact, travel."""

from __future__ import annotations

import itertools
import math
from dataclasses import asdict, dataclass

from .model import CATEGORY_WEIGHTS, Instance, Plan
from .travel import travel_of


@dataclass(frozen=True)
class Figures:
    served: int
    unserved: int
    missed: int  # targets missed: served late, or not served although the target falls in the horizon
    missed_weighted: int
    lateness_weighted: int  # minutes × category weight; unserved counted until the horizon
    first_contact_mean_h: float  # unserved counted at the horizon (a lower bound)
    first_contact_p90_h: float
    travel_km: float

    def as_dict(self) -> dict:
        return asdict(self)


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = max(0, math.ceil(q * len(ordered)) - 1)
    return ordered[k]


def route_km(instance: Instance, plan: Plan) -> float:
    """Return the km driven for the plan's visits: base → visits of each working window → base."""
    travel = travel_of(instance)
    signals = {s.id: s for s in instance.signals}
    stops: dict = {}
    for v in plan.visits:
        for mid in v.member_ids:
            stops.setdefault(mid, []).append((v.start, signals[v.signal_id].place))
    total = 0.0
    for m in instance.members:
        mine = sorted(stops.get(m.id, []))
        for a, b in m.windows:
            places = [p for st, p in mine if a <= st < b]
            if places:
                route = [m.place, *places, m.place]
                total += sum(travel.km(p, q) for p, q in itertools.pairwise(route))
    return total


def figures(instance: Instance, plan: Plan, weights: dict | None = None) -> Figures:
    """Return the comparison figures of ``plan`` on ``instance``."""
    weights = weights or CATEGORY_WEIGHTS
    H = instance.horizon
    starts = {v.signal_id: v.start for v in plan.visits}
    missed = missed_w = late_w = 0
    contact = []
    for s in instance.signals:
        w = weights[s.category]
        if s.id in starts:
            late = max(0, starts[s.id] - s.deadline)
            contact.append((starts[s.id] - s.arrival) / 60)
            if late:
                missed, missed_w = missed + 1, missed_w + w
        else:
            late = max(0, H - s.deadline)
            contact.append((H - s.arrival) / 60)
            if s.deadline < H:
                missed, missed_w = missed + 1, missed_w + w
        late_w += w * late
    return Figures(
        served=len(starts), unserved=len(instance.signals) - len(starts), missed=missed, missed_weighted=missed_w,
        lateness_weighted=late_w,
        first_contact_mean_h=round(sum(contact) / len(contact), 2) if contact else 0.0,
        first_contact_p90_h=round(_percentile(contact, 0.9), 2), travel_km=round(route_km(instance, plan), 1),
    )


def objective(instance: Instance, plan: Plan, weights: dict | None = None) -> tuple[int, int, int, float]:
    """Return the solver's lexicographic objective of a plan: weighted missed targets, weighted
    lateness, weighted signals left unserved, travel km (smaller is better)."""
    weights = weights or CATEGORY_WEIGHTS
    f = figures(instance, plan, weights)
    planned = {v.signal_id for v in plan.visits}
    unserved_w = sum(weights[s.category] for s in instance.signals if s.id not in planned)
    return (f.missed_weighted, f.lateness_weighted, unserved_w, f.travel_km)
