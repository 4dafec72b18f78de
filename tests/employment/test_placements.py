"""Placements, follow-ups at 3 and 6 months, the stable-job rule, coaching and language training."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from pont.audit.models import AuditEvent
from pont.core.exceptions import Conflict
from pont.employment import selectors, services, stable
from pont.employment.models import FollowUp, Placement
from pont.people import services as people_services
from pont.people.models import Consent
from pont.people.right_to_work import add_months

TODAY = timezone.localdate


def _placement(person, adviser, **kwargs):
    values = {"job_title": "Welder", "contract_type": "open_ended", "employer_name": "Metaalwerken Menen NV",
              "start_date": add_months(TODAY(), -7)}
    values.update(kwargs)
    return services.placement_create(person=person, by=adviser, **values)


def test_a_placement_plans_its_follow_ups_at_3_and_6_months(refugee, users, orgs):
    placement = _placement(refugee, users["adviser"], employer=orgs["company"], hours_per_week=38)
    assert placement.employer_name == orgs["company"].name
    assert placement.organisation == orgs["vdab"]
    assert list(placement.followups.values_list("month", "due_on")) == [
        (3, add_months(placement.start_date, 3)), (6, add_months(placement.start_date, 6))]


def test_an_open_ended_job_still_held_at_6_months_is_stable(refugee, users):
    placement = _placement(refugee, users["adviser"])
    three, six = placement.followups.order_by("month")
    services.followup_record(followup=three, by=users["adviser"], done_on=three.due_on, still_employed=True)
    assert not selectors.placement_is_stable(Placement.objects.get(pk=placement.pk))
    services.followup_record(followup=six, by=users["adviser"], done_on=six.due_on, still_employed=True)
    assert selectors.placement_is_stable(Placement.objects.get(pk=placement.pk))
    assert list(Placement.objects.filter(stable.stable_q())) == [placement]


# The default rule: France Travail's "emploi durable" (settings.PONT["STABLE_JOB"]; verify with the funder).
@pytest.mark.parametrize(("contract", "months", "stable_job"), [
    ("open_ended", None, True),
    ("fixed_term", 6, True), ("fixed_term", 5, False),
    ("temporary_agency", 6, True), ("temporary_agency", 5, False), ("temporary_agency", None, False),
    ("self_employment", None, True),                       # business creation counts whatever its length
    ("apprenticeship", 12, False),
])
def test_the_contract_decides_with_the_6_month_follow_up(refugee, users, contract, months, stable_job):
    placement = _placement(refugee, users["adviser"], contract_type=contract, contract_months=months)
    six = placement.followups.get(month=6)
    services.followup_record(followup=six, by=users["adviser"], done_on=six.due_on, still_employed=True)
    assert Placement.objects.filter(stable.stable_q(), pk=placement.pk).exists() == stable_job
    assert selectors.placement_is_stable(Placement.objects.get(pk=placement.pk)) == stable_job


@pytest.mark.parametrize("contract", ["open_ended", "self_employment", "temporary_agency"])
def test_no_contract_counts_without_the_person_still_employed_at_6_months(refugee, users, contract):
    placement = _placement(refugee, users["adviser"], contract_type=contract,
                           contract_months=12 if contract == "temporary_agency" else None)
    six = placement.followups.get(month=6)
    services.followup_record(followup=six, by=users["adviser"], done_on=six.due_on, still_employed=False,
                             reason_left="contract_ended")
    assert not Placement.objects.filter(stable.stable_q(), pk=placement.pk).exists()
    assert not selectors.placement_is_stable(Placement.objects.get(pk=placement.pk))


def test_the_predicate_and_the_sql_filter_agree_for_every_contract_and_length(refugee, users, settings):
    settings.PONT = {**settings.PONT, "STABLE_JOB": {"always": ["apprenticeship"],
                                                     "min_months": {"fixed_term": 12, "temporary_agency": 3}}}
    placements = []
    for contract in ("open_ended", "fixed_term", "temporary_agency", "apprenticeship", "self_employment"):
        for months in (None, 2, 3, 11, 12) if contract != "open_ended" else (None,):
            if contract == "fixed_term" and months is None:
                continue  # a fixed-term contract has a length
            placement = _placement(refugee, users["adviser"], contract_type=contract, contract_months=months)
            FollowUp.objects.filter(placement=placement, month=6).update(still_employed=True,
                                                                         done_on=TODAY())
            placements.append(placement)
    in_sql = set(Placement.objects.filter(stable.stable_q()).values_list("pk", flat=True))
    in_python = {p.pk for p in placements if selectors.placement_is_stable(Placement.objects.get(pk=p.pk))}
    assert in_sql == in_python
    assert {(p.contract_type, p.contract_months) for p in placements if p.pk in in_sql} == {
        ("fixed_term", 12), ("temporary_agency", 3), ("temporary_agency", 11), ("temporary_agency", 12),
        *(("apprenticeship", m) for m in (None, 2, 3, 11, 12))}


def test_the_stable_job_rule_is_configuration(refugee, users, settings):
    settings.PONT = {**settings.PONT, "STABLE_JOB": {"always": ["open_ended", "apprenticeship"],
                                                     "min_months": {"fixed_term": 12}}}
    placement = _placement(refugee, users["adviser"], contract_type="apprenticeship", contract_months=24)
    six = placement.followups.get(month=6)
    services.followup_record(followup=six, by=users["adviser"], done_on=six.due_on, still_employed=True)
    assert Placement.objects.filter(stable.stable_q()).count() == 1
    assert not stable.contract_qualifies("fixed_term", 6)
    assert not stable.contract_qualifies("self_employment", None)  # not in this rule
    assert not stable.contract_qualifies("temporary_agency", 24)


@pytest.mark.parametrize(("given", "message"), [
    ({"contract_types": ["open_ended"]}, "unknown keys"),                         # the old vocabulary
    ({"always": ["permanent"]}, "unknown contract types"),
    ({"min_months": {"fixed_term": 0}}, "whole number of months"),
    ({"min_months": {"fixed_term": "6"}}, "whole number of months"),
    ({"always": ["fixed_term"]}, "both in"),
    ({"employed_at_month": 0}, "whole number of months"),
])
def test_a_bad_rule_is_refused_with_what_is_wrong(settings, given, message):
    from django.core.exceptions import ImproperlyConfigured

    settings.PONT = {**settings.PONT, "STABLE_JOB": given}
    with pytest.raises(ImproperlyConfigured, match=message):
        stable.rule()


def test_the_rule_reads_as_a_sentence_in_the_users_language():
    from django.utils import translation

    text = stable.describe()
    assert "Open-ended contract" in text and "Self-employment" in text
    assert "Temporary agency work of at least 6 months" in text and "6-month follow-up" in text
    with translation.override("nl"):
        assert "Uitzendarbeid van minstens 6 maanden" in stable.describe()


def test_leaving_the_job_needs_a_reason_and_ends_the_placement(refugee, users):
    placement = _placement(refugee, users["adviser"])
    three = placement.followups.get(month=3)
    with pytest.raises(ValidationError) as caught:
        services.followup_record(followup=three, by=users["adviser"], done_on=three.due_on, still_employed=False)
    assert "reason_left" in caught.value.message_dict
    services.followup_record(followup=three, by=users["adviser"], done_on=three.due_on, still_employed=False,
                             reason_left="dismissed")
    placement.refresh_from_db()
    assert placement.ended_on == three.due_on
    # An ended job has no follow-up due any more.
    assert not selectors.followups_due(user=users["adviser"]).exists()


def test_a_follow_up_cannot_be_recorded_long_before_it_is_due(refugee, users):
    placement = _placement(refugee, users["adviser"], start_date=TODAY() - dt.timedelta(days=30))
    six = placement.followups.get(month=6)
    with pytest.raises(ValidationError) as caught:
        services.followup_record(followup=six, by=users["adviser"], done_on=TODAY(), still_employed=True)
    assert "record it from" in caught.value.message_dict["done_on"][0]


@pytest.mark.parametrize(("changes", "field"), [
    ({"contract_type": "fixed_term"}, "contract_months"),
    ({"contract_type": "fixed_term", "contract_months": 500}, "contract_months"),
    ({"contract_type": "open_ended", "contract_months": 6}, "contract_months"),
    ({"contract_type": "permanent"}, "contract_type"),
    ({"job_title": "  "}, "job_title"),
    ({"employer_name": ""}, "employer_name"),
    ({"hours_per_week": 80}, "hours_per_week"),
    ({"start_date": dt.date(1990, 1, 1)}, "start_date"),
])
def test_bad_placements_are_refused_field_by_field(refugee, users, changes, field):
    with pytest.raises(ValidationError) as caught:
        _placement(refugee, users["adviser"], **changes)
    assert field in caught.value.message_dict
    assert not Placement.objects.exists() and not FollowUp.objects.exists()


def test_follow_ups_due_are_the_advisers_own(refugee, foreign_person, users):
    _placement(refugee, users["adviser"])
    _placement(foreign_person, users["other_adviser"])
    due = list(selectors.followups_due(user=users["adviser"]))
    assert {f.placement.person_id for f in due} == {refugee.pk}
    assert [f.month for f in due] == [3, 6]


def test_coaching_log_and_language_training(refugee, shop_floor, users):
    adviser = users["adviser"]
    enrolment = services.enrolment_create(person=refugee, programme=shop_floor, by=adviser, enrol=True,
                                          on=TODAY() - dt.timedelta(days=60))
    services.enrolment_transition(enrolment=enrolment, to="active", by=adviser, on=TODAY() - dt.timedelta(days=50))
    services.coaching_session_create(person=refugee, by=adviser, date=TODAY() - dt.timedelta(days=7),
                                     kind="weekly_review", notes="Good welding.", next_step="TIG practice",
                                     next_date=TODAY() + dt.timedelta(days=1), enrolment=enrolment)
    with pytest.raises(ValidationError):
        services.coaching_session_create(person=refugee, by=adviser, date=TODAY(), kind="meeting",
                                         next_date=TODAY() - dt.timedelta(days=1))
    training = services.language_training_create(
        person=refugee, by=adviser, language="nld", course="Nederlands op de werkvloer", hours=120,
        start_date=TODAY() - dt.timedelta(days=40), level_at_start="A2", enrolment=enrolment, timing="during")
    services.language_assessment_add(training=training, by=adviser, date=TODAY(), level="B1")
    assert refugee.languages.get(code="nld").level == "B1"
    with pytest.raises(ValidationError) as caught:
        services.language_training_create(person=refugee, by=adviser, language="nld", course="Before", hours=40,
                                          start_date=TODAY(), level_at_start="A2", enrolment=enrolment,
                                          timing="before")
    assert "start_date" in caught.value.message_dict
    assert [s.person_id for s in selectors.coaching_due(user=adviser)] == [refugee.pk]
    kinds = [e.kind for e in selectors.person_pathway(person=refugee).timeline]
    assert {"status", "enrolment", "coaching", "language"} <= set(kinds)


def test_the_other_organisations_adviser_cannot_write_the_log(refugee, users):
    with pytest.raises(Http404):
        services.coaching_session_create(person=refugee, by=users["other_adviser"], date=TODAY(), kind="meeting")


def test_indicators_count_people_in_a_stable_job_by_region_and_programme(refugee, shop_floor, users, foreign_person):
    Consent.objects.create(person=foreign_person, purpose="employment_followup", given_by="person")
    enrolment = services.enrolment_create(person=refugee, programme=shop_floor, by=users["adviser"], enrol=True,
                                          on=add_months(TODAY(), -12))
    for person, by, enrolment_ in ((refugee, users["adviser"], enrolment),
                                   (foreign_person, users["other_adviser"], None)):
        placement = _placement(person, by, enrolment=enrolment_)
        six = placement.followups.get(month=6)
        services.followup_record(followup=six, by=by, done_on=six.due_on, still_employed=True)
    _placement(refugee, users["adviser"], contract_type="temporary_agency")  # not stable
    data = selectors.employment_indicators(user=users["coordinator"])
    assert (data["stable_jobs"], data["target"]) == (2, 230)
    assert data["by_region"] == [{"code": "BE25", "name": refugee.region.name, "stable_jobs": 2}]
    assert [(r["name"], r["stable_jobs"]) for r in data["by_programme"]] == [
        ("Shop-floor training", 1), ("Without a programme", 1)]
    services.target_update(by=users["coordinator"], target=10, period_start=TODAY(), period_end=add_months(TODAY(), 12))
    assert selectors.employment_indicators(user=users["coordinator"])["stable_jobs"] == 0
    with pytest.raises(Http404):  # advisers do not set the target
        services.target_update(by=users["adviser"], target=10, period_start=TODAY(), period_end=TODAY())


# --- consent to follow-ups (docs/consent.md) ------------------------------------------------------------

def test_a_follow_up_needs_the_persons_consent_and_a_withdrawal_takes_effect_at_once(refugee, users):
    adviser = users["adviser"]
    placement = _placement(refugee, adviser)
    three, six = placement.followups.order_by("month")
    services.followup_record(followup=three, by=adviser, done_on=three.due_on, still_employed=True)
    consent = refugee.consents.get(purpose="employment_followup")
    people_services.consent_withdraw(consent=consent, by=adviser)
    with pytest.raises(Conflict) as caught:
        services.followup_record(followup=six, by=adviser, done_on=six.due_on, still_employed=True)
    assert "has not consented to follow-ups" in caught.value.messages[0]
    six.refresh_from_db()
    assert six.done_on is None
    assert AuditEvent.objects.filter(verb="consent.withdrawn", person=refugee).exists()


def test_the_due_list_marks_who_has_not_consented_and_is_audited(refugee, foreign_person, users, client_for):
    for person, by in ((refugee, users["adviser"]), (foreign_person, users["other_adviser"])):
        placement = _placement(person, by, start_date=add_months(TODAY(), -3))
    due = selectors.followups_due_view(user=users["adviser"])
    assert [(f.placement.person_id, f.consented) for f in due] == [(refugee.pk, True)]
    other = selectors.followups_due_view(user=users["other_adviser"])
    assert [(f.placement.person_id, f.consented) for f in other] == [(foreign_person.pk, False)]
    event = AuditEvent.objects.filter(verb="followup.listed", actor=users["other_adviser"]).get()
    assert event.detail["ids"] == [other[0].pk]
    page = client_for("other_adviser").get(reverse("employment:followups_due")).text
    assert 'data-testid="no-followup-consent"' in page
    detail = client_for("other_adviser").get(reverse("employment:placement_detail", args=[placement.pk])).text
    assert "has not consented to follow-ups" in detail
    assert "To be recorded once the consent is on the file." in detail  # no form to fill in vain
    assert 'action="/employment/followups/' not in detail


def test_the_api_answers_409_without_consent(api, foreign_person, users):
    placement = _placement(foreign_person, users["other_adviser"], start_date=add_months(TODAY(), -3))
    status, data = api("other_adviser", "POST", f"/placements/{placement.pk}/follow-ups",
                       {"month": 3, "done_on": TODAY().isoformat(), "still_employed": True})
    assert status == 409 and "has not consented" in data["detail"][0]["msg"]
