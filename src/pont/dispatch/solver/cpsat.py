"""The CP-SAT planner: a lexicographic objective solved in stages over an exact routing model.

One routing circuit per member and working window (depot = the base), exact travel between consecutive
visits, optional visits. Used whole while the number of routing arcs stays small; larger instances are
planned by large-neighbourhood search (lns.py), which repairs a few members at a time with this same model.
"""

from __future__ import annotations

import time
from typing import Any

from ortools.sat.python import cp_model

from .candidates import Candidates, candidates, clipped_windows
from .greedy import greedy
from .model import Instance, Options, Plan, Reason, Unserved, Visit
from .travel import travel_of

STAGES = ("missed", "lateness", "unserved", "travel")
# Share of the time left that each stage may use (the last one takes the rest).
STAGE_SHARE = (0.45, 0.5, 0.4, 1.0)
KM_SCALE = 10  # travel counted in 100 m


def _arc_count(instance: Instance, cands: list[Candidates]) -> int:
    per_vehicle: dict = {}
    for c in cands:
        if c.reason is not None:
            continue
        for m in [*c.professionals, *c.companions]:
            for w in clipped_windows(m, instance.horizon):
                per_vehicle[(m.id, w)] = per_vehicle.get((m.id, w), 0) + 1
    return sum(n * n for n in per_vehicle.values())


def _merge(blocks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for a, b in sorted(blocks):
        if b <= a:
            continue
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


class _Builder:
    def __init__(self, instance: Instance, options: Options, cands: list[Candidates]):
        self.instance, self.options = instance, options
        self.travel = travel_of(instance)
        self.model = cp_model.CpModel()
        self.cands = [c for c in cands if c.reason is None]
        self.served: dict[int | str, Any] = {}
        self.start: dict[int | str, Any] = {}
        self.x: dict[tuple[int | str, int | str], Any] = {}
        self.late: dict[int | str, Any] = {}
        self.all_vars: list = []
        self.objectives: dict[str, cp_model.LinearExpr] = {}
        self._build()

    def var(self, v):
        self.all_vars.append(v)
        return v

    def _build(self) -> None:
        m, H, w = self.model, self.instance.horizon, self.options.weights
        missed, lateness, unserved, travel = [], [], [], []
        for c in self.cands:
            s = c.signal
            sid = s.id
            served = self.var(m.new_bool_var(f"served_{sid}"))
            start = self.var(m.new_int_var(0, max(0, H - s.duration), f"start_{sid}"))
            late = self.var(m.new_bool_var(f"late_{sid}"))
            late_by = self.var(m.new_int_var(0, H + max(0, -s.deadline), f"late_by_{sid}"))
            self.served[sid], self.start[sid], self.late[sid] = served, start, (late, late_by, s)
            m.add_implication(late, served)
            if s.deadline >= 0:
                m.add(start <= s.deadline).only_enforce_if([served, late.negated()])
            else:
                m.add_implication(served, late)
            m.add(late_by >= start - s.deadline).only_enforce_if(served)
            if H - s.deadline > 0:
                m.add(late_by >= H - s.deadline).only_enforce_if(served.negated())
                missed.append(w[s.category] * (late + 1 - served))
            else:
                missed.append(w[s.category] * late)
            lateness.append(w[s.category] * late_by)
            unserved.append(w[s.category] * (1 - served))
            pros, comps = [], []
            for member in c.professionals:
                pros.append((member, self._x(sid, member)))
            for member in c.companions:
                comps.append((member, self._x(sid, member)))
            m.add(sum(v for _, v in pros) == served)
            speaking = [v for mem, v in pros if c.speaks(mem) and s.languages] + [v for _, v in comps]
            if s.languages:
                m.add(sum(speaking) == served)
            else:
                m.add(sum(v for _, v in comps) == 0)
        travel = self._routes()
        self.objectives = {"missed": sum(missed), "lateness": sum(lateness), "unserved": sum(unserved),
                           "travel": sum(travel)}

    def _x(self, sid, member):
        v = self.var(self.model.new_bool_var(f"x_{sid}_{member.id}"))
        self.x[(sid, member.id)] = v
        return v

    def _by_member(self):
        out: dict = {}
        for c in self.cands:
            for member in [*c.professionals, *c.companions]:
                out.setdefault(member.id, (member, []))[1].append(c.signal)
        return out

    def _routes(self) -> list:
        m, H, t = self.model, self.instance.horizon, self.travel
        travel = []
        assigned: dict = {}
        for member, signals in self._by_member().values():
            base = member.place
            for a, b in clipped_windows(member, H):
                nodes = [s for s in signals if b - a >= 2 * t.minutes(base, s.place) + s.duration]
                busy = sorted((bz for bz in member.busy if bz.start < b and bz.end > a), key=lambda z: z.start)
                if not nodes:
                    continue
                arcs = [(0, 0, self.var(m.new_bool_var("idle")))]
                lits = {}
                for k, s in enumerate(nodes, start=1):
                    y = self.var(m.new_bool_var(f"y_{s.id}_{member.id}_{a}"))
                    assigned.setdefault((s.id, member.id), []).append(y)
                    arcs.append((k, k, y.negated()))
                    st = self.start[s.id]
                    first = self.var(m.new_bool_var(""))
                    last = self.var(m.new_bool_var(""))
                    arcs += [(0, k, first), (k, 0, last)]
                    m.add(st >= a + t.minutes(base, s.place)).only_enforce_if(first)
                    m.add(st + s.duration + t.minutes(s.place, base) <= b).only_enforce_if(last)
                    travel += [round(t.km(base, s.place) * KM_SCALE) * first,
                               round(t.km(s.place, base) * KM_SCALE) * last]
                    lits[k] = (s.place, st, s.duration)
                n = len(nodes)
                for j, bz in enumerate(busy, start=n + 1):
                    lits[j] = (bz.place, bz.start, bz.end - bz.start)
                    arcs += [(0, j, self.var(m.new_bool_var(""))), (j, 0, self.var(m.new_bool_var("")))]
                for i, (pi, si, di) in lits.items():
                    for j, (pj, sj, _) in lits.items():
                        if i == j or (i > n and j > n and sj < si):
                            continue
                        lit = self.var(m.new_bool_var(""))
                        arcs.append((i, j, lit))
                        if not (i > n and j > n):
                            m.add(sj >= si + di + t.minutes(pi, pj)).only_enforce_if(lit)
                            if i <= n or j <= n:
                                travel.append(round(t.km(pi, pj) * KM_SCALE) * lit)
                m.add_circuit(arcs)
        for key, x in self.x.items():
            m.add(x == sum(assigned.get(key, [])))
        return travel

    def hint(self, plan: Plan) -> None:
        chosen = {(v.signal_id, mid): v.start for v in plan.visits for mid in v.member_ids}
        starts = {v.signal_id: v.start for v in plan.visits}
        H = self.instance.horizon
        for sid, var in self.served.items():
            self.model.add_hint(var, sid in starts)
            late, late_by, s = self.late[sid]
            self.model.add_hint(self.start[sid], starts.get(sid, 0))
            self.model.add_hint(late, sid in starts and starts[sid] > s.deadline)
            self.model.add_hint(late_by, max(0, starts[sid] - s.deadline) if sid in starts else max(0, H - s.deadline))
        for key, var in self.x.items():
            self.model.add_hint(var, key in chosen)


def _params(options: Options, seconds: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    p = solver.parameters
    if options.deterministic_limit:
        p.max_deterministic_time = max(0.001, seconds * options.deterministic_limit / options.time_limit)
        p.max_time_in_seconds = max(0.05, seconds) * 10  # a safety net only
    else:
        p.max_time_in_seconds = max(0.05, seconds)
    # Interleaved search runs the portfolio (including LNS) in a fixed order: same seed, same plan.
    p.num_workers = options.workers
    p.interleave_search = options.workers > 1
    p.random_seed = options.seed
    # Probing costs seconds of presolve on the larger models and has not paid off here.
    # (Level 0 with interleaved search aborts the process: "Check failed: heuristics.fixed_search", 9.15.)
    p.cp_model_probing_level = 1 if p.interleave_search else 0
    return solver


def run_stages(instance: Instance, options: Options, cands: list[Candidates], hint: Plan, seconds: float,
               stages: list | None = None, report: bool = False, names: tuple[str, ...] = STAGES,
               ) -> list[Visit] | None:
    """Solve the exact model in stages within `seconds`, from the hinted plan; return its visits (None when no
    stage found a solution). Each stage is appended to `stages`; with `report`, options.progress hears of it."""
    began = time.perf_counter()
    b = _Builder(instance, options, cands)
    b.hint(hint)
    solved: dict[str, dict[Any, int]] | None = None
    stages = [] if stages is None else stages
    for k, name in enumerate(names):
        left = seconds - (time.perf_counter() - began)
        if left <= 0.02 and solved is not None:
            break
        solver = _params(options, left * (1.0 if k == len(names) - 1 else STAGE_SHARE[k]))
        b.model.minimize(b.objectives[name])
        status = solver.solve(b.model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break
        value = round(solver.objective_value)
        stages.append({"objective": name, "value": value, "status": solver.status_name(status),
                         "seconds": round(solver.wall_time, 3)})
        solved = {"served": {sid: solver.value(v) for sid, v in b.served.items()},
                  "start": {sid: solver.value(v) for sid, v in b.start.items()},
                  "x": {key: solver.value(v) for key, v in b.x.items()}}
        values = [solver.value(v) for v in b.all_vars]
        b.model.add(b.objectives[name] <= value)
        b.model.clear_hints()
        for v, val in zip(b.all_vars, values, strict=True):
            b.model.add_hint(v, val)
        if report and options.progress:
            options.progress("search", (k + 1) / len(names))
    if solved is None:
        return None
    members_of: dict[int | str, list[int | str]] = {}
    for (sid, mid), val in solved["x"].items():
        if val:
            members_of.setdefault(sid, []).append(mid)
    return [Visit(c.signal.id, tuple(members_of[c.signal.id]), solved["start"][c.signal.id],
                  solved["start"][c.signal.id] + c.signal.duration)
            for c in b.cands if solved["served"][c.signal.id]]


def solve(instance: Instance, options: Options | None = None) -> Plan:
    """Return the best plan found within the time limit (lexicographic: missed targets, weighted lateness,
    signals left unserved, travel). ``method`` says what produced it: "exact" (one CP-SAT model), "lns"
    (large-neighbourhood search from the by-deadline greedy), or "greedy-fallback" when the exact model found
    nothing in time (the greedy's plan is kept, and reported as such)."""
    from . import lns
    from .postprocess import fill, left_shift

    options = options or Options()
    began = time.perf_counter()
    until = began + options.time_limit
    full = candidates(instance)
    exact = options.force_model == "exact" or (
        options.force_model != "lns" and _arc_count(instance, full) <= options.exact_arc_budget)
    cands = full if exact else candidates(instance, options.max_professionals, options.max_companions)
    start_plan = greedy(instance, order="deadline", cands=full)
    start_plan.visits = left_shift(instance, start_plan.visits)
    if options.progress:
        options.progress("start", 0.0)
    if exact:
        b_stages: list[dict[str, Any]] = []
        visits = run_stages(instance, options, cands, start_plan, until - time.perf_counter(), b_stages, report=True)
        if visits is None:
            plan = Plan(start_plan.visits, [], method="greedy-fallback", status="FALLBACK")
        else:
            plan = Plan(visits, [], method="exact", status=b_stages[-1]["status"], stages=b_stages)
    else:
        plan = lns.search(instance, options, cands, start_plan, until)
    plan.visits = left_shift(instance, fill(instance, left_shift(instance, plan.visits), cands))
    planned = {v.signal_id for v in plan.visits}
    plan.unserved = [Unserved(c.signal.id, c.reason or Reason.CAPACITY) for c in cands if c.signal.id not in planned]
    plan.solve_seconds = time.perf_counter() - began
    return plan
