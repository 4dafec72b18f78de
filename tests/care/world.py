"""A small care world for tests: a Belgian team with the care personas, a signal, a visit, notes, a screening,
TOTP devices for care roles and coordinators, and helpers to pass the second factor with a real code."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from pont.care import clock, cooperation, services
from pont.care.models import Team, TeamMember
from pont.core.roles import OrganisationKind, Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, municipality

SECOND_FACTOR_ROLES = ("dispatcher", "social_worker", "therapist", "interpreter", "ambassador", "coordinator",
                       "care_coordinator")
MEMBER_LANGUAGES = {"social_worker": ["fra", "nld"], "therapist": ["fra", "nld", "eng"],
                    "interpreter": ["ukr", "rus", "fra"], "ambassador": ["prs", "pus", "nld"]}


def totp_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)


def current_code(device: TOTPDevice) -> str:
    """Return the code an authenticator app would show now for this device (computed from its key)."""
    return str(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)).zfill(device.digits)


def pass_second_factor(client, user) -> None:
    """Confirm the session's second factor through the verify page with a real TOTP code."""
    device = totp_device(user)
    device.refresh_from_db()
    device.last_t = -1  # a test may verify several sessions within one 30-second step
    device.save(update_fields=["last_t"])
    response = client.post(reverse("otp_verify"), {"token": current_code(device), "next": "/"})
    assert response.status_code == 302, response.content[:300]


def working_slot(*, days: int = 1, hour: float = 10) -> dt.datetime:
    """Return a weekday at least `days` away (earlier when negative) at `hour` o'clock, local time: inside the
    members' default working hours (Monday to Friday, 9:00–17:00), where a visit may be planned."""
    step = 1 if days >= 0 else -1
    day = timezone.localdate() + dt.timedelta(days=days)
    while day.weekday() >= 5:
        day += dt.timedelta(days=step)
    start = dt.datetime.combine(day, dt.time(9)) + dt.timedelta(hours=hour - 9)
    return timezone.make_aware(start)


def build_team(orgs, users) -> Team:
    team = services.team_create(organisation=orgs["care_be"], name="Mobile team Kortrijk",
                                base=municipality("Kortrijk"))
    for role, languages in MEMBER_LANGUAGES.items():
        services.team_member_set(team=team, user=users[role], role=role, languages=languages,
                                 arrival_year=2015 if role == "ambassador" else None)
    return team


def build_world(orgs, users) -> dict:
    """Create the care objects the permission matrix and the care tests use; return their ids by name."""
    for role in SECOND_FACTOR_ROLES:
        totp_device(users[role])
    team = build_team(orgs, users)
    members = {m.role: m for m in team.members.all()}
    signal = services.signal_create(
        data=services.SignalInput(relation="supporting", target_group="refugee", municipality=municipality("Kortrijk"),
                                  languages=["ukr", "rus"], concerns=["sleep", "low_mood"], first_name="Oksana",
                                  age_group="26-64", description="Has not slept for weeks."),
        channel="phone", organisation=orgs["care_be"], by=users["dispatcher"])
    services.signal_triage(signal=signal, category="B", reasons="Talks of not wanting to go on.", team=team,
                           by=users["dispatcher"])
    start = working_slot()
    visit = services.visit_create(signal=signal, members=[members["therapist"], members["interpreter"]],
                                  starts_at=start, place="Reception centre", by=users["dispatcher"])
    social = services.note_add(signal=signal, kind="social", body="Housing is unstable.", by=users["social_worker"])
    clinical = services.note_add(signal=signal, kind="clinical", body="Sleep disturbance, hopelessness.",
                                 by=users["therapist"])
    screening = services.screening_record(signal=signal, instrument_code="phq-4", answers={1: 2, 2: 2, 3: 1, 4: 2},
                                          language="en", by=users["therapist"])
    alert = clock.raise_alerts(signal_id=signal.pk, now=signal.target_at + dt.timedelta(minutes=1))[0]
    return {"signal": signal.pk, "visit": visit.pk, "social_note": social.pk, "clinical_note": clinical.pk,
            "screening": screening.pk, "team": team.pk, "alert": alert.pk, "instrument": "phq-4",
            "member_therapist": members["therapist"].pk, "member_interpreter": members["interpreter"].pk}


ROUND_THE_CLOCK = {"works_from": dt.time(0, 0), "works_until": dt.time(23, 59), "working_days": list(range(7))}


def build_france(orgs, users, round_the_clock: bool = True) -> dict:
    """A French care organisation in Lille: a dispatcher (Karim), a French-speaking therapist, a coordinator;
    the Belgian test team (with a Ukrainian-speaking interpreter) and its coordinator."""
    build_team(orgs, users)
    org = OrganisationFactory(name="IntergraPsy FR Test", kind=OrganisationKind.CARE_TEAM, country="FR")
    people = {}
    for name, role in (("karim", Role.DISPATCHER), ("thomas", Role.THERAPIST), ("chloe", Role.COORDINATOR)):
        people[name] = MembershipFactory(user=UserFactory(username=name), organisation=org, role=role).user
    people["koen"] = MembershipFactory(user=UserFactory(username="koen"), organisation=orgs["care_be"],
                                       role=Role.COORDINATOR).user
    team = services.team_create(organisation=org, name="Équipe Lille", base=municipality("Lille"))
    services.team_member_set(team=team, user=people["thomas"], role="therapist", languages=["fra"])
    if round_the_clock:
        TeamMember.objects.update(**ROUND_THE_CLOCK)
    totp_device(people["karim"])
    signal = services.signal_create(
        data=services.SignalInput(relation="supporting", target_group="refugee",
                                       municipality=municipality("Douai"), languages=["ukr", "rus"],
                                       concerns=["sleep"], first_name="Oksana"),
        channel="phone", organisation=org, by=people["karim"])
    services.signal_triage(signal=signal, category="B", reasons="Phone call.", by=people["karim"])
    return {"org": org, "signal": signal, **people}


def agree(orgs, france, roles=("interpreter", "therapist", "social_worker"), regions=(), confirm=True):
    agreement = cooperation.agreement_propose(
        organisation=orgs["care_be"], partner=france["org"], direction=cooperation.LEND, roles=list(roles),
        regions=regions, starts_on=timezone.localdate() - dt.timedelta(days=1), by=france["koen"])
    if confirm:
        cooperation.agreement_confirm(agreement=agreement, by=france["chloe"])
    return agreement
