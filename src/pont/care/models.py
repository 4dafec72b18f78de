"""Psychosocial support: distress signals, triage, mobile teams and their visits, screenings, notes.

Care records are kept apart from the employment track: no employment role reaches these tables.
Sensitive free text (what is going on, contacts, notes, screening answers) is encrypted at rest and so
can never be filtered or sorted in SQL; what queues and indicators need stays in plain columns.
"""

from __future__ import annotations

import datetime as dt
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField, EncryptedTextField

from pont.care.choices import (
    AgeGroup,
    AlertKind,
    Category,
    Channel,
    Concern,
    LegalBasis,
    MemberRole,
    NextStep,
    NoteKind,
    Outcome,
    Relation,
    TargetGroup,
    TriageSource,
    VisitStatus,
)
from pont.core.models import Municipality, Organisation
from pont.core.roles import Country
from pont.core.validators import REQUIRED, EachOf, language_codes


class ResponseTarget(models.Model):
    """An organisation's own response target for one triage category (otherwise DOMAIN.md's defaults)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="response_targets",
                                     verbose_name=_("organisation"))
    category = models.CharField(_("category"), max_length=1, choices=Category.choices)
    minutes = models.PositiveIntegerField(_("target (minutes)"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "category"], name="responsetarget_unique")]
        ordering = ["organisation", "category"]
        verbose_name = _("response target")
        verbose_name_plural = _("response targets")

    def __str__(self) -> str:
        return f"{self.organisation} {self.category}: {self.minutes} min"


class Team(models.Model):
    """A mobile team of a care organisation, based in one municipality, working in one country."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="care_teams",
                                     verbose_name=_("organisation"))
    name = models.CharField(_("name"), max_length=100)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    base = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("base municipality"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="team_unique")]
        verbose_name = _("mobile team")
        verbose_name_plural = _("mobile teams")

    def __str__(self) -> str:
        return self.name


def _weekdays() -> list[int]:
    return [0, 1, 2, 3, 4]


class TeamMember(models.Model):
    """A member of staff in a mobile team: role, languages, base and working hours (what dispatch needs).

    For ambassadors the profile adds the year they arrived and the areas they give peer support in.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members", verbose_name=_("team"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_memberships")
    role = models.CharField(_("role"), max_length=32, choices=MemberRole.choices)
    languages = models.JSONField(_("languages"), default=list, blank=True,
                                 help_text=_("ISO 639-3 codes of the languages this member can work in."))
    base = models.ForeignKey(Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("home base"), help_text=_("Empty: the team's base."))
    works_from = models.TimeField(_("works from"), default=dt.time(9, 0))
    works_until = models.TimeField(_("works until"), default=dt.time(17, 0))
    working_days = models.JSONField(_("working days"), default=_weekdays, blank=True,
                                    help_text=_("Weekdays worked, 0 = Monday … 6 = Sunday."))
    arrival_year = models.PositiveSmallIntegerField(_("year of arrival"), null=True, blank=True)
    peer_support_areas = models.CharField(_("peer-support areas"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["team", "role", "user__last_name"]
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="teammember_unique")]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.username} ({self.get_role_display()}, {self.team})"

    @property
    def base_municipality(self) -> Municipality:
        """Return where the member starts from (their own base, else the team's)."""
        return self.base or self.team.base

    @property
    def first_name(self) -> str:
        return self.user.first_name or self.user.username

    def speaks(self, codes) -> bool:
        return bool(set(self.languages) & set(codes))

    def works_at(self, start: dt.datetime, end: dt.datetime) -> bool:
        """Return whether [start, end) falls inside this member's working hours (local time)."""
        start, end = timezone.localtime(start), timezone.localtime(end)
        return (start.weekday() in self.working_days and start.date() == end.date()
                and self.works_from <= start.time() and end.time() <= self.works_until)


# The longest free text a signal carries (its description, the outcome note): the one place it is written.
TEXT_LIMIT = 4000
# The longest note.
NOTE_LIMIT = 20_000


class Signal(models.Model):
    """A distress signal about someone (or a professional's request for advice): the care case.

    The clock runs from `received_at`; `target_at` is when first contact is due for the current category
    (provisional until a dispatcher triages). The subject's details are kept here, minimal: a signal
    usually arrives about someone who is not registered, so the link to a Person is optional.
    """

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="care_signals",
                                     verbose_name=_("care organisation"))
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="signals",
                             verbose_name=_("assigned team"))
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("registered person"))
    # The legal basis of the processing; for vital interest, who stated it, when and why.
    legal_basis = models.CharField(_("legal basis"), max_length=16, choices=LegalBasis.choices,
                                   default=LegalBasis.REQUEST)
    legal_basis_note = models.CharField(_("why the person cannot consent"), max_length=500, blank=True)
    legal_basis_at = models.DateTimeField(_("legal basis stated"), null=True, blank=True)
    legal_basis_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+")
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    # Who signalled, and how to reach them (encrypted).
    relation = models.CharField(_("who is concerned"), max_length=16, choices=Relation.choices)
    signaller_name = EncryptedCharField(_("signaller's name"), max_length=200, null=True, blank=True)
    signaller_contact = EncryptedCharField(_("how to contact"), max_length=200, null=True, blank=True)
    # The person concerned, minimal.
    first_name = EncryptedCharField(_("first name"), max_length=100, null=True, blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True, validators=[language_codes])
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("municipality"), error_messages=REQUIRED)
    age_group = models.CharField(_("age group"), max_length=8, choices=AgeGroup.choices, blank=True)
    target_group = models.CharField(_("target group"), max_length=24, choices=TargetGroup.choices)
    concerns = models.JSONField(_("what is going on"), default=list, blank=True,
                                validators=[EachOf(Concern, limit=len(Concern))])
    description = EncryptedTextField(_("description"), null=True, blank=True, max_length=TEXT_LIMIT,
                                     validators=[MaxLengthValidator(TEXT_LIMIT)])
    danger_now = models.BooleanField(_("someone is in danger now"), default=False)
    # Triage and the clock.
    category = models.CharField(_("category"), max_length=1, choices=Category.choices)
    category_reasons = models.TextField(_("reasons"), blank=True)
    triaged_at = models.DateTimeField(_("triaged"), null=True, blank=True)
    triaged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    target_at = models.DateTimeField(_("first contact due"), db_index=True)
    needs_clinician = models.BooleanField(_("a clinician must see this person"), default=False)
    first_contact_at = models.DateTimeField(_("first contact"), null=True, blank=True)
    first_contact_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+")
    handover_at = models.DateTimeField(_("handed over to emergency services"), null=True, blank=True)
    handover_note = models.CharField(_("hand-over"), max_length=200, blank=True)
    # Closure.
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, db_index=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    outcome_note = EncryptedTextField(_("outcome note"), null=True, blank=True, max_length=TEXT_LIMIT,
                                      validators=[MaxLengthValidator(TEXT_LIMIT)])
    # Change in screening scores from the first to the last screening, per instrument, kept at closure.
    outcome_scores = models.JSONField(_("change in screening scores"), default=dict, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged",
                                    verbose_name=_("merged into"))

    class Meta:
        ordering = ["target_at", "id"]
        indexes = [models.Index(fields=["organisation", "closed_at", "target_at"])]
        verbose_name = _("signal")
        verbose_name_plural = _("signals")

    def __str__(self) -> str:
        return self.reference

    def clean(self) -> None:
        if self.target_group == TargetGroup.UNACCOMPANIED_MINOR and self.age_group in (
                AgeGroup.YOUNG, AgeGroup.ADULT, AgeGroup.SENIOR):
            raise ValidationError({"age_group": _("An unaccompanied minor is under 18.")})

    @property
    def provisional(self) -> bool:
        return self.triaged_at is None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def needs_therapist(self) -> bool:
        """Whether a therapist must go (category A or B, or a clinician flagged); otherwise a social worker."""
        return self.needs_clinician or self.category in ("A", "B")

    def time_left(self, now: dt.datetime | None = None) -> dt.timedelta:
        return self.target_at - (now or timezone.now())

    def concern_labels(self) -> list[str]:
        from pont.care.choices import Concern

        return [str(Concern(c).label) for c in self.concerns if c in Concern.values]


class TriageRecord(models.Model):
    """One decision on a signal's category: by a dispatcher, on arrival, or raised by a screening."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="triage_history")
    category = models.CharField(_("category"), max_length=1, choices=Category.choices)
    reasons = models.TextField(_("reasons"), blank=True)
    source = models.CharField(_("set"), max_length=16, choices=TriageSource.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("triage decision")
        verbose_name_plural = _("triage decisions")

    def __str__(self) -> str:
        return f"{self.signal} → {self.category}"


class Visit(models.Model):
    """A mobile-team visit for a signal: when, where, in which language, who goes; then what happened."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="visits")
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("municipality"))
    language = models.CharField(_("language of the visit"), max_length=3)
    members = models.ManyToManyField(TeamMember, related_name="visits", verbose_name=_("members"))
    status = models.CharField(_("status"), max_length=16, choices=VisitStatus.choices,
                              default=VisitStatus.PLANNED)
    attended = models.BooleanField(_("the person attended"), null=True, blank=True)
    language_spoken = models.BooleanField(_("someone spoke the person's language"), null=True, blank=True)
    next_step = models.CharField(_("next step"), max_length=16, choices=NextStep.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    reported_at = models.DateTimeField(_("reported"), null=True, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")

    def __str__(self) -> str:
        return f"{self.signal} {self.starts_at:%Y-%m-%d %H:%M}"


class Note(models.Model):
    """A note on a case. Social notes: social workers and therapists of the assigned team; clinical notes:
    its therapists only. The text is encrypted at rest."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="notes")
    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.SET_NULL, related_name="notes")
    kind = models.CharField(_("kind"), max_length=16, choices=NoteKind.choices)
    body = EncryptedTextField(_("note"), max_length=NOTE_LIMIT, validators=[MaxLengthValidator(NOTE_LIMIT)])
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.signal} {self.created_at:%Y-%m-%d}"


class Instrument(models.Model):
    """A screening instrument loaded from a file (`manage.py load_instrument`), e.g. RHS-15 under licence.

    The instruments Pont ships live in care/instruments/*.json; a row here for the same code replaces the
    shipped one for its organisation (or for everyone when no organisation is set).
    """

    code = models.CharField(_("code"), max_length=20)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="+", verbose_name=_("organisation"))
    definition = models.JSONField(_("definition"))
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code", "organisation"], name="instrument_unique"),
            models.UniqueConstraint(fields=["code"], condition=models.Q(organisation__isnull=True),
                                    name="instrument_unique_global"),
        ]
        verbose_name = _("screening instrument")
        verbose_name_plural = _("screening instruments")

    def __str__(self) -> str:
        return self.code


class Screening(models.Model):
    """One completed screening instrument: the answers (encrypted; therapists only) and the scores."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="screenings")
    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.SET_NULL, related_name="screenings")
    instrument = models.CharField(_("instrument"), max_length=20)
    instrument_version = models.CharField(max_length=20, blank=True)
    language = models.CharField(_("language of the items"), max_length=8)
    validated_translation = models.BooleanField(_("validated translation"), default=True)
    answers_json = EncryptedTextField()
    total = models.IntegerField(_("total"))
    band = models.CharField(_("band"), max_length=32, blank=True)
    positive = models.BooleanField(_("positive"), null=True)
    subscales = models.JSONField(default=dict, blank=True)
    flags = models.JSONField(default=list, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["recorded_at", "id"]
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")

    def __str__(self) -> str:
        return f"{self.instrument} {self.total} ({self.signal})"

    @property
    def answers(self) -> dict[str, int]:
        return json.loads(self.answers_json) if self.answers_json else {}


class Alert(models.Model):
    """A signal close to (or past) its response target without first contact, for the team's dispatchers."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(_("kind"), max_length=16, choices=AlertKind.choices)
    target_at = models.DateTimeField(_("first contact due"))
    raised_at = models.DateTimeField(_("raised"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["signal", "kind", "target_at"], name="alert_unique")]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")

    def __str__(self) -> str:
        return f"{self.signal} {self.kind}"


class CooperationAgreement(models.Model):
    """Two care organisations agree that one lends members to the other (or each to the other, `mutual`):
    which roles, in which areas, from when until when. Proposed by a coordinator of one side, in force once a
    coordinator of the other side confirms it, until it ends (`ends_on`, or ended early)."""

    lender = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="lending_agreements",
                               verbose_name=_("lending organisation"))
    borrower = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="borrowing_agreements",
                                 verbose_name=_("receiving organisation"))
    mutual = models.BooleanField(_("both directions"), default=False,
                                 help_text=_("Each organisation lends to the other on the same terms."))
    roles = models.JSONField(_("roles that may be lent"), default=list, validators=[EachOf(MemberRole, 4)])
    regions = models.ManyToManyField("core.Region", blank=True, related_name="+", verbose_name=_("areas"),
                                     help_text=_("Where lent members may be sent. None ticked: anywhere."))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True, help_text=_("Empty: until it is ended."))
    note = models.CharField(_("terms"), max_length=500, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    proposed_for = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("proposed for"))
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")

    def __str__(self) -> str:
        arrow = "↔" if self.mutual else "→"
        return f"{self.lender} {arrow} {self.borrower}"

    def clean(self) -> None:
        errors = {}
        if self.lender_id and self.lender_id == self.borrower_id:
            errors["borrower"] = _("Choose another organisation than the lending one.")
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The end must come after the start.")
        if not self.roles:
            errors["roles"] = _("Choose at least one role.")
        if errors:
            raise ValidationError(errors)

    def state(self, today: dt.date | None = None) -> str:
        """Return "proposed", "ended", "upcoming" or "in_force"."""
        today = today or timezone.localdate()
        if self.ended_at is not None or (self.ends_on and self.ends_on < today):
            return "ended"
        if self.confirmed_at is None:
            return "proposed"
        return "upcoming" if self.starts_on > today else "in_force"


class DutySlot(models.Model):
    """Who of a care organisation's dispatchers is called first, second… for alerts during a period (the
    on-duty rota). An alert nobody acknowledges within the organisation's delay goes to the next one."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="duty_slots",
                                     verbose_name=_("organisation"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="duty_slots",
                             verbose_name=_("dispatcher"))
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    rank = models.PositiveSmallIntegerField(_("called"), default=1,
                                            validators=[MinValueValidator(1), MaxValueValidator(9)],
                                            help_text=_("1 is called first; 2 if 1 does not answer in time, …"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["starts_at", "rank", "id"]
        indexes = [models.Index(fields=["organisation", "starts_at", "ends_at"])]
        verbose_name = _("on-duty slot")
        verbose_name_plural = _("on-duty rota")

    def __str__(self) -> str:
        return f"{self.user} {self.starts_at:%Y-%m-%d %H:%M} #{self.rank}"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The end must come after the start.")})


class PushSubscription(models.Model):
    """A browser where a dispatcher asked to get alerts as notifications (Web Push)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")

    def __str__(self) -> str:
        return f"{self.user} {self.endpoint[:40]}"


class AlertNotice(models.Model):
    """One delivery of an alert to one person by one channel, and the escalation step it belonged to."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="notices")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=8)  # mail | push
    step = models.PositiveSmallIntegerField(default=1)
    sent_at = models.DateTimeField(default=timezone.now)
    delivered = models.BooleanField(default=True)

    class Meta:
        ordering = ["sent_at", "id"]

    def __str__(self) -> str:
        return f"{self.alert} → {self.user} ({self.channel})"


class SignalsKeptApart(models.Model):
    """A dispatcher looked at two signals that seemed the same situation and decided they are not."""

    first = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["first", "second"], name="signals_kept_apart_unique")]

    def __str__(self) -> str:
        return f"{self.first_id} ≠ {self.second_id}"
