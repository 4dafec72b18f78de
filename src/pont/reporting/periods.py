"""Reporting periods: the funder's semesters, the one-click presets and how a period is named."""

from __future__ import annotations

import datetime as dt

from django.utils import formats
from django.utils.translation import gettext as _

from pont.reporting.registry import Period


def semester_of(day: dt.date) -> Period:
    """The semester holding `day`, the funder's reporting rhythm."""
    return Period(dt.date(day.year, 1, 1), dt.date(day.year, 6, 30)) if day.month <= 6 else \
        Period(dt.date(day.year, 7, 1), dt.date(day.year, 12, 31))


def name(period: Period) -> str:
    """"1st semester 2026", "Year 2025", else its dates, in the active language."""
    if semester_of(period.since) == period:
        return (_("1st semester %(year)s") if period.since.month == 1 else _("2nd semester %(year)s")) % {
            "year": period.since.year}
    if period == Period(dt.date(period.since.year, 1, 1), dt.date(period.since.year, 12, 31)):
        return _("Year %(year)s") % {"year": period.since.year}
    return _("%(since)s to %(until)s") % {"since": formats.date_format(period.since, "DATE_FORMAT"),
                                         "until": formats.date_format(period.until, "DATE_FORMAT")}


def presets(today: dt.date) -> list[tuple[str, Period]]:
    """The periods offered in one click: this semester and the two before, this year and last year."""
    this = semester_of(today)
    last = semester_of(this.since - dt.timedelta(days=1))
    before = semester_of(last.since - dt.timedelta(days=1))
    years = [Period(dt.date(y, 1, 1), dt.date(y, 12, 31)) for y in (today.year, today.year - 1)]
    return [(name(p), p) for p in (this, last, before, *years)]
