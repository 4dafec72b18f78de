"""Holes found by the security sweep, kept closed: a dispatcher staffs only their own organisation's members
and teams (page, API and service alike), and the staff directory shows interpreters and ambassadors only
the members of their own visits. Until the care teams' cooperation agreements exist, another
organisation's member or team answers 404 — as if it did not exist."""

from __future__ import annotations

import json

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse

from pont.care import services
from pont.care.forms import TriageForm
from pont.care.models import Signal, Visit
from pont.core.auth import token_issue
from pont.core.roles import OrganisationKind, Role
from tests.care.world import totp_device, working_slot
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, municipality


@pytest.fixture
def french_team(users):
    """Lille's mobile team (another organisation) with a therapist."""
    care_fr = OrganisationFactory(name="IntergraPsy FR Test", kind=OrganisationKind.CARE_TEAM, country="FR")
    team = services.team_create(organisation=care_fr, name="Équipe mobile Lille", base=municipality("Lille"))
    therapist = MembershipFactory(user=UserFactory(username="fr_therapist"), organisation=care_fr,
                                  role=Role.THERAPIST).user
    member = services.team_member_set(team=team, user=therapist, role="therapist", languages=["fra", "ukr"])
    return team, member


def _api(user):
    totp_device(user)
    _, raw = token_issue(user=user)
    return {"headers": {"Authorization": f"Bearer {raw}"}, "content_type": "application/json"}


def test_a_dispatcher_cannot_staff_another_organisations_member(world, users, french_team):
    _, member = french_team
    signal = Signal.objects.get(pk=world["signal"])
    before = Visit.objects.count()
    start = working_slot(days=2).isoformat()
    response = Client().post("/api/v1/visits", json.dumps({"signal": signal.pk, "members": [member.pk],
                                                           "starts_at": start, "place": "Centre"}),
                             **_api(users["dispatcher"]))
    assert response.status_code == 404
    with pytest.raises(Http404):
        services.visit_create(signal=signal, members=[member], starts_at=working_slot(days=2),
                              place="Centre", by=users["dispatcher"])
    assert Visit.objects.count() == before
    # ...and the French therapist was never given the Belgian case.
    therapist = _api(member.user)
    assert Client().get(f"/api/v1/signals/{signal.pk}/notes", **therapist).status_code == 404
    # The page offers only the signal's organisation's members (no agreement lends any).
    from pont.care.selectors import visit_candidates

    assert member not in [c.member for c in visit_candidates(user=users["dispatcher"], signal=signal)]


def test_the_api_and_the_page_refuse_a_visit_outside_the_members_working_hours(world, users, verified_client):
    signal = Signal.objects.get(pk=world["signal"])
    before = Visit.objects.count()
    evening = working_slot(days=3, hour=19)
    body = {"signal": signal.pk, "members": [world["member_therapist"], world["member_interpreter"]],
            "starts_at": evening.isoformat(), "place": "Centre"}
    response = Client().post("/api/v1/visits", json.dumps(body), **_api(users["dispatcher"]))
    assert response.status_code == 422
    assert "starts_at" in json.dumps(response.json())
    page = verified_client("dispatcher").post(reverse("care:visit_create", args=[signal.pk]), {
        "starts_at": evening.strftime("%Y-%m-%dT%H:%M"), "minutes": 60, "place": "Centre",
        "members": [world["member_therapist"], world["member_interpreter"]]})
    assert page.status_code == 422 and "Outside the working hours" in page.content.decode()
    assert Visit.objects.count() == before
    # Inside the hours the same visit is planned.
    body["starts_at"] = working_slot(days=3, hour=14).isoformat()  # afternoon: the world's visit is a morning one
    assert Client().post("/api/v1/visits", json.dumps(body), **_api(users["dispatcher"])).status_code == 201


def test_a_dispatcher_cannot_hand_a_case_to_another_organisations_team(world, users, french_team):
    team, _ = french_team
    signal = Signal.objects.get(pk=world["signal"])
    response = Client().post(f"/api/v1/signals/{signal.pk}/triage",
                             json.dumps({"category": "B", "reasons": "Confirmed by phone.", "team": team.pk}),
                             **_api(users["dispatcher"]))
    assert response.status_code == 404
    signal.refresh_from_db()
    assert signal.team_id != team.pk
    assert team not in TriageForm(signal=signal).fields["team"].queryset
    unknown = Client().post(f"/api/v1/signals/{signal.pk}/triage",
                            json.dumps({"category": "B", "reasons": "x", "team": 10**12}), **_api(users["dispatcher"]))
    assert unknown.status_code == 404


def test_the_staff_directory_shows_interpreters_only_the_members_of_their_visits(world, users, french_team):
    _, french = french_team
    directory = Client().get("/api/v1/teams", **_api(users["interpreter"])).json()
    shown = {m["id"]: m["role"] for team in directory for m in team["members"]}
    visit = Visit.objects.get(pk=world["visit"])
    assert set(shown) == set(visit.members.values_list("pk", flat=True))  # the therapist and the interpreter
    assert "social_worker" not in shown.values() and french.pk not in shown
    # The dispatcher sees the own organisation's teams only.
    dispatcher = Client().get("/api/v1/teams", **_api(users["dispatcher"])).json()
    assert [t["organisation"] for t in dispatcher] == ["IntergraPsy BE Test"]


def test_the_team_page_follows_the_same_scope(world, users, french_team, verified_client):
    page = verified_client("dispatcher").get(reverse("care:teams")).text
    assert "Équipe mobile Lille" not in page and "Mobile team Kortrijk" in page
