"""Care indicators computed from plain rows (no Django): response times against targets, language match."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class SignalRow:
    category: str
    team: str            # "" when no team was assigned yet
    country: str
    minutes_to_contact: float | None  # None: no first contact yet
    target_minutes: int


@dataclass(frozen=True)
class VisitRow:
    team: str
    country: str
    language_spoken: bool


def percentile(values: list[float], q: float) -> float | None:
    """Return the q-th percentile (0–100) by the nearest-rank method, or None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def _times(rows: list[SignalRow]) -> dict:
    done = [r.minutes_to_contact for r in rows if r.minutes_to_contact is not None]
    within = [r for r in rows if r.minutes_to_contact is not None and r.minutes_to_contact <= r.target_minutes]
    return {
        "signals": len(rows),
        "contacted": len(done),
        "median_minutes": percentile(done, 50),
        "p90_minutes": percentile(done, 90),
        "within_target": len(within),
        "within_target_share": round(len(within) / len(done), 3) if done else None,
    }


def _language(rows: list[VisitRow]) -> dict:
    spoken = sum(1 for r in rows if r.language_spoken)
    return {"visits": len(rows), "language_spoken": spoken,
            "language_share": round(spoken / len(rows), 3) if rows else None}


def compute(signals: Iterable[SignalRow], visits: Iterable[VisitRow], categories: str = "ABCDE",
            targets: dict[str, int] | None = None) -> dict:
    """Return signals by category, time to first contact (median, 90th percentile, share within target)
    per category, and the share of visits where someone spoke the person's language, by team and country."""
    signals, visits = list(signals), list(visits)
    by_category = []
    for category in categories:
        rows = [r for r in signals if r.category == category]
        target = (targets or {}).get(category)
        if target is None and rows:
            target = rows[0].target_minutes
        by_category.append({"category": category, "target_minutes": target, **_times(rows)})
    groups = []
    for key in ("team", "country"):
        names = sorted({getattr(r, key) for r in signals} | {getattr(v, key) for v in visits})
        for name in names:
            groups.append({
                "by": key, "name": name,
                **_times([r for r in signals if getattr(r, key) == name]),
                **_language([v for v in visits if getattr(v, key) == name]),
            })
    return {"total": _times(signals) | _language(visits), "by_category": by_category,
            "by_team": [g for g in groups if g["by"] == "team"],
            "by_country": [g for g in groups if g["by"] == "country"]}
