"""Employer side and matching: skill profiles, employers' sites, vacancies, proposals and employer feedback.

Skills and occupations are ESCO concepts (`pont.taxonomy`); the matching itself is `engine.py`. Each field's
limits and choices are declared here, with the rules between fields (`FIELD_RULES`, checked by `clean()`):
services call `full_clean()`, forms are ModelForms and the API schema reads them (pont.core.schemas).
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from pont.core.field_rules import When, check
from pont.core.i18n import language_choices
from pont.core.models import Municipality, Organisation
from pont.employment.choices import ContractType
from pont.matching.choices import (
    REQUIRED_LEVEL_CHOICES,
    VACANCY_CONTRACT_CHOICES,
    VACANCY_CONTRACTS,
    FeedbackOutcome,
    IntroductionStatus,
    NotRetainedReason,
    ProposalStatus,
    VacancyStatus,
)
from pont.people.models import Person
from pont.taxonomy.models import Occupation, Relation, Skill


def validate_contract_wishes(value) -> None:
    """A list of the contract types a vacancy can offer."""
    if not isinstance(value, list) or any(item not in VACANCY_CONTRACTS for item in value):
        raise ValidationError(_("Select a valid choice. %(value)s is not one of the available choices."),
                              code="invalid_choice", params={"value": value})


def available_from_bounds(today: dt.date) -> tuple[dt.date, dt.date]:
    """Return the first and last dates a person may be available from: whole calendar years, from ten years
    back (available since then) to two years ahead; anything else is a typing error. Whole years, so
    that the API schema can say it (pont.matching.api)."""
    return dt.date(today.year - 10, 1, 1), dt.date(today.year + 2, 12, 31)


def validate_available_from(value: dt.date) -> None:
    first, last = available_from_bounds(timezone.localdate())
    if not first <= value <= last:
        raise ValidationError(_("Enter a date between %(first)s and %(last)s."), code="out_of_range",
                              params={"first": date_format(first, "SHORT_DATE_FORMAT"),
                                      "last": date_format(last, "SHORT_DATE_FORMAT")})


class SkillProfile(models.Model):
    """What a person can do and is looking for, in ESCO terms: the person's side of matching."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="skill_profile")
    skills = models.ManyToManyField(Skill, blank=True, related_name="+", verbose_name=_("skills"))
    desired_occupations = models.ManyToManyField(Occupation, blank=True, related_name="+",
                                                 verbose_name=_("desired occupations"))
    travel_radius_km = models.PositiveSmallIntegerField(
        _("travel radius (km)"), default=30, validators=[MinValueValidator(1), MaxValueValidator(300)])
    driving_licence = models.BooleanField(_("driving licence"), default=False)
    has_car = models.BooleanField(_("has a car"), default=False)
    cross_border = models.BooleanField(_("willing to work across the border"), default=True)
    contract_wishes = models.JSONField(_("contract wishes"), default=list, blank=True,
                                       validators=[validate_contract_wishes],
                                       help_text=_("Contract types the person looks for; none means any."))
    available_from = models.DateField(_("available from"), null=True, blank=True,
                                      validators=[validate_available_from])
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    FIELD_RULES: ClassVar[tuple[When, ...]] = (
        When("has_car", True, "driving_licence", "true",
             _("A car is only useful with a driving licence: tick the licence too.")),
    )

    class Meta:
        verbose_name = _("skill profile")
        verbose_name_plural = _("skill profiles")

    def __str__(self) -> str:
        return f"{self.person.reference}"

    def clean(self) -> None:
        check(self, self.FIELD_RULES)


class PastOccupation(models.Model):
    """An occupation the person held before, with the years of experience in it."""

    profile = models.ForeignKey(SkillProfile, on_delete=models.CASCADE, related_name="past_occupations")
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("occupation"))
    years = models.DecimalField(_("years"), max_digits=3, decimal_places=1,
                                validators=[MinValueValidator(0), MaxValueValidator(60)])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["profile", "occupation"], name="pastoccupation_unique")]
        verbose_name = _("past occupation")
        verbose_name_plural = _("past occupations")

    def __str__(self) -> str:
        return f"{self.occupation} ({self.years})"


class Site(models.Model):
    """A place where an employer (a company) employs people: a plant, a warehouse, a shop."""

    employer = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="sites",
                                 verbose_name=_("employer"))
    name = models.CharField(_("name"), max_length=120)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("municipality"))
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(
            fields=["employer", "name"], name="site_unique_name",
            violation_error_message=_("Your company already has a site with this name."))]
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self) -> str:
        return f"{self.name} ({self.municipality.name})"


class Vacancy(models.Model):
    """A job an employer wants to fill: an ESCO occupation at a site, with the skills and languages it needs."""

    employer = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="vacancies",
                                 verbose_name=_("employer"))
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="vacancies", verbose_name=_("site"))
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("occupation"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    contract_type = models.CharField(_("contract"), max_length=20, choices=VACANCY_CONTRACT_CHOICES,
                                     default=ContractType.OPEN_ENDED)
    contract_months = models.PositiveSmallIntegerField(_("length (months)"), null=True, blank=True,
                                                       validators=[MinValueValidator(1), MaxValueValidator(120)])
    hours_per_week = models.PositiveSmallIntegerField(_("hours per week"), default=38,
                                                      validators=[MinValueValidator(1), MaxValueValidator(60)])
    posts = models.PositiveSmallIntegerField(_("number of posts"), default=1,
                                             validators=[MinValueValidator(1), MaxValueValidator(500)])
    shop_floor_training = models.BooleanField(
        _("open to shop-floor training"), default=False,
        help_text=_("The company can train a candidate on the job for missing skills (up to six months)."))
    status = models.CharField(_("status"), max_length=8, choices=VacancyStatus.choices, default=VacancyStatus.OPEN,
                              db_index=True)
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    # The same rules as the placement a hire becomes (pont.employment.services.placement_create).
    FIELD_RULES: ClassVar[tuple[When, ...]] = (
        When("contract_type", ContractType.FIXED_TERM, "contract_months", "given",
             _("Give the length of a fixed-term contract in months.")),
        When("contract_type", ContractType.OPEN_ENDED, "contract_months", "empty",
             _("An open-ended contract has no length.")),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")

    def __str__(self) -> str:
        return f"{self.title} — {self.employer}"

    def clean(self) -> None:
        check(self, self.FIELD_RULES)

    @property
    def country(self) -> str:
        return self.site.municipality.region.country


class VacancySkill(models.Model):
    """A skill a vacancy needs, essentially or optionally (pre-filled from ESCO, edited by the employer)."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="skill_links")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="+")
    relation = models.CharField(_("relation"), max_length=9, choices=Relation.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vacancy", "skill"], name="vacancyskill_unique")]
        indexes = [models.Index(fields=["skill", "vacancy"])]
        verbose_name = _("vacancy skill")
        verbose_name_plural = _("vacancy skills")

    def __str__(self) -> str:
        return f"{self.skill} ({self.relation})"


class VacancyLanguage(models.Model):
    """A language the job requires, with the minimum CEFR level."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="languages")
    code = models.CharField(_("language"), max_length=3, choices=language_choices)
    level = models.CharField(_("minimum level"), max_length=6, choices=REQUIRED_LEVEL_CHOICES)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["vacancy", "code"], name="vacancylanguage_unique")]
        verbose_name = _("required language")
        verbose_name_plural = _("required languages")

    def __str__(self) -> str:
        return f"{self.code} {self.level}"


def _pseudonym() -> str:
    return "C-" + "".join(secrets.choice("ACDEFGHJKLMNPQRTUVWXY3479") for _ in range(5))


class Proposal(models.Model):
    """An adviser putting a consenting person forward for a vacancy; the employer's shortlist is made of these.

    The employer sees a pseudonymous card (`pseudonym`) until the candidate accepts an interview.
    """

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="proposals")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="proposals")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("proposed by the organisation"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    proposed_at = models.DateTimeField(_("proposed"), default=timezone.now)
    pseudonym = models.CharField(_("candidate code"), max_length=12, default=_pseudonym, unique=True)
    status = models.CharField(_("status"), max_length=20, choices=ProposalStatus.choices,
                              default=ProposalStatus.PROPOSED, db_index=True)
    score = models.FloatField(_("score"), default=0)
    explanation = models.JSONField(_("explanation"), default=dict, blank=True)  # the engine's, when proposed
    note = models.CharField(_("adviser's note to the employer"), max_length=500, blank=True)
    status_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "person"], condition=~models.Q(status="withdrawn"),
                                    name="proposal_one_live_per_vacancy"),
        ]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self) -> str:
        return f"{self.pseudonym} → {self.vacancy}"


class Introduction(models.Model):
    """An employer found a candidate herself (pseudonymous) and asks the candidate's adviser to introduce
    them. The adviser accepts — which proposes the person the usual way — or declines."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="introductions")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="introductions")
    pseudonym = models.CharField(_("candidate code"), max_length=12)
    message = models.CharField(_("message to the adviser"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=IntroductionStatus.choices,
                              default=IntroductionStatus.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    proposal = models.OneToOneField(Proposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["vacancy", "person"], name="introduction_unique")]
        verbose_name = _("introduction request")
        verbose_name_plural = _("introduction requests")

    def __str__(self) -> str:
        return f"{self.pseudonym} → {self.vacancy}"


class Feedback(models.Model):
    """What the employer said about a proposed candidate: interview wished, held, not retained (why), hired."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="feedback")
    outcome = models.CharField(_("outcome"), max_length=20, choices=FeedbackOutcome.choices)
    reason = models.CharField(_("reason"), max_length=16, choices=NotRetainedReason.choices, blank=True)
    note = models.CharField(_("note"), max_length=1000, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    given_at = models.DateTimeField(_("given"), default=timezone.now)
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    FIELD_RULES: ClassVar[tuple[When, ...]] = (
        When("outcome", FeedbackOutcome.NOT_RETAINED, "reason", "given", _("Say why the candidate was not retained.")),
        When("outcome", FeedbackOutcome.HIRED, "start_date", "given", _("Give the start date.")),
    )

    class Meta:
        ordering = ["given_at", "id"]
        verbose_name = _("employer feedback")
        verbose_name_plural = _("employer feedback")

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.proposal.pseudonym})"

    def clean(self) -> None:
        check(self, self.FIELD_RULES)


class BatchMatch(models.Model):
    """One line of the nightly "who fits what" batch (`manage.py match_batch`): a person's rank-th best open
    vacancy when the batch ran. Replaced as a whole by each run."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField(_("rank"))
    score = models.FloatField(_("score"))
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)

    class Meta:
        ordering = ["person", "rank"]
        constraints = [models.UniqueConstraint(fields=["person", "rank"], name="batchmatch_unique_rank")]
        verbose_name = _("batch match")
        verbose_name_plural = _("batch matches")

    def __str__(self) -> str:
        return f"{self.person_id} #{self.rank} → {self.vacancy_id} ({self.score:.2f})"
