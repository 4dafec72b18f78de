"""The audit trail is append-only (in the application and in the database) and readable by coordinators
only, within their organisation; every read of people's data leaves a line, lists and searches included."""

import uuid

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import QuerySet

from pont.audit.models import AuditEvent
from pont.audit.selectors import audit_events_visible_to
from pont.audit.services import audit
from pont.core.auth import token_issue
from tests.factories import PersonFactory


def test_events_cannot_be_changed_or_deleted(users, person):
    event = audit(actor=users["adviser"], verb="person.viewed", obj=person, person=person)
    event.verb = "something.else"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(verb="x")


@pytest.mark.parametrize("tamper", [
    lambda: AuditEvent._base_manager.update(verb="x"),
    lambda: QuerySet(model=AuditEvent).update(verb="x"),
    lambda: AuditEvent._base_manager.all()._raw_delete(AuditEvent._base_manager.db),
    lambda: QuerySet(model=AuditEvent).delete(),
    lambda: connection.cursor().execute("UPDATE audit_auditevent SET verb = 'x'"),
    lambda: connection.cursor().execute("DELETE FROM audit_auditevent"),
])
def test_the_database_refuses_what_the_model_does_not_see(users, person, tamper):
    audit(actor=users["adviser"], verb="person.viewed", obj=person, person=person)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        tamper()
    assert AuditEvent.objects.filter(verb="person.viewed").count() == 1


def test_coordinator_reads_the_trail_of_their_organisations_people_only(users, person, foreign_person):
    audit(actor=users["adviser"], verb="person.viewed", obj=person, person=person)
    audit(actor=users["other_adviser"], verb="person.viewed", obj=foreign_person, person=foreign_person)
    visible = list(audit_events_visible_to(users["coordinator"]))
    assert [e.person for e in visible] == [person]
    assert not audit_events_visible_to(users["adviser"]).exists()


def test_pont_makes_its_own_request_id_and_keeps_the_callers_apart(client_for, person):
    theirs = str(uuid.UUID(int=0))
    response = client_for("adviser").get(f"/people/{person.pk}/", headers={"X-Request-ID": theirs})
    assert response.status_code == 200
    event = AuditEvent.objects.get(verb="person.viewed")
    assert event.person == person and event.channel == "ui"
    assert event.request_id == response["X-Request-ID"] != theirs
    assert event.caller_request_id == theirs


def test_audit_page_shows_references_not_names(client_for, person):
    client_for("adviser").get(f"/people/{person.pk}/")
    page = client_for("coordinator").get("/audit/").content.decode()
    assert person.reference in page
    assert person.family_name not in page


def test_a_page_of_the_list_is_one_event_naming_the_people_shown(client_for, person, orgs):
    other = PersonFactory(family_name="Zz", organisation=orgs["vdab"])
    client_for("adviser").get("/people/", {"q": ""})
    event = AuditEvent.objects.get(verb="person.listed", channel="ui")
    assert sorted(event.detail["ids"]) == sorted([person.pk, other.pk]) and event.detail["count"] == 2


def test_a_search_through_the_api_is_audited_with_its_filters(users, person):
    from django.test import Client

    _, raw = token_issue(user=users["adviser"])
    Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/persons", {"q": "ahmad"})
    event = AuditEvent.objects.get(verb="person.listed", channel="api")
    assert event.detail["ids"] == [person.pk] and event.detail["filters"] == {"q": "ahmad"}


def test_an_empty_result_names_nobody_and_writes_nothing(client_for, person):
    client_for("adviser").get("/people/", {"q": "nobody-is-called-this"})
    assert not AuditEvent.objects.filter(verb="person.listed").exists()


def test_the_edit_page_and_the_duplicate_check_are_reads_too(client_for, person):
    client = client_for("adviser")
    client.get(f"/people/{person.pk}/edit/")
    assert AuditEvent.objects.filter(verb="person.viewed", person=person).count() == 1
    client.get("/people/duplicates/", {"given_name": person.given_name, "family_name": person.family_name,
                                       "date_of_birth": person.date_of_birth.isoformat()})
    assert AuditEvent.objects.get(verb="person.duplicates_shown").detail["ids"] == [person.pk]
