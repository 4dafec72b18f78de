"""Dispatch objects for the permission matrix: an (empty) plan of the Belgian care organisation, a partner care
organisation and two cooperation agreements with it."""

import datetime as dt

from django.utils import timezone

from pont.dispatch.models import Plan


def dispatch_objects(orgs, users) -> dict:
    now = timezone.now()
    plan = Plan.objects.create(organisation=orgs["care_be"], window_from=now, window_to=now + dt.timedelta(hours=8),
                               created_by=users["dispatcher"])
    # A partner care organisation (French) proposed an agreement the Belgian one's coordinator confirms; one
    # proposed by the Belgian side is in force (the rows that end an agreement end it).
    from pont.care.models import CooperationAgreement
    from pont.core.roles import OrganisationKind
    from tests.factories import OrganisationFactory

    partner = OrganisationFactory(name="IntergraPsy FR Test", kind=OrganisationKind.CARE_TEAM, country="FR")
    waiting = CooperationAgreement.objects.create(lender=partner, borrower=orgs["care_be"], roles=["interpreter"],
                                                  starts_on=now.date(), proposed_for=partner)
    in_force = CooperationAgreement.objects.create(lender=orgs["care_be"], borrower=partner, roles=["therapist"],
                                                   starts_on=now.date(), proposed_for=orgs["care_be"],
                                                   confirmed_at=now)
    from pont.care.models import DutySlot

    slot = DutySlot.objects.create(organisation=orgs["care_be"], user=users["dispatcher"], starts_at=now,
                                   ends_at=now + dt.timedelta(hours=8))
    return {"plan": plan.pk, "duty_slot": slot.pk, "dispatcher_user": users["dispatcher"].pk,
            "care_partner": partner.pk, "waiting_agreement": waiting.pk, "agreement": in_force.pk,
            "indicator_code": "people_supported", "export_format": "xlsx"}
