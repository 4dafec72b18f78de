"""API authentication: hashed bearer tokens for integrations, the session for the browser."""

from __future__ import annotations

from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from pont.core.middleware import activate_user_language
from pont.core.models import ApiToken


class BearerToken(HttpBearer):
    """`Authorization: Bearer pont_…`: the token acts with its user's scope until revoked."""

    def authenticate(self, request, token: str):
        if not token or len(token) > 200:
            return None
        record = ApiToken.objects.active().select_related("user").filter(key_hash=ApiToken.hash(token)).first()
        if record is None:
            return None
        # Write last use at most once a minute: one write per call would serialise busy integrations.
        now = timezone.now()
        if record.last_used_at is None or (now - record.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
        request.user = record.user
        if "HTTP_ACCEPT_LANGUAGE" not in request.META:
            activate_user_language(request, record.user)
        return record.user


class Session(SessionAuth):
    """The browser's session (CSRF-checked for writes by django-ninja)."""


API_AUTH = [BearerToken(), Session()]


def token_issue(*, user, name: str = "") -> tuple[ApiToken, str]:
    """Create a token for `user`; return it with the raw key, which is shown once and never stored."""
    from pont.audit.services import audit

    raw = ApiToken.new_raw_key()
    token = ApiToken.objects.create(user=user, name=name, key_hash=ApiToken.hash(raw), hint=raw[:10])
    audit(actor=user, verb="api_token.issued", obj=token)
    return token, raw


def token_revoke(*, token: ApiToken, by) -> None:
    from pont.audit.services import audit

    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit(actor=by, verb="api_token.revoked", obj=token)
