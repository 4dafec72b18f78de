"""The employment pathway of the demo: the partners' programmes (DOMAIN.md), enrolments, coaching logs,
language courses, placements with their follow-ups — and Ahmad Al-Hamwi's journey (PERSONAS.md)."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pont.care.services import care_request_create
from pont.core.models import Organisation, Region
from pont.employment import services
from pont.employment.models import Enrolment, Placement, Programme
from pont.people.choices import ConsentPurpose
from pont.people.models import Person
from pont.people.right_to_work import add_months
from pont.people.selectors import consents_in_force
from pont.people.services import consent_record

FOREM, VDAB, MISSION_LOCALE = "Forem Mons-Mouscron", "VDAB West-Vlaanderen", "Mission Locale du Douaisis"
COORDINATOR_FOR = {FOREM: "nlefebvre", VDAB: "pdesmet", MISSION_LOCALE: "mroux"}
ADVISER_FOR = {FOREM: "jmdufour", VDAB: "lvermeulen", MISSION_LOCALE: "ibenali"}

# organisation, key, kind, names (fr, nl, en), descriptions (fr, nl, en), rules
PROGRAMMES = (
    (FOREM, "forem_workplace", "workplace_training",
     ("Formation et acculturation en entreprise", "Opleiding en acculturatie op de werkplek",
      "Workplace training and acculturation"),
     ("Un programme de formation et d'acculturation sur le lieu de travail, pour une vingtaine de réfugiés par an.",
      "Een opleidings- en acculturatieprogramma op de werkplek, voor een twintigtal vluchtelingen per jaar.",
      "A training and acculturation programme at the workplace, for about 20 refugees a year."),
     {"capacity": 20, "min_age": 18, "right_to_work": "may_work", "regions": ("BE32", "BE35", "BE34")}),
    (FOREM, "forem_fle", "language_course",
     ("Français langue étrangère orienté métier", "Frans als vreemde taal voor het werk",
      "Work-oriented French as a foreign language"),
     ("Cours de français avant ou pendant la formation en entreprise.",
      "Franse les vóór of tijdens de opleiding op de werkplek.",
      "French lessons before or during the workplace training."),
     {"right_to_work": "not_required", "min_age": 16}),
    (MISSION_LOCALE, "ml_youth", "youth_guidance",
     ("Accompagnement renforcé vers l'emploi des 16-25 ans", "Intensieve begeleiding naar werk voor 16- tot 25-jarigen",
      "Guidance into work for young people aged 16 to 25"),
     ("Un accompagnement approfondi pendant la recherche d'emploi, pour 50 jeunes de 16 à 25 ans sur la durée "
      "du projet.",
      "Grondige begeleiding tijdens het zoeken naar werk, voor 50 jongeren van 16 tot 25 jaar over de hele "
      "projectduur.",
      "Well-founded guidance during the job search for 50 young people aged 16 to 25 over the project."),
     {"capacity": 50, "capacity_period": "project", "min_age": 16, "max_age": 25, "right_to_work": "not_required",
      "regions": ("FRE11", "FRE12")}),
    (MISSION_LOCALE, "ml_fle", "language_course",
     ("Français langue étrangère (FLE)", "Frans als vreemde taal", "French as a foreign language"),
     ("Cours de français pour les jeunes accompagnés, avant l'entrée en emploi ou en formation.",
      "Franse les voor begeleide jongeren, vóór werk of opleiding.",
      "French lessons for the young people in guidance, before a job or a training."),
     {"right_to_work": "not_required", "min_age": 16, "max_age": 25}),
    (VDAB, "vdab_ibo", "shop_floor_training",
     ("Formation professionnelle sur le lieu de travail (IBO)", "Individuele beroepsopleiding op de werkvloer (IBO)",
      "Shop-floor vocational training (IBO)"),
     ("Formation professionnelle de six mois au plus dans une entreprise choisie pour la personne, "
      "sous la supervision d'un coach professionnel.",
      "Beroepsopleiding van hoogstens zes maanden in een bedrijf dat bij de persoon past, "
      "onder begeleiding van een professionele coach.",
      "Vocational training on the shop floor for at most six months, in a company chosen to fit the person, "
      "under the supervision of a professional coach."),
     {"capacity": 40, "max_duration_months": 6, "min_age": 18, "right_to_work": "may_work",
      "regions": ("BE25", "BE23")}),
    (VDAB, "vdab_nt2", "language_course",
     ("Néerlandais sur le lieu de travail", "Nederlands op de werkvloer", "Dutch on the shop floor"),
     ("Cours de néerlandais avant ou pendant la formation sur le lieu de travail.",
      "Nederlandse les vóór of tijdens de opleiding op de werkvloer.",
      "Dutch lessons before or during the shop-floor training."),
     {"right_to_work": "not_required", "min_age": 18}),
    (VDAB, "vdab_coaching", "job_coaching",
     ("Jobcoaching", "Jobcoaching", "Job coaching"),
     ("Accompagnement individuel vers et dans l'emploi.", "Individuele begeleiding naar en op het werk.",
      "One-to-one coaching into a job and in the first months of it."),
     {"right_to_work": "permit_ok", "min_age": 18}),
)


def _programmes(User) -> dict[str, Programme]:
    result = {}
    for org_name, key, kind, names, descriptions, rules in PROGRAMMES:
        org = Organisation.objects.get(name=org_name)
        existing = Programme.objects.filter(organisation=org, name_en=names[2]).first()
        if existing is not None:
            result[key] = existing
            continue
        data = services.ProgrammeInput(
            kind=kind, names=dict(zip(("fr", "nl", "en"), names, strict=True)),
            descriptions=dict(zip(("fr", "nl", "en"), descriptions, strict=True)),
            regions=list(Region.objects.filter(code__in=rules.get("regions", ()))),
            **{k: v for k, v in rules.items() if k != "regions"})  # type: ignore[arg-type]  # demo table
        result[key] = services.programme_create(organisation=org, data=data,
                                                by=User.objects.get(username=COORDINATOR_FOR[org_name]))
    return result


def _enrol_some(people, count: int, when, **kwargs) -> list[Enrolment]:
    """Enrol up to `count` of `people` on the date `when()` gives; skip those the service refuses."""
    made: list[Enrolment] = []
    for person in people:
        if len(made) == count:
            break
        try:
            made.append(services.enrolment_create(person=person, on=when(), **kwargs))
        except ValidationError:
            continue
    return made


def _people_of(org_name: str):
    return list(Person.objects.filter(files__organisation__name=org_name, files__closed_at__isnull=True,
                                      reference__startswith="DEMO-").exclude(
        reference__in=("DEMO-AHMAD", "DEMO-YONAS", "DEMO-MALIK")).select_related("region")
                .prefetch_related("languages", "legal_statuses").order_by("reference"))


def _ahmad(programmes, lies, today: dt.date) -> None:
    ahmad = Person.objects.filter(reference="DEMO-AHMAD").first()
    if ahmad is None:
        return
    metal = Organisation.objects.filter(name="Metaalwerken Menen NV").first()
    start = add_months(today, -14)
    training = services.enrolment_create(
        person=ahmad, programme=programmes["vdab_ibo"], by=lies, enrol=True, on=start - dt.timedelta(days=14),
        planned_start=start, planned_end=add_months(start, 4), host_company=metal, coach_name="Geert Claeys",
        coach_contact="geert.claeys@metaalwerken-menen.invalid",
        notes="12 jaar lasser (MIG/MAG) in Aleppo; TIG op te frissen.")
    services.enrolment_transition(enrolment=training, to="active", by=lies, on=start, planned_end=add_months(start, 4))
    services.language_training_create(
        person=ahmad, by=lies, language="nld", course="Nederlands op de werkvloer (CVO Kortrijk)", hours=120,
        start_date=start + dt.timedelta(days=7), end_date=add_months(start, 4), level_at_start="A2",
        enrolment=training, timing="during")
    notes = ("Past zich goed aan; veiligheidsinstructies begrepen met hulp van de coach.",
             "MIG-lassen van frames aan het verwachte tempo.", "TIG-oefening gestart; eerste proefstukken goedgekeurd.",
             "Vraagt meer Nederlandse woordenschat van de werkplaats.", "Werkt zelfstandig aan kleine reeksen.")
    for week in range(16):
        day = start + dt.timedelta(weeks=week, days=4)
        services.coaching_session_create(
            person=ahmad, by=lies, date=day, kind="weekly_review", notes=notes[week % len(notes)],
            next_step="Wekelijkse evaluatie met Geert Claeys", next_date=day + dt.timedelta(weeks=1),
            enrolment=training)
    services.enrolment_transition(enrolment=training, to="completed", by=lies, on=add_months(start, 4))
    contract = add_months(start, 7)
    placement = services.placement_create(
        person=ahmad, by=lies, job_title="Lasser (MIG/MAG, TIG)", contract_type="open_ended", start_date=contract,
        employer=metal, employer_name="Metaalwerken Menen NV", hours_per_week=38, enrolment=training)
    for followup in placement.followups.all():
        if followup.due_on <= today:
            services.followup_record(followup=followup, by=lies, done_on=followup.due_on, still_employed=True,
                                     notes="Werkgever tevreden; Ahmad leidt nu een nieuwe collega op.")


def _yonas(programmes, ines, today: dt.date) -> None:
    yonas = Person.objects.filter(reference="DEMO-YONAS").first()
    if yonas is None:
        return
    guidance = services.enrolment_create(person=yonas, programme=programmes["ml_youth"], by=ines, enrol=True,
                                         on=today - dt.timedelta(days=30))
    services.enrolment_transition(enrolment=guidance, to="active", by=ines, on=today - dt.timedelta(days=21))
    services.language_training_create(person=yonas, by=ines, language="fra", course="FLE — Mission Locale de Douai",
                                      hours=200, start_date=today - dt.timedelta(days=21), level_at_start="A1")
    services.coaching_session_create(
        person=yonas, by=ines, date=today - dt.timedelta(days=6), kind="meeting",
        notes="Souhaite travailler dans la logistique. Six mois depuis la demande : peut demander une "
              "autorisation de travail avec une offre d'emploi.",
        next_step="Préparer la demande d'autorisation de travail avec un employeur de la logistique",
        next_date=today + dt.timedelta(days=2))
    # He sleeps badly since the claim: with his consent (care, and sharing between the tracks), Inès asks the
    # French mobile team for support; she then sees how far it is, never what the team writes.
    for purpose in (ConsentPurpose.CARE, ConsentPurpose.SHARE_TRACKS):
        consent_record(person=yonas, by=ines, purpose=purpose, given_by="person")
    care_request_create(person=yonas, by=ines, concerns=["sleep", "integration"],
                        description="Dort mal depuis le dépôt de sa demande d'asile ; s'inquiète de l'entretien "
                                    "à l'OFPRA. D'accord pour une rencontre, en arabe ou en français.")


@transaction.atomic
def seed_employment(seed: int = 2026) -> int:
    """Create the programmes and, once, the demo pathways (idempotent); return how many enrolments were made."""
    User = get_user_model()
    if not Organisation.objects.filter(name__in=COORDINATOR_FOR).exists():
        return 0
    programmes = _programmes(User)
    if Enrolment.objects.filter(programme__in=programmes.values()).exists():
        return 0
    rng = random.Random(seed)
    today = timezone.localdate()
    advisers = {org: User.objects.get(username=name) for org, name in ADVISER_FOR.items()}
    _ahmad(programmes, advisers[VDAB], today)
    _yonas(programmes, advisers[MISSION_LOCALE], today)
    year_start = dt.date(today.year, 1, 1)

    def this_year(max_days: int) -> dt.date:
        return max(year_start, today - dt.timedelta(days=rng.randint(1, max_days)))

    # Forem: 17 of the 20 places of the year already taken (PERSONAS.md: Jean-Marc Dufour in October).
    forem_people = _people_of(FOREM)
    taken = _enrol_some(forem_people, 17, lambda: this_year(250), programme=programmes["forem_workplace"],
                        by=advisers[FOREM], enrol=True)
    for enrolment in taken:
        if rng.random() < 0.6:
            assert enrolment.enrolled_on is not None  # enrolled above
            services.enrolment_transition(enrolment=enrolment, to="active", by=advisers[FOREM],
                                          on=min(today, enrolment.enrolled_on + dt.timedelta(days=14)))
    enrolled = {e.person_id for e in taken}
    _enrol_some([p for p in forem_people if p.pk not in enrolled], 4, lambda: today,
                programme=programmes["forem_workplace"], by=advisers[FOREM])
    # Mission Locale: young people in guidance.
    _enrol_some(_people_of(MISSION_LOCALE), 18, lambda: this_year(200), programme=programmes["ml_youth"],
                by=advisers[MISSION_LOCALE], enrol=True)
    # VDAB: shop-floor trainings, some with Dutch lessons alongside.
    companies = list(Organisation.objects.filter(kind="company"))
    trainings = _enrol_some(_people_of(VDAB), 14, lambda: this_year(150), programme=programmes["vdab_ibo"],
                            by=advisers[VDAB], enrol=True, host_company=rng.choice(companies),
                            coach_name=rng.choice(("Geert Claeys", "Els Maes", "Wim Vercruysse")))
    for enrolment in trainings:
        on = enrolment.enrolled_on
        assert on is not None  # enrolled above
        services.enrolment_transition(enrolment=enrolment, to="active", by=advisers[VDAB], on=on)
        if rng.random() < 0.5:
            services.language_training_create(
                person=enrolment.person, by=advisers[VDAB], language="nld", course="Nederlands op de werkvloer",
                hours=80, start_date=on, level_at_start=rng.choice(("A1", "A2")), enrolment=enrolment,
                timing="during")
    _placements(rng, advisers, today)
    return Enrolment.objects.filter(programme__in=programmes.values()).count()


# Job titles as the adviser who records the placement writes them: in the language of their organisation.
JOBS = {
    "fr": ("Opérateur de production", "Magasinier", "Soudeur", "Commis de cuisine", "Cariste",
           "Aide-soignant", "Agent d'entretien", "Aide-électricien", "Chauffeur de bus", "Boulanger"),
    "nl": ("Productieoperator", "Magazijnier", "Lasser", "Keukenhulp", "Heftruckchauffeur",
           "Zorgkundige", "Schoonmaker", "Hulpelektricien", "Buschauffeur", "Bakker"),
}


def _placements(rng: random.Random, advisers: dict, today: dt.date) -> None:
    """About 45 placements over the last two years; follow-ups recorded when due, a few left due this week."""
    employers = list(Organisation.objects.filter(kind="company"))
    contracts = (("open_ended", None), ("open_ended", None), ("fixed_term", 12), ("fixed_term", 6),
                 ("fixed_term", 3), ("temporary_agency", None), ("apprenticeship", 24))
    for org_name, adviser in advisers.items():
        adults = [p for p in _people_of(org_name) if p.age(today) >= 18
                  and not Placement.objects.filter(person=p).exists()]
        # Follow-ups are recorded only for people who consented to them (docs/consent.md); the second
        # placement, whose follow-up is due now, is of someone who did not: the due list marks it.
        consenting = set(consents_in_force(ConsentPurpose.EMPLOYMENT_FOLLOWUP).filter(person__in=adults)
                         .values_list("person_id", flat=True))
        people = [p for p in adults if p.pk in consenting][:14]
        without = [p for p in adults if p.pk not in consenting][:1]
        people[1:1] = without
        for index, person in enumerate(people):
            # The first two start three or six months ago (give or take a few days): their follow-up is due now.
            if index == 0:
                start = add_months(today, -3) + dt.timedelta(days=rng.randint(-3, 5))
            elif index == 1:
                start = add_months(today, -6) + dt.timedelta(days=rng.randint(-3, 5))
            else:
                start = today - dt.timedelta(days=rng.randint(30, 700))
            contract, months = rng.choice(contracts)
            employer = rng.choice(employers) if rng.random() < 0.4 else None
            placement = services.placement_create(
                person=person, by=adviser, job_title=rng.choice(JOBS[adviser.language]), contract_type=contract,
                contract_months=months, start_date=start, employer=employer,
                employer_name="" if employer else rng.choice(("Colruyt", "Lidl", "Sodexo", "Randstad", "ISS",
                                                              "Aldi", "Decathlon", "Vandemoortele")),
                hours_per_week=rng.choice((19, 30, 38, 38, 38)))
            if index < 2:
                continue
            for followup in placement.followups.all():
                if followup.due_on > today:
                    break
                kept = rng.random() < 0.82
                services.followup_record(followup=followup, by=adviser, done_on=followup.due_on,
                                         still_employed=kept, reason_left="" if kept else rng.choice(
                                             ("contract_ended", "resigned", "dismissed", "moved")))
                if not kept:
                    break
