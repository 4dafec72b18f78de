"""The on-duty rota API: a care organisation's dispatchers and coordinators read and keep it (others 404).
The same services as the rota page."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.http import Http404
from ninja import Field, Router, Schema, Status

from pont.care import rota
from pont.care.api import CareBearer, CareSession
from pont.core.models import Organisation, User
from pont.core.schemas import Body, DateTime, errors, one

router = Router(tags=["care"])
AUTH = [CareBearer(lambda u: bool(rota.rota_org_ids(u))), CareSession(lambda u: bool(rota.rota_org_ids(u)))]
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]


class SlotIn(Body):
    user: Id = Field(description="One of your organisation's dispatchers")
    starts_at: DateTime
    ends_at: DateTime
    rank: int = Field(1, ge=1, le=9, description="1 is called first")


class SlotOut(Schema):
    id: int
    organisation: int
    user: int
    name: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    rank: int


def _out(slot) -> dict:
    return {"id": slot.pk, "organisation": slot.organisation_id, "user": slot.user_id,
            "name": slot.user.get_full_name() or slot.user.username, "starts_at": slot.starts_at,
            "ends_at": slot.ends_at, "rank": slot.rank}


@router.get("/care/rota", auth=AUTH, response={200: list[SlotOut], **errors()}, summary="The on-duty rota")
def rota_list(request):
    """The slots of your care organisations that have not ended: who is called first, second… for alerts."""
    return [_out(s) for s in rota.rota_view(user=request.auth)]


@router.post("/care/rota", auth=AUTH, response={201: SlotOut, **errors(body=True)}, summary="Put a dispatcher on duty")
def rota_add(request, payload: SlotIn):
    user = request.auth
    org_ids = rota.rota_org_ids(user)
    if not org_ids:
        raise Http404
    dispatcher = one(User.objects.filter(is_active=True), payload.user, "user")
    slot = rota.slot_add(organisation=Organisation.objects.get(pk=min(org_ids)), dispatcher=dispatcher,
                         starts_at=payload.starts_at, ends_at=payload.ends_at, rank=payload.rank, by=user)
    return Status(201, _out(slot))


@router.post("/care/rota/{slot_id}/remove", auth=AUTH, response={204: None, **errors()},
             summary="Take a slot off the rota")
def rota_remove(request, slot_id: Id):
    rota.slot_remove(slot=rota.slot_get(user=request.auth, pk=slot_id), by=request.auth)
    return Status(204, None)
