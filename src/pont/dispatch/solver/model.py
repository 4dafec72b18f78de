"""Plain data the dispatch engines take and return: no Django, no OR-Tools.

Times are whole minutes counted from the start of the planning window (minute 0 = "now");
a signal that arrived before that has a negative ``arrival``.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field

THERAPIST = "therapist"
SOCIAL_WORKER = "social_worker"
INTERPRETER = "interpreter"
AMBASSADOR = "ambassador"
PROFESSIONAL_ROLES = frozenset({THERAPIST, SOCIAL_WORKER})
COMPANION_ROLES = frozenset({INTERPRETER, AMBASSADOR})
CATEGORIES = ("A", "B", "C", "D", "E")
# Peer ambassadors never go alone to these (WHO's PM+ is not for people at imminent risk).
HIGH_RISK = frozenset({"A", "B", "C"})
# How much a missed target or a minute of lateness weighs, per triage category.
CATEGORY_WEIGHTS = {"A": 1000, "B": 100, "C": 10, "D": 3, "E": 1}


class Reason(enum.StrEnum):
    """Why a signal gets no visit in the plan (the Django side translates these)."""

    NO_PROFESSIONAL = "no_professional"  # nobody in the teams has the role the signal needs
    NO_LANGUAGE = "no_language"  # nobody able to go speaks one of the person's languages
    NO_TIME = "no_time"  # qualified people exist, but no working window fits the visit and the travel
    SPEAKER_BUSY = "speaker_busy"  # who speaks the language is on other visits until after the window
    PROFESSIONAL_BUSY = "professional_busy"  # who has the role is on other visits until after the window
    CAPACITY = "capacity"  # it would fit, but the time went to more urgent signals


@dataclass(frozen=True)
class Signal:
    """An open, triaged distress signal waiting for a visit."""

    id: int | str
    category: str  # "A" … "E"
    arrival: int  # minutes, usually <= 0
    deadline: int  # minutes: arrival + the category's response target
    lat: float
    lon: float
    languages: frozenset[str]  # empty = unknown: nobody can be checked against it
    needs: str = SOCIAL_WORKER  # THERAPIST when clinically flagged
    duration: int = 60
    country: str = ""
    area: object = None  # the region the visit is in (members lent for some areas only go there)

    @property
    def place(self) -> tuple[float, float]:
        return (self.lat, self.lon)


@dataclass(frozen=True)
class Busy:
    """A visit already planned for a member: it stays where it is, and they must travel to and from it."""

    start: int
    end: int
    lat: float
    lon: float

    @property
    def place(self) -> tuple[float, float]:
        return (self.lat, self.lon)


@dataclass(frozen=True)
class Member:
    """A mobile-team member who can be sent on visits; they leave from and return to their base."""

    id: int | str
    role: str
    languages: frozenset[str]
    lat: float
    lon: float
    windows: tuple[tuple[int, int], ...]  # working hours, (start, end) minutes, not overlapping
    country: str = ""
    busy: tuple[Busy, ...] = ()
    areas: frozenset = frozenset()  # a lent member's areas (signal.area values); empty = anywhere
    organisation: object = None  # the member's own organisation (a lent member's differs from the signals')

    @property
    def place(self) -> tuple[float, float]:
        return (self.lat, self.lon)


@dataclass(frozen=True)
class Instance:
    """Everything a planning run needs; ``horizon`` closes the window [0, horizon)."""

    signals: tuple[Signal, ...]
    members: tuple[Member, ...]
    horizon: int
    travel: object = None  # a Travel (see travel.py); None = GreatCircle() defaults
    cross_border: bool = True  # False: members only go to signals in their own country


@dataclass(frozen=True)
class Visit:
    """One planned visit: who goes, when."""

    signal_id: int | str
    member_ids: tuple[int | str, ...]
    start: int
    end: int


@dataclass(frozen=True)
class Unserved:
    signal_id: int | str
    reason: Reason


@dataclass
class Plan:
    """What an engine proposes: visits and the signals left without one, each with why."""

    visits: list[Visit]
    unserved: list[Unserved]
    method: str = ""
    status: str = ""
    solve_seconds: float = 0.0
    stages: list[dict] = field(default_factory=list)

    def visit_for(self, signal_id) -> Visit | None:
        return next((v for v in self.visits if v.signal_id == signal_id), None)


@dataclass(frozen=True)
class Options:
    """Solver settings.

    The search is deterministic for a seed (one worker, or interleaved workers); the result is
    reproducible when the budget is ``deterministic_limit`` (CP-SAT's deterministic time, summed
    over the stages) rather than wall-clock ``time_limit`` seconds.
    """

    time_limit: float = 8.0
    deterministic_limit: float = 0.0
    seed: int = 0
    workers: int = 1
    exact_arc_budget: int = 25_000  # above this many routing arcs, use the scalable (padded) model
    max_professionals: int = 10  # candidates kept per signal in the scalable model
    max_companions: int = 6
    weights: dict = field(default_factory=lambda: dict(CATEGORY_WEIGHTS))
    force_model: str = ""  # "exact" or "padded" to override the choice (benchmarks, tests)
    progress: Callable[[str, float], None] | None = None  # called with (stage, share done 0–1) as it goes
