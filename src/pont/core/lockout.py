"""Login lockout: django-axes' per-username-and-address limit, plus a limit per address over all usernames.

Axes counts failures per (username, address): an attacker spraying one password over many usernames never
reaches it. This handler also locks an address once its failures over every username reach
settings.AXES_ADDRESS_FAILURE_LIMIT within the same cool-off period — higher than the per-username limit,
so that colleagues behind one office or shelter address who mistype are not locked out together. A
successful login clears only that username's failures (axes' AXES_RESET_ON_SUCCESS), so logging in to
one's own account does not reset a spray.
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def address_failures(request) -> int:
    """Return the failed logins from the request's address, over all usernames, within the cool-off period."""
    total = AccessAttempt.objects.filter(
        ip_address=request.axes_ip_address, attempt_time__gte=get_cool_off_threshold(request),
    ).aggregate(total=Sum("failures_since_start"))["total"]
    return total or 0


class AddressLimitHandler(AxesDatabaseHandler):
    """Axes' database handler, locking an address too after AXES_ADDRESS_FAILURE_LIMIT failures."""

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        return bool(getattr(settings, "AXES_LOCK_OUT_AT_FAILURE", True)) and \
            address_failures(request) >= settings.AXES_ADDRESS_FAILURE_LIMIT

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and not getattr(request, "axes_locked_out", False) \
                and self.is_locked(request, credentials):
            request.axes_locked_out = True  # the failure that reached the address limit already answers "locked"
            request.axes_credentials = credentials
