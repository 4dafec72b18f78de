"""What every API router shares: bounded ids, the error answers, and input fields derived from the models.

django-ninja's `ModelSchema` carries a field's type, default and maximum length, but not its validators
(bounds), its choices nor the rules between fields; `rule()` and `conditions()` read those from the model,
so a limit is written once — on the model field — and the API schema, pydantic's checks and the
services' `full_clean()` all follow it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Annotated, Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import HttpError
from pydantic import AfterValidator, BeforeValidator, ConfigDict, model_validator
from pydantic_core import PydanticCustomError

from pont.core.field_rules import EMPTY, When


def integral(value: Any) -> Any:
    """JSON's integers: 5.0 is 5 (JSON Schema says so), `true` is not 1."""
    if isinstance(value, bool):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _iso_date(value: Any) -> Any:
    """A date in a JSON body is an ISO string (pydantic's lax mode would read a number as a timestamp)."""
    if not isinstance(value, str | dt.date) and value is not None:
        raise PydanticCustomError("date_type", "Input should be a valid date")
    return value


NOT_BLANK = r"[^\s\x1c-\x1f]"


def _iso_datetime(value: Any) -> Any:
    """A date-time in a JSON body is an ISO string (never a number read as a timestamp)."""
    if not isinstance(value, str | dt.datetime) and value is not None:
        raise PydanticCustomError("datetime_type", "Input should be a valid datetime")
    return value

# Ids are 64-bit: a larger one in a path or a body is a 422, never an overflow (500) in the database.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID), BeforeValidator(integral)]


# A date in a body or query: an ISO string (even in a strict Body); a whole number: 5.0 is 5, true is not 1.
Date = Annotated[dt.date, Field(strict=False), BeforeValidator(_iso_date)]
DateTime = Annotated[dt.datetime, Field(strict=False), BeforeValidator(_iso_datetime)]
Whole = Annotated[int, BeforeValidator(integral)]
# Bounds go inside the Annotated, before the validator, so that JSON Schema shows them also when the type
# is optional (`Age | None`): `Whole | None = Field(ge=…)` would lose them from the document.
Age = Annotated[int, Field(ge=0, le=120), BeforeValidator(integral)]
Months = Annotated[int, Field(ge=1, le=120), BeforeValidator(integral)]
# For a TextChoices type in a strict Body: the JSON string is the value (strict mode wants an enum member).
LAX = Field(strict=False)


# Pont refuses a NUL character anywhere in a request (pont.core.middleware); the schema says so for text.
NO_NUL = "^[^\\x00]*$"


def _no_nul(node: Any) -> None:
    """Add NO_NUL to every free-text string schema under `node` (enums and dates are left alone)."""
    if isinstance(node, dict):
        if node.get("type") == "string" and not {"enum", "const", "format"} & set(node):
            if "pattern" in node and node["pattern"] != NO_NUL:
                node.setdefault("allOf", []).append({"pattern": NO_NUL})
            else:
                node["pattern"] = NO_NUL
        for value in node.values():
            _no_nul(value)
    elif isinstance(node, list):
        for value in node:
            _no_nul(value)


def _body_schema(schema: dict[str, Any]) -> None:
    _no_nul(schema.get("properties", {}))


class Body(Schema):
    """Base of request bodies: the body (or a nested item) must be a JSON object, and its values of the
    types the schema says (strict: `true` is not 1, `1` is not true, `"5"` is not 5; but 5.0 is 5 and a date
    is an ISO string, see `rule()` and `Id`).

    django-ninja reads a schema from any object's attributes, so `[null]` would otherwise pass as a body
    whose fields all take their defaults.
    """

    model_config = ConfigDict(strict=True, extra="forbid", json_schema_extra=_body_schema)

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data: Any) -> Any:
        if not isinstance(getattr(data, "_obj", data), dict):  # ninja hands the input over wrapped
            raise PydanticCustomError("model_type", _("Send a JSON object."))
        return data


class Error(Schema):
    detail: str


class FieldError(Schema):
    loc: list[str | int]
    msg: str
    type: str


class Invalid(Schema):
    detail: list[FieldError] = Field(..., description="One entry per refused field: where (loc) and why (msg)")


def errors(*, found: bool = True, body: bool = False, conflict: bool = False) -> dict[int, type[Schema]]:
    """Return the error answers an operation declares besides its success.

    Always 401 (no or bad token) and 422 (a parameter or field refused). `found`: 404, a record outside the
    caller's scope or rights (never 403). `body`: 400, a body that is not JSON. `conflict`: 409, a request
    the record's current state refuses (same shape as 422).
    """
    answers: dict[int, type[Schema]] = {401: Error, 422: Invalid}
    if found:
        answers[404] = Error
    if body:
        answers[400] = Error
    if conflict:
        answers[409] = Invalid
    return answers


def found(source: type[models.Model] | QuerySet, ids: list[int], field: str) -> list[Any]:
    """Return the rows of `source` (a model, or the queryset of what the caller may name) for `ids`, in their
    order and each once; a 404 names the field and the ids that name nothing."""
    wanted = list(dict.fromkeys(ids))
    rows = (source._default_manager.all() if isinstance(source, type) else source).in_bulk(wanted)
    missing = [i for i in wanted if i not in rows]
    if missing:
        raise HttpError(404, _("Not found: %(field)s %(ids)s.") % {
            "field": field, "ids": ", ".join(map(str, missing[:10]))})
    return [rows[i] for i in wanted]


def one(source: type[models.Model] | QuerySet, pk: Any, field: str, *, key: str = "pk") -> Any:
    """Return the row of `source` whose `key` is `pk`; a 404 names the field when there is none."""
    if key == "pk":
        return found(source, [pk], field)[0]
    row = (source._default_manager.all() if isinstance(source, type) else source).filter(**{key: pk}).first()
    if row is None:
        raise HttpError(404, _("Not found: %(field)s %(ids)s.") % {"field": field, "ids": pk})
    return row


def _english(text: Any) -> str | None:
    if not text:
        return None
    with translation.override("en"):
        return str(text)


def _one_of(values: list[Any], many: bool) -> Callable[[Any], Any]:
    allowed = set(values)

    def check(value: Any) -> Any:
        items = value if many else [value]
        if value is not None and any(item not in allowed for item in items):
            raise PydanticCustomError("literal_error", "Input should be one of {expected}",
                                      {"expected": ", ".join(repr(v) for v in values if v is not None)})
        return value

    return check


def choice(values: Iterable[Any], default: Any = ..., *, many: bool = False, **kwargs: Any) -> Any:
    """Return a pydantic Field whose value (or, with `many`, each item of the list) is one of `values`."""
    values = list(values)
    enum: dict[str, Any] = {"items": {"enum": values}} if many else {"enum": values}
    info = Field(default, json_schema_extra=enum, **kwargs)
    info.metadata.append(AfterValidator(_one_of(values, many)))
    return info


def rule(model: type[models.Model], name: str, *, optional: bool = False, **overrides: Any) -> Any:
    """Return a pydantic Field for the model field `name`: its default, maximum length, bounds
    (Min/MaxValueValidator), choices (listed and checked) and help text.

    A required text field must hold more than white space. `optional=True` (PATCH bodies): absent or null
    means "leave it as it is". `overrides` are pydantic Field arguments (a default, a description).
    """
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    kwargs: dict[str, Any] = {}
    if optional or field.null:
        default: Any = None
    elif field.has_default() and not callable(field.default):
        default = field.default
    elif field.blank and isinstance(field, models.CharField | models.TextField):
        default = ""
    else:
        default = ...
    if isinstance(field, models.CharField | models.TextField) and field.max_length:
        kwargs["max_length"] = field.max_length
        if not field.blank and not field.choices:
            # Something besides white space, as the services' str.strip() sees it (it also strips \x1c-\x1f).
            kwargs.update(min_length=1, pattern=NOT_BLANK)
    lows = [v.limit_value for v in field.validators if isinstance(v, MinValueValidator)]
    highs = [v.limit_value for v in field.validators if isinstance(v, MaxValueValidator)]
    if lows:
        kwargs["ge"] = max(lows)
    if highs:
        kwargs["le"] = min(highs)
    before: Any = None
    if isinstance(field, models.DateField):
        kwargs["strict"] = False  # a JSON body carries dates as ISO strings (pydantic's strict mode refuses them)
        before = BeforeValidator(_iso_date)
    elif isinstance(field, models.IntegerField):
        before = BeforeValidator(integral)
    description = _english(field.help_text)
    if description:
        kwargs["description"] = description
    default = overrides.pop("default", default)
    kwargs.update(overrides)
    if field.choices:
        values: list[Any] = [code for code, _label in field.flatchoices]
        if field.blank and "" not in values:
            values.append("")  # a blank choice field may be left empty
        info = choice([*values, None] if default is None else values, default, **kwargs)
    else:
        info = Field(default, **kwargs)
    if before is not None:
        info.metadata.append(before)  # outermost: it runs first
    return info


def years(first: int, last: int) -> dict[str, str]:
    """Return JSON Schema for a date string in the years `first` to `last` (for `json_schema_extra`)."""
    return {"pattern": "^(" + "|".join(str(year) for year in range(first, last + 1)) + ")-"}


def _condition(model: type[models.Model], when: When) -> dict[str, Any]:
    is_value: dict[str, Any] = {"required": [when.field], "properties": {when.field: {"const": when.value}}}
    field = model._meta.get_field(when.field)
    if isinstance(field, models.Field) and field.has_default() and field.default == when.value:
        is_value = {"anyOf": [is_value, {"not": {"required": [when.field]}}]}  # absent: the default applies
    then = {
        "given": {"required": [when.then], "properties": {when.then: {"not": {"enum": list(EMPTY)}}}},
        "empty": {"properties": {when.then: {"enum": list(EMPTY)}}},
        "true": {"required": [when.then], "properties": {when.then: {"const": True}}},
    }[when.must]
    return {"if": is_value, "then": then}


def conditions(model: type[models.Model], rules: Iterable[When]) -> dict[str, Any]:
    """Return the model's rules between fields as JSON Schema, for a body schema's `json_schema_extra`."""
    return {"allOf": [_condition(model, when) for when in rules]}


def empty_for_none(model: type[models.Model], values: dict[str, Any]) -> dict[str, Any]:
    """Return `values` with None turned into "" for the model's optional text fields (what a form sends).

    ModelSchema makes optional text fields nullable; the database keeps "" for "nothing".
    """
    text = {f.name for f in model._meta.get_fields()
            if isinstance(f, (models.CharField, models.TextField)) and f.blank and not f.null}
    return {k: ("" if v is None and k in text else v) for k, v in values.items()}
