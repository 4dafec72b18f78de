"""Refusals shared by every app's services."""

from django.core.exceptions import ValidationError


class Conflict(ValidationError):
    """The input is well formed, but the record's current state refuses it (already proposed, no longer
    open, not possible at this step…). The API answers 409; pages show it like any other refusal, since it
    is a ValidationError."""
