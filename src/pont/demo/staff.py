"""The partner organisations and one login per role and organisation."""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from pont.core.models import Membership, Municipality, Organisation, Region
from pont.core.roles import OrganisationKind as K
from pont.core.roles import Role as R

DEFAULT_DEMO_PASSWORD = "pont-demo-2026"  # noqa: S105 — a public demo password, printed on the console


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)


@dataclass(frozen=True)
class Org:
    name: str
    kind: str
    country: str
    regions: tuple[str, ...]
    base: str  # municipality


ORGANISATIONS = (
    Org("Forem Mons-Mouscron", K.EMPLOYMENT_SERVICE, "BE", ("BE32", "BE35", "BE34"), "Mons"),
    Org("VDAB West-Vlaanderen", K.EMPLOYMENT_SERVICE, "BE", ("BE25", "BE23"), "Kortrijk"),
    Org("Mission Locale du Douaisis", K.EMPLOYMENT_SERVICE, "FR", ("FRE11",), "Douai"),
    Org("IntergraPsy France", K.CARE_TEAM, "FR", ("FRE11", "FRE12"), "Lille"),
    Org("IntergraPsy Belgique-België", K.CARE_TEAM, "BE", ("BE32", "BE25"), "Kortrijk"),
    Org("Agro Tournai SA", K.COMPANY, "BE", ("BE32",), "Tournai"),
    Org("Metaalwerken Menen NV", K.COMPANY, "BE", ("BE25",), "Menen"),
    Org("Logistique du Douaisis SAS", K.COMPANY, "FR", ("FRE11",), "Douai"),
    Org("Coordination AB Réfugiés", K.OTHER, "BE", ("FRE11", "FRE12", "BE32", "BE25"), "Tournai"),
)

# username, first name, last name, language, organisation, role — personas first (PERSONAS.md).
STAFF = (
    ("lvermeulen", "Lies", "Vermeulen", "nl", "VDAB West-Vlaanderen", R.ADVISER),
    ("jmdufour", "Jean-Marc", "Dufour", "fr", "Forem Mons-Mouscron", R.ADVISER),
    ("ibenali", "Inès", "Benali", "fr", "Mission Locale du Douaisis", R.ADVISER),
    ("cdewitte", "Claire", "Dewitte", "fr", "Agro Tournai SA", R.EMPLOYER),
    ("khaddad", "Karim", "Haddad", "fr", "IntergraPsy France", R.DISPATCHER),
    ("snoori", "Samir", "Noori", "nl", "IntergraPsy Belgique-België", R.AMBASSADOR),
    ("asleclercq", "Anne-Sophie", "Leclercq", "fr", "IntergraPsy Belgique-België", R.THERAPIST),
    ("smartens", "Sophie", "Martens", "nl", "Coordination AB Réfugiés", R.COORDINATOR),
    ("nlefebvre", "Nadia", "Lefebvre", "fr", "Forem Mons-Mouscron", R.COORDINATOR),
    ("pdesmet", "Pieter", "Desmet", "nl", "VDAB West-Vlaanderen", R.COORDINATOR),
    ("mroux", "Marie", "Roux", "fr", "Mission Locale du Douaisis", R.COORDINATOR),
    ("bdeclercq", "Bart", "Declercq", "nl", "Metaalwerken Menen NV", R.EMPLOYER),
    ("sgarnier", "Sylvie", "Garnier", "fr", "Logistique du Douaisis SAS", R.EMPLOYER),
    ("ldubois", "Léa", "Dubois", "fr", "IntergraPsy France", R.SOCIAL_WORKER),
    ("tmartin", "Thomas", "Martin", "fr", "IntergraPsy France", R.THERAPIST),
    ("aabdi", "Amina", "Abdi", "fr", "IntergraPsy France", R.INTERPRETER),
    ("hbakri", "Hassan", "Bakri", "fr", "IntergraPsy France", R.AMBASSADOR),
    ("ccarpentier", "Chloé", "Carpentier", "fr", "IntergraPsy France", R.COORDINATOR),
    ("bjanssens", "Bram", "Janssens", "nl", "IntergraPsy Belgique-België", R.DISPATCHER),
    ("evandamme", "Els", "Vandamme", "nl", "IntergraPsy Belgique-België", R.SOCIAL_WORKER),
    ("oshevchenko", "Olena", "Shevchenko", "nl", "IntergraPsy Belgique-België", R.INTERPRETER),
    ("kpeeters", "Koen", "Peeters", "nl", "IntergraPsy Belgique-België", R.COORDINATOR),
)


@transaction.atomic
def seed_staff() -> list[tuple[str, str, str, str]]:
    """Create the organisations and staff (idempotent); return (username, name, role code, organisation) rows."""
    User = get_user_model()
    orgs = {}
    for spec in ORGANISATIONS:
        org, _ = Organisation.objects.update_or_create(
            name=spec.name,
            defaults={"kind": spec.kind, "country": spec.country,
                      "municipality": Municipality.objects.filter(name=spec.base).first()},
        )
        org.regions.set(Region.objects.filter(code__in=spec.regions))
        orgs[spec.name] = org
    rows = []
    for username, first, last, language, org_name, role in STAFF:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last, "language": language,
                                         "email": f"{username}@demo.pont.invalid"})
        if created:
            user.set_password(demo_password())
            user.save()
        Membership.objects.get_or_create(user=user, organisation=orgs[org_name], role=role)
        rows.append((username, f"{first} {last}", str(role.value), org_name))
    return rows
