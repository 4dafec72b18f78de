"""The roles staff hold in an organisation, and which organisation kinds they belong to (DESIGN.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADVISER = "adviser", _("Adviser")
    EMPLOYER = "employer", _("Employer")
    DISPATCHER = "dispatcher", _("Dispatcher")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    THERAPIST = "therapist", _("Therapist")
    INTERPRETER = "interpreter", _("Mediator-interpreter")
    AMBASSADOR = "ambassador", _("Integration ambassador")
    COORDINATOR = "coordinator", _("Coordinator")


class OrganisationKind(models.TextChoices):
    EMPLOYMENT_SERVICE = "employment_service", _("Employment service")
    CARE_TEAM = "care_team", _("Care team")
    COMPANY = "company", _("Company")
    OTHER = "other", _("Other partner")


class Country(models.TextChoices):
    BE = "BE", _("Belgium")
    FR = "FR", _("France")


EMPLOYMENT_ROLES = frozenset({Role.ADVISER, Role.EMPLOYER})
CARE_ROLES = frozenset(
    {Role.DISPATCHER, Role.SOCIAL_WORKER, Role.THERAPIST, Role.INTERPRETER, Role.AMBASSADOR}
)

# Which roles make sense in which kind of organisation; memberships outside this are refused.
ROLES_BY_KIND: dict[str, set[str]] = {
    OrganisationKind.EMPLOYMENT_SERVICE: {Role.ADVISER, Role.COORDINATOR},
    OrganisationKind.CARE_TEAM: set(CARE_ROLES) | {Role.COORDINATOR},
    OrganisationKind.COMPANY: {Role.EMPLOYER},
    OrganisationKind.OTHER: {Role.COORDINATOR},
}
