"""The evaluation extracts: a person-level, pseudonymised table for the funder's evaluator, made by a background
task (reporting.tasks.extract_work) and kept until the coordinator deletes it."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField


class ExtractStatus(models.TextChoices):
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Could not be prepared")


class Extract(models.Model):
    """One extract: who asked, for which period and filters, how far the task is, and the file (gzip CSV).

    The export key the coordinator supplies is kept encrypted only while the task runs, then erased; its
    fingerprint stays, so the coordinator can tell that a later extract used the same key (same pseudonyms).
    """

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    since = models.DateField(_("from"))
    until = models.DateField(_("until"))
    filters = models.JSONField(default=dict, blank=True)
    key = EncryptedCharField(_("export key"), max_length=200, null=True, blank=True,
                             validators=[MinLengthValidator(16)])
    key_fingerprint = models.CharField(_("key fingerprint"), max_length=12, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ExtractStatus.choices,
                              default=ExtractStatus.RUNNING)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    rows = models.PositiveIntegerField(_("people"), default=0)
    data = models.BinaryField(null=True, blank=True, editable=False)  # gzip of the CSV
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("evaluation extract")
        verbose_name_plural = _("evaluation extracts")

    def __str__(self) -> str:
        return f"extract {self.pk} ({self.since}–{self.until})"
