"""E-mail through Django's mail backend, each recipient in their own language."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation


def mail_each(users: Iterable, compose: Callable[[], tuple[str, str]]) -> int:
    """Send each user with an e-mail address the (subject, body) that `compose()` returns while their language
    is active (so its gettext calls answer in it); return how many were sent."""
    sent = 0
    for user in users:
        if not user.email:
            continue
        with translation.override(user.language or settings.LANGUAGE_CODE):
            subject, body = compose()
            send_mail(subject=subject, message=body, from_email=None, recipient_list=[user.email], fail_silently=True)
        sent += 1
    return sent
