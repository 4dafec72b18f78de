"""Records the permission matrix needs for the network's rows: a Forem offer, and two referrals of the VDAB
persona's person to it (one sent, one accepted), with the consent they need."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pont.core.models import Municipality
from pont.network import exchange, services
from pont.network.models import Offer
from pont.people.services import consent_record
from tests.factories import PersonFactory


def network_objects(person, users, orgs) -> dict:
    offer = Offer(organisation=orgs["forem"], kind="language_course", title_en="French at work",
                  title_fr="Français au travail", title_nl="Frans op het werk",
                  municipality=Municipality.objects.get(name="Mouscron"), languages=["fra"])
    offer.full_clean()
    offer.save()
    own = Offer(organisation=orgs["vdab"], kind="civic_integration", title_en="Civic integration",
                title_nl="Inburgering",
                title_fr="Intégration", municipality=Municipality.objects.get(name="Kortrijk"))
    own.full_clean()
    own.save()
    # `person` has the world's employment follow-up consent: enough inside Belgium.
    sent = services.referral_send(by=users["adviser"], person=person, offer=offer, reason="French.", fields=["name"])
    # Accepting opens a Forem file: on another person, so that `person` stays out of Forem's scope.
    other = PersonFactory(given_name="Samir", family_name="Nouri", organisation=orgs["vdab"])
    consent_record(person=other, by=users["adviser"], purpose="cross_border_referral", given_by="person")
    accepted = services.referral_send(by=users["adviser"], person=other, offer=offer, reason="Again.", fields=[])
    services.referral_accept(by=users["other_adviser"], referral=accepted)
    thread = exchange.thread_create(by=users["adviser"], title="Employers and language", language="en",
                                    text="How do you answer an employer who fears a B1 is not enough?")
    starts = timezone.now() + dt.timedelta(days=20)
    event = exchange.event_create(by=users["coordinator"], values={
        "title": "Network meeting", "starts_at": starts, "ends_at": starts + dt.timedelta(hours=2),
        "place": "Kortrijk", "language": "nl"})
    return {"offer": offer.pk, "own_offer": own.pk, "vdab": orgs["vdab"].pk, "forem": orgs["forem"].pk,
            "referral": sent.pk,
            "accepted_referral": accepted.pk, "thread": thread.pk,
            "event": event.pk, "event_starts": (starts + dt.timedelta(days=1)).isoformat(),
            "event_ends": (starts + dt.timedelta(days=1, hours=1)).isoformat()}
