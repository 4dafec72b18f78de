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
    lent_members: list[int] = Field(description="Members another organisation lends for this visit")
    crosses_border: bool
    travel_minutes: int
    late: bool
    visit: int | None


class UnservedOut(Schema):
    signal: int
    reference: str
    category: str
    reason: str
    reason_label: str
    explanation: list[str] = Field(description="Who is busy until when, and the nearest option, in words")
    detail: dict = Field(description="The same as data: member, free_at, option {members, starts_at, "
                                     "travel_minutes, late_minutes}")


class PlanOut(Schema):
    id: int
    organisation: int
    window_from: dt.datetime
    window_to: dt.datetime
    status: str = Field(description="running (the planner is at work: poll this plan), failed, proposed, "
                                     "partly_accepted or accepted")
    progress: int
    step: str
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
    unserved = selectors.explained(list(plan.unserved.all()))
    return {
        "id": plan.pk, "organisation": plan.organisation_id, "window_from": plan.window_from,
        "window_to": plan.window_to, "status": plan.status, "progress": plan.progress, "step": plan.step,
        "stats": plan.stats,
        "visits": [{"id": p.pk, "signal": p.signal_id, "reference": p.signal.reference,
                    "category": p.signal.category, "starts_at": p.starts_at, "ends_at": p.ends_at,
                    "members": [m.pk for m in p.members.all()], "lent_members": [m.pk for m in p.lent_members],
                    "crosses_border": p.crosses_border, "travel_minutes": p.travel_minutes,
                    "late": p.late, "visit": p.visit_id}
                   for p in plan.proposed_visits.all()],
        "unserved": [{"signal": e.unserved.signal_id, "reference": e.unserved.signal.reference,
                      "category": e.unserved.signal.category, "reason": e.unserved.reason,
                      "reason_label": str(e.unserved.get_reason_display()),
                      "explanation": [t for t in (e.busy, e.option) if t], "detail": e.unserved.detail}
                     for e in unserved],
    }


@router.post("/dispatch/plans", auth=CARE_AUTH,
             response={202: PlanOut, **errors(body=True, conflict=True)}, summary="Ask for a plan of a window")
def plan_create(request, payload: PlanIn):
    """Ask the dispatch engine for a plan of the open triaged signals for `from`–`to`. The planner works in the
    background: the answer is the plan "running"; `GET /dispatch/plans/{id}` follows its progress and, once
    "proposed", gives the proposed visits and the signals left unserved with why and the nearest option."""
    user = request.auth
    _dispatcher(user)
    org_ids = dispatcher_org_ids(user)
    org_id = payload.organisation or min(org_ids)
    if org_id not in org_ids:
        raise Http404
    start, end = (t if timezone.is_aware(t) else timezone.make_aware(t) for t in (payload.from_, payload.to))
    plan = services.plan_request(organisation=Organisation.objects.get(pk=org_id), start=start, end=end, by=user)
    return Status(202, _out(selectors.plan_get(user=user, pk=plan.pk)))


@router.get("/dispatch/plans/{plan_id}", auth=CARE_AUTH, response={200: PlanOut, **errors()},
            summary="A plan: its progress, then its proposal")
def plan_read(request, plan_id: Id):
    """The plan as the planner left it: while "running", its progress; then the proposed visits (who, when,
    lent members, border crossings) and the signals left unserved with why and the nearest option."""
    return _out(selectors.plan_get(user=request.auth, pk=plan_id))


@router.post("/dispatch/plans/{plan_id}/accept", auth=CARE_AUTH,
             response={200: AcceptOut, **errors(body=True, conflict=True)},
             summary="Accept all or part of a plan")
def plan_accept(request, plan_id: Id, payload: AcceptIn | None = None):
    """Create the accepted visits at once, re-checked against visits created since the plan (422 if any clash)."""
    user = request.auth
    plan = selectors.plan_get(user=user, pk=plan_id)
    visits = services.plan_accept(plan=plan, by=user, proposed_ids=payload.visits if payload else None)
    return {"plan": plan.pk, "status": plan.status, "visits": [v.pk for v in visits]}
