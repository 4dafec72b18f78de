"""The audit trail: one append-only line per read of a person's data and per write (DESIGN.md)."""

from __future__ import annotations

from typing import NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs) -> NoReturn:
        raise PermissionError("Audit events are never updated.")

    def delete(self) -> NoReturn:
        raise PermissionError("Audit events are never deleted.")


class AuditEvent(models.Model):
    """One line of the audit trail: who did what to which record, about whom, when. Append-only.

    The application refuses updates and deletes (model, queryset, admin) and so does the database
    itself (triggers, `pont.audit.guard`), whatever path the SQL takes.
    """

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("actor"))
    verb = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("record type"), max_length=64)
    object_id = models.CharField(_("record"), max_length=64, blank=True)
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("person"))
    organisation = models.ForeignKey("core.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("organisation"))
    # Pont's own id for the request (generated, never taken from the caller) ...
    request_id = models.CharField(_("request"), max_length=36, blank=True)
    # ... and, separately, the X-Request-ID the caller sent, to correlate with its logs.
    caller_request_id = models.CharField(_("caller's request id"), max_length=64, blank=True)
    channel = models.CharField(_("channel"), max_length=8, default="ui")  # ui | api | cli
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["person", "-at"], name="audit_person_at_idx"),
            models.Index(fields=["organisation", "-at"], name="audit_organisation_at_idx"),
        ]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.verb} {self.object_type}#{self.object_id}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise PermissionError("Audit events are never updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs) -> NoReturn:
        raise PermissionError("Audit events are never deleted.")
