"""A programme's places: how many are taken, and left, in the period they are counted over.

Places are counted per calendar year (Forem's workplace training: 20 a year) or in total over the
project duration (Mission Locale du Douaisis: 50 places over the project). An enrolment holds a place
from the day it is enrolled until it drops out (SEAT_STATUSES). This one rule serves the catalogue
pages, the API and the seat-taking under a row lock in `services._take_seat`.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pont.employment.choices import SEAT_STATUSES, CapacityPeriod
from pont.employment.models import Enrolment, Programme


def seats_taken(programmes, year: int) -> dict[int, int]:
    """Return programme id → places taken in the period counted on `year` (one query).

    A yearly programme counts the enrolments of `year`; a project programme counts them all.
    """
    programmes = list(programmes)
    if not programmes:
        return {}
    yearly = [p.pk for p in programmes if p.capacity_period != CapacityPeriod.PROJECT]
    project = [p.pk for p in programmes if p.capacity_period == CapacityPeriod.PROJECT]
    rows = (Enrolment.objects.filter(Q(programme_id__in=yearly, seat_year=year) | Q(programme_id__in=project),
                                     status__in=SEAT_STATUSES)
            .values("programme_id").annotate(n=Count("id")).order_by())
    return {row["programme_id"]: row["n"] for row in rows}


def seats_left(programme: Programme, taken: int) -> int | None:
    """Return the places left (None: no limit)."""
    return None if programme.capacity is None else max(programme.capacity - taken, 0)


def places_text(programme: Programme, taken: int, year: int) -> str:
    """Return "17 of 20 places taken in 2026; 3 left" / "19 of 50 places taken over the project; 31 left"."""
    if programme.capacity is None:
        return _("%(taken)s taken; no limit") % {"taken": taken}
    values = {"taken": taken, "capacity": programme.capacity, "year": year, "left": seats_left(programme, taken)}
    if programme.capacity_period == CapacityPeriod.PROJECT:
        return ngettext("%(taken)s of %(capacity)s place taken over the project; %(left)s left",
                        "%(taken)s of %(capacity)s places taken over the project; %(left)s left",
                        programme.capacity or 0) % values
    return ngettext("%(taken)s of %(capacity)s place taken in %(year)s; %(left)s left",
                    "%(taken)s of %(capacity)s places taken in %(year)s; %(left)s left",
                    programme.capacity or 0) % values


def left_text(programme: Programme, left: int) -> str:
    """Return "3 places left this year" / "31 places left over the project"."""
    if programme.capacity_period == CapacityPeriod.PROJECT:
        return ngettext("%(n)s place left over the project", "%(n)s places left over the project", left) % {"n": left}
    return ngettext("%(n)s place left this year", "%(n)s places left this year", left) % {"n": left}


def full_message(programme: Programme, year: int) -> str:
    """Return the refusal when no place is left in the period counted on `year`."""
    values = {"year": year, "capacity": programme.capacity}
    if programme.capacity_period == CapacityPeriod.PROJECT:
        return ngettext("No place left: the only place of this programme over the project is taken.",
                        "No place left: all %(capacity)s places of this programme over the project are taken.",
                        programme.capacity or 0) % values
    return ngettext("No place left in %(year)s: the only place of this programme is taken.",
                    "No place left in %(year)s: all %(capacity)s places of this programme are taken.",
                    programme.capacity or 0) % values
