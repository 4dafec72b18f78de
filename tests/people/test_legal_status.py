"""The legal-status history holds the dates of a real asylum procedure, and the right to work follows them.

The issue's Belgian cases (claim 10 January, decision 10 June or 10 April, appeal in July or May) are
played last year, so that no date is ever in the future whatever day the tests run.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from pont.audit.models import AuditEvent
from pont.core.auth import token_issue
from pont.people import selectors, services
from pont.people.models import LegalStatus
from tests.factories import LegalStatusFactory, PersonFactory, region

TODAY = timezone.localdate  # called where used: a suite that runs past midnight sees the new day
YEAR = TODAY().year - 1
CLAIM = dt.date(YEAR, 1, 10)


def day(month: int, number: int) -> dt.date:
    return dt.date(YEAR, month, number)


def status(kind: str, country: str, start: dt.date, **dates) -> services.StatusInput:
    return services.StatusInput(kind, country, start, **dates)


def rtw(person, on: dt.date, country: str = "BE"):
    """Return the right to work of `person` on `on` in `country`, read afresh from the database."""
    fresh = type(person).objects.prefetch_related("legal_statuses").get(pk=person.pk)
    return next(a for a in selectors.right_to_work_for(fresh, on) if a.country == country)


@pytest.fixture
def claimant(orgs):
    return PersonFactory(given_name="Hamid", family_name="Rahimi", organisation=orgs["vdab"])


# --- a Belgian procedure, as an adviser records it step by step --------------------------------------------


def test_decision_after_four_months_then_appeal_the_person_may_work_during_the_appeal(claimant, users):
    adviser = users["adviser"]
    claim_row = services.legal_status_add(person=claimant, by=adviser, status=status("asylum_seeker", "BE", CLAIM))
    services.legal_status_update(record=claim_row, by=adviser, changes={"decision_date": day(6, 10)})
    # The appeal row repeats the decision it appeals: before its own start, as in every real appeal.
    services.legal_status_add(person=claimant, by=adviser,
                              status=status("asylum_appeal", "BE", day(7, 1), decision_date=day(6, 10)))
    claim_row.refresh_from_db()
    assert claim_row.end_date == day(6, 30)
    answer = rtw(claimant, day(8, 15))
    assert (answer.outcome, answer.status, answer.since) == ("may_work", "asylum_appeal", day(5, 10))


def test_decision_within_four_months_then_appeal_the_person_may_not_work(claimant, users):
    adviser = users["adviser"]
    services.legal_status_add(person=claimant, by=adviser,
                              status=status("asylum_seeker", "BE", CLAIM, decision_date=day(4, 10)))
    services.legal_status_add(person=claimant, by=adviser, status=status("asylum_appeal", "BE", day(5, 1)))
    answer = rtw(claimant, day(11, 15))
    assert (answer.outcome, answer.status) == ("may_not_work", "asylum_appeal")
    assert "within 4 months" in answer.reason


def test_someone_met_during_the_appeal_is_registered_with_the_appeal_row_alone(users, orgs):
    data = services.PersonInput(
        given_name="Amina", family_name="Yusuf", date_of_birth=dt.date(1995, 3, 2), sex="F", region=region("BE25"),
        status=status("asylum_appeal", "BE", day(7, 1), claim_date=CLAIM, decision_date=day(6, 10)))
    person = services.person_create(data=data, organisation=orgs["vdab"], by=users["adviser"])
    assert rtw(person, day(8, 15)).outcome == "may_work"


# --- what is refused: only what no real procedure produces ---------------------------------------------------


@pytest.mark.parametrize(("field", "history", "new"), [
    ("decision_date", [], status("asylum_seeker", "BE", day(3, 1), decision_date=day(2, 1))),
    ("decision_date", [], status("asylum_appeal", "BE", day(7, 1), claim_date=day(3, 1), decision_date=day(2, 1))),
    ("decision_date", [status("asylum_seeker", "BE", day(3, 1))],
     status("asylum_appeal", "BE", day(7, 1), decision_date=day(2, 1))),     # before the claim in the history
    ("decision_date", [], status("asylum_appeal", "BE", day(7, 1), decision_date=day(7, 2))),  # after the appeal
    ("claim_date", [], status("asylum_appeal", "BE", day(7, 1), claim_date=day(7, 2))),
    ("claim_date", [], status("asylum_seeker", "BE", day(7, 1), claim_date=day(6, 1))),
    ("claim_date", [], status("recognised_refugee", "BE", day(7, 1), claim_date=day(6, 1))),
    ("end_date", [], status("asylum_seeker", "BE", day(7, 1), end_date=day(6, 30))),
    ("work_authorisation_date", [], status("recognised_refugee", "FR", day(7, 1), work_authorisation_date=day(8, 1))),
    ("work_authorisation_date", [], status("asylum_seeker", "FR", day(7, 1), work_authorisation_date=day(6, 1))),
    ("start_date", [], status("asylum_seeker", "FR", TODAY() + dt.timedelta(days=1))),
    ("decision_date", [], status("asylum_seeker", "FR", day(1, 1), decision_date=TODAY() + dt.timedelta(days=1))),
    ("work_authorisation_date", [],
     status("asylum_seeker", "FR", day(1, 1), work_authorisation_date=TODAY() + dt.timedelta(days=1))),
])
def test_impossible_dates_are_refused_by_field_and_nothing_is_written(claimant, users, field, history, new):
    for earlier in history:
        services.legal_status_add(person=claimant, by=users["adviser"], status=earlier)
    with pytest.raises(ValidationError) as error:
        services.legal_status_add(person=claimant, by=users["adviser"], status=new)
    assert field in error.value.message_dict
    assert claimant.legal_statuses.count() == len(history)


def test_refusals_speak_the_users_language(claimant, users):
    from django.utils import translation

    with translation.override("fr"), pytest.raises(ValidationError) as error:
        services.legal_status_add(person=claimant, by=users["adviser"],
                                  status=status("asylum_appeal", "BE", day(7, 1), decision_date=day(7, 2)))
    assert error.value.message_dict["decision_date"] == [
        "La décision en première instance doit précéder le recours formé contre elle."]


# --- recording later facts on a row ---------------------------------------------------------------------------


def test_a_french_work_authorisation_recorded_later_lets_the_person_work_and_is_audited(claimant, users):
    claim_row = services.legal_status_add(person=claimant, by=users["adviser"],
                                          status=status("asylum_seeker", "FR", day(1, 5)))
    assert rtw(claimant, day(9, 1), "FR").outcome == "needs_permit"
    services.legal_status_update(record=claim_row, by=users["adviser"],
                                 changes={"work_authorisation_date": day(8, 20)})
    answer = rtw(claimant, day(9, 1), "FR")
    assert (answer.outcome, answer.since) == ("may_work", day(8, 20))
    event = AuditEvent.objects.get(verb="legal_status.updated")
    assert (event.person, event.detail) == (claimant, {"fields": ["work_authorisation_date"]})


def test_only_the_later_facts_of_a_row_can_change(claimant, users):
    row = LegalStatusFactory(person=claimant, status="asylum_seeker", country="FR", start_date=day(1, 5))
    with pytest.raises(ValidationError) as error:
        services.legal_status_update(record=row, by=users["adviser"], changes={"status": "recognised_refugee"})
    assert "status" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.legal_status_update(record=row, by=users["adviser"], changes={"decision_date": day(1, 4)})
    assert "decision_date" in error.value.message_dict
    row.refresh_from_db()
    assert (row.status, row.decision_date) == ("asylum_seeker", None)
    assert not AuditEvent.objects.filter(verb="legal_status.updated").exists()


def test_ending_a_row_refreshes_the_current_status(claimant, users):
    row = services.legal_status_add(person=claimant, by=users["adviser"],
                                    status=status("asylum_seeker", "BE", day(1, 5)))
    claimant.refresh_from_db()
    assert claimant.current_status == "asylum_seeker"
    services.legal_status_update(record=row, by=users["adviser"], changes={"end_date": day(12, 1)})
    claimant.refresh_from_db()
    assert claimant.current_status == ""


# --- the page -------------------------------------------------------------------------------------------------


def test_the_adviser_records_a_decision_on_the_page(client_for, claimant):
    row = LegalStatusFactory(person=claimant, status="asylum_seeker", country="BE", start_date=CLAIM)
    client = client_for("adviser")
    detail = client.get(f"/people/{claimant.pk}/").content.decode()
    assert f"/people/{claimant.pk}/statuses/{row.pk}/" in detail
    assert client.get(f"/people/{claimant.pk}/statuses/{row.pk}/").status_code == 200
    response = client.post(f"/people/{claimant.pk}/statuses/{row.pk}/",
                           {"decision_date": day(6, 10).isoformat()})
    assert response.status_code == 302 and response["Location"] == f"/people/{claimant.pk}/"
    row.refresh_from_db()
    assert row.decision_date == day(6, 10)


def test_the_page_shows_a_refusal_on_its_field_in_the_users_language(client_for, users, claimant):
    users["adviser"].language = "nl"
    users["adviser"].save()
    row = LegalStatusFactory(person=claimant, status="asylum_seeker", country="BE", start_date=CLAIM)
    response = client_for("adviser").post(f"/people/{claimant.pk}/statuses/{row.pk}/",
                                          {"decision_date": day(1, 9).isoformat()})
    assert response.status_code == 422
    assert response.context["form"].errors["decision_date"] == [
        "Een beslissing mag niet vóór de indiening van de aanvraag liggen."]


def test_the_add_form_accepts_an_appeal_with_the_decision_it_appeals(client_for, claimant):
    response = client_for("adviser").post(f"/people/{claimant.pk}/statuses/", {
        "status": "asylum_appeal", "country": "BE", "start_date": day(7, 1).isoformat(),
        "decision_date": day(6, 10).isoformat(), "claim_date": CLAIM.isoformat()})
    assert response.status_code == 302
    row = claimant.legal_statuses.get()
    assert (row.claim_date, row.decision_date) == (CLAIM, day(6, 10))


def test_a_row_of_someone_else_answers_404(client_for, claimant, foreign_person):
    foreign_row = LegalStatusFactory(person=foreign_person)
    client = client_for("adviser")
    assert client.get(f"/people/{claimant.pk}/statuses/{foreign_row.pk}/").status_code == 404
    assert client_for("other_adviser").get(f"/people/{foreign_person.pk}/statuses/{foreign_row.pk}/").status_code \
        == 200


# --- the API ----------------------------------------------------------------------------------------------------


@pytest.fixture
def api(users) -> Client:
    _, raw = token_issue(user=users["adviser"], name="tests")
    return Client(headers={"Authorization": f"Bearer {raw}", "Accept-Language": "en"})


def send(client: Client, method: str, path: str, body: dict):
    return client.generic(method, path, json.dumps(body), content_type="application/json")


def test_the_api_records_a_procedure_and_answers_the_right_to_work(api, claimant):
    base = f"/api/v1/persons/{claimant.pk}/legal-statuses"
    response = send(api, "POST", base, {"status": "asylum_seeker", "country": "FR", "start_date": str(day(1, 5))})
    assert response.status_code == 201, response.content
    row = response.json()
    response = send(api, "PATCH", f"{base}/{row['id']}", {"work_authorisation_date": str(day(8, 20))})
    assert response.status_code == 200, response.content
    assert response.json()["work_authorisation_date"] == str(day(8, 20))
    response = send(api, "POST", base, {"status": "asylum_appeal", "country": "FR", "start_date": str(day(10, 1)),
                                        "decision_date": str(day(9, 15))})
    assert response.status_code == 201, response.content
    france = {r["country"]: r for r in api.get(f"/api/v1/persons/{claimant.pk}/right-to-work").json()}["FR"]
    assert (france["outcome"], france["status"], france["since"]) == ("may_work", "asylum_appeal", str(day(8, 20)))
    statuses = api.get(f"/api/v1/persons/{claimant.pk}").json()["legal_statuses"]
    assert {s["status"]: s["end_date"] for s in statuses} == {"asylum_seeker": str(day(9, 30)), "asylum_appeal": None}


def test_the_api_refuses_impossible_dates_as_field_errors(api, claimant):
    response = send(api, "POST", f"/api/v1/persons/{claimant.pk}/legal-statuses",
                    {"status": "asylum_appeal", "country": "BE", "start_date": str(day(7, 1)),
                     "claim_date": str(day(7, 2))})
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["body", "claim_date"]]
    assert not LegalStatus.objects.exists()


def test_the_api_answers_404_for_a_row_out_of_scope(api, claimant, foreign_person):
    foreign_row = LegalStatusFactory(person=foreign_person)
    assert send(api, "PATCH", f"/api/v1/persons/{claimant.pk}/legal-statuses/{foreign_row.pk}",
                {"end_date": str(day(2, 1))}).status_code == 404
    assert send(api, "PATCH", f"/api/v1/persons/{foreign_person.pk}/legal-statuses/{foreign_row.pk}",
                {"end_date": str(day(2, 1))}).status_code == 404
    assert send(api, "POST", f"/api/v1/persons/{foreign_person.pk}/legal-statuses",
                {"status": "asylum_seeker", "country": "BE", "start_date": str(day(1, 5))}).status_code == 404


def test_opening_the_update_page_is_an_audited_read_and_clearing_a_date_works(client_for, claimant):
    row = LegalStatusFactory(person=claimant, status="asylum_seeker", country="BE", start_date=CLAIM,
                             decision_date=day(6, 10))
    client = client_for("adviser")
    client.get(f"/people/{claimant.pk}/statuses/{row.pk}/")
    assert AuditEvent.objects.filter(verb="person.viewed", person=claimant).count() == 1
    response = client.post(f"/people/{claimant.pk}/statuses/{row.pk}/", {"decision_date": ""})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.decision_date is None
    assert AuditEvent.objects.get(verb="legal_status.updated").detail == {"fields": ["decision_date"]}
