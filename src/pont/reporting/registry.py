"""The indicator registry: one definition per indicator, read by the API, the dashboard, the exports and the
generated docs/indicators.md alike. A definition says what is counted and how; `compute` counts it in SQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise


@dataclass(frozen=True)
class Period:
    since: dt.date
    until: dt.date


@dataclass(frozen=True)
class Breakdown:
    code: str
    name: Promise | str


@dataclass(frozen=True)
class Indicator:
    code: str
    name: Promise | str
    definition: Promise | str
    unit: str  # people | signals | share | minutes | placements
    numerator: Promise | str
    denominator: Promise | str  # "" when the indicator is a count
    period_rule: Promise | str
    breakdowns: tuple[Breakdown, ...]
    track: str  # employment | care: who may read it (reporting.selectors)
    # compute(scope, period, breakdown code or "") -> [(key, label, value)] with key "" for the whole
    compute: Callable = field(compare=False, repr=False)
    suppress: bool = True  # counts of people are suppressed below 5; shares and times of suppressed groups too


REGISTRY: dict[str, Indicator] = {}


def unit_label(unit: str) -> str:
    from django.utils.translation import gettext as _

    return {"people": _("people"), "signals": _("signals"), "share": _("share (0 to 1)"),
            "minutes": _("minutes"), "days": _("days"), "hours": _("hours"), "enrolments": _("enrolments"),
            "employers": _("employers"), "vacancies": _("vacancies"), "proposals": _("proposals"),
            "visits": _("visits"), "points": _("points of the score")}.get(unit, unit)


def register(indicator: Indicator) -> Indicator:
    if indicator.code in REGISTRY:
        raise ValueError(f"indicator {indicator.code} registered twice")
    REGISTRY[indicator.code] = indicator
    return indicator


def _load() -> None:
    """Import the modules that register the definitions (people and jobs first, then care)."""
    from pont.reporting import care_indicators, employment_indicators, indicators  # noqa: F401


TRACKS = ("employment", "care")


def get(code: str) -> Indicator | None:
    _load()
    return REGISTRY.get(code)


def all_indicators() -> list[Indicator]:
    """Every indicator, employment's before care's, each track in the order of registration."""
    _load()
    return sorted(REGISTRY.values(), key=lambda i: TRACKS.index(i.track))
