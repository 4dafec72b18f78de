"""The enrolment workflow: proposal, places per year, dated steps, duration limits, refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from pont.audit.models import AuditEvent
from pont.core.exceptions import Conflict
from pont.employment import services
from pont.employment.models import Enrolment
from pont.people.right_to_work import add_months
from tests.employment.factories import EnrolmentFactory, ProgrammeFactory
from tests.factories import PersonFactory

TODAY = timezone.localdate


def _messages(error: ValidationError) -> str:
    return " ".join(m for ms in error.message_dict.values() for m in ms)


def test_an_adviser_proposes_then_enrols_and_each_step_is_dated(refugee, shop_floor, users):
    adviser = users["adviser"]
    enrolment = services.enrolment_create(person=refugee, programme=shop_floor, by=adviser)
    assert enrolment.status == "proposed" and enrolment.proposed_on == TODAY()
    day = TODAY()
    services.enrolment_transition(enrolment=enrolment, to="enrolled", by=adviser, on=day)
    services.enrolment_transition(enrolment=enrolment, to="active", by=adviser, on=day)
    assert enrolment.planned_end == add_months(day, 6)  # the programme's maximum, by default
    services.enrolment_transition(enrolment=enrolment, to="completed", by=adviser, on=day)
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.enrolled_on, enrolment.started_on, enrolment.completed_on) == \
        ("completed", day, day, day)
    assert enrolment.seat_year == day.year
    verbs = list(AuditEvent.objects.filter(person=refugee).values_list("verb", flat=True))
    assert verbs.count("enrolment.status_changed") == 3 and "enrolment.created" in verbs


@pytest.mark.parametrize(("start", "to"), [
    ("proposed", "active"), ("proposed", "completed"), ("proposed", "dropped_out"), ("enrolled", "completed"),
    ("completed", "active"), ("dropped_out", "enrolled"), ("active", "enrolled"),
])
def test_a_path_the_workflow_does_not_allow_is_refused_with_a_clear_message(refugee, shop_floor, users, start, to):
    enrolment = EnrolmentFactory(person=refugee, programme=shop_floor, status=start,
                                 proposed_on=TODAY() - dt.timedelta(days=3))
    with pytest.raises(ValidationError) as caught:
        services.enrolment_transition(enrolment=enrolment, to=to, by=users["adviser"], reason="x")
    assert "cannot become" in caught.value.message_dict["status"][0]
    enrolment.refresh_from_db()
    assert enrolment.status == start


def test_dropping_out_needs_a_reason(refugee, shop_floor, users):
    enrolment = services.enrolment_create(person=refugee, programme=shop_floor, by=users["adviser"], enrol=True)
    with pytest.raises(ValidationError) as caught:
        services.enrolment_transition(enrolment=enrolment, to="dropped_out", by=users["adviser"])
    assert "reason" in caught.value.message_dict
    services.enrolment_transition(enrolment=enrolment, to="dropped_out", by=users["adviser"], reason="Moved to Gent")
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.dropout_reason, enrolment.dropped_out_on) == \
        ("dropped_out", "Moved to Gent", TODAY())


def test_the_last_place_of_the_year_goes_once(orgs, refugee, users):
    programme = ProgrammeFactory(organisation=orgs["vdab"], capacity=2, right_to_work="not_required")
    for _ in range(2):
        services.enrolment_create(person=PersonFactory(organisation=orgs["vdab"]), programme=programme,
                                  by=users["adviser"], enrol=True)
    with pytest.raises(ValidationError) as caught:
        services.enrolment_create(person=refugee, programme=programme, by=users["adviser"], enrol=True)
    assert f"No place left in {TODAY().year}: all 2 places" in _messages(caught.value)
    assert not Enrolment.objects.filter(person=refugee).exists()  # nothing half-written
    # A proposal takes no place; enrolling it later is refused while the year is full.
    proposal = services.enrolment_create(person=refugee, programme=programme, by=users["adviser"])
    with pytest.raises(ValidationError):
        services.enrolment_transition(enrolment=proposal, to="enrolled", by=users["adviser"])
    # A drop-out gives the place back.
    leaver = Enrolment.objects.filter(programme=programme, status="enrolled").first()
    services.enrolment_transition(enrolment=leaver, to="dropped_out", by=users["adviser"], reason="Found a job")
    services.enrolment_transition(enrolment=proposal, to="enrolled", by=users["adviser"])


def test_places_are_counted_per_calendar_year(orgs, refugee, users):
    programme = ProgrammeFactory(organisation=orgs["vdab"], capacity=1, right_to_work="not_required")
    EnrolmentFactory(programme=programme, person=PersonFactory(organisation=orgs["vdab"]), status="completed",
                     seat_year=TODAY().year - 1)
    services.enrolment_create(person=refugee, programme=programme, by=users["adviser"], enrol=True)


def test_an_ineligible_person_is_refused_with_the_reason(orgs, users):
    programme = ProgrammeFactory(organisation=orgs["vdab"], min_age=16, max_age=25, right_to_work="not_required")
    older = PersonFactory(organisation=orgs["vdab"], date_of_birth=add_months(TODAY(), -12 * 27 - 2))
    with pytest.raises(ValidationError) as caught:
        services.enrolment_create(person=older, programme=programme, by=users["adviser"])
    assert caught.value.message_dict["person"] == ["Aged 27: this programme is for 16 to 25."]


def test_without_the_right_to_work_there_is_no_enrolment(orgs, shop_floor, users):
    nobody_status = PersonFactory(organisation=orgs["vdab"])
    with pytest.raises(ValidationError) as caught:
        services.enrolment_create(person=nobody_status, programme=shop_floor, by=users["adviser"])
    assert "May not work in Belgium" in _messages(caught.value)


def test_an_adviser_enrols_only_into_their_own_organisations_programmes(refugee, forem_training, users):
    """Refusals for lack of rights look like records that do not exist (404), never a field error."""
    with pytest.raises(Http404):  # VDAB's adviser, Forem's programme
        services.enrolment_create(person=refugee, programme=forem_training, by=users["adviser"])
    with pytest.raises(Http404):  # Forem's adviser: Ahmad has no file at Forem
        services.enrolment_create(person=refugee, programme=forem_training, by=users["other_adviser"])
    assert not Enrolment.objects.exists()


def test_a_status_that_does_not_exist_is_a_field_error(refugee, shop_floor, users):
    enrolment = EnrolmentFactory(person=refugee, programme=shop_floor, status="enrolled",
                                 proposed_on=TODAY() - dt.timedelta(days=3))
    with pytest.raises(ValidationError) as caught:
        services.enrolment_transition(enrolment=enrolment, to="nonsense", by=users["adviser"])
    assert not isinstance(caught.value, Conflict) and "status" in caught.value.message_dict


def test_the_duration_limit_is_enforced(refugee, shop_floor, users):
    start = TODAY() - dt.timedelta(days=10)
    with pytest.raises(ValidationError) as caught:
        services.enrolment_create(person=refugee, programme=shop_floor, by=users["adviser"], planned_start=start,
                                  planned_end=add_months(start, 7))
    assert "at most 6 months" in caught.value.message_dict["planned_end"][0]
    enrolment = services.enrolment_create(person=refugee, programme=shop_floor, by=users["adviser"], enrol=True,
                                          on=add_months(TODAY(), -8))
    services.enrolment_transition(enrolment=enrolment, to="active", by=users["adviser"], on=add_months(TODAY(), -8))
    with pytest.raises(ValidationError) as caught:
        services.enrolment_transition(enrolment=enrolment, to="completed", by=users["adviser"], on=TODAY())
    assert "at most 6 months" in caught.value.message_dict["on"][0]


def test_dates_out_of_order_are_refused(refugee, shop_floor, users):
    enrolment = services.enrolment_create(person=refugee, programme=shop_floor, by=users["adviser"],
                                          on=TODAY() - dt.timedelta(days=5))
    with pytest.raises(ValidationError) as caught:
        services.enrolment_transition(enrolment=enrolment, to="enrolled", by=users["adviser"],
                                      on=TODAY() - dt.timedelta(days=9))
    assert "previous one" in caught.value.message_dict["on"][0]
    with pytest.raises(ValidationError) as caught:
        services.enrolment_transition(enrolment=enrolment, to="enrolled", by=users["adviser"],
                                      on=TODAY() + dt.timedelta(days=1))
    assert "future" in caught.value.message_dict["on"][0]
    with pytest.raises(ValidationError):
        services.enrolment_create(person=refugee, programme=shop_floor, by=users["adviser"],
                                  planned_start=TODAY(), planned_end=TODAY() - dt.timedelta(days=1))


def test_one_open_enrolment_per_person_and_programme(refugee, shop_floor, users):
    services.enrolment_create(person=refugee, programme=shop_floor, by=users["adviser"])
    with pytest.raises(ValidationError) as caught:
        services.enrolment_create(person=refugee, programme=shop_floor, by=users["adviser"])
    assert "already has an open enrolment" in _messages(caught.value)


def test_host_company_and_coach_for_a_shop_floor_training(refugee, shop_floor, orgs, users):
    enrolment = services.enrolment_create(person=refugee, programme=shop_floor, by=users["adviser"],
                                          host_company=orgs["company"], coach_name="Geert Claeys")
    assert enrolment.host_company == orgs["company"]
    with pytest.raises(ValidationError) as caught:
        services.enrolment_create(person=PersonFactory(organisation=orgs["vdab"]), programme=shop_floor,
                                  by=users["adviser"], host_company=orgs["forem"])
    assert "host_company" in caught.value.message_dict
