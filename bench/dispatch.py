"""Dispatch benchmark: the planner against the two greedy baselines — by arrival (what a dispatcher does by
hand) and by deadline (EDF, the strong simple one) — at 300 × 40 and 600 × 60 on five seeds, with cross-border
lending on and off; and against the proven optimum of an independent exact model on small instances.
Prints JSON. A script, never a test: `.venv/bin/python bench/dispatch.py`.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))

from pont.dispatch.solver import Options, figures, greedy, solve, validate
from pont.dispatch.solver.generate import PERSON_LANGUAGES, instance
from pont.dispatch.solver.metrics import objective

LARGE = [(300, 40, 10.0), (600, 60, 30.0)]
SMALL = [(8, 4), (10, 5), (12, 6)]


def _timed(fn):
    began = time.perf_counter()
    plan = fn()
    return plan, round(time.perf_counter() - began, 2)


def _row(inst, plan, seconds) -> dict:
    f = figures(inst, plan)
    return {"missed": f.missed, "missed_weighted": f.missed_weighted, "served": f.served,
            "lateness_weighted": f.lateness_weighted, "travel_km": f.travel_km, "seconds": seconds,
            "violations": len(validate(inst, plan)), "method": plan.method}


def _fewer(base: int, found: int) -> float | None:
    return round(1 - found / base, 3) if base else None


def compare(n_signals: int, n_members: int, limit: float, seed: int, cross_border: bool) -> dict:
    """The same instance, planned three ways one after the other (interleaved per instance)."""
    inst = dataclasses.replace(instance(n_signals, n_members, seed=seed, days=3), cross_border=cross_border)
    arrival, s_arrival = _timed(lambda: greedy(inst, order="arrival"))
    edf, s_edf = _timed(lambda: greedy(inst, order="deadline"))
    plan, s_plan = _timed(lambda: solve(inst, Options(time_limit=limit, seed=seed)))
    row = {"signals": n_signals, "members": n_members, "seed": seed, "cross_border": cross_border,
           "by_arrival": _row(inst, arrival, s_arrival), "by_deadline": _row(inst, edf, s_edf),
           "solver": {**_row(inst, plan, s_plan), "stages": plan.stages}}
    row["fewer_weighted_vs_deadline"] = _fewer(row["by_deadline"]["missed_weighted"], row["solver"]["missed_weighted"])
    row["fewer_weighted_vs_arrival"] = _fewer(row["by_arrival"]["missed_weighted"], row["solver"]["missed_weighted"])
    return row


def optimum(n_signals: int, n_members: int, seed: int, limit: float, proof_limit: float) -> dict:
    """The planner as it runs against the exact model given a long time to prove its optimum (same team rule:
    any member who speaks the person's language covers it)."""
    inst = instance(n_signals, n_members, seed=seed, days=1)
    best = solve(inst, Options(time_limit=proof_limit, force_model="exact", seed=seed))
    normal = solve(inst, Options(time_limit=limit, seed=seed))
    ob, on = objective(inst, best), objective(inst, normal)
    return {"signals": n_signals, "members": n_members, "seed": seed,
            "proven": all(st["status"] == "OPTIMAL" for st in best.stages) and len(best.stages) == 4,
            "optimum": ob, "solver": on, "solver_method": normal.method, "solver_s": round(normal.solve_seconds, 2),
            "at_optimum": ob[:3] == on[:3]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--proof-limit", type=float, default=60.0)
    parser.add_argument("--small-limit", type=float, default=8.0)
    parser.add_argument("--sizes", default="300x40,600x60", help="which large sizes, e.g. 300x40")
    args = parser.parse_args()
    wanted = set(args.sizes.split(","))
    began = time.perf_counter()
    load_before = os.getloadavg()[0]
    rows = [compare(n, m, limit, seed, cross)
            for n, m, limit in LARGE if f"{n}x{m}" in wanted
            for seed in range(args.seeds) for cross in (True, False)]
    small = [optimum(n, m, seed, args.small_limit, args.proof_limit) for n, m in SMALL for seed in range(2)]
    on = [r for r in rows if r["cross_border"]]
    goals = {}
    for n, m, limit in LARGE:
        mine = [r for r in on if r["signals"] == n]
        if not mine:
            continue
        goals[f"{n}x{m}"] = {
            "fewer_vs_deadline_min": min(r["fewer_weighted_vs_deadline"] for r in mine),
            "fewer_vs_deadline_25pct_every_seed": all(r["fewer_weighted_vs_deadline"] >= 0.25 for r in mine),
            "fewer_vs_arrival_min": min(r["fewer_weighted_vs_arrival"] for r in mine),
            "fewer_vs_arrival_40pct_every_seed": all(r["fewer_weighted_vs_arrival"] >= 0.40 for r in mine),
            "max_solve_s": max(r["solver"]["seconds"] for r in mine), "limit_s": limit,
            "lending_on_vs_off_missed_weighted": [
                (r["solver"]["missed_weighted"], o["solver"]["missed_weighted"])
                for r in mine for o in rows if not o["cross_border"] and o["signals"] == n and o["seed"] == r["seed"]],
        }
    report = {
        "machine": {"cpus": os.cpu_count(), "load_1min_before": round(load_before, 2),
                    "load_1min_after": round(os.getloadavg()[0], 2)},
        "languages_in_generator": len(PERSON_LANGUAGES),
        "instances": rows, "small_instances": small,
        "goals": {**goals, "small_at_optimum": all(r["at_optimum"] for r in small if r["proven"]),
                  "small_proven": sum(r["proven"] for r in small), "small_total": len(small),
                  "all_plans_valid": all(r[k]["violations"] == 0 for r in rows
                                         for k in ("by_arrival", "by_deadline", "solver"))},
        "seconds": round(time.perf_counter() - began, 1),
    }
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
