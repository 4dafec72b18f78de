"""Records the permission matrix needs for the network's rows: a Forem offer, and two referrals of the VDAB
persona's person to it (one sent, one accepted), with the consent they need."""

from __future__ import annotations

from pont.core.models import Municipality
from pont.network import services
from pont.network.models import Offer
from pont.people.services import consent_record
from tests.factories import PersonFactory


def network_objects(person, users, orgs) -> dict:
    offer = Offer(organisation=orgs["forem"], kind="language_course", title_en="French at work",
                  title_fr="Français au travail", title_nl="Frans op het werk",
                  municipality=Municipality.objects.get(name="Mouscron"), languages=["fra"])
    offer.full_clean()
    offer.save()
    # `person` has the world's employment follow-up consent: enough inside Belgium.
    sent = services.referral_send(by=users["adviser"], person=person, offer=offer, reason="French.", fields=["name"])
    # Accepting opens a Forem file: on another person, so that `person` stays out of Forem's scope.
    other = PersonFactory(given_name="Samir", family_name="Nouri", organisation=orgs["vdab"])
    consent_record(person=other, by=users["adviser"], purpose="cross_border_referral", given_by="person")
    accepted = services.referral_send(by=users["adviser"], person=other, offer=offer, reason="Again.", fields=[])
    services.referral_accept(by=users["other_adviser"], referral=accepted)
    return {"offer": offer.pk, "referral": sent.pk, "accepted_referral": accepted.pk}
