"""Pull planned visits as early as the true travel times allow, without changing who goes in what order."""

from __future__ import annotations

from .candidates import clipped_windows
from .model import Instance, Visit
from .travel import travel_of


def left_shift(instance: Instance, visits: list[Visit]) -> list[Visit]:
    """Return the visits moved earlier where every member's previous stop (or base) allows it.

    Visits are taken in order of start; each member's previous item is then already final, and a
    visit moving earlier only loosens the constraints on the ones after it.
    """
    travel = travel_of(instance)
    signals = {s.id: s for s in instance.signals}
    members = {m.id: m for m in instance.members}
    # per member: items already final, (start, end, place)
    done: dict = {m.id: [(b.start, b.end, b.place) for b in m.busy] for m in instance.members}
    out = []
    for v in sorted(visits, key=lambda v: (v.start, str(v.signal_id))):
        s = signals[v.signal_id]
        earliest = 0
        for mid in v.member_ids:
            m = members[mid]
            window = next((w for w in clipped_windows(m, instance.horizon) if w[0] <= v.start < w[1]), None)
            if window is None:  # not ours to repair: leave the visit where it is
                earliest = v.start
                break
            before = [it for it in done[mid] if it[0] < v.start and it[1] > window[0]]
            if before:
                prev = max(before, key=lambda it: (it[1], it[0]))
                earliest = max(earliest, prev[1] + travel.minutes(prev[2], s.place))
            else:
                earliest = max(earliest, window[0] + travel.minutes(m.place, s.place))
        start = min(v.start, earliest)
        moved = Visit(v.signal_id, v.member_ids, start, start + (v.end - v.start))
        for mid in v.member_ids:
            done[mid].append((moved.start, moved.end, s.place))
        out.append(moved)
    return out


def fill(instance: Instance, plan_visits: list[Visit], cands) -> list[Visit]:
    """Return the visits plus, most urgent first, the left-out signals that still fit somewhere.

    The scalable model keeps a margin for the travel through the base; with the true travel
    times, gaps remain in the agendas, and this greedy insertion uses them.
    """
    from .greedy import Timeline, best_team

    lines = {m.id: Timeline(instance, m) for m in instance.members}
    signals = {s.id: s for s in instance.signals}
    for v in plan_visits:
        for mid in v.member_ids:
            lines[mid].add(v.start, v.end, signals[v.signal_id].place)
    planned = {v.signal_id for v in plan_visits}
    travel = travel_of(instance)
    out = list(plan_visits)
    waiting = [c for c in cands if c.reason is None and c.signal.id not in planned]
    for c in sorted(waiting, key=lambda c: (c.signal.deadline, str(c.signal.id))):
        s, found = c.signal, best_team(lines, c, travel)
        if found is not None:
            start, team = found
            for m in team:
                lines[m.id].add(start, start + s.duration, s.place)
            out.append(Visit(s.id, tuple(m.id for m in team), start, start + s.duration))
    return out
