"""People screens: list and search, register (with the duplicate warning), the person page, edits."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pont.core import access
from pont.core.forms import apply_errors
from pont.people import selectors, services
from pont.people.forms import (
    ConsentForm,
    LegalStatusForm,
    LegalStatusUpdateForm,
    PersonFilterForm,
    PersonForm,
    RegisterForm,
)
from pont.people.models import Consent


@login_required
@require_GET
def person_list(request):
    access.require(request.user, "people.list_people")
    form = PersonFilterForm(request.GET or None)
    filters = selectors.PersonFilters(**form.cleaned_data) if form.is_bound and form.is_valid() \
        else selectors.PersonFilters()
    page = selectors.person_page(user=request.user, filters=filters, per_page=settings.PONT["PAGE_SIZE"],
                                 after=_person_id(request.GET.get("after")),
                                 before=_person_id(request.GET.get("before")), last="last" in request.GET)
    query = request.GET.copy()
    for cursor in ("after", "before", "last", "page"):
        query.pop(cursor, None)
    template = "people/_list_rows.html" if request.htmx else "people/person_list.html"
    return render(request, template, {"form": form, "page": page, "query": query.urlencode()})


def _person_id(value: str | None) -> int | None:
    """A list cursor from the address: a person id, or nothing for anything else."""
    return int(value) if value and value.isdigit() and len(value) <= 12 else None


@login_required
def person_create(request):
    access.require(request.user, "people.register_person")
    form = RegisterForm(request.POST or None, user=request.user)
    check = None
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(data=form.person_input(), organisation=form.acting_organisation(),
                                            by=request.user,
                                            not_a_duplicate=form.cleaned_data.get("not_a_duplicate", False))
        except services.PossibleDuplicate as error:
            check = error.check
            apply_errors(form, error)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%(name)s is registered.") % {"name": person.full_name})
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/person_form.html",
                  {"form": form, "duplicates": check, "creating": True}, status=422 if form.errors else 200)


@login_required
@require_GET
def duplicate_check(request):
    """htmx partial: likely duplicates while the adviser types (names and date of birth)."""
    access.require(request.user, "people.register_person")
    form = PersonForm(request.GET)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    check = None
    if data.get("given_name") and data.get("family_name") and data.get("date_of_birth"):
        check = selectors.duplicate_candidates(user=request.user, given_name=data["given_name"],
                                               family_name=data["family_name"],
                                               date_of_birth=data["date_of_birth"])
    return render(request, "people/_duplicates.html", {"duplicates": check})


@login_required
@require_GET
def person_detail(request, pk: int):
    person = selectors.person_view(user=request.user, pk=pk)
    return render(request, "people/person_detail.html", {
        "person": person,
        "right_to_work": selectors.right_to_work_for(person),
        "status_form": LegalStatusForm(),
        "consent_form": ConsentForm(),
        "consent_givers": services.consent_giver_required,
        "corrections": selectors.corrections_of(person),
    })


@login_required
def person_edit(request, pk: int):
    # The form shows the person's data: a read (audited) before it is a write.
    person = selectors.person_get(user=request.user, pk=pk) if request.method == "POST" \
        else selectors.person_view(user=request.user, pk=pk)
    # The form works on its own copy: the service compares the person as stored with what changes.
    form = PersonForm(request.POST or None, instance=selectors.person_get(user=request.user, pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(person=person, by=request.user, changes=form.person_values(),
                                   languages=form.languages(), reason=form.cleaned_data.get("reason", ""))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": person, "creating": False})


@login_required
@require_POST
def legal_status_add(request, pk: int):
    person = selectors.person_get(user=request.user, pk=pk)
    form = LegalStatusForm(request.POST)
    if form.is_valid():
        try:
            services.legal_status_add(person=person, by=request.user, status=form.status_input())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Legal status added."))
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/legal_status_form.html", {"person": person, "form": form}, status=422)


@login_required
def legal_status_edit(request, pk: int, status_pk: int):
    """Record what became known later on one status row (its end, the decision, a work authorisation)."""
    # Showing the form reads the person's file (audited); the write is audited by the service.
    person = selectors.person_get(user=request.user, pk=pk) if request.method == "POST" \
        else selectors.person_view(user=request.user, pk=pk)
    record = selectors.legal_status_of(person, status_pk)
    initial = {name: getattr(record, name) for name in services.STATUS_LATER_FIELDS}
    form = LegalStatusUpdateForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.legal_status_update(record=record, by=request.user, changes=form.changes())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Legal status updated."))
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/legal_status_edit.html", {"person": person, "record": record, "form": form},
                  status=422 if form.errors else 200)


@login_required
@require_POST
def consent_add(request, pk: int):
    person = selectors.person_get(user=request.user, pk=pk)
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            services.consent_record(person=person, by=request.user, purpose=form.cleaned_data["purpose"],
                                    given_by=form.cleaned_data["given_by"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Consent recorded."))
            back = request.POST.get("next", "")
            if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                                        require_https=request.is_secure()):
                return redirect(back)  # e.g. the referral form that asked for it
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/consent_form.html", {"person": person, "form": form}, status=422)


@login_required
@require_POST
def consent_withdraw(request, pk: int, consent_pk: int):
    person = selectors.person_get(user=request.user, pk=pk)
    consent = get_object_or_404(Consent, pk=consent_pk, person=person)
    try:
        services.consent_withdraw(consent=consent, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Consent withdrawn."))
    return redirect("people:detail", pk=person.pk)
