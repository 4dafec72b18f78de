"""Rules between two fields of one record, declared once beside the model.

A model lists its `When` rules and checks them in `clean()`, so `full_clean()` — called by services and by
ModelForms — applies them everywhere; `pont.core.schemas.conditions` writes the same rules into the API
schema as JSON Schema `if`/`then`, so that a client reads the rule before sending the request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.utils.functional import Promise

EMPTY = (None, "")


@dataclass(frozen=True)
class When:
    """When `field` equals `value`, the field `then` must be given, be empty, or be true (`must`)."""

    field: str
    value: Any
    then: str
    must: Literal["given", "empty", "true"]
    message: str | Promise

    def broken_by(self, values: dict[str, Any]) -> bool:
        """Return whether these field values break the rule."""
        if values.get(self.field) != self.value:
            return False
        other = values.get(self.then)
        if self.must == "given":
            return other in EMPTY
        if self.must == "empty":
            return other not in EMPTY
        return other is not True


def check(instance: Any, rules: Iterable[When]) -> None:
    """Raise a ValidationError naming the field of each rule the instance breaks (for `Model.clean()`)."""
    rules = list(rules)
    names = {name for rule in rules for name in (rule.field, rule.then)}
    values = {name: getattr(instance, name) for name in names}
    errors = {rule.then: rule.message for rule in rules if rule.broken_by(values)}
    if errors:
        raise ValidationError(errors)
