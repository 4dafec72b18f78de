"""Request-scoped wiring: trusted proxies, refused NUL characters, the second factor's lifetime, the user's
chosen language and a request id for the audit trail."""

import contextlib
import json
import uuid
from contextvars import ContextVar

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from pont.core import second_factor
from pont.core.client_ip import is_trusted_proxy

_request_id: ContextVar[str] = ContextVar("pont_request_id", default="")
_caller_request_id: ContextVar[str] = ContextVar("pont_caller_request_id", default="")
_channel: ContextVar[str] = ContextVar("pont_channel", default="cli")


def current_request_id() -> str:
    return _request_id.get()


def current_caller_request_id() -> str:
    """Return the X-Request-ID the caller sent (kept apart: a caller must not choose Pont's own id)."""
    return _caller_request_id.get()


def current_channel() -> str:
    return _channel.get()


def set_channel(channel: str) -> None:
    _channel.set(channel)


def activate_user_language(request, user) -> None:
    """Speak the user's saved language unless this request asked for one explicitly."""
    if getattr(user, "language", "") and not request.GET.get("lang"):
        translation.activate(user.language)
        request.LANGUAGE_CODE = user.language


class UserLanguageMiddleware:
    """Use the language a signed-in user chose (LocaleMiddleware already guessed from the browser)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            activate_user_language(request, user)
        return self.get_response(request)


class RequestIdMiddleware:
    """Give every request an id of Pont's own that audit events carry (answered as X-Request-ID); the
    caller's X-Request-ID, if any, is kept beside it (printable ASCII, at most 64 characters)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = str(uuid.uuid4())
        given = request.headers.get("X-Request-ID", "")
        caller = given[:64] if given.isascii() and given.isprintable() else ""
        request.request_id = rid
        token_id = _request_id.set(rid)
        token_caller = _caller_request_id.set(caller)
        token_ch = _channel.set("api" if request.path.startswith("/api/") else "ui")
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token_id)
            _caller_request_id.reset(token_caller)
            _channel.reset(token_ch)
        response["X-Request-ID"] = rid
        return response


class TrustedProxyMiddleware:
    """Drop the forwarded headers (client address, HTTPS) of requests that do not come from a trusted proxy.

    First in MIDDLEWARE: Django's SECURE_PROXY_SSL_HEADER believes whoever sends the header, so a client that
    talks to Pont directly could otherwise claim HTTPS, or a made-up address to dodge the login lockout.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_trusted_proxy(request.META.get("REMOTE_ADDR", "")):
            request.META.pop(settings.CLIENT_IP_HEADER, None)
            ssl_header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
            if ssl_header:
                request.META.pop(ssl_header[0], None)
        return self.get_response(request)


NUL = "\x00"


def _json_nul_locations(value, loc: list) -> list[list]:
    """Return the locations of the strings (keys included) holding a NUL in a parsed JSON document."""
    found: list[list] = []
    if isinstance(value, str):
        if NUL in value:
            found.append(loc)
    elif isinstance(value, dict):
        for key, item in value.items():
            found += [[*loc, key]] if NUL in key else _json_nul_locations(item, [*loc, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _json_nul_locations(item, [*loc, index])
    return found


def _query_nul_locations(query, where: str) -> list[list]:
    return [[where, key] for key, values in query.lists() if NUL in key or any(NUL in v for v in values)]


def nul_locations(request) -> list[list]:
    """Return where a request carries a NUL character: [["query", "q"], ["body", "notes", 0, "text"], …]."""
    found: list[list] = [["path"]] if NUL in request.path else []
    found += [["header", key[5:].replace("_", "-").title()] for key, value in request.META.items()
              if key.startswith("HTTP_") and key != "HTTP_COOKIE" and isinstance(value, str) and NUL in value]
    found += _query_nul_locations(request.GET, "query")
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        content_type = request.content_type or ""
        if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            found += _query_nul_locations(request.POST, "body")
            found += [["body", key] for key, upload in request.FILES.items() if NUL in (upload.name or "")]
        elif content_type == "application/json" or content_type.endswith("+json"):
            body = request.body
            if b"\\u0000" in body or b"\x00" in body:  # parse again only when a NUL may be there
                with contextlib.suppress(ValueError):  # not JSON: the API answers that itself
                    found += _json_nul_locations(json.loads(body), ["body"])
    return found


class RefuseNulMiddleware:
    """Refuse any request with a NUL character (U+0000) in its path, query, form or JSON body, or headers.

    PostgreSQL text cannot hold NUL: it would reach the database as a 500 from whichever field or filter let
    it through. One refusal at the boundary instead, as a field error: the API answers 422 with the error
    shape of pont/api.py (`{"detail": [{"loc": ["query", "q"], "msg": …, "type": "value_error"}]}`), pages
    answer 400 in the user's language. A cookie holding a NUL is dropped (as if it were absent): the user
    cannot mend a cookie, and the session's would reach the database.

    Placed before SessionMiddleware, so the cookies are clean before anyone reads them; the input is checked
    in process_view, when the user and their language are known and the URL was found.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name in [name for name, value in request.COOKIES.items() if NUL in name or NUL in value]:
            del request.COOKIES[name]
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        locations = nul_locations(request)
        if not locations:
            return None
        message = _("Null characters are not allowed.")
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": [{"loc": loc, "msg": message, "type": "value_error"}
                                            for loc in locations]}, status=422)
        return render(request, "core/bad_input.html", {"reason": message}, status=400)


class SecondFactorExpiryMiddleware:
    """Forget a confirmed second factor after settings.SECOND_FACTOR_MAX_AGE (a working day).

    After django-otp's OTPMiddleware: the session keeps its login (14 days), but `user.is_verified()` turns
    False once the code was confirmed too long ago, so care pages and the care API ask for a code again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        second_factor.forget_if_expired(request)
        return self.get_response(request)
