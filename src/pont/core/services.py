"""Writing helpers every app's services share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
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


def field_errors(model: type[models.Model], **values: Any) -> dict[str, list[str]]:
    """Return what the model's own fields say of these values (choices, limits, validators), by field name:
    for a service that checks its input before the record exists, so that each rule stays on its field."""
    errors: dict[str, list[str]] = {}
    for name, value in values.items():
        try:
            model._meta.get_field(name).clean(value, None)  # type: ignore[union-attr]
        except ValidationError as error:
            errors[name] = error.messages
    return errors


def clean_only(instance: models.Model, fields: Iterable[str]) -> None:
    """Run the model's rules on `fields` only (their limits, choices and validators, and the model's clean()):
    for a record a service changes a few fields of (HackSoft's model_update, under a row lock)."""
    keep = set(fields)
    instance.full_clean(exclude=[f.name for f in instance._meta.fields if f.name not in keep],
                        validate_unique=False, validate_constraints=False)


def collect_errors(errors: dict[str, list[str]], instance: models.Model, *, under: str | None = None,
                   **full_clean: Any) -> None:
    """Validate `instance` (full_clean: its fields' rules and its clean()) and add its messages to `errors`,
    under `under` when given, so that a service reports them together with its own rules."""
    try:
        instance.full_clean(**full_clean)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(under or name, []).extend(messages)
