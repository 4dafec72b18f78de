"""Writes of the people app: validation, history, consent rules, audit."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from pont.audit.models import AuditEvent
from pont.people import services
from pont.people.models import Person
from tests.factories import PersonFactory, municipality, region

TODAY = timezone.localdate  # called where used: a suite that runs past midnight sees the new day


def years_ago(years, days=0):
    return TODAY().replace(year=TODAY().year - years) - dt.timedelta(days=days)


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
    ("date_of_birth", {"date_of_birth": TODAY() + dt.timedelta(days=1)}),
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
    (14, "Douai", "employment_followup", {"joint"}),                  # France: 15, only jointly below
    (15, "Douai", "employment_followup", {"person", "joint"}),
    (12, "Douai", "care", {"person", "guardian"}),                   # counselling: Recital 38
])
def test_who_consents_depends_on_age_and_country(users, orgs, age, town, purpose, allowed):
    person = register(users, orgs, date_of_birth=years_ago(age, 10), municipality=municipality(town),
                      unaccompanied_minor=age < 18, guardian_name="Tutelle" if age < 18 else "")
    assert services.consent_giver_required(person, purpose) == allowed


BIRTH = dt.date(2010, 6, 15)


def on_birthday(age: int, days: int = 0) -> dt.date:
    return BIRTH.replace(year=BIRTH.year + age) + dt.timedelta(days=days)


@pytest.mark.parametrize(("town", "on", "allowed"), [
    ("Mouscron", on_birthday(13, -1), {"guardian"}),              # Belgium: the day before the 13th birthday
    ("Mouscron", on_birthday(13), {"person", "joint"}),           # on it: the minor consents
    ("Douai", on_birthday(13), {"joint"}),                        # France at 13: still jointly
    ("Douai", on_birthday(15, -1), {"joint"}),                    # the day before the 15th birthday
    ("Douai", on_birthday(15), {"person", "joint"}),              # on it
    ("Douai", on_birthday(18, -1), {"person", "joint"}),          # a minor till the day before 18
    ("Douai", on_birthday(18), {"person"}),
    ("Mouscron", on_birthday(18, -1), {"person", "joint"}),
    ("Mouscron", on_birthday(18), {"person"}),
])
def test_the_consent_age_edges_of_each_country(orgs, town, on, allowed):
    person = PersonFactory(date_of_birth=BIRTH, region=municipality(town).region, guardian_name="Tutelle")
    assert services.consent_giver_required(person, "employment_followup", on) == allowed


@pytest.mark.parametrize("town", ["Douai", "Mouscron"])
@pytest.mark.parametrize("age", [12, 14, 16])
def test_care_counselling_for_a_minor_stays_possible_with_the_minors_own_consent(orgs, town, age):
    person = PersonFactory(date_of_birth=BIRTH, region=municipality(town).region)
    assert services.consent_giver_required(person, "care", on_birthday(age)) == {"person", "guardian"}


def test_a_french_minor_under_15_cannot_be_consented_for_by_the_guardian_alone(users, orgs):
    person = register(users, orgs, date_of_birth=years_ago(14), municipality=municipality("Douai"),
                      unaccompanied_minor=True, guardian_name="ASE du Nord")
    with pytest.raises(ValidationError) as error:
        services.consent_record(person=person, by=users["adviser"], purpose="employment_followup",
                                given_by="guardian")
    assert error.value.message_dict["given_by"] == [
        "Aged 14 and living in France (consent age 15): consent must be given by: "
        "The person jointly with the holder of parental authority."]
    with pytest.raises(ValidationError):
        services.consent_record(person=person, by=users["adviser"], purpose="employment_followup",
                                given_by="person")
    consent = services.consent_record(person=person, by=users["adviser"], purpose="employment_followup",
                                      given_by="joint")
    assert consent.given_by == "joint"
    # Counselling offered directly to the child needs no parental consent (Recital 38).
    assert services.consent_record(person=person, by=users["adviser"], purpose="care", given_by="person")


def test_the_consent_refusal_speaks_the_users_language(users, orgs):
    from django.utils import translation

    person = register(users, orgs, date_of_birth=years_ago(14), municipality=municipality("Douai"),
                      unaccompanied_minor=True, guardian_name="ASE du Nord")
    with translation.override("fr"), pytest.raises(ValidationError) as error:
        services.consent_record(person=person, by=users["adviser"], purpose="employment_followup",
                                given_by="guardian")
    assert "La personne conjointement avec le titulaire de l'autorité parentale" in \
        error.value.message_dict["given_by"][0]


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
