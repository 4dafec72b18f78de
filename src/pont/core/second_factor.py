"""How long a confirmed second factor (django-otp) lasts in a session: a working day, not the whole session.

`confirm()` marks the session verified and notes when; SecondFactorExpiryMiddleware calls
`forget_if_expired()` on every request, which un-verifies a session whose code was confirmed more than
settings.SECOND_FACTOR_MAX_AGE seconds ago (or whose time is unknown: a session verified before this rule).
"""

from __future__ import annotations

import time

from django.conf import settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login

VERIFIED_AT = "pont_otp_verified_at"  # session key: when the second factor was confirmed (Unix time)


def confirm(request, device) -> None:
    """Mark this session as verified by `device` (a code it accepted just now) from this moment on."""
    otp_login(request, device)
    request.session[VERIFIED_AT] = int(time.time())


def forget_if_expired(request) -> bool:
    """Drop the session's second factor when it is older than the allowed age; return whether it was dropped."""
    session = getattr(request, "session", None)
    if session is None or DEVICE_ID_SESSION_KEY not in session:
        return False
    verified_at = session.get(VERIFIED_AT)
    age = time.time() - verified_at if isinstance(verified_at, int | float) else None
    if age is not None and 0 <= age <= settings.SECOND_FACTOR_MAX_AGE:
        return False
    del session[DEVICE_ID_SESSION_KEY]
    session.pop(VERIFIED_AT, None)
    user = getattr(request, "user", None)
    if user is not None:
        user.otp_device = None  # OTPMiddleware's lazy user: is_verified() is now False for this request too
    return True
