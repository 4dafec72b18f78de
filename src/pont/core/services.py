"""Writing helpers every app's services share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def model_update(*, instance: M, data: Mapping[str, Any], fields: Iterable[str]) -> tuple[M, list[str]]:
    """Set those of `fields` that `data` changes, validate the whole instance with `full_clean()` (the
    model's own limits, choices and cross-field rules) and save only them; return it with what changed.

    Raises ValidationError (one message per field) and saves nothing when the result is not valid.
    """
    changed = [name for name in fields if name in data and getattr(instance, name) != data[name]]
    for name in changed:
        setattr(instance, name, data[name])
    instance.full_clean()
    if changed:
        instance.save(update_fields=[getattr(instance._meta.get_field(name), "attname", name) for name in changed])
    return instance, changed
