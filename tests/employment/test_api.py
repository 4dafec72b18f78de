"""The employment API: same scope, audit and refusals as the UI; bad input answers 422, never 500."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from pont.audit.models import AuditEvent
from pont.people.right_to_work import add_months
from tests.employment.factories import ProgrammeFactory

TODAY = timezone.localdate


def _fields(payload) -> dict:
    return {tuple(d["loc"])[-1]: d["msg"] for d in payload["detail"]}


def test_eligibility_lists_every_programme_with_reasons(api, refugee, shop_floor, forem_training):
    status, data = api("adviser", "GET", f"/persons/{refugee.pk}/eligibility")
    assert status == 200
    assert {(d["programme"], d["eligible"], d["can_enrol"]) for d in data} == {
        ("Shop-floor training", True, True), ("Forem workplace", True, False)}
    assert AuditEvent.objects.filter(verb="person.viewed", person=refugee).exists()
    status, _ = api("other_adviser", "GET", f"/persons/{refugee.pk}/eligibility")
    assert status == 404


def test_the_workflow_through_the_api(api, refugee, shop_floor):
    status, enrolment = api("adviser", "POST", "/enrolments", {"person": refugee.pk, "programme": shop_floor.pk})
    assert status == 201 and enrolment["status"] == "proposed"
    path = f"/enrolments/{enrolment['id']}/status"
    status, data = api("adviser", "POST", path, {"status": "active"})
    assert status == 409  # the enrolment's state refuses it
    assert "cannot become" in _fields(data)["status"]
    for step in ("enrolled", "active"):
        status, data = api("adviser", "POST", path, {"status": step})
        assert status == 200 and data["status"] == step
    status, data = api("adviser", "POST", path, {"status": "dropped_out"})
    assert status == 422 and "reason" in _fields(data)
    status, data = api("adviser", "POST", path, {"status": "dropped_out", "reason": "Moved"})
    assert status == 200 and data["dropped_out_on"] == TODAY().isoformat()
    status, listing = api("adviser", "GET", f"/enrolments?person={refugee.pk}")
    assert [e["id"] for e in listing] == [enrolment["id"]]
    assert api("other_adviser", "GET", "/enrolments")[1] == []


def test_a_full_programme_answers_409_with_the_reason(api, orgs, refugee):
    full = ProgrammeFactory(organisation=orgs["vdab"], capacity=0, right_to_work="not_required")
    status, data = api("adviser", "POST", "/enrolments", {"person": refugee.pk, "programme": full.pk,
                                                          "status": "enrolled"})
    assert status == 409 and "No place left" in _fields(data)["programme"]


def test_placements_and_follow_ups(api, refugee, orgs):
    start = add_months(TODAY(), -7)
    status, placement = api("adviser", "POST", "/placements", {
        "person": refugee.pk, "job_title": "Welder", "employer": orgs["company"].pk, "contract_type": "open_ended",
        "hours_per_week": 38, "start_date": start.isoformat()})
    assert status == 201 and [f["month"] for f in placement["followups"]] == [3, 6]
    path = f"/placements/{placement['id']}/follow-ups"
    for month in (3, 6):
        due = add_months(start, month).isoformat()
        status, placement = api("adviser", "POST", path, {"month": month, "done_on": due, "still_employed": True})
        assert status == 200
    assert placement["stable"] is True
    status, data = api("adviser", "POST", path, {"month": 9, "done_on": TODAY().isoformat(), "still_employed": True})
    assert (status, data) == (404, {"detail": "This placement has no follow-up at 9 months."})
    status, data = api("coordinator", "GET", "/indicators/employment")
    assert status == 200
    assert {"stable_jobs", "target", "period_start", "period_end", "by_region", "by_programme"} <= set(data)
    assert data["stable_jobs"] == 1 and data["target"] == 230
    assert "Ahmad" not in json.dumps(data)


@pytest.mark.parametrize("body", [
    {"person": 1, "job_title": "x" * 201, "contract_type": "open_ended", "start_date": "2026-01-01"},
    {"person": 10**30, "job_title": "x", "contract_type": "open_ended", "start_date": "2026-01-01"},
    {"person": 1, "job_title": "x", "contract_type": "permanent", "start_date": "2026-13-01"},
    {"person": 1, "job_title": "x", "contract_type": "fixed_term", "contract_months": 0, "start_date": "2026-01-01"},
    {"person": "x", "job_title": None},
])
def test_bad_placement_input_answers_422(api, refugee, body):
    status, data = api("adviser", "POST", "/placements", body)
    assert status == 422 and data["detail"]


def test_coordinators_edit_their_own_catalogue(api, shop_floor, forem_training):
    status, data = api("coordinator", "PATCH", f"/programmes/{shop_floor.pk}", {"capacity": 25, "min_age": 30,
                                                                                "max_age": 20})
    assert status == 422 and "max_age" in _fields(data)
    status, data = api("coordinator", "PATCH", f"/programmes/{shop_floor.pk}", {"capacity": 25,
                                                                                "name_fr": "Formation"})
    assert status == 200 and data["names"]["fr"] == "Formation"
    assert (data["capacity"], data["capacity_period"]) == (25, "year")
    assert api("coordinator", "PATCH", f"/programmes/{forem_training.pk}", {"capacity": 1})[0] == 404
    status, data = api("coordinator", "POST", "/programmes", {
        "kind": "youth_guidance", "name_fr": "Accompagnement jeunes", "min_age": 16, "max_age": 25,
        "regions": ["FRE11"], "right_to_work": "not_required"})
    assert status == 201 and data["regions"] == ["FRE11"]
    status, data = api("coordinator", "POST", "/programmes", {"kind": "youth_guidance", "regions": ["XX99"]})
    assert (status, data) == (404, {"detail": "Not found: regions XX99."})


@pytest.mark.parametrize("path", ["/programmes/{n}", "/enrolments/{n}", "/placements/{n}", "/persons/{n}/eligibility",
                                  "/enrolments?person={n}", "/placements?person={n}"])
def test_huge_or_unknown_ids_never_answer_500(api, path):
    for n in (0, 999_999, 10**25):
        status, _ = api("adviser", "GET", path.format(n=n))
        assert status in (200, 404, 422), (path, n, status)
