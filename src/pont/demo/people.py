"""About 300 synthetic people: origins, languages, statuses and ages as the region sees them."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from faker import Faker
from unidecode import unidecode

from pont.core.models import Municipality, Organisation
from pont.people import services
from pont.people.choices import ConsentGiver, ConsentPurpose
from pont.people.models import Person, PersonFile
from pont.people.right_to_work import add_months

# Latin transliterations as they appear on Belgian and French documents; Faker has no Latin-script
# locale for these languages, so these short lists stand in for one.
_NAMES = {
    "ara": (["Ahmad", "Mohammed", "Omar", "Khaled", "Youssef", "Hassan", "Ali", "Bilal", "Tarek", "Samer"],
            ["Fatima", "Aya", "Rania", "Lina", "Nour", "Hiba", "Mariam", "Rima", "Dima", "Salma"],
            ["Al-Hamwi", "Haddad", "Khalil", "Mansour", "Nasser", "Al-Ahmad", "Darwish", "Hamdan", "Saleh",
             "Al-Jaber", "Kassem", "Othman"]),
    "prs": (["Ahmad Shah", "Farid", "Jawad", "Mustafa", "Rahim", "Sohrab", "Hamid", "Najib"],
            ["Zahra", "Maryam", "Fereshta", "Shabnam", "Laila", "Parisa", "Nilofar"],
            ["Noori", "Ahmadi", "Hakimi", "Rahimi", "Karimi", "Sultani", "Hashimi", "Popal"]),
    "tir": (["Yonas", "Tesfay", "Dawit", "Filmon", "Mehari", "Samuel", "Biniam", "Robel"],
            ["Selam", "Helen", "Saba", "Luwam", "Yordanos", "Feven", "Mebrat"],
            ["Tesfay", "Gebremedhin", "Haile", "Kidane", "Berhane", "Tekle", "Woldu", "Ghebre"]),
    "som": (["Abdi", "Mohamed", "Abdullahi", "Hassan", "Liban", "Farah"],
            ["Amina", "Hodan", "Sahra", "Faadumo", "Ifrah", "Khadra"],
            ["Abdi", "Warsame", "Farah", "Hersi", "Jama", "Osman", "Yusuf"]),
    "fuf": (["Mamadou", "Alpha", "Ibrahima", "Thierno", "Oumar", "Malik", "Boubacar"],
            ["Mariama", "Aissatou", "Kadiatou", "Fatoumata", "Hawa"],
            ["Diallo", "Barry", "Bah", "Sow", "Baldé", "Camara", "Sylla"]),
}

# Origin: weight, nationality, mother tongue, other languages, name source (Faker locale or list above).
ORIGINS = (
    (24, "SY", "ara", ("eng",), "ara"),
    (16, "AF", "prs", ("pus", "fas"), "prs"),
    (12, "ER", "tir", ("ara", "amh"), "tir"),
    (14, "UA", "ukr", ("rus", "eng"), "uk_UA"),
    (5, "RU", "rus", ("eng",), "ru_RU"),
    (7, "SO", "som", ("ara",), "som"),
    (7, "GN", "fuf", ("fra", "sus"), "fuf"),
    (6, "IQ", "ara", ("ckb",), "ara"),
    (5, "TR", "kmr", ("tur",), "tr_TR"),
    (4, "SD", "ara", ("eng",), "ara"),
)

ADVISER_FOR = {"Forem Mons-Mouscron": "jmdufour", "VDAB West-Vlaanderen": "lvermeulen",
               "Mission Locale du Douaisis": "ibenali"}
SHARES = (("Forem Mons-Mouscron", 0.35), ("VDAB West-Vlaanderen", 0.40), ("Mission Locale du Douaisis", 0.25))


@dataclass(frozen=True)
class Persona:
    reference: str
    given: str
    family: str
    born: dt.date
    sex: str
    nationality: str
    municipality: str
    organisation: str
    languages: dict
    status: tuple  # (kind, country, start) or ()
    minor_guardian: str = ""


def personas(today: dt.date) -> list[Persona]:
    def years_ago(years: int, days: int = 0) -> dt.date:
        return today.replace(year=today.year - years) - dt.timedelta(days=days)

    return [
        Persona("DEMO-AHMAD", "Ahmad", "Al-Hamwi", years_ago(34, 40), "M", "SY", "Kortrijk",
                "VDAB West-Vlaanderen", {"ara": "native", "nld": "A2", "eng": "B1"},
                ("recognised_refugee", "BE", dt.date(2024, 3, 12))),
        Persona("DEMO-YONAS", "Yonas", "Tesfay", years_ago(19, 100), "M", "ER", "Douai",
                "Mission Locale du Douaisis", {"tir": "native", "ara": "", "fra": "A1"},
                ("asylum_seeker", "FR", add_months(today, -7))),
        Persona("DEMO-MALIK", "Malik", "Diallo", years_ago(16, 20), "M", "GN", "Mouscron",
                "Forem Mons-Mouscron", {"fuf": "native", "fra": "A2"},
                ("asylum_seeker", "BE", add_months(today, -9)), "Service des Tutelles — M. Lambert"),
    ]


def _name(rng: random.Random, fakers: dict, source: str, sex: str) -> tuple[str, str]:
    if source in _NAMES:
        males, females, families = _NAMES[source]
        return rng.choice(males if sex == "M" else females), rng.choice(families)
    fake = fakers.setdefault(source, Faker(source))
    fake.seed_instance(rng.random())
    given = fake.first_name_male() if sex == "M" else fake.first_name_female()
    return unidecode(given), unidecode(fake.last_name_male() if sex == "M" else fake.last_name_female())


def _status(rng: random.Random, country: str, today: dt.date) -> tuple:
    roll = rng.random()
    other = "FR" if country == "BE" else "BE"
    if roll < 0.45:
        return ("recognised_refugee", country, today - dt.timedelta(days=rng.randint(60, 2000)))
    if roll < 0.55:
        return ("subsidiary_protection", country, today - dt.timedelta(days=rng.randint(60, 1500)))
    if roll < 0.68:
        return ("temporary_protection", country, today - dt.timedelta(days=rng.randint(60, 1200)))
    if roll < 0.90:
        return ("asylum_seeker", country, today - dt.timedelta(days=rng.randint(20, 500)))
    return ("recognised_refugee", other, today - dt.timedelta(days=rng.randint(200, 2500)))


@transaction.atomic
def seed_people(count: int, seed: int = 2026) -> int:
    """Create demo people up to `count` (idempotent by reference); return how many were created."""
    User = get_user_model()
    rng = random.Random(seed)
    today = timezone.localdate()
    orgs = {o.name: o for o in Organisation.objects.filter(name__in=ADVISER_FOR)}
    advisers = {name: User.objects.get(username=username) for name, username in ADVISER_FOR.items()}
    places = {}
    for org_name, org in orgs.items():
        places[org_name] = list(Municipality.objects.filter(region__in=org.regions.all()).select_related("region"))
    existing = set(Person.objects.filter(reference__startswith="DEMO-").values_list("reference", flat=True))
    created = 0
    registered = random.Random(seed + 1)  # its own draws: the rest of the demo stays as it was

    def create(ref, given, family, born, sex, nationality, municipality, org_name, languages, status,
               guardian=""):
        nonlocal created
        if ref in existing:
            return
        person = services.person_create(
            data=services.PersonInput(
                reference=ref, given_name=given, family_name=family, date_of_birth=born, sex=sex,
                nationality=nationality, region=municipality.region, municipality=municipality,
                unaccompanied_minor=bool(guardian), guardian_name=guardian,
                phone=f"+32 4{rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
                if municipality.region.country == "BE" else f"+33 6 {rng.randint(10, 99)} {rng.randint(10, 99)} "
                f"{rng.randint(10, 99)} {rng.randint(10, 99)}",
                languages=languages,
                status=services.StatusInput(status[0], status[1], status[2]) if status else None,
            ),
            organisation=orgs[org_name], by=advisers[org_name],
        )
        # Registered some months ago (the reporting counts time from registration to a job)
        since = timezone.now() - dt.timedelta(days=registered.randint(200, 700))
        labour = registered.choices(["unemployed", "long_term_unemployed", "inactive", "in_education", ""],
                                    weights=[45, 25, 15, 10, 5])[0]
        Person.objects.filter(pk=person.pk).update(created_at=since, labour_status=labour)
        PersonFile.objects.filter(person=person).update(opened_at=since)
        if rng.random() < 0.7 or guardian:
            allowed = services.consent_giver_required(person, ConsentPurpose.EMPLOYMENT_FOLLOWUP)
            giver = ConsentGiver.PERSON if ConsentGiver.PERSON in allowed else sorted(allowed)[0]
            services.consent_record(person=person, by=advisers[org_name],
                                    purpose=ConsentPurpose.EMPLOYMENT_FOLLOWUP, given_by=giver)
        created += 1

    for p in personas(today):
        municipality = Municipality.objects.select_related("region").get(name=p.municipality)
        create(p.reference, p.given, p.family, p.born, p.sex, p.nationality, municipality, p.organisation,
               p.languages, p.status, p.minor_guardian)

    fakers: dict = {}
    weights = [o[0] for o in ORIGINS]
    for index in range(1, max(0, count - len(personas(today))) + 1):
        _, nationality, mother, others, source = rng.choices(ORIGINS, weights=weights)[0]
        org_name = rng.choices([s[0] for s in SHARES], weights=[s[1] for s in SHARES])[0]
        municipality = rng.choice(places[org_name])
        young = org_name == "Mission Locale du Douaisis"
        age = rng.randint(16, 25) if young else rng.choice([rng.randint(16, 17), *[rng.randint(18, 60)] * 12])
        born = today - dt.timedelta(days=age * 365 + rng.randint(0, 364))
        sex = "F" if rng.random() < 0.4 else "M"
        given, family = _name(rng, fakers, source, sex)
        local = "nld" if municipality.region.code in ("BE25", "BE23") else "fra"
        languages = {mother: "native", local: rng.choice(["none", "A1", "A1", "A2", "A2", "B1", "B2"])}
        for extra in rng.sample(others, k=rng.randint(0, len(others))):
            languages.setdefault(extra, rng.choice(["", "A2", "B1", "B2"]) if extra in ("eng", "fra") else "")
        minor = age < 18 and rng.random() < 0.7
        create(f"DEMO-{index:05d}", given, family, born, sex, nationality, municipality, org_name, languages,
               _status(rng, municipality.region.country, today),
               guardian=_name(rng, fakers, "fr_BE" if municipality.region.country == "BE" else "fr_FR", "F")[1]
               if minor else "")
    return created
