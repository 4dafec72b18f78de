"""Rectification (GDPR Art. 16): every change of a person's data keeps the value before and after, who, when and
why; the person's page shows them in the reader's language, and the API records them the same way."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from pont.core.auth import token_issue
from pont.people import selectors, services
from pont.people.models import Correction
from tests.people.test_views import form_data


def test_each_changed_field_is_kept_with_before_after_who_and_why(person, users):
    services.person_update(person=person, by=users["adviser"], reason="The person showed her passport.",
                           changes={"phone": "+32 470 11 22 33", "nationality": "IQ", "given_name": person.given_name,
                                    "date_of_birth": dt.date(1990, 3, 4), "unaccompanied_minor": False},
                           languages={"ara": "native", "nld": "B1"})
    kept = {c.field: c for c in Correction.objects.filter(person=person)}
    assert "given_name" not in kept  # unchanged: nothing to correct
    assert kept["date_of_birth"].new_value == "1990-03-04" and kept["nationality"].new_value == "IQ"
    assert {c.reason for c in kept.values()} == {"The person showed her passport."}
    assert {c.by for c in kept.values()} == {users["adviser"]}
    assert kept["languages"].new_value == "ara:native, nld:B1"
    shown = {row["field"]: row for row in selectors.corrections_of(selectors.person_get(user=users["adviser"],
                                                                                        pk=person.pk))}
    assert shown["nationality"]["after"] == "Iraq"
    assert shown["languages"]["after"] == "Arabic (Native), Dutch (B1)"


def test_a_reason_longer_than_the_model_allows_is_refused_and_nothing_changes(person, users):
    phone = person.phone
    with pytest.raises(ValidationError) as error:
        services.person_update(person=person, by=users["adviser"], changes={"phone": "+32 470 00 00 01"},
                               reason="x" * 301)
    assert "reason" in error.value.message_dict
    person.refresh_from_db()
    assert person.phone == phone and not Correction.objects.exists()


def test_the_edit_page_asks_why_and_the_persons_page_shows_the_corrections(client_for, person):
    client = client_for("adviser")
    assert "Reason for the correction" in client.get(f"/people/{person.pk}/edit/").content.decode()
    response = client.post(f"/people/{person.pk}/edit/", form_data(given_name="Ahmed", reason="Spelling on the ID"))
    assert response.status_code == 302
    detail = client.get(f"/people/{person.pk}/").content.decode()
    assert 'id="corrections"' in detail and "Spelling on the ID" in detail and "Ahmed" in detail


def test_the_api_records_corrections_with_their_reason(users, person):
    _, raw = token_issue(user=users["adviser"], name="tests")
    client = Client(headers={"Authorization": f"Bearer {raw}", "Accept-Language": "en"})
    response = client.patch(f"/api/v1/persons/{person.pk}", {"phone": "+32 470 99 88 77", "reason": "Asked by him"},
                            content_type="application/json")
    assert response.status_code == 200
    correction = Correction.objects.get(person=person)
    assert (correction.field, correction.new_value, correction.reason) == ("phone", "+32 470 99 88 77", "Asked by him")
    too_long = client.patch(f"/api/v1/persons/{person.pk}", {"phone": "+32 470 1", "reason": "x" * 301},
                            content_type="application/json")
    assert too_long.status_code == 422
