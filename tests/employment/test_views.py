"""Employment screens: what advisers and coordinators see, refusals shown with their reason, pinned queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from pont.employment import selectors, services
from pont.employment.models import Enrolment, Programme
from pont.people.right_to_work import add_months
from tests.employment.factories import ProgrammeFactory
from tests.factories import PersonFactory

TODAY = timezone.localdate


def test_the_catalogue_lists_every_partner_with_places_in_fixed_queries(client_for, orgs, shop_floor, forem_training,
                                                                         django_assert_num_queries):
    client = client_for("adviser")
    client.get(reverse("employment:programme_list"))  # warm the session and caches
    # 7 queries: session, user, memberships (roles and organisations, read once), programmes, regions, seats taken,
    # the referrals waiting for an answer (the Network menu's badge)
    with django_assert_num_queries(7):
        response = client.get(reverse("employment:programme_list"))
    assert "Shop-floor training" in response.text and "Forem workplace" in response.text
    for _ in range(5):
        ProgrammeFactory(organisation=orgs["forem"])
    with django_assert_num_queries(7):
        client.get(reverse("employment:programme_list"))


def test_follow_ups_due_in_fixed_queries(client_for, orgs, users, django_assert_num_queries):
    client = client_for("adviser")
    for _ in range(3):
        person = PersonFactory(organisation=orgs["vdab"])
        services.placement_create(person=person, by=users["adviser"], job_title="Operator",
                                  contract_type="open_ended", employer_name="X", start_date=add_months(TODAY(), -7))
    client.get(reverse("employment:followups_due"))
    # 7 queries: session, user, memberships (roles and organisations, read once), rows for follow-ups (with
    # their consent), the audit event naming them, rows for sessions (none shown: no event), the referrals
    # waiting for an answer (the Network menu's badge)
    with django_assert_num_queries(7):
        response = client.get(reverse("employment:followups_due"))
    assert response.text.count("at 3 months") == 3


def test_the_home_pages_show_follow_ups_and_target(client_for, refugee, users):
    services.placement_create(person=refugee, by=users["adviser"], job_title="Welder", contract_type="open_ended",
                              employer_name="Metaalwerken", start_date=add_months(TODAY(), -7))
    adviser_home = client_for("adviser").get(reverse("home")).text
    assert "Follow-ups due" in adviser_home and "Ahmad Al-Hamwi" in adviser_home
    assert 'data-testid="overdue"' in adviser_home  # due a month ago and not recorded: flagged
    coordinator_home = client_for("coordinator").get(reverse("home")).text
    assert "People in a stable job" in coordinator_home and "/ 230" in coordinator_home
    assert "Ahmad" not in coordinator_home  # counts, never names


def test_eligibility_page_and_proposal(client_for, refugee, shop_floor, forem_training):
    client = client_for("adviser")
    page = client.get(reverse("employment:eligibility", args=[refugee.pk])).text
    assert page.count('data-eligible="yes"') == 2
    assert f'<option value="{forem_training.pk}"' not in page  # only the adviser's own programmes
    response = client.post(reverse("employment:enrolment_create", args=[refugee.pk]),
                           {"programme": shop_floor.pk, "enrol": "on"})
    enrolment = Enrolment.objects.get(person=refugee)
    assert response.status_code == 302 and enrolment.status == "enrolled"


def test_a_refused_step_shows_the_reason(client_for, refugee, shop_floor, users):
    enrolment = services.enrolment_create(person=refugee, programme=shop_floor, by=users["adviser"])
    response = client_for("adviser").post(reverse("employment:enrolment_transition", args=[enrolment.pk]),
                                          {"status": "completed"})
    assert response.status_code == 422
    assert "cannot become" in response.text
    enrolment.refresh_from_db()
    assert enrolment.status == "proposed"


def test_the_capacity_refusal_is_shown_in_the_ui(client_for, orgs, refugee):
    full = ProgrammeFactory(organisation=orgs["vdab"], capacity=0, right_to_work="not_required")
    response = client_for("adviser").post(reverse("employment:enrolment_create", args=[refugee.pk]),
                                          {"programme": full.pk, "enrol": "on"})
    assert response.status_code == 422 and "No place left" in response.text
    assert not Enrolment.objects.exists()


def test_the_person_panel_shows_the_timeline(client_for, refugee, shop_floor, users, django_assert_num_queries):
    services.enrolment_create(person=refugee, programme=shop_floor, by=users["adviser"], enrol=True)
    services.coaching_session_create(person=refugee, by=users["adviser"], date=TODAY(), kind="meeting",
                                     next_step="CV")
    client = client_for("adviser")
    # 13 queries: session, user, adviser organisations, person + 4 prefetches, enrolments, placements
    # (+ follow-ups), coaching sessions, language courses, roles for the menu
    with django_assert_num_queries(13):
        response = client.get(reverse("employment:person_panel", args=[refugee.pk]))
    assert "Shop-floor training: Enrolled" in response.text and "Coaching: Individual meeting" in response.text
    detail = client.get(reverse("people:detail", args=[refugee.pk])).text
    assert reverse("employment:person_panel", args=[refugee.pk]) in detail


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_screens_render_in_each_language(client_for, refugee, shop_floor, users, language):
    users["adviser"].language = language
    users["adviser"].save()
    client = client_for("adviser")
    for url in (reverse("employment:programme_list"), reverse("employment:eligibility", args=[refugee.pk]),
                reverse("employment:placement_create", args=[refugee.pk])):
        response = client.get(url)
        assert response.status_code == 200
        assert f'lang="{language}"' in response.text


def test_a_coordinator_edits_the_catalogue_and_the_target(client_for, orgs, users):
    client = client_for("coordinator")
    response = client.post(reverse("employment:programme_create"), {
        "kind": "language_course", "name_nl": "Nederlands op de werkvloer", "name_fr": "Néerlandais au travail",
        "right_to_work": "not_required", "capacity": "30", "active": "on"})
    programme = Programme.objects.get(name_nl="Nederlands op de werkvloer")
    assert response.status_code == 302 and programme.organisation == orgs["vdab"]
    response = client.post(reverse("employment:programme_create"), {"kind": "language_course",
                                                                    "right_to_work": "not_required"})
    assert response.status_code == 422 and "name in at least one language" in response.text
    response = client.post(reverse("employment:target_edit"), {"target": "250", "period_start": "2026-01-01",
                                                               "period_end": "2027-12-31"})
    assert response.status_code == 302
    assert selectors.target_get().target == 250
    assert programme.history.count() == 1


def test_recording_a_follow_up_in_the_ui(client_for, refugee, users):
    placement = services.placement_create(person=refugee, by=users["adviser"], job_title="Welder",
                                          contract_type="open_ended", employer_name="Metaalwerken",
                                          start_date=add_months(TODAY(), -7))
    six = placement.followups.get(month=6)
    client = client_for("adviser")
    response = client.post(reverse("employment:followup_record", args=[six.pk]),
                           {f"f{six.pk}-done_on": six.due_on.isoformat(), f"f{six.pk}-still_employed": "yes"})
    assert response.status_code == 302
    assert "Stable job" in client.get(reverse("employment:placement_detail", args=[placement.pk])).text
    three = placement.followups.get(month=3)
    response = client.post(reverse("employment:followup_record", args=[three.pk]),
                           {f"f{three.pk}-done_on": (TODAY() + dt.timedelta(days=3)).isoformat(),
                            f"f{three.pk}-still_employed": "no"})
    assert response.status_code == 422 and "future" in response.text
