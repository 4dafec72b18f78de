"""Care demo data: the two mobile teams, PERSONAS.md's cases (Oksana, Malik, Samir's families, Dr Leclercq's
screenings) and a few weeks of closed signals so the indicators have something to show."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from pont.care import services
from pont.care.models import CooperationAgreement, Signal, TeamMember, Visit
from pont.core.models import Municipality, Organisation

FR, BE = "IntergraPsy France", "IntergraPsy Belgique-België"

# username → (organisation, team, role, languages, profile)
MEMBERS: dict[str, tuple[str, str, str, list[str], dict[str, Any]]] = {
    "ldubois": (FR, "Équipe mobile Lille", "social_worker", ["fra", "eng"], {}),
    "tmartin": (FR, "Équipe mobile Lille", "therapist", ["fra", "eng"], {}),
    "aabdi": (FR, "Équipe mobile Lille", "interpreter", ["som", "ara", "fra"], {}),
    "hbakri": (FR, "Équipe mobile Lille", "ambassador", ["ara", "kur", "fra"],
               {"arrival_year": 2011, "peer_support_areas": "families, housing, first steps in France"}),
    "evandamme": (BE, "Mobiel team Kortrijk", "social_worker", ["nld", "fra"], {}),
    "asleclercq": (BE, "Mobiel team Kortrijk", "therapist", ["fra", "nld", "eng"], {}),
    "oshevchenko": (BE, "Mobiel team Kortrijk", "interpreter", ["ukr", "rus", "nld", "fra"], {"base": "Mouscron"}),
    "snoori": (BE, "Mobiel team Kortrijk", "ambassador", ["prs", "pus", "fas", "nld"],
               {"arrival_year": 2015, "peer_support_areas": "Dari- en Pasjtoesprekende gezinnen en jongeren",
                "base": "Roeselare"}),
}
BASES = {"Équipe mobile Lille": "Lille", "Mobiel team Kortrijk": "Kortrijk"}


def _place(name: str) -> Municipality:
    place = Municipality.objects.filter(name=name).first() or Municipality.objects.order_by("pk").first()
    assert place is not None, "seed the reference places first"
    return place


def _signal(org, by, *, ago: dt.timedelta, **fields) -> Signal:
    data = services.SignalInput(**{"relation": "supporting", "target_group": "refugee", **fields})
    return services.signal_create(data=data, channel="phone", organisation=org, by=by,
                                  received_at=timezone.now() - ago)


@transaction.atomic
def seed_care() -> int:
    """Create the teams (idempotent) and, on a database without signals, the demo cases; return new signals."""
    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(username__in=[*MEMBERS, "khaddad", "bjanssens"])}
    orgs = {o.name: o for o in Organisation.objects.filter(name__in=[FR, BE])}
    if len(orgs) < 2 or len(users) < len(MEMBERS) + 2:
        return 0
    teams = {}
    for username, (org_name, team_name, role, languages, given) in MEMBERS.items():
        if team_name not in teams:
            teams[team_name] = services.team_create(organisation=orgs[org_name], name=team_name,
                                                    base=_place(BASES[team_name]))
        profile: dict[str, Any] = dict(given)
        if "base" in profile:
            profile["base"] = _place(str(profile["base"]))
        services.team_member_set(team=teams[team_name], user=users[username], role=role, languages=languages,
                                 **profile)
    _seed_agreement(orgs)
    _seed_rota(orgs, users)
    if Signal.objects.exists():
        return 0
    return _seed_cases(orgs, users, teams)


def _seed_rota(orgs, users) -> None:
    """Karim is called first for IntergraPsy France's alerts, Bram for the Belgian side's, for two weeks."""
    from pont.care import rota
    from pont.care.models import DutySlot

    if DutySlot.objects.exists():
        return
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    for org, user in ((orgs[FR], users["khaddad"]), (orgs[BE], users["bjanssens"])):
        rota.slot_add(organisation=org, dispatcher=user, starts_at=now, ends_at=now + dt.timedelta(days=14), rank=1,
                      by=user)


def _seed_agreement(orgs) -> None:
    """IntergraPsy's two sides lend each other social workers, therapists and interpreters, anywhere in the
    region; ambassadors stay with their own team (they know its families). Proposed by Koen, confirmed by
    Chloé (idempotent)."""
    from pont.care import cooperation

    if CooperationAgreement.objects.exists():
        return
    User = get_user_model()
    koen, chloe = User.objects.get(username="kpeeters"), User.objects.get(username="ccarpentier")
    agreement = cooperation.agreement_propose(
        organisation=orgs[BE], partner=orgs[FR], direction=cooperation.MUTUAL,
        roles=["social_worker", "therapist", "interpreter"],
        starts_on=timezone.localdate() - dt.timedelta(days=90), by=koen,
        note="IntergraPsy : un seul dispositif franco-belge, les langues de chaque équipe au service des deux.")
    cooperation.agreement_confirm(agreement=agreement, by=chloe)


def _working_slot(after: dt.datetime, hour: int) -> dt.datetime:
    """Return the first weekday after `after` (local time) at `hour` o'clock: inside the teams' working hours."""
    day = timezone.localtime(after).date() + dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _member(username: str) -> TeamMember:
    return TeamMember.objects.select_related("team", "user").get(user__username=username)


def _seed_cases(orgs, users, teams) -> int:
    rng = random.Random(2026)
    karim, bram = users["khaddad"], users["bjanssens"]
    fr, be = orgs[FR], orgs[BE]
    now = timezone.now()
    created = 0

    # Karim's morning: Oksana (B, Ukrainian/Russian) among six other signals waiting.
    oksana = _signal(fr, karim, ago=dt.timedelta(minutes=35), first_name="Oksana", age_group="26-64",
                     target_group="refugee", municipality=_place("Douai"), languages=["ukr", "rus"],
                     concerns=["sleep", "low_mood"], signaller_name="Bénévole, centre d'accueil de Douai",
                     signaller_contact="+33 3 27 00 00 00",
                     description="Ne dort plus depuis des semaines et dit « ne plus vouloir continuer ».")
    services.signal_triage(signal=oksana, category="B", reasons="Dit ne plus vouloir continuer : risque très élevé.",
                           by=karim)
    others = [
        ("Youssef", "ara", "C", ["anxiety", "integration"], "Lille", 5),
        ("Awa", "fra", "D", ["body_pain"], "Valenciennes", 20),
        ("Hamid", "prs", "C", ["trauma"], "Roubaix", 9),
        ("Selam", "tir", "D", ["sleep", "trauma"], "Douai", 30),
        ("Nour", "ara", "E", ["integration"], "Lille", 50),
        ("Ibrahim", "som", "C", ["addiction"], "Tourcoing", 14),
    ]
    for name, language, category, concerns, town, hours in others:
        signal = _signal(fr, karim, ago=dt.timedelta(hours=hours), first_name=name, age_group="26-64",
                         municipality=_place(town), languages=[language, "fra"] if language != "fra" else ["fra"],
                         concerns=concerns)
        services.signal_triage(signal=signal, category=category, reasons="Triage par téléphone.", by=karim)
        created += 1

    # Malik (16, Guinea, Pular and some French): CRIES-8 with Dr Leclercq.
    malik = _signal(be, bram, ago=dt.timedelta(days=6), first_name="Malik", age_group="12-17",
                    target_group="unaccompanied_minor", municipality=_place("Mouscron"), languages=["fuf", "fra"],
                    concerns=["body_pain", "sleep", "trauma"], signaller_name="Opvoeder, opvangcentrum",
                    description="Hoofdpijn en nachtmerries. Voogd op de hoogte; Malik (16) stemt zelf in (BE: 13).")
    malik = services.signal_triage(signal=malik, category="C", reasons="Grote nood, een minderjarige.",
                                   team=teams["Mobiel team Kortrijk"], by=bram)
    visit = services.visit_create(signal=malik, members=[_member("asleclercq"), _member("evandamme")],
                                  starts_at=_working_slot(malik.received_at, 10), place="Opvangcentrum",
                                  language="fra", by=bram)
    services.visit_report(visit=visit, by=users["asleclercq"], attended=True, language_spoken=True,
                          next_step="follow_up")
    services.screening_record(signal=malik, visit=visit, instrument_code="cries-8", language="fr",
                              answers={1: 5, 2: 3, 3: 5, 4: 3, 5: 1, 6: 5, 7: 3, 8: 1}, by=users["asleclercq"])
    services.note_add(signal=malik, kind="clinical", body="Images intrusives la nuit ; pas d'automutilation.",
                      by=users["asleclercq"])
    created += 1

    # Dr Leclercq's case through an interpreter: PHQ-9 and PCL-5 at the first and the last visit.
    amal = _signal(be, bram, ago=dt.timedelta(days=40), first_name="Amal", age_group="26-64",
                   municipality=_place("Kortrijk"), languages=["ara"], concerns=["trauma", "sleep"])
    amal = services.signal_triage(signal=amal, category="C", reasons="Trauma.", team=teams["Mobiel team Kortrijk"],
                                  by=bram)
    for days, phq, pcl in ((39, 2, 3), (12, 1, 1)):
        visit = Visit.objects.create(signal=amal, starts_at=now - dt.timedelta(days=days),
                                     ends_at=now - dt.timedelta(days=days) + dt.timedelta(hours=1),
                                     place="Huisbezoek", municipality=amal.municipality, language="ara",
                                     status="done", attended=True, language_spoken=True, next_step="follow_up",
                                     created_by=bram)
        visit.members.set([_member("asleclercq"), _member("evandamme")])  # history, planned before Pont
        services.screening_record(signal=amal, visit=visit, instrument_code="phq-9", language="en",
                                  answers={n: phq for n in range(1, 9)} | {9: 0}, by=users["asleclercq"])
        services.screening_record(signal=amal, visit=visit, instrument_code="pcl-5", language="en",
                                  answers={n: pcl + (n % 2) for n in range(1, 21)}, by=users["asleclercq"])
    Signal.objects.filter(pk=amal.pk).update(first_contact_at=amal.received_at + dt.timedelta(hours=9))
    created += 1

    # Samir's agenda: Dari- and Pashto-speaking families (category D, an ambassador may go with the team).
    for name, language, town, days, hour in (("Farid", "prs", "Roeselare", 1, 10), ("Laila", "pus", "Kortrijk", 2, 14)):
        family = _signal(be, bram, ago=dt.timedelta(hours=10), first_name=name, age_group="18-25",
                         municipality=_place(town), languages=[language], concerns=["integration"])
        family = services.signal_triage(signal=family, category="D",
                                        reasons="Matig; steun van een ervaringsdeskundige.",
                                        team=teams["Mobiel team Kortrijk"], by=bram)
        start = _working_slot(now + dt.timedelta(days=days - 1), hour)
        services.visit_create(signal=family, members=[_member("snoori"), _member("evandamme")], starts_at=start,
                              place=f"Bij het gezin thuis, {town}", by=bram)
        created += 1

    # A few weeks of closed signals, for the indicators.
    for n in range(24):
        org, by, team = ((fr, karim, teams["Équipe mobile Lille"]) if n % 2
                         else (be, bram, teams["Mobiel team Kortrijk"]))
        category = rng.choice("BCCDDE")
        signal = _signal(org, by, ago=dt.timedelta(days=rng.randint(8, 60), hours=rng.randint(0, 23)),
                         first_name=rng.choice(["Ali", "Sara", "Omar", "Hawa", "Reza", "Olga"]), age_group="26-64",
                         municipality=_place(rng.choice(["Lille", "Douai", "Kortrijk", "Mons", "Tournai"])),
                         languages=[rng.choice(["ara", "prs", "ukr", "tir", "som"])])
        signal = services.signal_triage(signal=signal, category=category, reasons="Triage.", team=team, by=by)
        place = "Visite" if org == fr else "Bezoek"
        target = (signal.target_at - signal.received_at).total_seconds() / 60
        minutes = target * rng.uniform(0.2, 1.3)
        Signal.objects.filter(pk=signal.pk).update(
            first_contact_at=signal.received_at + dt.timedelta(minutes=minutes),
            closed_at=signal.received_at + dt.timedelta(days=6), outcome=rng.choice(["improved", "stable", "referred"]))
        member = team.members.filter(role="social_worker").first()
        visit = Visit.objects.create(signal=signal, starts_at=signal.received_at + dt.timedelta(minutes=minutes),
                                     ends_at=signal.received_at + dt.timedelta(minutes=minutes + 60), place=place,
                                     municipality=signal.municipality, language=signal.languages[0], status="done",
                                     attended=True, language_spoken=rng.random() < 0.85, next_step="none",
                                     created_by=by)
        visit.members.set([member])
        created += 1
    return created + 1
