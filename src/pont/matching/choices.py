"""Closed vocabularies of the matching app.

Contract types are the employment pathway's (`pont.employment.choices.ContractType`), so that a hire
becomes a placement without translation; a vacancy offers the employee contracts among them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from pont.employment.choices import ContractType
from pont.people.choices import Cefr

# The contracts a vacancy offers and a person may wish for (self-employment is not a job offer).
VACANCY_CONTRACTS = (ContractType.OPEN_ENDED, ContractType.FIXED_TERM, ContractType.TEMPORARY_AGENCY,
                     ContractType.APPRENTICESHIP)
VACANCY_CONTRACT_CHOICES = [(c.value, c.label) for c in VACANCY_CONTRACTS]

# The levels a vacancy may require of a language ("none" is no requirement at all).
REQUIRED_LEVEL_CHOICES = [(code, label) for code, label in Cefr.choices if code != Cefr.NONE]

# Bit of each contract type in the engine's contract-wish mask (the order of ContractType).
CONTRACT_BIT = {code: bit for bit, code in enumerate(ContractType.values)}


class VacancyStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FILLED = "filled", _("Filled")
    CLOSED = "closed", _("Closed")


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    INTERVIEW_REQUESTED = "interview_requested", _("Interview requested")
    INTERVIEW_ACCEPTED = "interview_accepted", _("Interview accepted")
    INTERVIEW_DECLINED = "interview_declined", _("Interview declined by the candidate")
    INTERVIEWED = "interviewed", _("Interviewed")
    NOT_RETAINED = "not_retained", _("Not retained")
    HIRED = "hired", _("Hired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class IntroductionStatus(models.TextChoices):
    REQUESTED = "requested", _("Introduction requested")
    ACCEPTED = "accepted", _("Proposed by the adviser")
    DECLINED = "declined", _("Declined by the adviser")


# Once the candidate accepted an interview, the employer sees their name and contact.
REVEALED = frozenset({ProposalStatus.INTERVIEW_ACCEPTED, ProposalStatus.INTERVIEWED, ProposalStatus.HIRED})
CLOSED_PROPOSAL = frozenset({ProposalStatus.INTERVIEW_DECLINED, ProposalStatus.NOT_RETAINED,
                             ProposalStatus.HIRED, ProposalStatus.WITHDRAWN})


class FeedbackOutcome(models.TextChoices):
    INTERVIEW_REQUESTED = "interview_requested", _("I want to meet this candidate")
    INTERVIEWED = "interviewed", _("Interview held")
    NOT_RETAINED = "not_retained", _("Not retained")
    HIRED = "hired", _("Hired")


class NotRetainedReason(models.TextChoices):
    SKILLS = "skills", _("Skills do not fit")
    LANGUAGE = "language", _("Language level too low")
    AVAILABILITY = "availability", _("Not available in time")
    DISTANCE = "distance", _("Too far or no transport")
    POST_FILLED = "post_filled", _("The post was filled")
    OTHER = "other", _("Other reason")
