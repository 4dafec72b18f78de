"""The Django side of dispatch: plans built from care's signals and teams, accepted through care's visit service."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from pont.care import services as care_services
from pont.care.models import TeamMember, Visit
from pont.core.auth import token_issue
from pont.dispatch import adapters, services
from pont.dispatch.models import Plan, PlanStatus
from pont.dispatch.solver import Options
from tests.care.world import build_team, pass_second_factor, totp_device
from tests.factories import municipality

pytestmark = pytest.mark.django_db
FAST = Options(time_limit=3, deterministic_limit=1)


@pytest.fixture
def team(orgs, users):
    team = build_team(orgs, users)
    # Work round the clock so the tests do not depend on the hour or the weekday they run at.
    TeamMember.objects.filter(team=team).update(works_from=dt.time(0, 0), works_until=dt.time(23, 59),
                                                working_days=[0, 1, 2, 3, 4, 5, 6])
    return team


def _signal(orgs, users, team, *, category="B", languages=("ukr",), town="Kortrijk"):
    signal = care_services.signal_create(
        data=care_services.SignalInput(relation="supporting", target_group="refugee", municipality=municipality(town),
                                       languages=list(languages), concerns=["sleep"], first_name="Oksana"),
        channel="phone", organisation=orgs["care_be"], by=users["dispatcher"])
    return care_services.signal_triage(signal=signal, category=category, reasons="Phone call.", team=team,
                                       by=users["dispatcher"])


def _window():
    now = timezone.now()
    return now, now + dt.timedelta(hours=20)


def test_the_adapter_turns_signals_and_members_into_an_instance(orgs, users, team):
    signal = _signal(orgs, users, team)
    start, end = _window()
    planning = adapters.build(orgs["care_be"].pk, start, end)
    (s,) = planning.instance.signals
    assert s.id == signal.pk and s.category == "B" and s.needs == "therapist" and s.languages == {"ukr"}
    assert 0 < s.deadline <= 4 * 60
    assert {m.role for m in planning.instance.members} == {"social_worker", "therapist", "interpreter", "ambassador"}
    assert all(m.windows for m in planning.instance.members)


def test_a_dispatcher_plans_and_accepts_a_visit_with_the_right_people(orgs, users, team):
    signal = _signal(orgs, users, team)
    start, end = _window()
    plan = services.plan_propose(organisation=orgs["care_be"], start=start, end=end, by=users["dispatcher"],
                                 options=FAST)
    (proposed,) = plan.proposed_visits.all()
    assert {m.role for m in proposed.members.all()} == {"therapist", "interpreter"}  # Ukrainian: the interpreter
    assert not proposed.late
    (visit,) = services.plan_accept(plan=plan, by=users["dispatcher"])
    assert visit.signal == signal and set(visit.members.all()) == set(proposed.members.all())
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACCEPTED


def test_it_says_why_a_signal_is_left_without_a_visit(orgs, users, team):
    _signal(orgs, users, team, languages=("ful",))
    start, end = _window()
    plan = services.plan_propose(organisation=orgs["care_be"], start=start, end=end, by=users["dispatcher"],
                                 options=FAST)
    assert [u.reason for u in plan.unserved.all()] == ["no_language"]


def test_a_busy_speaker_is_named_with_when_she_is_free_and_the_nearest_option(orgs, users, team):
    interpreter = TeamMember.objects.get(user=users["interpreter"])
    TeamMember.objects.filter(pk=interpreter.pk).update(works_from=dt.time(9), works_until=dt.time(17))
    start, end = _window()
    # the only Ukrainian speaker is on another visit for the whole window
    busy = _signal(orgs, users, team, category="D")
    therapist = TeamMember.objects.get(user=users["therapist"])
    interpreter.refresh_from_db()
    from pont.care.models import Visit as CareVisit

    blocker = CareVisit.objects.create(signal=busy, starts_at=start - dt.timedelta(hours=1),
                                       ends_at=end + dt.timedelta(hours=1), place="Elsewhere",
                                       municipality=busy.municipality, language="ukr")
    blocker.members.set([interpreter])
    _signal(orgs, users, team, category="B")
    plan = services.plan_propose(organisation=orgs["care_be"], start=start, end=end, by=users["dispatcher"],
                                 options=FAST)
    (unserved,) = [u for u in plan.unserved.all() if u.signal.category == "B"]
    assert unserved.reason == "speaker_busy"
    assert unserved.detail["member"] == interpreter.pk
    assert set(unserved.detail["option"]["members"]) == {interpreter.pk, therapist.pk}
    assert unserved.detail["option"]["late_minutes"] > 0
    from pont.dispatch.selectors import explained

    (text,) = explained([unserved])
    assert text.busy.startswith("Ukr") is False and "is free at" in text.busy
    assert "Nearest option:" in text.option and "after the target" in text.option


def test_acceptance_is_refused_whole_when_a_visit_was_created_meanwhile(orgs, users, team):
    first = _signal(orgs, users, team)
    _signal(orgs, users, team, category="C", languages=("nld",))
    start, end = _window()
    plan = services.plan_propose(organisation=orgs["care_be"], start=start, end=end, by=users["dispatcher"],
                                 options=FAST)
    assert plan.proposed_visits.count() == 2
    proposed = plan.proposed_visits.get(signal=first)
    care_services.visit_create(signal=first, members=list(proposed.members.all()), starts_at=proposed.starts_at,
                               ends_at=proposed.ends_at, place="Centre", by=users["dispatcher"])
    with pytest.raises(ValidationError):
        services.plan_accept(plan=plan, by=users["dispatcher"])
    assert Visit.objects.count() == 1  # the other visit was not created either


def test_only_dispatchers_of_the_organisation_plan(orgs, users, team):
    start, end = _window()
    with pytest.raises(Http404):
        services.plan_propose(organisation=orgs["care_be"], start=start, end=end, by=users["therapist"])


def _run_plan_tasks() -> int:
    """Run the enqueued planner tasks as `manage.py db_worker` would; return how many ran."""
    from django_tasks_db.models import DBTaskResult

    from pont.dispatch.tasks import plan_work

    ran = DBTaskResult.objects.filter(task_path="pont.dispatch.tasks.plan_work")
    for result in ran:
        plan_work.call(*result.args_kwargs["args"])
    return ran.count()


def test_the_api_proposes_in_the_background_and_accepts_part_of_a_plan(client, orgs, users, team,
                                                                        django_capture_on_commit_callbacks):
    _signal(orgs, users, team)
    _signal(orgs, users, team, category="C", languages=("nld",))
    totp_device(users["dispatcher"])
    _, raw = token_issue(user=users["dispatcher"])
    headers = {"Authorization": f"Bearer {raw}"}
    start, end = _window()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/dispatch/plans", {"from": start.isoformat(), "to": end.isoformat()},
                               content_type="application/json", headers=headers)
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "running" and body["visits"] == []  # nothing solved inside the request
    assert _run_plan_tasks() == 1
    response = client.get(f"/api/v1/dispatch/plans/{body['id']}", headers=headers)
    body = response.json()
    assert body["status"] == "proposed" and body["progress"] == 100 and body["stats"]["model"] == "exact"
    assert len(body["visits"]) == 2 and body["unserved"] == []
    first = body["visits"][0]["id"]
    response = client.post(f"/api/v1/dispatch/plans/{body['id']}/accept", {"visits": [first]},
                           content_type="application/json", headers=headers)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "partly_accepted" and len(response.json()["visits"]) == 1
    response = client.post("/api/v1/dispatch/plans", {"from": end.isoformat(), "to": start.isoformat()},
                           content_type="application/json", headers=headers)
    assert response.status_code == 422


def test_the_screen_shows_the_plan_and_offers_a_replan_for_a_new_urgent_signal(client, orgs, users, team):
    _signal(orgs, users, team, category="C", languages=("nld",))
    totp_device(users["dispatcher"])
    client.force_login(users["dispatcher"])
    pass_second_factor(client, users["dispatcher"])
    response = client.post(reverse("dispatch:plan_new"), {"hours": 12})
    assert response.status_code == 302
    detail = response["Location"]
    page = client.get(detail).content.decode()
    assert "<progress" in page and 'hx-trigger="every 2s"' in page  # the planner works in the background
    plan = Plan.objects.get()
    services.plan_work(plan=plan, options=FAST)
    assert client.get(detail, headers={"HX-Request": "true"})["HX-Refresh"] == "true"
    page = client.get(detail).content.decode()
    assert "replan" not in page
    _signal(orgs, users, team, category="B")
    page = client.get(detail).content.decode()
    assert 'id="replan"' in page
    response = client.post(reverse("dispatch:plan_accept", kwargs={"pk": detail.rstrip("/").split("/")[-1]}),
                           {"all": "1"})
    assert response.status_code == 302 and Visit.objects.count() == 1
