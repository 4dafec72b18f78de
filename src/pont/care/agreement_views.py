"""The coordinators' cooperation agreements: list (with the hours lent each way), propose, confirm, end.
Dispatchers of the organisations read the list; everyone else gets 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pont.care import cooperation
from pont.care.forms import AgreementForm
from pont.core.forms import apply_errors
from pont.core.models import Organisation
from pont.core.views import second_factor_view

_agreements_view = second_factor_view(cooperation.may_read)


@_agreements_view
def agreement_list(request):
    rows = cooperation.agreements_view(user=request.user)
    return render(request, "care/agreements.html", {
        "rows": rows, "can_propose": bool(cooperation.coordinator_org_ids(request.user))})


@_agreements_view
def agreement_create(request):
    org_ids = cooperation.coordinator_org_ids(request.user)
    if not org_ids:
        raise Http404
    form = AgreementForm(request.POST or None, partners=cooperation.partner_choices(request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            cooperation.agreement_propose(
                organisation=Organisation.objects.get(pk=min(org_ids)), partner=d["partner"],
                direction=d["direction"], roles=d["roles"], regions=d["regions"], starts_on=d["starts_on"],
                ends_on=d["ends_on"], note=d["note"], by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Agreement proposed: a coordinator of the partner confirms it."))
            return redirect("care:agreements")
    return render(request, "care/agreement_form.html", {"form": form}, status=422 if form.errors else 200)


def _act(request, pk: int, service, done: str):
    """Run one of the coordinators' writes on an agreement; a refusal comes back as a message."""
    agreement = cooperation.agreement_get(user=request.user, pk=pk)
    try:
        service(agreement=agreement, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("care:agreements")


@_agreements_view
@require_POST
def agreement_confirm(request, pk: int):
    return _act(request, pk, cooperation.agreement_confirm,
                _("Agreement confirmed: it is in force from its first day."))


@_agreements_view
@require_POST
def agreement_end(request, pk: int):
    return _act(request, pk, cooperation.agreement_end, _("Agreement ended. Visits already planned stay as they are."))
