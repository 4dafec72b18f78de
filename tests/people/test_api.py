"""The people API: registering, field errors in the user's language, changes, scope, tokens, right to work."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from pont.audit.models import AuditEvent
from pont.core.auth import token_issue, token_revoke
from pont.people.models import Person
from pont.people.right_to_work import add_months
from tests.factories import LegalStatusFactory, PersonFactory, municipality


@pytest.fixture
def token(users):
    _, raw = token_issue(user=users["adviser"], name="tests")
    return raw


@pytest.fixture
def api(token):
    """A client calling as the `adviser` persona (VDAB) with a bearer token, in English unless told."""
    return Client(headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"})


def post(client: Client, body: dict, **headers):
    return client.post("/api/v1/persons", body, content_type="application/json", headers=headers)


def patch(client: Client, pk: int, body: dict, **headers):
    return client.patch(f"/api/v1/persons/{pk}", body, content_type="application/json", headers=headers)


def new_person(**overrides) -> dict:
    body = {
        "given_name": "Rania", "family_name": "Khalil", "date_of_birth": "1996-05-14", "sex": "F",
        "region": "BE25", "nationality": "sy",
        "languages": [{"code": "ara", "level": "native"}, {"code": "nld", "level": "A2"}],
        "legal_status": {"status": "recognised_refugee", "country": "BE", "start_date": "2024-02-01"},
    }
    body.update(overrides)
    return body


def locs(response) -> list[list]:
    return [entry["loc"] for entry in response.json()["detail"]]


def messages_for(response, field: str) -> list[str]:
    return [entry["msg"] for entry in response.json()["detail"] if entry["loc"][-1] == field]


# --- registering ------------------------------------------------------------------------------------------


def test_create_person(api, users, orgs):
    response = post(api, new_person(municipality=municipality("Kortrijk").pk))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reference"]  # given by Pont when none is sent
    assert body["nationality"] == "SY"
    assert body["region"] == "BE25"
    assert body["municipality"] == "Kortrijk"
    assert {(lang["code"], lang["level"]) for lang in body["languages"]} == {("ara", "native"), ("nld", "A2")}
    assert all(lang["name"] for lang in body["languages"])
    [status] = body["legal_statuses"]
    assert status == {"id": status["id"], "status": "recognised_refugee", "country": "BE", "start_date": "2024-02-01",
                      "end_date": None, "decision_date": None, "claim_date": None, "work_authorisation_date": None}
    assert body["current_status"] == "recognised_refugee"
    person = Person.objects.get(pk=body["id"])
    assert list(person.files.values_list("organisation_id", flat=True)) == [orgs["vdab"].pk]
    event = AuditEvent.objects.get(verb="person.created", person=person)
    assert event.actor == users["adviser"]
    assert event.organisation == orgs["vdab"]
    assert event.channel == "api"
    # The answer is not a read of the file by a human: no `person.viewed` for the creation itself.
    assert not AuditEvent.objects.filter(verb="person.viewed", person=person).exists()


def test_created_person_is_listed_and_readable(api):
    pk = post(api, new_person(reference="REF-API-1")).json()["id"]
    listed = api.get("/api/v1/persons", {"q": "REF-API-1"}).json()
    assert [item["id"] for item in listed["items"]] == [pk]
    assert api.get(f"/api/v1/persons/{pk}").status_code == 200
    assert AuditEvent.objects.filter(verb="person.viewed", person_id=pk).count() == 1


def test_missing_fields_answer_422_per_field(api):
    response = post(api, {"given_name": "Rania"})
    assert response.status_code == 422
    missing = {tuple(loc) for loc in locs(response)}
    assert {("body", "payload", "family_name"), ("body", "payload", "date_of_birth"),
            ("body", "payload", "sex"), ("body", "payload", "region")} <= missing
    assert all(entry["msg"] for entry in response.json()["detail"])


def test_field_errors_in_the_users_language(api):
    """Accept-Language: fr answers in French; the structure does not depend on the language."""
    english = post(api, new_person(date_of_birth="2999-01-01"))
    french = post(api, new_person(date_of_birth="2999-01-01"), **{"Accept-Language": "fr"})
    assert english.status_code == french.status_code == 422
    assert locs(english) == locs(french) == [["body", "date_of_birth"]]
    assert messages_for(french, "date_of_birth")[0]
    # For the lead: Pont's own message, from src/pont/locale/fr (fails if the French catalogue loses it).
    assert messages_for(french, "date_of_birth") == ["La date de naissance ne peut pas être dans le futur."]
    assert messages_for(english, "date_of_birth") == ["The date of birth cannot be in the future."]
    # Django's own catalogue translates pydantic's "missing" errors.
    missing = post(api, {}, **{"Accept-Language": "fr"})
    assert "Ce champ est obligatoire." in [entry["msg"] for entry in missing.json()["detail"]]


def test_dutch_speaking_token_user_without_accept_language(api, users):
    """Without Accept-Language, the token's user's saved language is spoken."""
    users["adviser"].language = "nl"
    users["adviser"].save(update_fields=["language"])
    _, raw = token_issue(user=users["adviser"])
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    response = post(client, new_person(date_of_birth="2999-01-01"))
    assert response.status_code == 422
    message = messages_for(response, "date_of_birth")[0]
    assert message and message != "The date of birth cannot be in the future."


def test_birth_date_in_the_future(api):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = post(api, new_person(date_of_birth=tomorrow.isoformat()))
    assert response.status_code == 422
    assert locs(response) == [["body", "date_of_birth"]]
    assert not Person.objects.exists()


def test_status_ending_before_it_starts(api):
    status = {"status": "asylum_seeker", "country": "FR", "start_date": "2025-03-01", "end_date": "2025-01-31"}
    response = post(api, new_person(legal_status=status))
    assert response.status_code == 422
    assert locs(response) == [["body", "end_date"]]
    assert messages_for(response, "end_date") == ["The end of a status cannot come before its start."]
    assert not Person.objects.exists()  # nothing half-saved


def test_unknown_language_code(api):
    """The schema lists ISO 639-3's codes: an unknown one is refused where it stands, before any service."""
    response = post(api, new_person(languages=[{"code": "xqx", "level": ""}]))
    assert response.status_code == 422
    assert locs(response) == [["body", "payload", "languages", 0, "code"]]
    assert response.json()["detail"][0]["msg"] == \
        "Select a valid choice. That choice is not one of the available choices."
    assert not Person.objects.exists()


def test_unknown_level_is_refused_by_the_schema(api):
    response = post(api, new_person(languages=[{"code": "ara", "level": "Z9"}]))
    assert response.status_code == 422
    assert any(loc[-1] == "level" for loc in locs(response))


def test_duplicate_reference(api, person):
    response = post(api, new_person(reference=person.reference.lower()))  # case does not make it new
    assert response.status_code == 422
    assert locs(response) == [["body", "reference"]]
    assert messages_for(response, "reference") == ["Another person already has this reference number."]
    assert Person.objects.count() == 1


def test_unknown_region_and_municipality(api):
    """A code or id that names nothing is a 404 naming the field (as matching answers an unknown skill)."""
    for body, says in ((new_person(region="XX99"), "Not found: region XX99."),
                       (new_person(municipality=10**9), f"Not found: municipality {10**9}.")):
        response = post(api, body)
        assert (response.status_code, response.json()) == (404, {"detail": says})
    assert not Person.objects.exists()


def test_only_advisers_register(users):
    _, raw = token_issue(user=users["coordinator"])
    response = post(Client(headers={"Authorization": f"Bearer {raw}"}), new_person())
    assert response.status_code == 404
    assert not Person.objects.exists()


# --- changing ---------------------------------------------------------------------------------------------


def test_patch_changes_only_what_is_sent(api, person, users):
    response = patch(api, person.pk, {"phone": "+32 470 12 34 56", "languages": [{"code": "tir", "level": ""}]})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["phone"] == "+32 470 12 34 56"
    assert body["given_name"] == "Ahmad"
    assert [lang["code"] for lang in body["languages"]] == ["tir"]
    event = AuditEvent.objects.get(verb="person.updated", person=person)
    assert event.actor == users["adviser"]
    assert set(event.detail["fields"]) == {"phone", "languages"}


def test_patch_rejects_bad_values_per_field(api, person):
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    assert locs(patch(api, person.pk, {"date_of_birth": future})) == [["body", "date_of_birth"]]
    assert locs(patch(api, person.pk, {"given_name": None})) == [["body", "given_name"]]
    assert locs(patch(api, person.pk, {"nationality": "QQ"})) == [["body", "payload", "nationality"]]
    other = PersonFactory(reference="TAKEN-1")
    assert locs(patch(api, person.pk, {"reference": other.reference})) == [["body", "reference"]]
    person.refresh_from_db()
    assert person.given_name == "Ahmad"
    assert person.reference != "TAKEN-1"


def test_patch_with_null_values(api, person):
    """null empties a text field; on a required field or a yes/no it is a field error (was a 500)."""
    person.phone = "+32 470 00 00 00"
    person.save(update_fields=["phone"])
    response = patch(api, person.pk, {"phone": None, "guardian_name": None})
    assert response.status_code == 200, response.content
    assert response.json()["phone"] == ""
    for field in ("unaccompanied_minor", "reference"):  # refused by the model
        response = patch(api, person.pk, {field: None})
        assert response.status_code == 422, field
        assert locs(response) == [["body", field]]
    for field in ("sex", "region"):  # the schema says they are not nullable
        response = patch(api, person.pk, {field: None})
        assert response.status_code == 422, field
        assert locs(response) == [["body", "payload", field]]


def test_patch_moves_to_a_municipality_and_its_region(api, person):
    tournai = municipality("Tournai")
    response = patch(api, person.pk, {"municipality": tournai.pk, "region": tournai.region.code})
    assert response.status_code == 200
    assert response.json()["region"] == tournai.region.code
    mismatch = patch(api, person.pk, {"municipality": municipality("Kortrijk").pk, "region": tournai.region.code})
    assert locs(mismatch) == [["body", "municipality"]]


# --- scope ------------------------------------------------------------------------------------------------


def test_foreign_person_is_not_found(api, foreign_person):
    for url in (f"/api/v1/persons/{foreign_person.pk}", f"/api/v1/persons/{foreign_person.pk}/right-to-work"):
        response = api.get(url)
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}
    assert patch(api, foreign_person.pk, {"phone": "0"}).status_code == 404
    foreign_person.refresh_from_db()
    assert foreign_person.phone == ""
    assert not AuditEvent.objects.filter(person=foreign_person).exists()


def test_foreign_person_absent_from_list_and_search(api, person, foreign_person):
    listed = api.get("/api/v1/persons").json()
    assert [item["id"] for item in listed["items"]] == [person.pk]
    assert listed["count"] == 1
    for term in ("Yonas", "tesfay", foreign_person.reference):
        found = api.get("/api/v1/persons", {"q": term}).json()
        assert found == {"count": 0, "items": []}


def test_closed_file_takes_the_person_out_of_scope(api, person):
    person.files.update(closed_at=timezone.now())
    assert api.get(f"/api/v1/persons/{person.pk}").status_code == 404
    assert api.get("/api/v1/persons").json()["count"] == 0


def test_unknown_and_absurd_ids_are_not_found(api):
    assert api.get("/api/v1/persons/999999").status_code == 404
    assert api.get(f"/api/v1/persons/{2**70}").status_code in (404, 422)
    assert api.get("/api/v1/persons/abc").status_code == 422


def test_other_roles_see_an_empty_list(users, person):
    _, raw = token_issue(user=users["employer"])
    response = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/persons")
    assert response.json() == {"count": 0, "items": []}


# --- tokens -----------------------------------------------------------------------------------------------


def test_revoked_token_answers_401(users, person):
    record, raw = token_issue(user=users["adviser"])
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert client.get("/api/v1/me").status_code == 200
    token_revoke(token=record, by=users["adviser"])
    for url in ("/api/v1/me", "/api/v1/persons", f"/api/v1/persons/{person.pk}"):
        response = client.get(url)
        assert response.status_code == 401, url
        assert response.json()["detail"]
    assert AuditEvent.objects.filter(verb="api_token.revoked").exists()


def test_wrong_or_missing_token_answers_401(db):
    assert Client().get("/api/v1/persons").status_code == 401
    assert Client(headers={"Authorization": "Bearer pont_nope"}).get("/api/v1/persons").status_code == 401
    assert Client(headers={"Authorization": "Bearer " + "x" * 5000}).get("/api/v1/persons").status_code == 401


def test_token_of_a_deactivated_user_answers_401(users, token, api):
    users["adviser"].is_active = False
    users["adviser"].save(update_fields=["is_active"])
    assert api.get("/api/v1/me").status_code == 401


# --- right to work ----------------------------------------------------------------------------------------


def right_to_work(client: Client, pk: int, language: str = "en") -> dict:
    response = client.get(f"/api/v1/persons/{pk}/right-to-work", headers={"Accept-Language": language})
    assert response.status_code == 200, response.content
    return {row["country"]: row for row in response.json()}


def test_right_to_work_of_yonas_asylum_seeker_in_france_for_seven_months(api, orgs):
    today = timezone.localdate()
    yonas = PersonFactory(given_name="Yonas", family_name="Tesfay", organisation=orgs["vdab"],
                          date_of_birth=today.replace(year=today.year - 19))
    lodged = add_months(today, -7)
    LegalStatusFactory(person=yonas, status="asylum_seeker", country="FR", start_date=lodged)
    answer = right_to_work(api, yonas.pk)
    assert set(answer) == {"BE", "FR"}
    france = answer["FR"]
    assert france["outcome"] == "needs_permit"
    assert france["status"] == "asylum_seeker"
    assert france["since"] == add_months(lodged, 6).isoformat()  # OFPRA has not ruled within 6 months
    assert "OFPRA" in france["reason"]
    assert answer["BE"]["outcome"] == "may_not_work"  # a claim pending in France gives no right in Belgium
    assert answer["BE"]["reason"]
    french = right_to_work(api, yonas.pk, "fr")["FR"]
    assert french["outcome"] == "needs_permit"
    assert french["reason"] != france["reason"]
    assert AuditEvent.objects.filter(verb="person.viewed", person=yonas).count() == 2


def test_right_to_work_of_ahmad_recognised_refugee_in_belgium(api, person):
    LegalStatusFactory(person=person, status="recognised_refugee", country="BE", start_date=dt.date(2024, 3, 12))
    answer = right_to_work(api, person.pk)
    assert answer["BE"]["outcome"] == "may_work"
    assert answer["BE"]["since"] == "2024-03-12"
    assert answer["BE"]["reason"]
    assert answer["FR"]["outcome"] == "needs_permit"
    assert "Belgium" in answer["FR"]["reason"]


def test_right_to_work_without_status(api, person):
    answer = right_to_work(api, person.pk)
    assert {row["outcome"] for row in answer.values()} == {"may_not_work"}
    assert all(row["status"] is None and row["reason"] for row in answer.values())


def test_the_api_refuses_a_likely_duplicate_like_the_page_and_registers_once_confirmed(api, orgs):
    existing = PersonFactory(given_name="Mohammed", family_name="Al-Hamwi", date_of_birth=dt.date(1992, 5, 4),
                             organisation=orgs["vdab"])
    PersonFactory(given_name="Muhammad", family_name="Alhamwi", date_of_birth=dt.date(1992, 5, 4),
                  organisation=orgs["forem"])
    body = new_person(given_name="Muhamad", family_name="Al Hamwi", date_of_birth="1992-05-04")
    response = post(api, body)
    assert response.status_code == 409
    answer = response.json()
    assert [p["id"] for p in answer["in_scope"]] == [existing.pk] and answer["elsewhere"] == 1
    assert Person.objects.count() == 2
    assert post(api, {**body, "not_a_duplicate": True}).status_code == 201
    assert Person.objects.count() == 3
