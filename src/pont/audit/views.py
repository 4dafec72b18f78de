"""The coordinators' page of the audit trail."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from pont.audit import verbs
from pont.audit.selectors import audit_events_visible_to
from pont.core import access


@login_required
@require_GET
def audit_trail(request):
    access.require(request.user, "audit.read_trail")
    events = audit_events_visible_to(request.user)
    verb = request.GET.get("verb", "")[:64]
    if verb:
        events = events.filter(verb=verb)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    rows = [{"event": event, "verb": verbs.verb_label(event.verb), "record": verbs.record_label(event.object_type),
             "channel": verbs.CHANNELS.get(event.channel, event.channel)} for event in page]
    context = {"page": page, "rows": rows, "verb": verb, "verbs": verbs.verb_choices(),
               "query": f"verb={verb}" if verb else ""}
    return render(request, "audit/trail.html", context)
