"""A person Pont supports, the files organisations hold on them, languages, legal status, consents."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pont.core.models import Municipality, Organisation, Region
from pont.core.roles import Country
from pont.core.validators import REQUIRED, country_code, language_code, plausible_birth_date
from pont.people.choices import Cefr, ConsentGiver, ConsentPurpose, LabourStatus, LegalStatusKind, Sex

# Django says "cannot be blank/null" of a required field; people read "This field is required." everywhere.


class Person(models.Model):
    """A refugee, asylum seeker or unaccompanied minor followed by at least one partner organisation."""

    reference = models.CharField(_("reference number"), max_length=32, unique=True,
                                 error_messages={**REQUIRED,
                                                 "unique": _("Another person already has this reference number.")})
    given_name = models.CharField(_("given name"), max_length=100, error_messages=REQUIRED)
    family_name = models.CharField(_("family name"), max_length=100, error_messages=REQUIRED)
    # Lower-case ASCII "given family", kept by the service for accent-tolerant search.
    search_name = models.CharField(max_length=210, db_index=True, editable=False)
    date_of_birth = models.DateField(_("date of birth"), db_index=True, validators=[plausible_birth_date],
                                     error_messages=REQUIRED)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, error_messages=REQUIRED)
    nationality = models.CharField(_("nationality"), max_length=2, blank=True, validators=[country_code],
                                   help_text=_("ISO 3166 country code; empty if stateless or unknown."))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("region of residence"), error_messages=REQUIRED)
    municipality = models.ForeignKey(Municipality, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("municipality of residence"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    unaccompanied_minor = models.BooleanField(_("unaccompanied minor"), default=False, error_messages=REQUIRED)
    guardian_name = models.CharField(_("guardian"), max_length=200, blank=True)
    guardian_contact = models.CharField(_("guardian's contact"), max_length=200, blank=True)
    # Denormalised from the legal-status history by the service, to filter long lists fast.
    current_status = models.CharField(_("legal status"), max_length=32, choices=LegalStatusKind.choices,
                                      blank=True, db_index=True)
    labour_status = models.CharField(_("labour-market status at entry"), max_length=24,
                                     choices=LabourStatus.choices, blank=True, default="", db_default="",
                                     help_text=_("When the person entered the programme (the funder counts it)."))
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        # The person list's order: its first page reads 25 index entries instead of sorting everyone
        # in scope (bench/people_list.py: ~190 ms → <1 ms of SQL at 100,000 people on SQLite).
        indexes = [models.Index(fields=["family_name", "given_name", "id"], name="person_list_order"),
                   # The adviser's home lists the people registered last: read backwards, never sorted.
                   models.Index(fields=["created_at", "id"], name="person_registered_order")]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name} ({self.reference})"

    def clean(self) -> None:
        """Rules that span several fields: the residence, the unaccompanied minor and their guardian."""
        errors: dict[str, Any] = {}
        municipality = self.municipality if self.municipality_id is not None else None
        if municipality is not None and self.region_id is not None and municipality.region_id != self.region_id:
            errors["municipality"] = _("This municipality is not in the chosen region.")
        for name in ("given_name", "family_name", "guardian_name"):
            setattr(self, name, (getattr(self, name) or "").strip())
        # References are compared without case: kept in capitals, "pt-26-ab12" is "PT-26-AB12".
        self.reference = (self.reference or "").strip().upper()
        if self.unaccompanied_minor:
            if self.date_of_birth is not None and self.age() >= 18:
                errors["unaccompanied_minor"] = _("An unaccompanied minor must be under 18.")
            if not self.guardian_name:
                errors["guardian_name"] = _("An unaccompanied minor has a guardian: give their name.")
        if errors:
            raise ValidationError(errors)

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def age(self, on: dt.date | None = None) -> int:
        on = on or timezone.localdate()
        dob = self.date_of_birth
        return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))

    @property
    def country_of_residence(self) -> str:
        return self.region.country


class PersonFile(models.Model):
    """An organisation's file on a person: what puts the person in that organisation's scope."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="files")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="person_files",
                                     verbose_name=_("organisation"))
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                  related_name="+")
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "organisation"], name="personfile_unique")]
        indexes = [models.Index(fields=["organisation", "person"])]
        verbose_name = _("file")
        verbose_name_plural = _("files")

    def __str__(self) -> str:
        return f"{self.person.reference} @ {self.organisation}"


class PersonLanguage(models.Model):
    """A language the person speaks (ISO 639-3) and, where assessed, the CEFR level."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="languages")
    code = models.CharField(_("language"), max_length=3, db_index=True, validators=[language_code])
    level = models.CharField(_("level"), max_length=6, choices=Cefr.choices, blank=True)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["person", "code"], name="personlanguage_unique")]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self) -> str:
        return f"{self.code} {self.level}".strip()


class LegalStatus(models.Model):
    """One period of a person's legal status in one country; the history keeps every period."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="legal_statuses")
    status = models.CharField(_("status"), max_length=32, choices=LegalStatusKind.choices)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices,
                               help_text=_("Where the claim was lodged or the protection granted."))
    start_date = models.DateField(_("from"), help_text=_("Date the claim was lodged or the status granted."))
    end_date = models.DateField(_("until"), null=True, blank=True)
    decision_date = models.DateField(
        _("first-instance decision"), null=True, blank=True,
        help_text=_("For asylum seekers: when the first-instance decision was taken, if it was. "
                    "On an appeal: the decision appealed."),
    )
    # On an appeal row: the procedure it belongs to, when no claim row in the history says so
    # (right_to_work.procedure_of; docs/right-to-work.md).
    claim_date = models.DateField(
        _("asylum claim lodged on"), null=True, blank=True,
        help_text=_("On an appeal: when the asylum claim was lodged (empty: taken from the claim in the history)."),
    )
    work_authorisation_date = models.DateField(
        _("work authorisation granted on"), null=True, blank=True,
        help_text=_("For asylum seekers: when a work authorisation was granted, if it was."),
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("legal status")
        verbose_name_plural = _("legal statuses")

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({self.country}) {self.start_date}"


class Consent(models.Model):
    """Consent for one purpose: who gave it, who recorded it and when, and its withdrawal."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=32, choices=ConsentPurpose.choices)
    given_by = models.CharField(_("given by"), max_length=16, choices=ConsentGiver.choices)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("recorded by"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["purpose", "-recorded_at"]
        constraints = [
            # At most one consent in force per purpose; withdrawn ones stay as history.
            models.UniqueConstraint(fields=["person", "purpose"], condition=models.Q(withdrawn_at__isnull=True),
                                    name="consent_one_active_per_purpose"),
        ]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.person.reference})"

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


class Correction(models.Model):
    """One correction of a person's data (GDPR Art. 16): the field, the value before and after, who, when and
    why. Written by `services.person_update` for every field it changes; shown on the person's page."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="corrections")
    field = models.CharField(_("field"), max_length=40)
    old_value = models.TextField(_("before"), blank=True)
    new_value = models.TextField(_("after"), blank=True)
    reason = models.CharField(_("reason for the correction"), max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("corrected on"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")

    def __str__(self) -> str:
        return f"{self.field} of {self.person_id} on {self.at:%Y-%m-%d}"
