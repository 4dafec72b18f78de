"""Reads of dispatch plans: dispatchers of the plan's organisation only; everyone else gets 404."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from pont.audit.services import audit
from pont.care.models import Signal, TeamMember
from pont.care.selectors import dispatcher_org_ids
from pont.core.i18n import duration_text
from pont.dispatch.models import Plan, ProposedVisit, UnservedSignal

REPLAN_CATEGORIES = ("A", "B")


def plans_visible_to(user) -> QuerySet[Plan]:
    """Return the plans of the organisations where `user` is a dispatcher."""
    return Plan.objects.filter(organisation_id__in=dispatcher_org_ids(user))


def plan_get(*, user, pk: int) -> Plan:
    """Return one plan with its proposed visits (members, signals) and unserved signals; 404 outside scope.

    Audits the read as `dispatch.plan.viewed` (the plan shows signals' first names and places).
    """
    members = TeamMember.objects.select_related("user", "team__organisation", "base__region", "team__base__region")
    visits = ProposedVisit.objects.select_related("signal__municipality__region", "visit").prefetch_related(
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


@dataclass(frozen=True)
class Explained:
    """An unserved signal of a plan with its reason and the nearest option, written for the dispatcher."""

    unserved: UnservedSignal
    busy: str  # "Olena (Mouscron) is free at Tue 14:10." or ""
    option: str  # "Nearest option: …" or ""


def _when(value: str) -> str:
    moment = timezone.localtime(dt.datetime.fromisoformat(value))
    same_day = moment.date() == timezone.localdate()
    return formats.date_format(moment, "H:i" if same_day else "D d/m H:i")


def explained(unserved: list[UnservedSignal]) -> list[Explained]:
    """Return the plan's unserved signals with their explanations (one query for the members they name)."""
    ids = {pk for u in unserved for pk in [u.detail.get("member"), *u.detail.get("option", {}).get("members", [])]
           if pk is not None}
    members = TeamMember.objects.select_related("user", "base", "team__base").in_bulk(ids)

    def who(pk) -> str:
        m = members.get(pk)
        return f"{m.first_name} ({m.base_municipality.name})" if m else "?"

    out = []
    for u in unserved:
        d = u.detail or {}
        busy = option = ""
        if d.get("member") is not None and d.get("free_at"):
            busy = _("%(who)s is free at %(time)s.") % {"who": who(d["member"]), "time": _when(d["free_at"])}
        if d.get("option"):
            o = d["option"]
            names = ", ".join(who(pk) for pk in o["members"])
            late = o["late_minutes"]
            text = {"who": names, "time": _when(o["starts_at"]), "travel": duration_text(o["travel_minutes"]),
                    "late": duration_text(late)}
            option = (_("Nearest option: %(who)s at %(time)s, %(travel)s away: %(late)s after the target.") % text
                      if late > 0 else
                      _("Nearest option: %(who)s at %(time)s, %(travel)s away: in time.") % text)
        out.append(Explained(u, busy, option))
    return out
