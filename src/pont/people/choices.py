"""Closed vocabularies of the people app: sex, CEFR levels, legal statuses, consent purposes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LabourStatus(models.TextChoices):
    """Labour-market status when the person entered the programme (the ESF+ common indicators' categories)."""

    UNEMPLOYED = "unemployed", _("Unemployed")
    LONG_TERM_UNEMPLOYED = "long_term_unemployed", _("Long-term unemployed (12 months or more)")
    INACTIVE = "inactive", _("Inactive (not in work, not looking for work)")
    EMPLOYED = "employed", _("Employed or self-employed")
    IN_EDUCATION = "in_education", _("In education or training")


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    OTHER = "X", _("Other / not stated")


class Cefr(models.TextChoices):
    NONE = "none", _("None")
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"
    NATIVE = "native", _("Native")


CEFR_ORDER = {c: i for i, c in enumerate(Cefr.values)}  # none < A1 < … < C2 < native

# Languages whose CEFR level Pont always asks for (the working languages of the region).
ASSESSED_LANGUAGES = ("fra", "nld", "eng", "deu")


class LegalStatusKind(models.TextChoices):
    ASYLUM_SEEKER = "asylum_seeker", _("Asylum seeker")
    ASYLUM_APPEAL = "asylum_appeal", _("Asylum seeker in appeal")
    RECOGNISED_REFUGEE = "recognised_refugee", _("Recognised refugee")
    SUBSIDIARY_PROTECTION = "subsidiary_protection", _("Subsidiary protection")
    TEMPORARY_PROTECTION = "temporary_protection", _("Temporary protection")
    LONG_TERM_RESIDENT = "long_term_resident", _("EU long-term resident")
    REJECTED = "rejected", _("Claim rejected")
    OTHER = "other", _("Other / unknown")


class ConsentPurpose(models.TextChoices):
    EMPLOYMENT_FOLLOWUP = "employment_followup", _("Employment follow-up")
    CARE = "care", _("Psychosocial care")
    SHARE_EMPLOYERS = "share_employers", _("Sharing with employers")
    CROSS_BORDER_REFERRAL = "cross_border_referral", _("Cross-border referral")
    SHARE_TRACKS = "share_tracks", _("Sharing between employment and care")


class ConsentGiver(models.TextChoices):
    PERSON = "person", _("The person")
    GUARDIAN = "guardian", _("The guardian or legal representative")
    JOINT = "joint", _("The person jointly with the holder of parental authority")


class AgeBand(models.TextChoices):
    MINOR = "0-17", _("Under 18")
    YOUNG = "18-25", _("18 to 25")
    ADULT = "26-35", _("26 to 35")
    MIDDLE = "36-50", _("36 to 50")
    SENIOR = "51-200", _("51 and over")


# The outcomes of people.right_to_work.assess, as a screen names them.
RIGHT_TO_WORK_LABELS = {"may_work": _("may work"), "needs_permit": _("needs a permit"),
                        "may_not_work": _("may not work")}


# The 27 member states of the European Union (ISO 3166-1 alpha-2): the ESF+ counts the nationals of any other
# country as third-country nationals (reporting).
EU_MEMBER_STATES = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV",
    "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"})
