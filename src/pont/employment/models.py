"""The employment pathway: programmes and their eligibility rules, enrolments, coaching, language
training, placements with their job-retention follow-ups, and the portfolio's stable-job target."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pont.core.models import Organisation, Region
from pont.core.validators import language_code, not_in_future
from pont.employment.choices import (
    OPEN_STATUSES,
    CapacityPeriod,
    CoachingKind,
    ContractType,
    EnrolmentStatus,
    LanguageTiming,
    LeavingReason,
    ProgrammeKind,
    RightToWorkRule,
)
from pont.people.choices import Cefr
from pont.people.models import Person

# The longest note of a coaching session or a follow-up: the one place it is written.
NOTES_LIMIT = 5000


class Programme(models.Model):  # type: ignore[django-manager-missing]  # modeltranslation (see core.Region)
    """An offer of a partner (Forem's workplace training, VDAB's shop-floor training, a language course…)
    with its places (per calendar year or over the project), maximum duration and eligibility rules kept as data.

    Name and description are translated (fr/nl/en, see translation.py, which also registers the history).
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="programmes",
                                     verbose_name=_("organisation"))
    kind = models.CharField(_("kind"), max_length=32, choices=ProgrammeKind.choices)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    max_duration_months = models.PositiveSmallIntegerField(
        _("maximum duration (months)"), null=True, blank=True, help_text=_("Empty: no limit."))
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True, help_text=_("Empty: no limit."))
    capacity_period = models.CharField(
        _("places counted"), max_length=8, choices=CapacityPeriod.choices, default=CapacityPeriod.YEAR,
        help_text=_("Per calendar year, or in total over the project duration."))
    # Eligibility rules (empty = no condition).
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    legal_statuses = models.JSONField(
        _("legal statuses admitted"), default=list, blank=True,
        help_text=_("Empty: every legal status."))
    right_to_work = models.CharField(_("right to work"), max_length=16, choices=RightToWorkRule.choices,
                                     default=RightToWorkRule.MAY_WORK)
    min_language = models.CharField(_("language required"), max_length=3, blank=True,
                                    help_text=_("ISO 639-3 code, e.g. nld; empty: none."))
    min_language_level = models.CharField(_("minimum level"), max_length=6, choices=Cefr.choices, blank=True)
    regions = models.ManyToManyField(Region, blank=True, related_name="+",
                                     verbose_name=_("regions of residence admitted"),
                                     help_text=_("Empty: people living anywhere."))
    active = models.BooleanField(_("open to new enrolments"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organisation__name", "kind", "id"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name

    @property
    def country(self) -> str:
        return self.organisation.country


class Enrolment(models.Model):
    """A person's place in a programme, along proposed → enrolled → active → completed (or dropped out),
    each step dated. Shop-floor trainings also name the host company and the professional coach."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="enrolments")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="enrolments",
                                  verbose_name=_("programme"))
    status = models.CharField(_("status"), max_length=16, choices=EnrolmentStatus.choices,
                              default=EnrolmentStatus.PROPOSED, db_index=True)
    proposed_on = models.DateField(_("proposed on"))
    enrolled_on = models.DateField(_("enrolled on"), null=True, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    dropped_out_on = models.DateField(_("dropped out on"), null=True, blank=True)
    dropout_reason = models.TextField(_("reason for dropping out"), blank=True)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    # The calendar year it was enrolled in: whose places it takes when they are counted per year.
    seat_year = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True, editable=False)
    host_company = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="hosted_enrolments", verbose_name=_("host company"),
                                     limit_choices_to={"kind": "company"})
    coach_name = models.CharField(_("professional coach"), max_length=200, blank=True)
    coach_contact = models.CharField(_("coach's contact"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-proposed_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "programme"], condition=models.Q(status__in=OPEN_STATUSES),
                                    name="enrolment_one_open_per_programme"),
        ]
        indexes = [models.Index(fields=["programme", "seat_year", "status"])]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")

    def __str__(self) -> str:
        return f"{self.person.reference} → {self.programme}"

    @property
    def ended_on(self):
        return self.completed_on or self.dropped_out_on


class CoachingSession(models.Model):
    """One entry of a person's coaching log (a meeting, a call, a weekly shop-floor review…)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="coaching_sessions")
    enrolment = models.ForeignKey(Enrolment, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="coaching_sessions", verbose_name=_("enrolment"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"), validators=[not_in_future])
    kind = models.CharField(_("kind"), max_length=20, choices=CoachingKind.choices)
    notes = models.TextField(_("notes"), blank=True, max_length=NOTES_LIMIT,
                             validators=[MaxLengthValidator(NOTES_LIMIT)])
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_date = models.DateField(_("next date"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("coaching session")
        verbose_name_plural = _("coaching sessions")

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class LanguageTraining(models.Model):
    """A language course planned for a person, before or during a vocational training, with its hours
    and the CEFR level at the start (each later assessment is a LanguageAssessment)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="language_trainings")
    enrolment = models.ForeignKey(Enrolment, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="language_trainings", verbose_name=_("vocational training"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    timing = models.CharField(_("planned"), max_length=12, choices=LanguageTiming.choices,
                              default=LanguageTiming.STANDALONE)
    language = models.CharField(_("language"), max_length=3, validators=[language_code])
    course = models.CharField(_("course"), max_length=200)
    hours = models.PositiveSmallIntegerField(_("hours"), validators=[MinValueValidator(1), MaxValueValidator(2000)])
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    level_at_start = models.CharField(_("level at the start"), max_length=6, choices=Cefr.choices)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("language training")
        verbose_name_plural = _("language trainings")

    def __str__(self) -> str:
        return f"{self.course} ({self.language})"


class LanguageAssessment(models.Model):
    """A CEFR level measured during or after a language training."""

    training = models.ForeignKey(LanguageTraining, on_delete=models.CASCADE, related_name="assessments")
    date = models.DateField(_("date"), validators=[not_in_future])
    level = models.CharField(_("level"), max_length=6, choices=Cefr.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("language assessment")
        verbose_name_plural = _("language assessments")

    def __str__(self) -> str:
        return f"{self.date} {self.level}"


class Placement(models.Model):
    """A job a person took: employer, job title, contract, hours, start; followed up at 3 and 6 months.

    Whether it is a *stable job* is decided by the configurable rule in `stable.py`, not stored.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="placements")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("recorded by the organisation"))
    enrolment = models.ForeignKey(Enrolment, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="placements", verbose_name=_("after the programme"))
    employer = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="placements", verbose_name=_("employer in Pont"),
                                 limit_choices_to={"kind": "company"})
    employer_name = models.CharField(_("employer"), max_length=200)
    job_title = models.CharField(_("job title"), max_length=200)
    # Hook for the ESCO taxonomy: the occupation's concept URI once it exists.
    occupation_uri = models.CharField(_("ESCO occupation"), max_length=200, blank=True)
    contract_type = models.CharField(_("contract"), max_length=20, choices=ContractType.choices)
    contract_months = models.PositiveSmallIntegerField(
        _("length of the contract (months)"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("Fixed-term contracts and temporary agency work: the length decides whether the job counts "
                    "as stable."))
    hours_per_week = models.DecimalField(_("hours per week"), max_digits=4, decimal_places=1, null=True, blank=True,
                                         validators=[MinValueValidator(1), MaxValueValidator(60)])
    start_date = models.DateField(_("start"), db_index=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")

    def __str__(self) -> str:
        return f"{self.job_title} — {self.employer_name}"


class FollowUp(models.Model):
    """A job-retention check due some months after a placement started: still employed? if not, why."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="followups")
    month = models.PositiveSmallIntegerField(_("month"))
    due_on = models.DateField(_("due on"), db_index=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    still_employed = models.BooleanField(_("still employed"), null=True, blank=True)
    reason_left = models.CharField(_("why not"), max_length=20, choices=LeavingReason.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=NOTES_LIMIT,
                             validators=[MaxLengthValidator(NOTES_LIMIT)])
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["placement", "month"], name="followup_one_per_month")]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"{self.placement} +{self.month}m"


class EmploymentTarget(models.Model):
    """The portfolio's target: how many people in a stable job by the end of the period (one row)."""

    target = models.PositiveIntegerField(_("target (people in a stable job)"), default=230,
                                         validators=[MinValueValidator(1), MaxValueValidator(1_000_000)])
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("employment target")
        verbose_name_plural = _("employment targets")

    def __str__(self) -> str:
        return f"{self.target} ({self.period_start} – {self.period_end})"
