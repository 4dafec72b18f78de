"""Codes of the network app, each with its label in fr/nl/en."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
