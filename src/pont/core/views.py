"""The shell of Pont: home page by role, language choice, the audit trail, health."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from pont.core.health import OK, run_checks
from pont.core.roles import Role
from pont.core.selectors import audit_events_visible_to
from pont.people import selectors as people_selectors


@login_required
@require_GET
def home(request):
    user = request.user
    context: dict = {"memberships": user.memberships.select_related("organisation").order_by("role")}
    if user.has_role(Role.ADVISER):
        people = people_selectors.persons_visible_to(user)
        context["caseload"] = people.count()
        context["recent"] = people.select_related("region").order_by("-created_at")[:8]
    if user.has_role(Role.COORDINATOR):
        context["counts"] = people_selectors.person_counts(user=user)
    return render(request, "core/home.html", context)


@require_POST
def language(request):
    """Switch the UI language; a signed-in user's choice is remembered on their account."""
    code = request.POST.get("language", "")
    if request.user.is_authenticated and check_for_language(code) and code in dict(settings.LANGUAGES):
        request.user.language = code
        request.user.save(update_fields=["language"])
    response = set_language(request)
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    return response if isinstance(response, HttpResponseRedirect) else HttpResponseRedirect(target)


@login_required
@require_GET
def audit_trail(request):
    if not request.user.has_perm("core.read_audit_trail"):
        raise Http404
    events = audit_events_visible_to(request.user)
    verb = request.GET.get("verb", "")
    if verb:
        events = events.filter(verb=verb)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    context = {"page": page, "verb": verb, "query": f"verb={verb}" if verb else ""}
    return render(request, "core/audit_trail.html", context)


@require_GET
def health(request):
    """For load balancers and monitoring (no login): 200 when the database and the task queue work, else 503.

    The JSON body names each check: {"status": "ok", "checks": {"database": "ok", "tasks": "ok"}}, or
    {"status": "failing", "failed": ["tasks"], "checks": {…, "tasks": "2 task(s) waiting more than …"}}.
    """
    checks = run_checks()
    failed = [name for name, result in checks.items() if result != OK]
    body = {"status": "failing", "failed": failed, "checks": checks} if failed else {"status": "ok", "checks": checks}
    response = JsonResponse(body, status=503 if failed else 200)
    response["Cache-Control"] = "no-store"
    return response
