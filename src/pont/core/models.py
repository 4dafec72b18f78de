"""Organisations, regions, staff and their roles, API tokens (the audit trail is its own app)."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pont.core.roles import ROLES_BY_KIND, Country, OrganisationKind, Role


class User(AbstractUser):
    """A member of staff (advisers, employers, care teams, coordinators) or a superuser."""

    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, blank=True,
        help_text=_("The language Pont speaks to you; empty means your browser's."),
    )


# modeltranslation gives translated models a manager class made at run time, which django-stubs cannot name.
class Region(models.Model):  # type: ignore[django-manager-missing]
    """A NUTS region of the cross-border area (FRE11 Nord, BE25 West-Vlaanderen, …)."""

    code = models.CharField(_("NUTS code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=100)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)

    class Meta:
        ordering = ["country", "code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Municipality(models.Model):
    """A town or city of the region, with its postcode and approximate coordinates (WGS84)."""

    name = models.CharField(_("name"), max_length=100)
    postcode = models.CharField(_("postcode"), max_length=10)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="municipalities",
                               verbose_name=_("region"))
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name", "postcode"], name="municipality_unique")]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return f"{self.name} ({self.postcode})"

    @property
    def country(self) -> str:
        return self.region.country


class Organisation(models.Model):  # type: ignore[django-manager-missing]  # (Programme's, see Region)
    """A partner: an employment service, a care team, a company or another body of the portfolio."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    regions = models.ManyToManyField(Region, blank=True, related_name="organisations",
                                     verbose_name=_("regions"))
    municipality = models.ForeignKey(Municipality, null=True, blank=True, on_delete=models.SET_NULL,
                                     verbose_name=_("base municipality"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A member of staff holding one role in one organisation."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships",
                                     verbose_name=_("organisation"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    since = models.DateField(_("since"), default=timezone.localdate)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique"),
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} @ {self.organisation}"

    def clean(self) -> None:
        allowed = ROLES_BY_KIND.get(self.organisation.kind, set())
        if self.role not in allowed:
            raise ValidationError({"role": _("This role does not exist in this kind of organisation.")})


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A bearer token for an integration; it acts with its user's scope. Only its hash is stored."""

    PREFIX = "pont_"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12, help_text=_("First characters, to recognise the token."))
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.hint}… ({self.user})"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def new_raw_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)
