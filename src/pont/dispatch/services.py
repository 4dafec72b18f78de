"""Writes of the dispatch app: propose a plan with the engine, accept all or part of it through care's
`visit_create` (which re-checks languages, ambassadors, double-booking and working hours under row locks)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from pont.audit.services import audit
from pont.care import services as care_services
from pont.care.choices import VisitStatus
from pont.care.models import Visit
from pont.care.selectors import dispatcher_org_ids
from pont.core.models import Organisation, User
from pont.dispatch import adapters, solver
from pont.dispatch.models import Plan, PlanStatus, PlanStep, ProposedVisit, UnservedSignal

MAX_WINDOW = dt.timedelta(days=14)
MAX_AHEAD = dt.timedelta(days=366)
TIME_LIMIT = 8.0  # seconds the engine may think (the benchmark's 300 signals × 40 members fit in it)


def plan_request(*, organisation: Organisation, start: dt.datetime, end: dt.datetime, by: User) -> Plan:
    """Ask for a plan of the organisation's open signals in [start, end): the plan is stored as "being worked
    out" and the planner runs as a background task (`dispatch.tasks.plan_work`), never inside the request."""
    from pont.dispatch.tasks import plan_work

    if organisation.pk not in dispatcher_org_ids(by):
        raise Http404  # not theirs to act on: it answers as if it did not exist
    errors = {}
    if end <= start:
        errors["to"] = _("The end must come after the start.")
    elif end - start > MAX_WINDOW:
        errors["to"] = _("Plan at most %(days)d days at once.") % {"days": MAX_WINDOW.days}
    if end <= timezone.now():
        errors.setdefault("to", _("The window is over already."))
    if start > timezone.now() + MAX_AHEAD:
        errors["from"] = _("Plan at most a year ahead.")
    if errors:
        raise ValidationError(errors)
    start = max(start, timezone.now()).replace(second=0, microsecond=0)
    with transaction.atomic():
        plan = Plan.objects.create(organisation=organisation, window_from=start, window_to=end, created_by=by,
                                   status=PlanStatus.RUNNING)
        audit(actor=by, verb="dispatch.plan.requested", obj=plan, organisation=organisation)
        transaction.on_commit(lambda: plan_work.enqueue(plan.pk))
    return plan


def _progress(plan: Plan, step: str, share: float) -> None:
    Plan.objects.filter(pk=plan.pk).update(step=step, progress=max(0, min(99, round(share * 100))))


def plan_work(*, plan: Plan, options: solver.Options | None = None) -> Plan:
    """Work a requested plan out (the background task): run the engine, store its proposed visits and what it
    leaves unserved, each with why and the nearest option; progress is written as it goes."""
    if plan.status != PlanStatus.RUNNING:
        return plan
    _progress(plan, PlanStep.READING, 0.02)
    planning = adapters.build(plan.organisation_id, max(plan.window_from, timezone.now()), plan.window_to)
    base = options or solver.Options(time_limit=TIME_LIMIT)

    def report(stage: str, share: float) -> None:
        _progress(plan, PlanStep.STARTING if stage == "start" else PlanStep.SEARCHING, 0.05 + 0.85 * share)

    result = solver.solve(planning.instance, dataclasses.replace(base, progress=report))
    _progress(plan, PlanStep.EXPLAINING, 0.93)
    explanations = {e.signal_id: e for e in solver.explain(planning.instance, result)}
    figures = solver.figures(planning.instance, result)
    with transaction.atomic():
        plan.window_from = planning.start
        plan.stats = {"model": result.method, "status": result.status, "seconds": round(result.solve_seconds, 2),
                      **figures.as_dict()}
        for v in result.visits:
            signal = planning.signals[v.signal_id]
            team = [planning.members[mid] for mid in v.member_ids]
            proposed = ProposedVisit.objects.create(
                plan=plan, signal=signal, starts_at=planning.at(v.start), ends_at=planning.at(v.end),
                late=planning.at(v.start) > signal.target_at, travel_minutes=planning.travel_minutes(team, signal))
            proposed.members.set(team)
        UnservedSignal.objects.bulk_create(
            UnservedSignal(plan=plan, signal=planning.signals[u.signal_id],
                           reason=str(explanations[u.signal_id].reason),
                           detail=planning.detail(explanations[u.signal_id]))
            for u in result.unserved)
        plan.status, plan.step, plan.progress = PlanStatus.PROPOSED, PlanStep.DONE, 100
        plan.save()
        audit(actor=None, verb="dispatch.plan.proposed", obj=plan, organisation=plan.organisation,
              detail={"visits": len(result.visits), "unserved": len(result.unserved), "model": result.method,
                      "requested_by": plan.created_by_id})
    return plan


def plan_failed(*, plan_id: int) -> None:
    """Mark a plan whose background task failed, so that its page says so instead of waiting."""
    Plan.objects.filter(pk=plan_id, status=PlanStatus.RUNNING).update(status=PlanStatus.FAILED)


def plan_propose(*, organisation: Organisation, start: dt.datetime, end: dt.datetime, by: User,
                 options: solver.Options | None = None) -> Plan:
    """Request a plan and work it out at once (tests, benchmarks, the command line — never a web request)."""
    plan = plan_request(organisation=organisation, start=start, end=end, by=by)
    return plan_work(plan=plan, options=options)


def plan_accept(*, plan: Plan, by: User, proposed_ids: list[int] | None = None) -> list[Visit]:
    """Create the chosen proposed visits (all when `proposed_ids` is None) in one transaction.

    Each goes through care's `visit_create`, which locks the members and refuses a visit that clashes with
    one created since the plan was made; any refusal undoes the whole acceptance and names the signal.
    """
    if plan.organisation_id not in dispatcher_org_ids(by):
        raise Http404  # not theirs to act on: it answers as if it did not exist
    chosen = plan.proposed_visits.filter(visit__isnull=True).select_related("signal__municipality") \
        .prefetch_related("members").order_by("starts_at", "pk")
    if proposed_ids is not None:
        unknown = set(proposed_ids) - set(plan.proposed_visits.values_list("pk", flat=True))
        if unknown:
            raise ValidationError({"visits": _("These visits are not part of this plan.")})
        chosen = chosen.filter(pk__in=proposed_ids)
    created = []
    with transaction.atomic():
        for proposed in chosen:
            signal = proposed.signal
            if Visit.objects.filter(signal=signal).exclude(status=VisitStatus.CANCELLED).exists():
                raise ValidationError({"visits": _("%(reference)s got a visit since this plan was made: plan "
                                                   "again.") % {"reference": signal.reference}})
            try:
                visit = care_services.visit_create(
                    signal=signal, members=list(proposed.members.all()), starts_at=proposed.starts_at,
                    ends_at=proposed.ends_at, place=signal.municipality.name, municipality=signal.municipality,
                    by=by)
            except ValidationError as error:
                messages = "; ".join(error.messages)
                raise ValidationError({"visits": _("%(reference)s: %(problem)s Plan again.") % {
                    "reference": signal.reference, "problem": messages}}) from None
            proposed.visit = visit
            proposed.save(update_fields=["visit"])
            created.append(visit)
        left = plan.proposed_visits.filter(visit__isnull=True).exists()
        plan.status = PlanStatus.PARTLY_ACCEPTED if left else PlanStatus.ACCEPTED
        plan.save(update_fields=["status"])
        audit(actor=by, verb="dispatch.plan.accepted", obj=plan, organisation=plan.organisation,
              detail={"visits": [v.pk for v in created]})
    return created
