"""Planning across the border: cooperation agreements decide who a dispatcher may send, the planner uses them,
a lent member sees only what their visit needs, and the lending side sees the hours lent."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from pont.audit.models import AuditEvent
from pont.care import cooperation, selectors
from pont.care import services as care_services
from pont.care.models import TeamMember
from pont.dispatch import services as dispatch_services
from pont.dispatch.solver import Options
from tests.care.world import agree, build_france, pass_second_factor, totp_device, working_slot
from tests.factories import municipality, region

pytestmark = pytest.mark.django_db
FAST = Options(time_limit=3, deterministic_limit=1)


@pytest.fixture
def france(orgs, users):
    return build_france(orgs, users)


def _agree(orgs, france, **kwargs):
    return agree(orgs, france, **kwargs)


def _plan(orgs, france):
    now = timezone.now()
    return dispatch_services.plan_propose(organisation=france["org"], start=now, end=now + dt.timedelta(hours=8),
                                          by=france["karim"], options=FAST)


def test_without_an_agreement_the_planner_says_nobody_speaks_ukrainian(orgs, users, france):
    plan = _plan(orgs, france)
    assert [u.reason for u in plan.unserved.all()] == ["no_language"]
    assert plan.proposed_visits.count() == 0


def test_with_an_agreement_karim_plans_oksana_with_the_belgian_interpreter(orgs, users, france):
    _agree(orgs, france)
    plan = _plan(orgs, france)
    (proposed,) = plan.proposed_visits.all()
    assert {m.user.username for m in proposed.members.all()} == {"thomas", "interpreter"}
    assert proposed.crosses_border  # the interpreter leaves from Kortrijk for Douai
    assert [m.user.username for m in proposed.lent_members] == ["interpreter"]
    (visit,) = dispatch_services.plan_accept(plan=plan, by=france["karim"])
    # the lent interpreter sees the visit in her agenda, and only its logistics
    assert [v.pk for v in selectors.agenda(user=users["interpreter"])] == [visit.pk]
    _, access = selectors.visit_get(user=users["interpreter"], pk=visit.pk)
    assert not access.any
    with pytest.raises(Http404):
        selectors.signal_get(user=users["interpreter"], pk=france["signal"].pk)
    # the signal's team stays French: the Belgian team's other members have no business with the case
    france["signal"].refresh_from_db()
    assert france["signal"].team is None or france["signal"].team.organisation_id == france["org"].pk
    with pytest.raises(Http404):
        selectors.signal_get(user=users["therapist"], pk=france["signal"].pk)
    # the lending side's coordinator sees the hours lent
    (row,) = cooperation.agreements_view(user=france["koen"])
    assert row.hours[(orgs["care_be"].pk, france["org"].pk)] == pytest.approx(1.5)


def test_a_lent_therapist_sees_the_case_of_her_visit_and_nothing_else(orgs, users, france):
    _agree(orgs, france)
    belgian = TeamMember.objects.get(user=users["therapist"])
    speaker = TeamMember.objects.get(user=users["interpreter"])
    visit = care_services.visit_create(signal=france["signal"], members=[belgian, speaker],
                                       starts_at=working_slot(), place="Centre",
                                       by=france["karim"])
    signal, access = selectors.signal_get(user=users["therapist"], pk=france["signal"].pk)
    assert access.clinical and visit.signal == signal
    other = care_services.signal_create(
        data=care_services.SignalInput(relation="self", target_group="refugee", municipality=municipality("Lille"),
                                       languages=["fra"], concerns=["sleep"], first_name="Awa"),
        channel="phone", organisation=france["org"], by=france["karim"])
    with pytest.raises(Http404):
        selectors.signal_get(user=users["therapist"], pk=other.pk)


def test_an_agreement_lends_only_once_confirmed_for_its_roles_areas_and_period(orgs, users, france):
    speaker = TeamMember.objects.get(user=users["interpreter"])
    therapist = TeamMember.objects.get(user=france["thomas"])
    start = working_slot()  # inside the members' working hours, whatever the time the tests run

    def send():
        return care_services.visit_create(signal=france["signal"], members=[therapist, speaker], starts_at=start,
                                          place="Centre", by=france["karim"])

    agreement = _agree(orgs, france, confirm=False)
    with pytest.raises(Http404):
        send()  # proposed, not confirmed
    with pytest.raises(Http404):
        cooperation.agreement_confirm(agreement=agreement, by=france["koen"])  # the proposing side cannot
    cooperation.agreement_end(agreement=agreement, by=france["koen"])
    _agree(orgs, france, roles=["social_worker"])
    with pytest.raises(Http404):
        send()  # interpreters are not lent
    _agree(orgs, france, roles=["interpreter"], regions=[region("BE25")])
    with pytest.raises(Http404):
        send()  # only in West Flanders, and Douai is in Nord
    lent = _agree(orgs, france, roles=["interpreter"])
    visit = send()
    assert visit.members.count() == 2
    cooperation.agreement_end(agreement=lent, by=france["chloe"])
    visit.delete()
    with pytest.raises(Http404):
        send()
    verbs = set(AuditEvent.objects.filter(verb__startswith="care.agreement.").values_list("verb", flat=True))
    assert verbs == {"care.agreement.proposed", "care.agreement.confirmed", "care.agreement.ended"}


def test_the_agreement_refuses_what_makes_no_sense(orgs, users, france):
    with pytest.raises(Http404):  # only coordinators make agreements
        cooperation.agreement_propose(organisation=france["org"], partner=orgs["care_be"], direction="lend",
                                      roles=["interpreter"], starts_on=timezone.localdate(), by=france["karim"])
    with pytest.raises(ValidationError) as error:
        cooperation.agreement_propose(organisation=france["org"], partner=orgs["vdab"], direction="sideways",
                                      roles=[], starts_on=None, by=france["chloe"])
    assert set(error.value.message_dict) == {"partner", "direction", "starts_on"}
    with pytest.raises(ValidationError) as error:
        cooperation.agreement_propose(organisation=france["org"], partner=orgs["care_be"], direction="lend",
                                      roles=[], starts_on=timezone.localdate(),
                                      ends_on=timezone.localdate() - dt.timedelta(days=1), by=france["chloe"])
    assert set(error.value.message_dict) == {"roles", "ends_on"}


def test_the_coordinators_pages_propose_confirm_and_show_the_hours(client, orgs, users, france):
    for user in (france["chloe"], france["koen"]):
        totp_device(user)
    client.force_login(france["koen"])
    pass_second_factor(client, france["koen"])
    response = client.post(reverse("care:agreement_create"), {
        "partner": france["org"].pk, "direction": "mutual", "roles": ["interpreter", "therapist"],
        "starts_on": timezone.localdate().isoformat()})
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(reverse("care:agreements")).content.decode()
    assert "IntergraPsy BE Test ↔ IntergraPsy FR Test" in page and "Confirm" not in page
    response = client.post(reverse("care:agreement_create"), {"partner": france["org"].pk, "direction": "lend"})
    assert response.status_code == 422
    client.force_login(france["chloe"])
    pass_second_factor(client, france["chloe"])
    (agreement,) = cooperation.agreements_for(france["chloe"])
    assert client.post(reverse("care:agreement_confirm", args=[agreement.pk])).status_code == 302
    agreement.refresh_from_db()
    assert agreement.state() == "in_force"
    client.force_login(users["adviser"])
    assert client.get(reverse("care:agreements")).status_code == 404


def test_the_visit_form_ranks_who_could_go_and_says_who_is_busy(client, orgs, users, france):
    _agree(orgs, france)
    start = (timezone.localtime() + dt.timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    interpreter = TeamMember.objects.get(user=users["interpreter"])
    thomas = TeamMember.objects.get(user=france["thomas"])
    ranked = selectors.visit_candidates(user=france["karim"], signal=france["signal"], starts_at=start,
                                        ends_at=start + dt.timedelta(minutes=90))
    first = ranked[0]
    assert first.member == interpreter and first.lent and first.speaks == "ukr" and first.provides == "interpreter"
    assert {c.member for c in ranked} >= {interpreter, thomas}
    assert all(c.member.role != "ambassador" for c in ranked)  # ambassadors are not lent under this agreement
    care_services.visit_create(signal=france["signal"], members=[thomas, interpreter], starts_at=start,
                               place="Centre", by=france["karim"])
    client.force_login(france["karim"])
    pass_second_factor(client, france["karim"])
    url = reverse("care:visit_create", args=[france["signal"].pk])
    page = client.get(url, {"starts_at": start.strftime("%Y-%m-%dT%H:%M"), "minutes": 60}).content.decode()
    assert "on another visit until" in page and "lent by IntergraPsy BE Test" in page
    response = client.post(url, {"starts_at": start.strftime("%Y-%m-%dT%H:%M"), "minutes": 60, "place": "Centre",
                                 "members": [thomas.pk, interpreter.pk]})
    assert response.status_code == 422 and "Already on another visit" in response.content.decode()
    with pytest.raises(Http404):
        selectors.visit_candidates(user=users["dispatcher"], signal=france["signal"])
