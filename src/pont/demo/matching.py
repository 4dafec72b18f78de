"""Demo taxonomy, employers' sites, vacancies and skill profiles (PERSONAS.md): Claire Dewitte's production
operators at Agro Tournai, welding at Metaalwerken Menen for Ahmad Al-Hamwi, logistics in Douai."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from pont.core.models import Municipality, Organisation
from pont.demo.people import ADVISER_FOR
from pont.matching import services
from pont.matching.models import SkillProfile, Vacancy
from pont.people.choices import ConsentGiver, ConsentPurpose
from pont.people.models import Person
from pont.people.services import consent_giver_required, consent_record
from pont.taxonomy.esco_import import import_esco
from pont.taxonomy.models import Occupation, Relation, Skill

DEMO_ESCO = Path(__file__).resolve().parents[1] / "taxonomy" / "data" / "esco_demo"

# employer, employer's login, site name, municipality
SITES = (
    ("Agro Tournai SA", "cdewitte", "Usine de Tournai", "Tournai"),
    ("Metaalwerken Menen NV", "bdeclercq", "Werkplaats Menen", "Menen"),
    ("Logistique du Douaisis SAS", "sgarnier", "Entrepôt de Douai", "Douai"),
)

# employer, title, occupation (English label), posts, languages, shop-floor training, contract
VACANCIES = (
    ("Agro Tournai SA", "Opérateur de production (ligne de conditionnement)", "food production operator", 4,
     {"fra": "A2"}, True, "open_ended"),
    ("Agro Tournai SA", "Opérateur de production — lecture des consignes de sécurité",
     "food production operator", 2, {"fra": "B1"}, True, "open_ended"),
    ("Agro Tournai SA", "Emballeur", "food packer", 2, {"fra": "A1"}, False, "temporary_agency"),
    ("Metaalwerken Menen NV", "Lasser MIG/MAG", "welder", 2, {"nld": "A2"}, True, "open_ended"),
    ("Metaalwerken Menen NV", "Plaatbewerker", "sheet metal worker", 1, {"nld": "A2"}, True, "open_ended"),
    ("Logistique du Douaisis SAS", "Cariste", "forklift operator", 3, {"fra": "A2"}, False, "fixed_term"),
    ("Logistique du Douaisis SAS", "Préparateur de commandes", "order picker", 5, {"fra": "A1"}, True,
     "temporary_agency"),
)

# Personas: reference → (past occupation, years, skills, desired, radius, licence)
PERSONA_PROFILES = {
    "DEMO-AHMAD": ("welder", 12, ["perform MIG/MAG welding", "perform TIG welding", "perform manual metal arc welding",
                                  "use welding equipment", "read technical drawings", "inspect weld quality",
                                  "grind and finish metal", "cut metal", "follow health and safety procedures",
                                  "wear appropriate protective gear"], ["welder"], 40, True),
    "DEMO-YONAS": (None, 0, ["lift heavy weights", "work in a team", "follow work instructions",
                             "use barcode scanner"], ["order picker", "warehouse worker"], 25, False),
}


def _skills(labels) -> list[Skill]:
    found = {s.labels.get("en"): s for s in Skill.objects.all()}
    return [found[label] for label in labels if label in found]


def _occupation(label: str) -> Occupation:
    return Occupation.objects.get(labels__en=label)


def _share_consent(person: Person, adviser) -> None:
    if person.consents.filter(purpose=ConsentPurpose.SHARE_EMPLOYERS, withdrawn_at__isnull=True).exists():
        return
    allowed = consent_giver_required(person, ConsentPurpose.SHARE_EMPLOYERS)
    giver = ConsentGiver.PERSON if ConsentGiver.PERSON in allowed else sorted(allowed)[0]
    if giver != ConsentGiver.PERSON and not person.guardian_name:
        return
    consent_record(person=person, by=adviser, purpose=ConsentPurpose.SHARE_EMPLOYERS, given_by=giver)


def _adviser_for(person: Person, advisers: dict):
    for f in person.files.all():
        if f.organisation.name in advisers:
            return advisers[f.organisation.name]
    return None


@transaction.atomic
def seed_matching(seed: int = 2026) -> dict:
    """Load the demo taxonomy, sites, vacancies and skill profiles (idempotent); return counts."""
    import_esco(DEMO_ESCO)
    User = get_user_model()
    rng = random.Random(seed)
    sites = {}
    for employer_name, login, site_name, town in SITES:
        employer = Organisation.objects.filter(name=employer_name).first()
        user = User.objects.filter(username=login).first()
        if employer is None or user is None:
            continue
        site = employer.sites.filter(name=site_name).first() or services.site_create(
            employer=employer, by=user, name=site_name, municipality=Municipality.objects.get(name=town))
        sites[employer_name] = (site, user)
    created = 0
    for employer_name, title, occupation_label, posts, languages, training, contract in VACANCIES:
        if employer_name not in sites or Vacancy.objects.filter(employer__name=employer_name, title=title).exists():
            continue
        site, user = sites[employer_name]
        services.vacancy_create(by=user, values={
            "site": site, "occupation": _occupation(occupation_label), "title": title, "posts": posts,
            "shop_floor_training": training, "contract_type": contract,
            "contract_months": 6 if contract == "fixed_term" else None,
        }, lists=services.VacancySkills(languages=languages))
        created += 1

    advisers = {name: User.objects.filter(username=login).first() for name, login in ADVISER_FOR.items()}
    profiles = 0
    for reference, (past, years, labels, desired, radius, licence) in PERSONA_PROFILES.items():
        person = Person.objects.filter(reference=reference).prefetch_related("files__organisation").first()
        adviser = _adviser_for(person, advisers) if person else None
        if person is None or adviser is None or SkillProfile.objects.filter(person=person).exists():
            continue
        services.profile_save(person=person, by=adviser, data=services.ProfileInput(
            travel_radius_km=radius, driving_licence=licence, has_car=licence, cross_border=True,
            available_from=timezone.localdate(), skills=_skills(labels),
            desired_occupations=[_occupation(label) for label in desired],
            past_occupations=[(_occupation(past), years)] if past else []))
        _share_consent(person, adviser)
        profiles += 1

    # Other demo adults: a past occupation from the demo taxonomy and most of its essential skills.
    occupations = list(Occupation.objects.prefetch_related("relations__skill"))
    wanted = [o for o in occupations if o.labels.get("en") in {v[2] for v in VACANCIES}]  # jobs on offer
    others = (Person.objects.filter(reference__startswith="DEMO-0", skill_profile__isnull=True)
              .prefetch_related("files__organisation").order_by("reference"))
    today = timezone.localdate()
    for person in others[:120]:
        if person.age(today) < 18:
            continue
        adviser = _adviser_for(person, advisers)
        if adviser is None:
            continue
        occupation = rng.choice(wanted if rng.random() < 0.4 else occupations)
        relations = list(occupation.relations.all())
        essential = [r.skill for r in relations if r.relation == Relation.ESSENTIAL]
        optional = [r.skill for r in relations if r.relation == Relation.OPTIONAL]
        picked = rng.sample(essential, k=max(1, round(len(essential) * rng.uniform(0.4, 1.0)))) \
            + rng.sample(optional, k=rng.randint(0, len(optional)))
        services.profile_save(person=person, by=adviser, data=services.ProfileInput(
            travel_radius_km=rng.choice([15, 25, 30, 40, 60]), driving_licence=(licence := rng.random() < 0.4),
            has_car=licence and rng.random() < 0.6, cross_border=rng.random() < 0.6,
            available_from=today + dt.timedelta(days=rng.choice([0, 0, 14, 30, 60])), skills=picked,
            desired_occupations=[occupation], past_occupations=[(occupation, rng.randint(1, 15))]))
        if rng.random() < 0.6:
            _share_consent(person, adviser)
        profiles += 1
    return {"vacancies": created, "profiles": profiles}
