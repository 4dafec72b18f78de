"""Codes of the network app, each with its label in fr/nl/en."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OfferKind(models.TextChoices):
    LANGUAGE_COURSE = "language_course", _("Language course")
    CIVIC_INTEGRATION = "civic_integration", _("Civic integration course")
    TRAINING = "training", _("Vocational training")
    JOB_COACHING = "job_coaching", _("Job coaching")
    DIPLOMA_RECOGNITION = "diploma_recognition", _("Diploma recognition")
    CHILDCARE = "childcare", _("Childcare")
    HOUSING = "housing", _("Housing help")
    LEGAL_ADVICE = "legal_advice", _("Legal advice")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial support")
    OTHER = "other", _("Other help")


# A programme's kind → the catalogue's kind (every programme is in the catalogue).
PROGRAMME_KINDS = {
    "workplace_training": OfferKind.TRAINING, "shop_floor_training": OfferKind.TRAINING,
    "youth_guidance": OfferKind.JOB_COACHING, "job_coaching": OfferKind.JOB_COACHING,
    "language_course": OfferKind.LANGUAGE_COURSE,
}


class ReferralStatus(models.TextChoices):
    SENT = "sent", pgettext_lazy("referral", "Sent")
    ACCEPTED = "accepted", pgettext_lazy("referral", "Accepted")
    DECLINED = "declined", pgettext_lazy("referral", "Declined")
    CLOSED = "closed", pgettext_lazy("referral", "Closed")
    WITHDRAWN = "withdrawn", pgettext_lazy("referral", "Withdrawn")


class ReferralOutcome(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    PLACED = "placed", _("Placed in a job")
    NO_SHOW = "no_show", _("Did not come")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible after all")


class SharedField(models.TextChoices):
    """What may travel with a referral: the sender ticks them (never care data)."""

    NAME = "name", _("Name")
    BIRTH_YEAR = "birth_year", _("Year of birth")
    LANGUAGES = "languages", _("Languages and levels")
    LEGAL_STATUS = "legal_status", _("Legal status and right to work")
    SKILLS = "skills", _("Skills summary")
    NOTE = "note", _("The note below")
