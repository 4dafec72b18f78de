"""An independent check of any plan against every hard constraint.

Written apart from the engines on purpose (it shares only the data classes and the travel model),
so a bug in a model's formulation shows up here instead of being repeated.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from .model import AMBASSADOR, HIGH_RISK, Instance, Plan
from .travel import travel_of


@dataclass(frozen=True)
class Violation:
    code: str  # unknown, duplicate, time, role, language, ambassador_alone, border, area, hours, overlap, travel
    signal_id: object
    member_id: object
    message: str


def validate(instance: Instance, plan: Plan) -> list[Violation]:
    """Return every hard-constraint violation in ``plan`` (an empty list means the plan is valid)."""
    travel = travel_of(instance)
    signals = {s.id: s for s in instance.signals}
    members = {m.id: m for m in instance.members}
    out: list[Violation] = []
    seen: set = set()
    # per member: (start, end, place, signal_id or None for an already planned visit)
    agenda: dict = {m.id: [(b.start, b.end, b.place, None) for b in m.busy] for m in instance.members}

    def bad(code, sid, mid, message):
        out.append(Violation(code, sid, mid, message))

    for v in plan.visits:
        s = signals.get(v.signal_id)
        if s is None:
            bad("unknown", v.signal_id, None, "visit for an unknown signal")
            continue
        if v.signal_id in seen:
            bad("duplicate", s.id, None, "signal visited twice")
        seen.add(v.signal_id)
        team = [members[mid] for mid in v.member_ids if mid in members]
        if not v.member_ids or len(team) < len(v.member_ids) or len(set(v.member_ids)) != len(v.member_ids):
            bad("unknown", s.id, None, "no members, an unknown member, or a member listed twice")
            continue
        if v.end - v.start < s.duration or v.start < 0 or v.end > instance.horizon:
            bad("time", s.id, None, f"visit {v.start}-{v.end} too short or outside [0, {instance.horizon})")
        if not any(m.role == s.needs for m in team):
            bad("role", s.id, None, f"nobody with the role {s.needs}")
        if s.languages and not any(m.languages & s.languages for m in team):
            bad("language", s.id, None, "nobody speaks one of the person's languages")
        if s.category in HIGH_RISK and all(m.role == AMBASSADOR for m in team):
            bad("ambassador_alone", s.id, None, f"ambassador alone on a category {s.category} case")
        for m in team:
            if not instance.cross_border and s.country and m.country and m.country != s.country:
                bad("border", s.id, m.id, "member sent across the border")
            if m.areas and s.area not in m.areas:
                bad("area", s.id, m.id, "lent member sent outside the agreement's areas")
            agenda[m.id].append((v.start, v.end, s.place, s.id))
    for sid in {u.signal_id for u in plan.unserved} & seen:
        bad("duplicate", sid, None, "signal both visited and listed as unserved")

    for mid, items in agenda.items():
        m = members[mid]
        items.sort(key=lambda it: (it[0], it[1]))
        for start, end, place, sid in items:
            if sid is None:
                continue
            window = next((w for w in m.windows if w[0] <= start and end <= w[1]), None)
            if window is None:
                bad("hours", sid, mid, f"visit {start}-{end} outside working hours")
                continue
            same = [it for it in items if window[0] <= it[0] < window[1]]
            k = same.index((start, end, place, sid))
            if k == 0 and start - travel.minutes(m.place, place) < window[0]:
                bad("hours", sid, mid, "no time to travel from base after the start of work")
            if k == len(same) - 1 and end + travel.minutes(place, m.place) > window[1]:
                bad("hours", sid, mid, "no time to travel back to base before the end of work")
        for (s1, e1, p1, id1), (s2, e2, p2, id2) in itertools.pairwise(items):
            if id1 is None and id2 is None:
                continue
            sid = id2 if id2 is not None else id1
            if s2 < e1:
                bad("overlap", sid, mid, f"in two places at once ({s1}-{e1} and {s2}-{e2})")
            elif s2 < e1 + travel.minutes(p1, p2):
                bad("travel", sid, mid, f"{s2 - e1} min between visits, travel needs {travel.minutes(p1, p2)}")
    return out
