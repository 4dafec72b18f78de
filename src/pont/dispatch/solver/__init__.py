"""The dispatch engine: plans mobile-team visits. Pure Python + OR-Tools CP-SAT, no Django.

``solve`` (CP-SAT), ``greedy`` (the by-hand baseline) and ``validate`` (an independent check of
any plan against every hard constraint) all take an ``Instance`` of plain data classes.
"""

from .candidates import candidates
from .cpsat import solve
from .explain import Explanation, Option, explain
from .greedy import greedy
from .metrics import Figures, figures, route_km
from .model import (
    AMBASSADOR,
    CATEGORIES,
    CATEGORY_WEIGHTS,
    HIGH_RISK,
    INTERPRETER,
    SOCIAL_WORKER,
    THERAPIST,
    Busy,
    Instance,
    Member,
    Options,
    Plan,
    Reason,
    Signal,
    Unserved,
    Visit,
)
from .postprocess import left_shift
from .travel import GreatCircle, Matrix, great_circle_km
from .validate import Violation, validate

__all__ = [
    "AMBASSADOR", "CATEGORIES", "CATEGORY_WEIGHTS", "HIGH_RISK", "INTERPRETER", "SOCIAL_WORKER", "THERAPIST",
    "Busy", "Explanation", "Figures", "GreatCircle", "Instance", "Matrix", "Member", "Option", "Options", "Plan",
    "Reason", "Signal",
    "Unserved", "Violation", "Visit", "candidates", "explain", "figures", "great_circle_km", "greedy", "left_shift",
    "route_km", "solve", "validate",
]
