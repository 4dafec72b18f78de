"""Field validators shared by the models (a field's limits live on the field)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pont.core.i18n import is_country_code, is_language_code


def not_in_future(value: dt.date) -> None:
    if value is not None and value > timezone.localdate():
        raise ValidationError(_("This date cannot be in the future."), code="future")


def plausible_birth_date(value: dt.date) -> None:
    today = timezone.localdate()
    if value is None:
        return
    if value > today:
        raise ValidationError(_("The date of birth cannot be in the future."), code="future")
    if value < today.replace(year=today.year - 120):
        raise ValidationError(_("The date of birth is more than 120 years ago."), code="too_old")


def country_code(value: str) -> None:
    if value and not is_country_code(value):
        raise ValidationError(_("Unknown country code (ISO 3166, e.g. SY)."), code="country")


def language_code(value: str) -> None:
    if value and not is_language_code(value):
        raise ValidationError(_("Unknown language code: %(code)s (ISO 639-3, e.g. ara)."), code="language",
                              params={"code": value})
