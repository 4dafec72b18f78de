"""The offer catalogue: what a partner can do for a person, across the border.

An `Offer` is a service of a partner that is not one of its employment programmes (those are in the
catalogue as they are: `selectors.catalogue` reads both, so a programme is never copied). Its eligibility
rules are the programme's (`employment.eligibility`), kept as data in the same fields.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pont.core.models import Municipality, Organisation, Region
from pont.core.validators import EachOf, language_code, language_codes
from pont.employment.choices import RightToWorkRule
from pont.network.choices import OfferKind, ReferralOutcome, ReferralStatus, SharedField
from pont.people.choices import Cefr, LegalStatusKind


class Offer(models.Model):  # type: ignore[django-manager-missing]  # modeltranslation (see core.Region)
    """A service a partner offers: a language course, diploma recognition, childcare, legal advice…

    Title and description are translated (fr/nl/en, translation.py).
    """

    hsds_id = models.UUIDField(_("HSDS identifier"), default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="offers",
                                     verbose_name=_("organisation"))
    kind = models.CharField(_("kind"), max_length=32, choices=OfferKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("where"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    languages = models.JSONField(_("given in"), default=list, blank=True, validators=[language_codes],
                                 help_text=_("ISO 639-3 codes of the languages the offer is given in."))
    # Eligibility, as in employment.Programme (empty = no condition).
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True,
                                               validators=[MaxValueValidator(120)])
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True,
                                               validators=[MaxValueValidator(120)])
    legal_statuses = models.JSONField(_("legal statuses admitted"), default=list, blank=True,
                                      validators=[EachOf(LegalStatusKind, 20)],
                                      help_text=_("Empty: every legal status."))
    right_to_work = models.CharField(_("right to work"), max_length=16, choices=RightToWorkRule.choices,
                                     default=RightToWorkRule.NOT_REQUIRED)
    min_language = models.CharField(_("language required"), max_length=3, blank=True, validators=[language_code],
                                    help_text=_("ISO 639-3 code, e.g. nld; empty: none."))
    min_language_level = models.CharField(_("minimum level"), max_length=6, choices=Cefr.choices, blank=True)
    regions = models.ManyToManyField(Region, blank=True, related_name="+", verbose_name=_("area served"),
                                     help_text=_("Regions whose residents it serves; empty: anyone."))
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True, help_text=_("Empty: no limit."))
    waiting_weeks = models.PositiveSmallIntegerField(_("current waiting time (weeks)"), null=True, blank=True,
                                                     validators=[MaxValueValidator(104)])
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    cost_eur = models.DecimalField(_("cost (EUR)"), max_digits=8, decimal_places=2, null=True, blank=True,
                                   validators=[MinValueValidator(0)], help_text=_("Empty or 0: free."))
    valid_from = models.DateField(_("from"), null=True, blank=True)
    valid_until = models.DateField(_("until"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organisation__name", "kind", "id"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [
            models.CheckConstraint(condition=models.Q(valid_until__isnull=True) | models.Q(valid_from__isnull=True)
                                   | models.Q(valid_until__gte=models.F("valid_from")), name="offer_dates_in_order"),
            models.CheckConstraint(condition=models.Q(max_age__isnull=True) | models.Q(min_age__isnull=True)
                                   | models.Q(max_age__gte=models.F("min_age")), name="offer_ages_in_order"),
        ]

    def __str__(self) -> str:
        return self.title


class Referral(models.Model):
    """An adviser sends a person of their scope to another organisation's offer (or programme), with the
    fields they chose to share; the receiver accepts (the person gets a file there), declines or closes it.

    `shared` holds what travelled, as it was when sent (`services.referral_send`); it is emptied when the
    consent it travelled under is withdrawn before the receiver made the person part of its own file.
    """

    NOTE_LIMIT = 2000

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="referrals")
    from_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="referrals_sent",
                                          verbose_name=_("from"))
    to_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="referrals_received",
                                        verbose_name=_("to"))
    offer = models.ForeignKey(Offer, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals",
                              verbose_name=_("offer"))
    programme = models.ForeignKey("employment.Programme", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="referrals", verbose_name=_("programme"))
    reason = models.TextField(_("reason for the referral"), max_length=1000)
    fields = models.JSONField(_("shared"), default=list, blank=True, validators=[EachOf(SharedField, 10)])
    note = models.TextField(_("note"), max_length=NOTE_LIMIT, blank=True)
    shared = models.JSONField(default=dict, blank=True)  # what travelled (see the docstring)
    consent = models.ForeignKey("people.Consent", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("consent"))
    override_justification = models.TextField(_("why without the person's consent"), max_length=1000, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ReferralStatus.choices,
                              default=ReferralStatus.SENT)
    decline_reason = models.TextField(_("why declined"), max_length=1000, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=ReferralOutcome.choices, blank=True)
    file = models.ForeignKey("people.PersonFile", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("file opened"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [models.CheckConstraint(
            condition=models.Q(offer__isnull=False, programme__isnull=True)
            | models.Q(offer__isnull=True, programme__isnull=False), name="referral_offer_or_programme")]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.to_organisation}"

    @property
    def target(self):
        return self.offer if self.offer_id else self.programme

    @property
    def target_title(self) -> str:
        if self.offer is not None:
            return self.offer.title
        return self.programme.name if self.programme is not None else ""

    @property
    def cross_border(self) -> bool:
        return self.from_organisation.country != self.to_organisation.country


class ReferralEvent(models.Model):
    """One step of a referral's history, which both sides see: sent, accepted, declined, closed…"""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=12, choices=ReferralStatus.choices)
    note = models.TextField(_("note"), max_length=1000, blank=True)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("referral step")
        verbose_name_plural = _("referral steps")

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.status}"
