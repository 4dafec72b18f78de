"""Closed vocabularies of the care app: target groups, concerns, triage categories, visit outcomes."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from pont.core.roles import Role


class TargetGroup(models.TextChoices):
    REFUGEE = "refugee", _("Refugee")
    ASYLUM_SEEKER = "asylum_seeker", _("Asylum seeker")
    UNACCOMPANIED_MINOR = "unaccompanied_minor", _("Unaccompanied minor")
    PROFESSIONAL = "professional", _("Professional or volunteer asking for advice")


class Concern(models.TextChoices):
    BODY_PAIN = "body_pain", _("Headaches or body pain")
    SLEEP = "sleep", _("Sleep")
    ANXIETY = "anxiety", _("Anxiety")
    LOW_MOOD = "low_mood", _("Low mood")
    ADDICTION = "addiction", _("Addiction")
    TRAUMA = "trauma", _("Trauma or migration-related suffering")
    INTEGRATION = "integration", _("Integration stress")
    OTHER = "other", _("Other")


class Relation(models.TextChoices):
    SELF = "self", _("I am the person concerned")
    SUPPORTING = "supporting", _("Someone I support")
    ADVICE = "advice", _("I am a professional or volunteer asking for advice")


class Channel(models.TextChoices):
    PUBLIC = "public", _("Public signal page")
    PHONE = "phone", _("Phone call")
    VISIT = "visit", _("During a visit")
    CONSULTATION = "consultation", _("Professional's consultation")
    REFERRAL = "referral", _("Request from the person's employment adviser")


class LegalBasis(models.TextChoices):
    """Why Pont may process a care case (docs/consent.md): a registered person's care needs their consent,
    or, when they are in danger and cannot consent, the vital interest stated by the care team."""

    REQUEST = "request", _("The person or someone around them asked for help")
    CONSENT = "consent", _("The person's consent to psychosocial care")
    VITAL_INTEREST = "vital_interest", _("Vital interest (GDPR Art. 6(1)(d) and 9(2)(c))")


class AgeGroup(models.TextChoices):
    CHILD = "0-11", _("Child (under 12)")
    ADOLESCENT = "12-17", _("Adolescent (12 to 17)")
    YOUNG = "18-25", _("18 to 25")
    ADULT = "26-64", _("26 to 64")
    SENIOR = "65+", _("65 and over")
    UNKNOWN = "", _("Unknown")


class Category(models.TextChoices):
    A = "A", _("A — danger to life now")
    B = "B", _("B — very high risk")
    C = "C", _("C — high risk or high distress")
    D = "D", _("D — moderate")
    E = "E", _("E — low; advice or a consultation")


CATEGORY_ORDER = "ABCDE"  # most urgent first

# Default response targets in minutes (DOMAIN.md); an organisation may set its own (ResponseTarget).
DEFAULT_TARGET_MINUTES = {"A": 0, "B": 4 * 60, "C": 24 * 60, "D": 72 * 60, "E": 14 * 24 * 60}

# Categories an ambassador never visits alone (WHO PM+ is not for people at imminent risk).
HIGH_RISK = frozenset({"A", "B", "C"})


class MemberRole(models.TextChoices):
    SOCIAL_WORKER = Role.SOCIAL_WORKER.value, Role.SOCIAL_WORKER.label
    THERAPIST = Role.THERAPIST.value, Role.THERAPIST.label
    INTERPRETER = Role.INTERPRETER.value, Role.INTERPRETER.label
    AMBASSADOR = Role.AMBASSADOR.value, Role.AMBASSADOR.label


# Members who can cover a language for the person even when the clinicians do not speak it.
LANGUAGE_BRIDGES = frozenset({MemberRole.INTERPRETER, MemberRole.AMBASSADOR})


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    MISSED = "missed", _("Person not met")
    CANCELLED = "cancelled", _("Cancelled")


class NextStep(models.TextChoices):
    FOLLOW_UP = "follow_up", _("Follow-up visit")
    GP = "gp", _("Referral to a GP")
    MENTAL_HEALTH = "mental_health", _("Referral to a mental-health service")
    PEER_SUPPORT = "peer_support", _("Peer support")
    GROUP = "group", _("Group activity")
    NONE = "none", _("None")


class Outcome(models.TextChoices):
    IMPROVED = "improved", _("Improved")
    STABLE = "stable", _("Stable")
    WORSENED = "worsened", _("Worsened")
    REFERRED = "referred", _("Referred to another service")
    NO_CONTACT = "no_contact", _("No contact possible")
    ADVICE_GIVEN = "advice_given", _("Advice given to the professional")
    EMERGENCY = "emergency", _("Handed over to emergency services")
    MERGED = "merged", _("Merged into another signal about the same situation")


class NoteKind(models.TextChoices):
    SOCIAL = "social", _("Social note")
    CLINICAL = "clinical", _("Clinical note")


class TriageSource(models.TextChoices):
    """Who set a signal's category in its triage history."""

    ARRIVAL = "arrival", _("On arrival (from what was said)")
    DISPATCHER = "dispatcher", _("By the dispatcher")
    SCREENING = "screening", _("After a screening")


class AlertKind(models.TextChoices):
    URGENT = "urgent", _("Urgent signal (category A or B): plan again")
    DUE_SOON = "due_soon", _("Response target close, no first contact yet")
    OVERDUE = "overdue", _("Response target missed")
