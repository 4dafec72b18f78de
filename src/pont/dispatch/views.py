"""The dispatcher's planning screens: plan the next N hours, review the proposal, accept all or part."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from pont.care.choices import VisitStatus
from pont.care.models import Visit
from pont.care.selectors import dispatcher_org_ids
from pont.care.views import care_view
from pont.core.forms import apply_errors
from pont.core.models import Organisation
from pont.dispatch import selectors, services
from pont.dispatch.forms import PlanForm
from pont.dispatch.models import PlanStatus


def _require_dispatcher(user) -> list[int]:
    org_ids = dispatcher_org_ids(user)
    if not org_ids:
        raise Http404
    return org_ids


@care_view
def plan_new(request):
    """Plan the next N hours for the dispatcher's organisation; lists the latest plans."""
    org_ids = _require_dispatcher(request.user)
    form = PlanForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            now = timezone.now()
            try:
                plan = services.plan_request(organisation=Organisation.objects.get(pk=min(org_ids)), start=now,
                                             end=now + dt.timedelta(hours=form.cleaned_data["hours"]),
                                             by=request.user)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                return redirect("dispatch:plan", pk=plan.pk)
        status = 422
    plans = selectors.plans_visible_to(request.user).select_related("created_by")[:10]
    return render(request, "dispatch/plan_new.html", {"form": form, "plans": plans}, status=status)


@care_view
def plan_detail(request, pk: int):
    """A proposal: by signal, as an agenda per member, what it changes, what it leaves unserved and why."""
    _require_dispatcher(request.user)
    plan = selectors.plan_get(user=request.user, pk=pk)
    if request.htmx and plan.status != PlanStatus.RUNNING:
        response = HttpResponse(status=204)  # the progress poll: the plan is ready (or failed), reload the page
        response["HX-Refresh"] = "true"
        return response
    if plan.status in (PlanStatus.RUNNING, PlanStatus.FAILED):
        template = "dispatch/_plan_progress.html" if request.htmx else "dispatch/plan_running.html"
        return render(request, template, {"plan": plan})
    proposed = list(plan.proposed_visits.all())
    agenda = defaultdict(list)
    for p in proposed:
        for m in p.members.all():
            agenda[m].append(("new", p.starts_at, p.ends_at, p.signal))
    member_ids = [m.pk for m in agenda]
    current = (Visit.objects.filter(members__in=member_ids, starts_at__lt=plan.window_to,
                                    ends_at__gt=plan.window_from)
               .exclude(status=VisitStatus.CANCELLED).exclude(pk__in=[p.visit_id for p in proposed if p.visit_id])
               .select_related("signal").prefetch_related("members").distinct())
    for v in current:
        for m in v.members.all():
            if m in agenda:
                agenda[m].append(("planned", v.starts_at, v.ends_at, v.signal))
    rows = sorted(((m, sorted(items, key=lambda it: it[1])) for m, items in agenda.items()),
                  key=lambda row: (row[0].team.name, row[0].first_name))
    unserved = list(plan.unserved.all())
    return render(request, "dispatch/plan_detail.html", {
        "plan": plan, "proposed": proposed, "agenda": rows, "unserved": selectors.explained(unserved),
        "urgent": selectors.new_urgent_signals(plan),
        "open_count": sum(1 for p in proposed if p.visit_id is None),
    })


@care_view
@require_POST
def plan_accept(request, pk: int):
    """Accept the ticked proposed visits (or all of them)."""
    _require_dispatcher(request.user)
    plan = selectors.plan_get(user=request.user, pk=pk)
    ids = None if request.POST.get("all") else [int(x) for x in request.POST.getlist("visit") if x.isdigit()]
    if ids == []:
        messages.warning(request, _("Tick the visits to accept, or accept all."))
        return redirect("dispatch:plan", pk=plan.pk)
    try:
        visits = services.plan_accept(plan=plan, by=request.user, proposed_ids=ids)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, ngettext("%(count)d visit planned.", "%(count)d visits planned.", len(visits))
                         % {"count": len(visits)})
    return redirect("dispatch:plan", pk=plan.pk)
