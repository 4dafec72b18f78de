"""The cooperation agreements API: coordinators propose, confirm and end; coordinators and dispatchers of the
organisations read them with the hours lent. Everyone else 404. The same services as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.http import Http404
from ninja import Field, Router, Schema, Status

from pont.care import cooperation
from pont.care.api import CareBearer, CareSession
from pont.care.choices import MemberRole
from pont.core.models import Organisation, Region
from pont.core.schemas import LAX, NO_NUL, Body, Date, errors, found, one

router = Router(tags=["care"])
AUTH = [CareBearer(cooperation.may_read), CareSession(cooperation.may_read)]
RoleCode = Annotated[MemberRole, LAX]
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]


class AgreementIn(Body):
    partner: Id = Field(description="The other care organisation")
    direction: Literal["lend", "receive", "mutual"] = Field(
        description="lend: your organisation lends to the partner; receive: the partner lends to you; mutual: both")
    roles: list[RoleCode] = Field(..., min_length=1, max_length=4)
    regions: list[Id] = Field(default_factory=list, max_length=50, description="NUTS regions (ids); empty: anywhere")
    starts_on: Date
    ends_on: Date | None = None
    note: str = Field("", max_length=500, pattern=NO_NUL)


class LentOut(Schema):
    lender: int
    borrower: int
    hours: float


class AgreementOut(Schema):
    id: int
    lender: int
    borrower: int
    mutual: bool
    roles: list[str]
    regions: list[str] = Field(description="NUTS codes; empty: anywhere")
    starts_on: dt.date
    ends_on: dt.date | None
    state: str = Field(description="proposed, upcoming, in_force or ended")
    proposed_for: int
    lent: list[LentOut]


def _out(row: cooperation.AgreementRow) -> dict:
    a = row.agreement
    return {"id": a.pk, "lender": a.lender_id, "borrower": a.borrower_id, "mutual": a.mutual, "roles": a.roles,
            "regions": [r.code for r in a.regions.all()], "starts_on": a.starts_on, "ends_on": a.ends_on,
            "state": row.state, "proposed_for": a.proposed_for_id,
            "lent": [{"lender": k[0], "borrower": k[1], "hours": h} for k, h in row.hours.items()]}


def _row(user, pk: int) -> dict:
    return _out(next(r for r in cooperation.agreements_view(user=user) if r.agreement.pk == pk))


@router.get("/care/agreements", auth=AUTH, response={200: list[AgreementOut], **errors(found=True)},
            summary="Cooperation agreements of your care organisations")
def agreement_list(request):
    return [_out(r) for r in cooperation.agreements_view(user=request.auth)]


@router.post("/care/agreements", auth=AUTH, response={201: AgreementOut, **errors(body=True)},
             summary="Propose a cooperation agreement (coordinators)")
def agreement_create(request, payload: AgreementIn):
    """Propose on behalf of your care organisation; a coordinator of the partner confirms it."""
    user = request.auth
    org_ids = cooperation.coordinator_org_ids(user)
    if not org_ids:
        raise Http404
    partner = one(cooperation.partner_choices(user), payload.partner, "partner")
    regions = found(Region, payload.regions, "regions")
    agreement = cooperation.agreement_propose(
        organisation=Organisation.objects.get(pk=min(org_ids)), partner=partner, direction=payload.direction,
        roles=[str(r) for r in payload.roles], regions=regions, starts_on=payload.starts_on, ends_on=payload.ends_on,
        note=payload.note, by=user)
    return Status(201, _row(user, agreement.pk))


def _act(request, agreement_id: int, service) -> dict:
    agreement = cooperation.agreement_get(user=request.auth, pk=agreement_id)
    service(agreement=agreement, by=request.auth)
    return _row(request.auth, agreement.pk)


@router.post("/care/agreements/{agreement_id}/confirm", auth=AUTH,
             response={200: AgreementOut, **errors(conflict=True)}, summary="Confirm an agreement the partner proposed")
def agreement_confirm(request, agreement_id: Id):
    return _act(request, agreement_id, cooperation.agreement_confirm)


@router.post("/care/agreements/{agreement_id}/end", auth=AUTH,
             response={200: AgreementOut, **errors(conflict=True)}, summary="End an agreement now")
def agreement_end(request, agreement_id: Id):
    return _act(request, agreement_id, cooperation.agreement_end)
