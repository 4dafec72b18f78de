"""Dispatch benchmark: CP-SAT planner vs the by-hand greedy baseline, and vs the proven optimum on
small instances. Prints JSON. A script, never a test: `.venv/bin/python bench/dispatch.py`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))

from pont.dispatch.solver import Options, figures, greedy, solve, validate
from pont.dispatch.solver.generate import PERSON_LANGUAGES, instance
from pont.dispatch.solver.metrics import objective

SIZES = [(20, 10), (100, 25), (300, 40)]
SMALL = [(8, 4), (10, 5), (12, 6)]


def _gap(best: tuple, found: tuple) -> float:
    """Relative gap on the first objective component where the two plans differ (0 = as good)."""
    for b, f in zip(best, found, strict=True):
        if round(f, 6) != round(b, 6):
            return round((f - b) / max(abs(b), 1e-9), 4) if f > b else round(-(b - f) / max(abs(b), 1e-9), 4)
    return 0.0


def compare(n_signals: int, n_members: int, seed: int, options: Options) -> dict:
    inst = instance(n_signals, n_members, seed=seed, days=3)
    began = time.perf_counter()
    by_hand = greedy(inst)
    greedy_s = time.perf_counter() - began
    plan = solve(inst, options)
    g, s = figures(inst, by_hand), figures(inst, plan)
    row = {
        "signals": n_signals, "members": n_members, "seed": seed,
        "countries": sorted({m.country for m in inst.members}),
        "languages_asked": len({lang for sig in inst.signals for lang in sig.languages}),
        "greedy": {**g.as_dict(), "solve_s": round(greedy_s, 2), "violations": len(validate(inst, by_hand))},
        "solver": {**s.as_dict(), "solve_s": round(plan.solve_seconds, 2), "model": plan.method,
                   "status": plan.status, "violations": len(validate(inst, plan))},
    }
    if g.missed:
        row["fewer_missed"] = round(1 - s.missed / g.missed, 3)
    if g.missed_weighted:
        row["fewer_missed_weighted"] = round(1 - s.missed_weighted / g.missed_weighted, 3)
    return row


def optimum(n_signals: int, n_members: int, seed: int, options: Options, proof_limit: float) -> dict:
    inst = instance(n_signals, n_members, seed=seed, days=1)
    best = solve(inst, Options(time_limit=proof_limit, force_model="exact", seed=options.seed))
    normal = solve(inst, options)
    padded = solve(inst, Options(time_limit=options.time_limit, force_model="padded"))
    ob, on, op = objective(inst, best), objective(inst, normal), objective(inst, padded)
    return {
        "signals": n_signals, "members": n_members, "seed": seed,
        "proven": all(st["status"] == "OPTIMAL" for st in best.stages) and len(best.stages) == 4,
        "optimum": ob, "solver": on, "solver_model": normal.method, "solver_s": round(normal.solve_seconds, 2),
        "gap": _gap(ob, on), "padded_only": op, "padded_only_gap": _gap(ob, op),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--time-limit", type=float, default=8.0)
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--proof-limit", type=float, default=60.0)
    args = parser.parse_args()
    options = Options(time_limit=args.time_limit)
    began = time.perf_counter()
    rows = [compare(n, m, seed, options) for n, m in SIZES for seed in range(args.seeds)]
    small = [optimum(n, m, seed, options, args.proof_limit) for n, m in SMALL for seed in range(args.seeds)]
    largest = [r for r in rows if r["signals"] == 300]
    missing = [r for r in rows if r["greedy"]["missed"]]
    report = {
        "machine": {"cpus": os.cpu_count(), "load_1min": round(os.getloadavg()[0], 2)},
        "options": {"time_limit_s": options.time_limit, "workers": options.workers, "seed": options.seed},
        "languages_in_generator": len(PERSON_LANGUAGES),
        "instances": rows,
        "small_instances": small,
        "goals": {
            "300x40_within_10s": all(r["solver"]["solve_s"] <= 10 for r in largest),
            "max_solve_s_300x40": max(r["solver"]["solve_s"] for r in largest),
            "fewer_missed_min": min((r["fewer_missed"] for r in missing), default=None),
            "fewer_missed_weighted_min": min((r.get("fewer_missed_weighted", 1.0) for r in missing), default=None),
            "fewer_missed_25pct": all(r["fewer_missed"] >= 0.25 for r in missing),
            "max_gap_small": max(r["gap"] for r in small),
            "within_2pct_small": all(r["gap"] <= 0.02 for r in small),
            "all_plans_valid": all(r["solver"]["violations"] == 0 and r["greedy"]["violations"] == 0 for r in rows),
        },
        "seconds": round(time.perf_counter() - began, 1),
    }
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
