"""Closed vocabularies of the employment pathway: programme kinds, workflow states, contracts."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgrammeKind(models.TextChoices):
    WORKPLACE_TRAINING = "workplace_training", _("Workplace training with acculturation")
    YOUTH_GUIDANCE = "youth_guidance", _("Job-search guidance for young people")
    SHOP_FLOOR_TRAINING = "shop_floor_training", _("Shop-floor vocational training with a professional coach")
    LANGUAGE_COURSE = "language_course", _("Language course")
    JOB_COACHING = "job_coaching", _("Job coaching")


# Kinds whose enrolments take place in a host company under a professional coach.
HOSTED_KINDS = frozenset({ProgrammeKind.SHOP_FLOOR_TRAINING, ProgrammeKind.WORKPLACE_TRAINING})
VOCATIONAL_KINDS = frozenset({ProgrammeKind.SHOP_FLOOR_TRAINING, ProgrammeKind.WORKPLACE_TRAINING})


class RightToWorkRule(models.TextChoices):
    NOT_REQUIRED = "not_required", _("Not required")
    MAY_WORK = "may_work", _("Must be allowed to work in the programme's country")
    PERMIT_OK = "permit_ok", _("Must be allowed to work, or able to get a permit, in the programme's country")


class CapacityPeriod(models.TextChoices):
    """Over what a programme's places are counted (Forem: 20 a year; Mission Locale: 50 over the project)."""

    YEAR = "year", _("per calendar year")
    PROJECT = "project", _("over the project duration")


class EnrolmentStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ENROLLED = "enrolled", _("Enrolled")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    DROPPED_OUT = "dropped_out", _("Dropped out")


# The workflow: which status may follow which. Anything else is refused.
TRANSITIONS: dict[str, frozenset[str]] = {
    EnrolmentStatus.PROPOSED: frozenset({EnrolmentStatus.ENROLLED}),
    EnrolmentStatus.ENROLLED: frozenset({EnrolmentStatus.ACTIVE, EnrolmentStatus.DROPPED_OUT}),
    EnrolmentStatus.ACTIVE: frozenset({EnrolmentStatus.COMPLETED, EnrolmentStatus.DROPPED_OUT}),
    EnrolmentStatus.COMPLETED: frozenset(),
    EnrolmentStatus.DROPPED_OUT: frozenset(),
}
OPEN_STATUSES = (EnrolmentStatus.PROPOSED, EnrolmentStatus.ENROLLED, EnrolmentStatus.ACTIVE)
# Statuses that hold one of the programme's places (a drop-out gives it back).
SEAT_STATUSES = (EnrolmentStatus.ENROLLED, EnrolmentStatus.ACTIVE, EnrolmentStatus.COMPLETED)


class CoachingKind(models.TextChoices):
    MEETING = "meeting", _("Individual meeting")
    PHONE = "phone", _("Phone or video call")
    WORKPLACE_VISIT = "workplace_visit", _("Visit at the workplace")
    WEEKLY_REVIEW = "weekly_review", _("Weekly shop-floor review with the coach")
    GROUP = "group", _("Group session")


class LanguageTiming(models.TextChoices):
    BEFORE = "before", _("Before the vocational training")
    DURING = "during", _("During the vocational training")
    STANDALONE = "standalone", _("On its own")


class ContractType(models.TextChoices):
    OPEN_ENDED = "open_ended", _("Open-ended contract")
    FIXED_TERM = "fixed_term", _("Fixed-term contract")
    TEMPORARY_AGENCY = "temporary_agency", _("Temporary agency work")
    APPRENTICESHIP = "apprenticeship", _("Apprenticeship")
    SELF_EMPLOYMENT = "self_employment", _("Self-employment")


class LeavingReason(models.TextChoices):
    CONTRACT_ENDED = "contract_ended", _("The contract ended")
    DISMISSED = "dismissed", _("Dismissed")
    RESIGNED = "resigned", _("Resigned")
    HEALTH = "health", _("Health")
    MOVED = "moved", _("Moved away")
    OTHER = "other", _("Other")
