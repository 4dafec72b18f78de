"""The people screens: register (with the duplicate warning), list and filter, the person page."""

import datetime as dt

from django.utils import timezone

from pont.people.models import Person
from tests.factories import LegalStatusFactory, PersonFactory, PersonLanguageFactory, municipality

TODAY = timezone.localdate  # called where used: a suite that runs past midnight sees the new day


def form_data(**overrides):
    data = {
        "given_name": "Yonas", "family_name": "Tesfay", "date_of_birth": "2007-08-21", "sex": "M",
        "nationality": "ER", "region": municipality("Douai").region_id, "municipality": municipality("Douai").pk,
        "mother_tongue": "tir", "other_languages": ["ara"], "level_fra": "A1",
        "status": "asylum_seeker", "status_country": "FR", "status_start": "2026-04-20",
    }
    data.update(overrides)
    return data


def test_adviser_registers_a_person_and_lands_on_the_page(client_for):
    client = client_for("adviser")
    response = client.post("/people/new/", form_data())
    person = Person.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/people/{person.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Tesfay" in page.upper() or "TESFAY" in page
    assert 'data-country="FR" data-outcome="needs_permit"' in page
    assert dict(person.languages.values_list("code", "level")) == {"tir": "native", "ara": "", "fra": "A1"}


def test_field_errors_come_back_in_the_users_language(client_for, users):
    users["adviser"].language = "fr"
    users["adviser"].save()
    future = (TODAY() + dt.timedelta(days=3)).isoformat()
    response = client_for("adviser").post("/people/new/", form_data(date_of_birth=future))
    assert response.status_code == 422
    assert response.context["form"].errors["date_of_birth"]
    assert not Person.objects.exists()
    assert '<html lang="fr"' in response.content.decode()


def test_a_likely_duplicate_is_shown_before_creating_and_the_adviser_can_go_on(client_for, orgs):
    existing = PersonFactory(given_name="Mohammed", family_name="Al-Hamwi", date_of_birth=dt.date(1992, 5, 4),
                             organisation=orgs["vdab"])
    client = client_for("adviser")
    data = form_data(given_name="Muhammad", family_name="Alhamwi", date_of_birth="1992-05-04")
    response = client.post("/people/new/", data)
    assert response.status_code == 422
    assert response.context["duplicates"].in_scope == [existing]
    assert f"/people/{existing.pk}/" in response.content.decode()
    assert Person.objects.count() == 1
    response = client.post("/people/new/", {**data, "not_a_duplicate": "on"})
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_a_duplicate_in_another_organisation_is_counted_not_named(client_for, orgs):
    PersonFactory(given_name="Mohammed", family_name="Al-Hamwi", date_of_birth=dt.date(1992, 5, 4),
                  organisation=orgs["forem"])
    response = client_for("adviser").get("/people/duplicates/", {
        "given_name": "Muhammad", "family_name": "Alhamwi", "date_of_birth": "1992-05-04"})
    check = response.context["duplicates"]
    assert check.in_scope == [] and check.elsewhere == 1
    assert "Al-Hamwi" not in response.content.decode()


def test_list_search_and_filters(client_for, orgs):
    ahmad = PersonFactory(given_name="Ahmad", family_name="Al-Hamwi", organisation=orgs["vdab"],
                          current_status="recognised_refugee")
    PersonLanguageFactory(person=ahmad, code="ara")
    LegalStatusFactory(person=ahmad)
    young = PersonFactory(given_name="Malik", family_name="Diallo", organisation=orgs["vdab"],
                          date_of_birth=TODAY().replace(year=TODAY().year - 16), current_status="asylum_seeker")
    PersonFactory(given_name="Ahmad", family_name="Elsewhere", organisation=orgs["forem"])
    client = client_for("adviser")

    def names(**params):
        return [p.pk for p in client.get("/people/", params).context["page"]]

    assert names(q="hamwi") == [ahmad.pk]
    assert names(q="ahmad") == [ahmad.pk]  # the Forem person is out of scope
    assert names(q=ahmad.reference) == [ahmad.pk]
    assert names(status="asylum_seeker") == [young.pk]
    assert names(language="ara") == [ahmad.pk]
    assert names(age_band="0-17") == [young.pk]
    assert names(region="FRE11") == []


def test_edit_form_keeps_input_and_shows_errors(client_for, person):
    client = client_for("adviser")
    assert client.get(f"/people/{person.pk}/edit/").status_code == 200
    response = client.post(f"/people/{person.pk}/edit/", {**form_data(), "given_name": ""})
    assert response.status_code == 200 and "given_name" in response.context["form"].errors
    response = client.post(f"/people/{person.pk}/edit/", form_data(given_name="Ahmed"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.given_name == "Ahmed" and person.search_name.startswith("ahmed")


def test_status_with_end_before_start_is_refused_on_the_page(client_for, person):
    response = client_for("adviser").post(f"/people/{person.pk}/statuses/", {
        "status": "asylum_seeker", "country": "BE", "start_date": "2025-05-01", "end_date": "2025-04-01"})
    assert response.status_code == 422
    assert "end_date" in response.context["form"].errors
    assert not person.legal_statuses.exists()


def test_consent_for_a_minor_below_the_age_names_who_must_consent(client_for, orgs):
    minor = PersonFactory(date_of_birth=TODAY().replace(year=TODAY().year - 12), region=municipality("Mouscron").region,
                          organisation=orgs["vdab"], guardian_name="Tutelle")
    response = client_for("adviser").post(f"/people/{minor.pk}/consents/", {
        "purpose": "employment_followup", "given_by": "person"})
    assert response.status_code == 422
    assert "given_by" in response.context["form"].errors
