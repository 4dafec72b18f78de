"""A programme's places have a period: a calendar year (Forem: 20 a year) or the whole project
(Mission Locale du Douaisis: 50 places over the project, not per year)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone, translation

from pont.employment import capacity, selectors, services
from tests.employment.factories import EnrolmentFactory, ProgrammeFactory
from tests.factories import PersonFactory

YEAR = timezone.localdate().year


def fill(programme, *, this_year: int = 0, last_year: int = 0, dropped: int = 0) -> None:
    """Give `programme` enrolments holding places this year and last year, and drop-outs (which hold none)."""
    for n, year, status in ([(this_year, YEAR, "enrolled"), (last_year, YEAR - 1, "completed"),
                              (dropped, YEAR, "dropped_out")]):
        for _ in range(n):
            EnrolmentFactory(programme=programme, person=PersonFactory(organisation=programme.organisation),
                             status=status, seat_year=year)


@pytest.fixture
def mission_locale(orgs):
    return ProgrammeFactory(organisation=orgs["vdab"], kind="youth_guidance", name_en="Youth guidance",
                            capacity=3, capacity_period="project", right_to_work="not_required")


@pytest.fixture
def yearly(orgs):
    return ProgrammeFactory(organisation=orgs["vdab"], name_en="Workplace training", capacity=3,
                            right_to_work="not_required")


def test_places_over_the_project_count_the_enrolments_of_every_year(mission_locale, refugee, users):
    fill(mission_locale, this_year=1, last_year=2)
    with pytest.raises(ValidationError) as caught:
        services.enrolment_create(person=refugee, programme=mission_locale, by=users["adviser"], enrol=True)
    assert caught.value.message_dict["programme"] == [
        "No place left: all 3 places of this programme over the project are taken."]
    assert not refugee.enrolments.exists()


def test_places_per_year_leave_last_years_enrolments_out(yearly, refugee, users):
    fill(yearly, this_year=2, last_year=2)
    enrolment = services.enrolment_create(person=refugee, programme=yearly, by=users["adviser"], enrol=True)
    assert enrolment.seat_year == YEAR
    with pytest.raises(ValidationError) as caught:
        services.enrolment_create(person=PersonFactory(organisation=yearly.organisation), programme=yearly,
                                  by=users["adviser"], enrol=True)
    assert caught.value.message_dict["programme"] == [
        f"No place left in {YEAR}: all 3 places of this programme are taken."]


def test_a_drop_out_gives_a_project_place_back(mission_locale, refugee, users):
    fill(mission_locale, this_year=1, last_year=1, dropped=3)
    services.enrolment_create(person=refugee, programme=mission_locale, by=users["adviser"], enrol=True)


def test_seats_of_both_kinds_are_counted_in_one_query(mission_locale, yearly, django_assert_num_queries):
    fill(mission_locale, this_year=1, last_year=2)
    fill(yearly, this_year=2, last_year=1)
    with django_assert_num_queries(1):
        taken = selectors.seats_taken([mission_locale, yearly], YEAR)
    assert taken == {mission_locale.pk: 3, yearly.pk: 2}
    assert (selectors.seats_left(mission_locale, 3), selectors.seats_left(yearly, 2)) == (0, 1)


def test_the_programme_page_says_which_period_the_places_are_counted_over(client_for, orgs, users):
    forem = ProgrammeFactory(organisation=orgs["vdab"], capacity=20, right_to_work="not_required")
    mission = ProgrammeFactory(organisation=orgs["vdab"], capacity=50, capacity_period="project",
                               right_to_work="not_required")
    fill(forem, this_year=17, last_year=3)
    fill(mission, this_year=7, last_year=12)
    client = client_for("adviser")
    assert f"17 of 20 places taken in {YEAR}; 3 left" in \
        client.get(reverse("employment:programme_detail", args=[forem.pk])).text
    assert "19 of 50 places taken over the project; 31 left" in \
        client.get(reverse("employment:programme_detail", args=[mission.pk])).text
    users["adviser"].language = "fr"
    users["adviser"].save()
    assert "19 sur 50 places prises sur la durée du projet ; il en reste 31" in \
        client_for("adviser").get(reverse("employment:programme_detail", args=[mission.pk])).text
    listing = client_for("adviser").get(reverse("employment:programme_list")).text
    assert "sur la durée du projet" in listing and "par année civile" in listing


def test_the_sentences_in_each_language(mission_locale, yearly):
    assert capacity.places_text(yearly, 1, 2026) == "1 of 3 places taken in 2026; 2 left"
    assert capacity.left_text(mission_locale, 1) == "1 place left over the project"
    with translation.override("nl"):
        assert capacity.places_text(mission_locale, 1, 2026) == "1 van 3 plaatsen bezet over de hele projectduur; " \
                                                                "nog 2 vrij"
        assert capacity.left_text(yearly, 2) == "nog 2 plaatsen dit jaar"
    mission_locale.capacity = None
    assert capacity.places_text(mission_locale, 4, 2026) == "4 taken; no limit"


def test_eligibility_shows_the_places_left_in_their_period(mission_locale, refugee, users):
    fill(mission_locale, last_year=1)
    [result] = selectors.eligibility_for(person=refugee, programmes=[mission_locale], user=users["adviser"])
    assert (result.seats_left, result.seats_left_text) == (2, "2 places left over the project")


def test_a_coordinator_sets_the_period_in_the_form_and_the_api(client_for, api, yearly, users):
    response = client_for("coordinator").post(reverse("employment:programme_edit", args=[yearly.pk]), {
        "kind": yearly.kind, "name_en": "Workplace training", "right_to_work": "not_required", "capacity": "50",
        "capacity_period": "project", "active": "on"})
    assert response.status_code == 302
    yearly.refresh_from_db()
    assert (yearly.capacity, yearly.capacity_period) == (50, "project")
    status, data = api("coordinator", "PATCH", f"/programmes/{yearly.pk}", {"capacity_period": "year"})
    assert status == 200 and (data["capacity"], data["capacity_period"]) == (50, "year")
    status, data = api("coordinator", "PATCH", f"/programmes/{yearly.pk}", {"capacity_period": "decade"})
    assert status == 422
    status, data = api("coordinator", "PATCH", f"/programmes/{yearly.pk}", {"capacity_period": None})
    assert status == 422


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_existing_places_counted_per_year():
    executor = MigrationExecutor(connection)
    before = [("employment", "0001_initial")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    organisation = old.get_model("core", "Organisation").objects.create(name="Forem Test", kind="employment_service",
                                                                         country="BE")
    old.get_model("employment", "Programme").objects.create(
        organisation=organisation, kind="workplace_training", name="Workplace", name_en="Workplace",
        yearly_capacity=20, right_to_work="may_work")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    from pont.employment.models import Programme

    programme = Programme.objects.get(name_en="Workplace")
    assert (programme.capacity, programme.capacity_period) == (20, "year")
