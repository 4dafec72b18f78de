"""The JSON API under /api/v1: mounts each app's router and turns every error into a clear answer."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from pont.care.agreement_api import router as agreement_router
from pont.care.api import router as care_router
from pont.care.rota_api import router as rota_router
from pont.core.api import router as core_router
from pont.core.auth import API_AUTH
from pont.core.exceptions import Conflict
from pont.dispatch.api import router as dispatch_router
from pont.employment.api import router as employment_router
from pont.matching.api import router as matching_router
from pont.network.api import router as network_router
from pont.people.api import router as people_router
from pont.reporting.api import router as reporting_router
from pont.taxonomy.api import router as taxonomy_router

api = NinjaAPI(
    title="Pont API",
    version="1",
    description="Pont's JSON API. Authenticate with `Authorization: Bearer <token>` "
    "(`manage.py issue_token <username>`); every call acts with that user's scope.",
    auth=API_AUTH,
    urls_namespace="api",
)
api.add_router("", core_router)
api.add_router("", people_router)
api.add_router("", taxonomy_router)
api.add_router("", matching_router)
api.add_router("", employment_router)
api.add_router("", network_router)
api.add_router("", care_router)
api.add_router("", agreement_router)
api.add_router("", rota_router)
api.add_router("", dispatch_router)
api.add_router("", reporting_router)


def _pydantic_message(error: dict) -> str:
    """Return a message in the user's language for a pydantic error type (Django's own translations)."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind.startswith(("date_", "datetime_")):
        return _("Enter a valid date.")
    if kind.startswith("int_") or kind.startswith("float_"):
        return _("Enter a whole number.")
    if kind in ("enum", "literal_error"):
        return _("Select a valid choice. That choice is not one of the available choices.")
    if kind == "string_too_long":
        return _("Ensure this value has at most %(limit_value)d characters.") % {
            "limit_value": ctx.get("max_length", 0)}
    if kind.startswith("bool"):
        return _("Enter a valid value.")
    return str(error.get("msg", _("Enter a valid value.")))


def _field_loc(loc) -> list:
    """Return the location of a field without pydantic's union branches ("str-enum[Cefr]", "literal['']")."""
    return [part for part in loc if not (isinstance(part, str) and "[" in part)]


@api.exception_handler(NinjaValidationError)
def on_invalid_input(request, exc):
    detail: list[dict] = []
    for e in exc.errors:
        entry = {"loc": _field_loc(e.get("loc", [])), "msg": _pydantic_message(e),
                 "type": e.get("type", "value_error")}
        if not any(d["loc"] == entry["loc"] and d["msg"] == entry["msg"] for d in detail):
            detail.append(entry)
    return api.create_response(request, {"detail": detail}, status=422)


def _field_errors(exc: DjangoValidationError) -> list[dict]:
    """Return one entry per refused field (loc ["body", field]), or per message when no field is named."""
    if hasattr(exc, "error_dict"):
        return [
            {"loc": ["body", name], "msg": message, "type": "value_error"}
            for name, errors in exc.message_dict.items() for message in errors
        ]
    return [{"loc": ["body"], "msg": message, "type": "value_error"} for message in exc.messages]


@api.exception_handler(DjangoValidationError)
def on_refused(request, exc):
    """A service refused the write: 422 with one entry per field."""
    return api.create_response(request, {"detail": _field_errors(exc)}, status=422)


@api.exception_handler(Conflict)
def on_conflict(request, exc):
    """The record's current state refuses the request: 409, with the same entries as a 422."""
    return api.create_response(request, {"detail": _field_errors(exc)}, status=409)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return api.create_response(request, {"detail": _("Authentication required.")}, status=401)


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
