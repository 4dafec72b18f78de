"""The advisers' practice exchange (no names: the privacy check holds a post until confirmed; coordinators hide
posts) and the network's events (registrations within capacity, a calendar file, a report)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from pont.audit.models import AuditEvent
from pont.network import exchange
from pont.network.models import Event, Thread
from tests.factories import MembershipFactory, UserFactory
from tests.network.api import call

pytestmark = pytest.mark.django_db


def test_a_thread_with_a_name_or_a_national_number_is_held_until_confirmed(person, users):
    worried = {"title": "Employers worried about Dutch", "language": "en", "tags": ["employers", "language"],
               "text": "How do you reassure an employer who fears a B1 is not enough?"}
    created = call(users["adviser"], "post", "/api/v1/threads", worried)
    assert created.status_code == 201, created.content
    named = call(users["adviser"], "post", "/api/v1/threads", {**worried, "text": "Ahmad Al-Hamwi had this issue."})
    assert named.status_code == 422 and "Al-Hamwi" in named.content.decode()
    numbered = call(users["other_adviser"], "post", "/api/v1/threads", {**worried, "text": "NN 85.07.30-033.61"})
    assert numbered.status_code == 422
    assert call(users["adviser"], "post", "/api/v1/threads",
                {**worried, "text": "The Al-Hamwi family bakery in Menen hires.", "confirmed": True}).status_code == 201
    assert Thread.objects.filter(flags__isnull=False).exclude(flags=[]).count() == 1
    listed = call(users["other_adviser"], "get", "/api/v1/threads?tag=language").json()
    assert len(listed) == 2 and listed[0]["language"] == "en"
    assert call(users["employer"], "get", "/api/v1/threads").status_code == 404


def test_replies_bookmarks_and_moderation(users):
    thread = exchange.thread_create(by=users["adviser"], title="Interview tips", text="Practise with a role play.",
                                    language="nl")
    reply = call(users["other_adviser"], "post", f"/api/v1/threads/{thread.pk}/replies",
                 {"text": "Nous faisons pareil à Mouscron.", "language": "fr"})
    assert reply.status_code == 201 and reply.json()["replies"][0]["language"] == "fr"
    assert call(users["adviser"], "post", f"/api/v1/threads/{thread.pk}/bookmark").json()["bookmarked"] is True
    assert call(users["adviser"], "get", "/api/v1/threads?bookmarked=true").json()[0]["id"] == thread.pk
    assert call(users["adviser"], "post", f"/api/v1/threads/{thread.pk}/hide", {"reason": "x"}).status_code == 404
    hidden = call(users["coordinator"], "post", f"/api/v1/threads/{thread.pk}/hide", {"reason": "Off topic."})
    assert hidden.status_code == 200 and hidden.json()["hidden"] is True
    assert AuditEvent.objects.filter(verb="thread.hidden").exists()
    assert call(users["adviser"], "get", f"/api/v1/threads/{thread.pk}").status_code == 404  # hidden from advisers


def test_the_weekly_digest_reaches_advisers_in_their_language(users, mailoutbox):
    users["adviser"].email, users["adviser"].language = "lies@vdab.test", "nl"
    users["adviser"].save(update_fields=["email", "language"])
    exchange.thread_create(by=users["other_adviser"], title="Garde d'enfants", text="Qui a des places ?",
                           language="fr")
    assert exchange.weekly_digest() == 1
    assert mailoutbox[0].to == ["lies@vdab.test"] and "Garde d'enfants" in mailoutbox[0].body
    assert "Frans" in mailoutbox[0].body  # the language it is written in, named in Dutch
    assert exchange.weekly_digest(now=timezone.now() + dt.timedelta(days=8)) == 0


def test_events_take_registrations_up_to_their_places_and_give_a_calendar_file(users, orgs, client):
    starts = timezone.now() + dt.timedelta(days=10)
    body = {"title": "Cross-border meeting", "description": "", "starts_at": starts.isoformat(),
            "ends_at": (starts + dt.timedelta(hours=2)).isoformat(), "place": "Mouscron", "link": "",
            "language": "fr", "capacity": 1}
    refused = call(users["adviser"], "post", "/api/v1/events", body)
    assert refused.status_code == 404, refused.content  # coordinators announce
    created = call(users["coordinator"], "post", "/api/v1/events", body)
    assert created.status_code == 201, created.content
    event_id = created.json()["id"]
    assert call(users["adviser"], "post", f"/api/v1/events/{event_id}/registration").status_code == 201
    assert call(users["other_adviser"], "post", f"/api/v1/events/{event_id}/registration").status_code == 409
    assert call(users["adviser"], "post", f"/api/v1/events/{event_id}/registration").status_code == 409
    client.force_login(users["adviser"])
    ics = client.get(f"/network/events/{event_id}/calendar.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    [item] = Calendar.from_ical(ics.content).walk("VEVENT")
    assert str(item["summary"]) == "Cross-border meeting" and str(item["location"]) == "Mouscron"
    page = client.get(f"/network/events/{event_id}/").content.decode()
    assert "Cancel my registration" in page
    assert call(users["coordinator"], "post", "/api/v1/events", {**body, "place": ""}).status_code == 422
    MembershipFactory(user=UserFactory(username="outsider"), organisation=orgs["company"], role="employer")
    assert Event.objects.count() == 1


def test_the_pages_hold_a_named_post_and_publish_it_once_confirmed(users, person):
    client = Client()
    client.force_login(users["adviser"])
    held = client.post("/network/exchange/", {"title": "A case", "text": "Ahmad Al-Hamwi again.", "language": "en"})
    assert held.status_code == 422 and "I confirm this is not about a person" in held.content.decode()
    published = client.post("/network/exchange/", {"title": "A case", "text": "Ahmad Al-Hamwi again.",
                                                   "language": "en", "confirmed": "on"})
    assert published.status_code == 302
    thread = Thread.objects.get()
    page = client.get(f"/network/exchange/{thread.pk}/").content.decode()
    assert "A case" in page and 'lang="en"' in page
