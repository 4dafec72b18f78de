"""Writes of the people app: validation, history, consent rules, audit."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from pont.audit.models import AuditEvent
from pont.people import services
from pont.people.models import Person
from tests.factories import municipality, region

TODAY = timezone.localdate()


def years_ago(years, days=0):
    return TODAY.replace(year=TODAY.year - years) - dt.timedelta(days=days)


def register(users, orgs, **overrides):
    data = {
        "given_name": "Ahmad", "family_name": "Al-Hamwi", "date_of_birth": years_ago(34), "sex": "M",
        "region": None, "municipality": municipality("Kortrijk"), "nationality": "SY",
        "languages": {"ara": "native", "nld": "A2", "eng": "B1"},
        "status": services.StatusInput("recognised_refugee", "BE", dt.date(2024, 3, 12)),
    }
    data.update(overrides)
    if isinstance(data["region"], str):
        data["region"] = region(data["region"])
    return services.person_create(data=services.PersonInput(**data), organisation=orgs["vdab"], by=users["adviser"])


def test_registering_opens_a_file_records_languages_status_and_audits(users, orgs):
    person = register(users, orgs)
    assert person.region.code == "BE25"  # derived from the municipality
    assert person.reference.startswith("PT-")
    assert person.files.get().organisation == orgs["vdab"]
    assert dict(person.languages.values_list("code", "level")) == {"ara": "native", "nld": "A2", "eng": "B1"}
    assert person.current_status == "recognised_refugee"
    event = AuditEvent.objects.get(verb="person.created")
    assert (event.actor, event.person, event.organisation) == (users["adviser"], person, orgs["vdab"])


@pytest.mark.parametrize(("field", "overrides"), [
    ("date_of_birth", {"date_of_birth": TODAY + dt.timedelta(days=1)}),
    ("nationality", {"nationality": "ZZ"}),
    ("languages", {"languages": {"xqz": "A1"}}),
    ("end_date", {"status": services.StatusInput("asylum_seeker", "BE", dt.date(2025, 5, 1),
                                                 end_date=dt.date(2025, 4, 1))}),
    ("guardian_name", {"unaccompanied_minor": True, "date_of_birth": years_ago(16)}),
    ("municipality", {"region": "FRE11"}),
])
def test_bad_input_is_refused_by_field_and_nothing_is_saved(users, orgs, field, overrides):
    with pytest.raises(ValidationError) as error:
        register(users, orgs, **overrides)
    assert field in error.value.message_dict
    assert not Person.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_duplicate_reference_is_refused(users, orgs):
    register(users, orgs, reference="VDAB-1")
    with pytest.raises(ValidationError) as error:
        register(users, orgs, reference="vdab-1", given_name="Other")
    assert "reference" in error.value.message_dict


def test_only_advisers_of_the_organisation_register(users, orgs):
    with pytest.raises(Http404):
        services.person_create(
            data=services.PersonInput(given_name="A", family_name="B", date_of_birth=years_ago(30), sex="F",
                                      region=region()),
            organisation=orgs["forem"], by=users["adviser"])


def test_a_new_status_keeps_the_old_one_in_the_history(users, orgs):
    person = register(users, orgs, status=services.StatusInput("asylum_seeker", "BE", dt.date(2023, 1, 10)))
    services.legal_status_add(person=person, by=users["adviser"],
                              status=services.StatusInput("recognised_refugee", "BE", dt.date(2024, 3, 12)))
    history = list(person.legal_statuses.order_by("start_date").values_list("status", "end_date"))
    assert history == [("asylum_seeker", dt.date(2024, 3, 11)), ("recognised_refugee", None)]
    person.refresh_from_db()
    assert person.current_status == "recognised_refugee"


def test_update_audits_the_changed_fields_only(users, orgs):
    person = register(users, orgs)
    services.person_update(person=person, by=users["adviser"], changes={"phone": "+32 470 12 34 56"})
    event = AuditEvent.objects.get(verb="person.updated")
    assert event.detail == {"fields": ["phone"]}


@pytest.mark.parametrize(("age", "town", "purpose", "allowed"), [
    (34, "Kortrijk", "employment_followup", {"person"}),
    (16, "Mouscron", "employment_followup", {"person", "joint"}),     # Belgium: 13
    (12, "Mouscron", "employment_followup", {"guardian"}),
    (14, "Douai", "employment_followup", {"joint", "guardian"}),      # France: 15, jointly below
    (15, "Douai", "employment_followup", {"person", "joint"}),
    (12, "Douai", "care", {"person", "guardian"}),                   # counselling: Recital 38
])
def test_who_consents_depends_on_age_and_country(users, orgs, age, town, purpose, allowed):
    person = register(users, orgs, date_of_birth=years_ago(age, 10), municipality=municipality(town),
                      unaccompanied_minor=age < 18, guardian_name="Tutelle" if age < 18 else "")
    assert services.consent_giver_required(person, purpose) == allowed


def test_a_minor_below_the_consent_age_cannot_consent_alone(users, orgs):
    person = register(users, orgs, date_of_birth=years_ago(12), municipality=municipality("Mouscron"),
                      unaccompanied_minor=True, guardian_name="Service des Tutelles")
    with pytest.raises(ValidationError) as error:
        services.consent_record(person=person, by=users["adviser"], purpose="employment_followup",
                                given_by="person")
    assert "given_by" in error.value.message_dict
    consent = services.consent_record(person=person, by=users["adviser"], purpose="employment_followup",
                                      given_by="guardian")
    assert consent.recorded_by == users["adviser"]


def test_consent_is_withdrawn_not_deleted_and_can_be_given_again(users, orgs):
    person = register(users, orgs)
    consent = services.consent_record(person=person, by=users["adviser"], purpose="share_employers",
                                      given_by="person")
    with pytest.raises(ValidationError):
        services.consent_record(person=person, by=users["adviser"], purpose="share_employers", given_by="person")
    services.consent_withdraw(consent=consent, by=users["adviser"])
    services.consent_record(person=person, by=users["adviser"], purpose="share_employers", given_by="person")
    assert person.consents.count() == 2
    assert AuditEvent.objects.filter(verb__startswith="consent.").count() == 3
