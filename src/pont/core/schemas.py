"""Helpers for API schemas that derive from the models (django-ninja).

A field with choices takes the model's TextChoices class as its type (`sex: Sex`, `level: Cefr | Literal[""]`):
pydantic checks the code and the OpenAPI document lists the codes, from the one definition.
"""

from __future__ import annotations

from typing import Any

from django.db import models


def empty_for_none(model: type[models.Model], values: dict[str, Any]) -> dict[str, Any]:
    """Return `values` with None turned into "" for the model's optional text fields (what a form sends).

    ModelSchema makes optional text fields nullable; the database keeps "" for "nothing".
    """
    text = {f.name for f in model._meta.get_fields()
            if isinstance(f, (models.CharField, models.TextField)) and f.blank and not f.null}
    return {k: ("" if v is None and k in text else v) for k, v in values.items()}
