"""Reads of dispatch plans: dispatchers of the plan's organisation only; everyone else gets 404."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from pont.audit.services import audit
from pont.care.models import Signal, TeamMember
from pont.care.selectors import dispatcher_org_ids
from pont.dispatch.models import Plan, ProposedVisit, UnservedSignal

REPLAN_CATEGORIES = ("A", "B")


def plans_visible_to(user) -> QuerySet[Plan]:
    """Return the plans of the organisations where `user` is a dispatcher."""
    return Plan.objects.filter(organisation_id__in=dispatcher_org_ids(user))


def plan_get(*, user, pk: int) -> Plan:
    """Return one plan with its proposed visits (members, signals) and unserved signals; 404 outside scope.

    Audits the read as `dispatch.plan.viewed` (the plan shows signals' first names and places).
    """
    members = TeamMember.objects.select_related("user", "team")
    visits = ProposedVisit.objects.select_related("signal__municipality", "visit").prefetch_related(
        Prefetch("members", queryset=members))
    try:
        plan = (plans_visible_to(user).select_related("organisation")
                .prefetch_related(Prefetch("proposed_visits", queryset=visits),
                                  Prefetch("unserved", queryset=UnservedSignal.objects.select_related(
                                      "signal__municipality")))
                .get(pk=pk))
    except (Plan.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    audit(actor=user, verb="dispatch.plan.viewed", obj=plan, organisation=plan.organisation)
    return plan


def new_urgent_signals(plan: Plan) -> list[Signal]:
    """Return A or B signals of the plan's organisation triaged after the plan was made and not in it: a reason
    to plan again."""
    in_plan = set(plan.proposed_visits.values_list("signal_id", flat=True)) | set(
        plan.unserved.values_list("signal_id", flat=True))
    return [s for s in Signal.objects.filter(organisation_id=plan.organisation_id, closed_at__isnull=True,
                                             category__in=REPLAN_CATEGORIES, triaged_at__gt=plan.created_at)
            .order_by("target_at") if s.pk not in in_plan]
