"""The offer catalogue: what a partner can do for a person, across the border.

An `Offer` is a service of a partner that is not one of its employment programmes (those are in the
catalogue as they are: `selectors.catalogue` reads both, so a programme is never copied). Its eligibility
rules are the programme's (`employment.eligibility`), kept as data in the same fields.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pont.core.models import Municipality, Organisation, Region
from pont.core.validators import EachOf, language_code, language_codes
from pont.employment.choices import RightToWorkRule
from pont.network.choices import OfferKind, ReferralOutcome, ReferralStatus, SharedField
from pont.people.choices import Cefr, LegalStatusKind


def tag_list(value) -> None:
    """At most eight tags of at most 30 characters each."""
    if not isinstance(value, list) or any(not isinstance(t, str) or not t.strip() or len(t) > 30 for t in value):
        raise ValidationError(_("Tags are short words of at most 30 characters."), code="tags")
    if len(value) > 8:
        raise ValidationError(_("Give at most 8 tags."), code="too_many")


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


POST_LANGUAGES = [("fr", _("French")), ("nl", _("Dutch")), ("en", _("English"))]


class Post(models.Model):
    """What a thread and a reply share: who wrote it for which organisation, in which language (shown as
    such, never machine-translated), what the privacy check flagged, and its moderation."""

    TEXT_LIMIT = 5000

    text = models.TextField(_("text"), max_length=TEXT_LIMIT)
    language = models.CharField(_("written in"), max_length=2, choices=POST_LANGUAGES)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    flags = models.JSONField(default=list, blank=True)  # what the privacy check saw (services.privacy_flags)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    hidden_reason = models.CharField(_("why hidden"), max_length=500, blank=True)

    class Meta:
        abstract = True


class Thread(Post):
    """Advisers share experience without names: "how do you handle employers who worry about language?"."""

    title = models.CharField(_("title"), max_length=200)
    tags = models.JSONField(_("tags"), default=list, blank=True, validators=[tag_list])

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("thread")
        verbose_name_plural = _("threads")

    def __str__(self) -> str:
        return self.title


class Reply(Post):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="replies")

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    def __str__(self) -> str:
        return f"{self.thread_id}: {self.text[:40]}"


class Bookmark(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="bookmarks")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "thread"], name="bookmark_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} ★ {self.thread_id}"


class Event(models.Model):
    """A network meeting or training: when, where (a place or a link), who organises, in which language, how
    many may come; a short report afterwards."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    link = models.URLField(_("online link"), blank=True)
    organiser = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="events",
                                  verbose_name=_("organiser"))
    language = models.CharField(_("language"), max_length=2, choices=POST_LANGUAGES)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True,
                                           validators=[MinValueValidator(1), MaxValueValidator(10000)],
                                           help_text=_("Empty: no limit."))
    report = models.TextField(_("report"), max_length=4000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)  # the calendar file's UID

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                              name="event_ends_after_it_starts")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if not self.place and not self.link:
            raise ValidationError({"place": _("Give a place or an online link.")}, code="required")


class Registration(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="registration_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.event_id}"
