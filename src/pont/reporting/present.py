"""How an indicator's value reads, in the active language: one rule for the page, the charts and the
infographic (the exports keep the raw numbers)."""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import ngettext

from pont.core.i18n import duration_text


def value_text(unit: str, value: float | int | None) -> str:
    if value is None:
        return "—"
    if unit == "share":
        return formats.number_format(round(100 * float(value)), use_l10n=True) + " %"
    if unit == "minutes":
        return duration_text(float(value))
    if unit == "days":
        days = round(float(value))
        return ngettext("%(n)s day", "%(n)s days", days) % {"n": formats.number_format(days, use_l10n=True)}
    if float(value).is_integer():
        return formats.number_format(int(value), force_grouping=True, use_l10n=True)
    return formats.number_format(value, decimal_pos=1, use_l10n=True)
