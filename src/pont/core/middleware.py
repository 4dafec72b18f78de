"""Request-scoped wiring: the user's chosen language and a request id for the audit trail."""

import uuid
from contextvars import ContextVar

from django.utils import translation

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
