"""The home page: what each role does now (it draws on every app, so it lives above them)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from pont.core import access
from pont.core.roles import Role
from pont.people import selectors as people_selectors
from pont.reporting.selectors import counted


@login_required
@require_GET
def home(request):
    user = request.user
    context: dict = {"memberships": access.memberships(user)}
    if access.holds(user, Role.ADVISER):
        context.update(people_selectors.caseload_summary(user=user))
    if access.holds(user, Role.COORDINATOR):
        # Counts, no names, a few minutes old at most (the time is shown): the same cache as the indicators.
        context["counts"], context["counted_at"] = counted(["home:person_counts", user.pk],
                                                           lambda: people_selectors.person_counts(user=user))
    return render(request, "home.html", context)
