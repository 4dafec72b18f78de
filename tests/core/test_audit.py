"""The audit trail is append-only and readable by coordinators only, within their organisation."""

import pytest

from pont.core.audit import audit
from pont.core.models import AuditEvent
from pont.core.selectors import audit_events_visible_to


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


def test_coordinator_reads_the_trail_of_their_organisations_people_only(users, person, foreign_person):
    audit(actor=users["adviser"], verb="person.viewed", obj=person, person=person)
    audit(actor=users["other_adviser"], verb="person.viewed", obj=foreign_person, person=foreign_person)
    visible = list(audit_events_visible_to(users["coordinator"]))
    assert [e.person for e in visible] == [person]
    assert not audit_events_visible_to(users["adviser"]).exists()


def test_viewing_a_person_page_is_audited_with_the_request_id(client_for, person):
    response = client_for("adviser").get(f"/people/{person.pk}/", headers={"X-Request-ID": "0" * 8 + "-" + "0" * 4
                                                                      + "-4000-8000-" + "0" * 12})
    assert response.status_code == 200
    event = AuditEvent.objects.get(verb="person.viewed")
    assert event.person == person and event.channel == "ui"
    assert event.request_id == response["X-Request-ID"]


def test_audit_page_shows_references_not_names(client_for, person):
    client_for("adviser").get(f"/people/{person.pk}/")
    page = client_for("coordinator").get("/audit/").content.decode()
    assert person.reference in page
    assert person.family_name not in page
