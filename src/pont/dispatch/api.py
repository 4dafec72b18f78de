"""The dispatch API: propose a plan for a time window, accept all or part of it. Dispatchers only (others 404)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.http import Http404
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from pont.care.api import CARE_AUTH
from pont.care.selectors import dispatcher_org_ids
from pont.core.models import Organisation
from pont.core.schemas import Body, DateTime, errors
from pont.dispatch import selectors, services
from pont.dispatch.models import Plan

router = Router(tags=["dispatch"])
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]


class PlanIn(Body):
    from_: DateTime = Field(..., alias="from")
    to: DateTime
    organisation: Id | None = Field(None, description="Care organisation; default: your first as dispatcher")


class AcceptIn(Body):
    visits: list[Id] | None = Field(None, max_length=1000, description="Proposed visit ids; omitted: all")


class ProposedVisitOut(Schema):
    id: int
    signal: int
    reference: str
    category: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    members: list[int]
    late: bool
    visit: int | None


class UnservedOut(Schema):
    signal: int
    reference: str
    category: str
    reason: str
    reason_label: str


class PlanOut(Schema):
    id: int
    organisation: int
    window_from: dt.datetime
    window_to: dt.datetime
    status: str
    stats: dict
    visits: list[ProposedVisitOut]
    unserved: list[UnservedOut]


class AcceptOut(Schema):
    plan: int
    status: str
    visits: list[int]


def _dispatcher(user) -> None:
    if not dispatcher_org_ids(user):
        raise Http404


def _out(plan: Plan) -> dict:
    return {
        "id": plan.pk, "organisation": plan.organisation_id, "window_from": plan.window_from,
        "window_to": plan.window_to, "status": plan.status, "stats": plan.stats,
        "visits": [{"id": p.pk, "signal": p.signal_id, "reference": p.signal.reference,
                    "category": p.signal.category, "starts_at": p.starts_at, "ends_at": p.ends_at,
                    "members": [m.pk for m in p.members.all()], "late": p.late, "visit": p.visit_id}
                   for p in plan.proposed_visits.all()],
        "unserved": [{"signal": u.signal_id, "reference": u.signal.reference, "category": u.signal.category,
                      "reason": u.reason, "reason_label": str(u.get_reason_display())} for u in plan.unserved.all()],
    }


@router.post("/dispatch/plans", auth=CARE_AUTH,
             response={201: PlanOut, **errors(body=True, conflict=True)}, summary="Propose a plan for a window")
def plan_create(request, payload: PlanIn):
    """Run the dispatch engine over the open triaged signals for `from`–`to`: proposed visits, and the signals
    left unserved with the reason."""
    user = request.auth
    _dispatcher(user)
    org_ids = dispatcher_org_ids(user)
    org_id = payload.organisation or min(org_ids)
    if org_id not in org_ids:
        raise Http404
    start, end = (t if timezone.is_aware(t) else timezone.make_aware(t) for t in (payload.from_, payload.to))
    plan = services.plan_propose(organisation=Organisation.objects.get(pk=org_id), start=start, end=end, by=user)
    return Status(201, _out(selectors.plan_get(user=user, pk=plan.pk)))


@router.post("/dispatch/plans/{plan_id}/accept", auth=CARE_AUTH,
             response={200: AcceptOut, **errors(body=True, conflict=True)},
             summary="Accept all or part of a plan")
def plan_accept(request, plan_id: Id, payload: AcceptIn | None = None):
    """Create the accepted visits at once, re-checked against visits created since the plan (422 if any clash)."""
    user = request.auth
    plan = selectors.plan_get(user=user, pk=plan_id)
    visits = services.plan_accept(plan=plan, by=user, proposed_ids=payload.visits if payload else None)
    return {"plan": plan.pk, "status": plan.status, "visits": [v.pk for v in visits]}
