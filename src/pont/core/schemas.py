"""Helpers for API schemas that derive from the models (django-ninja)."""

from __future__ import annotations

from typing import Any

from django.db import models
from ninja import Field


def choice(choices: type[models.Choices], default: Any = ..., *, blank: bool = False, **extra: Any) -> Any:
    """Return a schema field documented with the codes of `choices` (the model's own choices).

    The value is checked where every write is checked: the service's `full_clean()` answers a code that
    is not one of them with a field error (422), in the user's language.
    """
    values = [*([""] if blank else []), *choices.values]
    return Field(default, json_schema_extra={"enum": values}, **extra)


def empty_for_none(model: type[models.Model], values: dict[str, Any]) -> dict[str, Any]:
    """Return `values` with None turned into "" for the model's optional text fields (what a form sends).

    ModelSchema makes optional text fields nullable; the database keeps "" for "nothing".
    """
    text = {f.name for f in model._meta.get_fields()
            if isinstance(f, (models.CharField, models.TextField)) and f.blank and not f.null}
    return {k: ("" if v is None and k in text else v) for k, v in values.items()}
