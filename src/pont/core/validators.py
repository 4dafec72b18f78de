"""Field validators shared by the models (a field's limits live on the field)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from pont.core.i18n import is_country_code, is_language_code

# A required field says so in the user's words (Django's default for a missing value is "cannot be null").
REQUIRED = {"blank": _("This field is required."), "null": _("This field is required.")}


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


@deconstructible
class EachOf:
    """A JSON list each item of which is one of a TextChoices' values, with at most `limit` items."""

    def __init__(self, choices: type[models.TextChoices], limit: int) -> None:
        self.choices, self.limit = choices, limit

    def __call__(self, value) -> None:
        if not isinstance(value, list):
            raise ValidationError(_("Enter a list of values."), code="list")
        bad = [str(v) for v in value if v not in self.choices.values]
        if bad:
            raise ValidationError(_("Select a valid choice. %(value)s is not one of the available choices."),
                                  code="invalid_choice", params={"value": ", ".join(bad)})
        if len(value) > self.limit:
            raise ValidationError(ngettext("Choose at most %(limit)d option.", "Choose at most %(limit)d options.",
                                           self.limit), code="too_many", params={"limit": self.limit})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, EachOf) and (other.choices, other.limit) == (self.choices, self.limit)


def language_codes(value) -> None:
    """A JSON list of at most ten ISO 639-3 codes."""
    if not isinstance(value, list):
        raise ValidationError(_("Enter a list of values."), code="list")
    bad = [str(c) for c in value if not is_language_code(str(c))]
    if bad:
        raise ValidationError(_("Unknown language code: %(code)s (ISO 639-3, e.g. ara)."), code="language",
                              params={"code": ", ".join(bad)})
    if len(value) > 10:
        raise ValidationError(_("Give at most ten languages."), code="too_many")
