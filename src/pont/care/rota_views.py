"""The on-duty rota page (dispatchers and coordinators of a care organisation) and the browser's push
subscription (any care user, for their own browser)."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pont.care import alerting, rota
from pont.care.forms import DutySlotForm
from pont.core.forms import apply_errors
from pont.core.models import Organisation, User
from pont.core.views import second_factor_view

_rota_view = second_factor_view(lambda user: bool(rota.rota_org_ids(user)))


@_rota_view
def rota_page(request):
    org_id = min(rota.rota_org_ids(request.user))
    dispatchers = User.objects.filter(pk__in=[u.pk for u in alerting.dispatchers_of(org_id)]).order_by("first_name")
    form = DutySlotForm(request.POST or None, dispatchers=dispatchers)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            rota.slot_add(organisation=Organisation.objects.get(pk=org_id), dispatcher=d["user"],
                          starts_at=d["starts_at"], ends_at=d["ends_at"], rank=d["rank"], by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("On duty: saved."))
            return redirect("care:rota")
    return render(request, "care/rota.html", {
        "form": form, "slots": rota.rota_view(user=request.user), "now_called": alerting.on_duty(org_id),
        "push_key": settings.PONT_PUSH["VAPID_PUBLIC_KEY"],
        "browsers": rota.subscriptions_of(request.user).count()}, status=422 if form.errors else 200)


@_rota_view
@require_POST
def slot_remove(request, pk: int):
    rota.slot_remove(slot=rota.slot_get(user=request.user, pk=pk), by=request.user)
    messages.success(request, _("Removed from the rota."))
    return redirect("care:rota")


@login_required
@require_POST
def push_subscribe(request):
    """The browser's PushSubscription as JSON ({endpoint, keys: {p256dh, auth}}): alerts reach this browser."""
    from pont.care.selectors import has_care_role

    if not has_care_role(request.user) or not request.user.is_verified():
        raise Http404
    try:
        data = json.loads(request.body or b"{}")
        keys = data.get("keys") or {}
        rota.push_subscribe(user=request.user, endpoint=str(data.get("endpoint", "")),
                            p256dh=str(keys.get("p256dh", "")), auth=str(keys.get("auth", "")))
    except (ValueError, AttributeError, ValidationError):
        return JsonResponse({"detail": _("This browser's subscription could not be read.")}, status=422)
    return JsonResponse({"browsers": rota.subscriptions_of(request.user).count()}, status=201)


@login_required
@require_POST
def push_unsubscribe(request):
    from pont.care.selectors import has_care_role

    if not has_care_role(request.user):
        raise Http404
    try:
        endpoint = str(json.loads(request.body or b"{}").get("endpoint", ""))
    except (ValueError, AttributeError):
        endpoint = ""
    rota.push_unsubscribe(user=request.user, endpoint=endpoint)
    return JsonResponse({"browsers": rota.subscriptions_of(request.user).count()})
