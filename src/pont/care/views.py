"""Care screens: the public signal page, the dispatcher's queue, cases, visits, screenings."""

from __future__ import annotations

import datetime as dt
import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.http import require_GET, require_POST

from pont.care import clock, duplicates, instruments, public, selectors, services
from pont.care.choices import Channel, VisitStatus
from pont.care.forms import (
    CareRequestForm,
    CloseForm,
    HandoverForm,
    NoteForm,
    PublicSignalForm,
    ScreeningForm,
    StaffSignalForm,
    TriageForm,
    VisitForm,
    VisitReportForm,
    VitalInterestForm,
)
from pont.care.models import Alert
from pont.core import access
from pont.core.forms import apply_errors, form_refusal
from pont.core.roles import Role
from pont.core.views import second_factor_view
from pont.people.selectors import consent_in_force, person_get, person_view

# --- The public signal page -------------------------------------------------------------------------------


def _public_language(request) -> str:
    """The page's language: ?lang=, else the language chosen on this site (cookie, account), else the first
    language the browser asks for that the page offers (Arabic included), else French."""
    offered = dict(public.PUBLIC_LANGUAGES)
    wanted = request.GET.get("lang", "")
    if wanted in offered:
        return wanted
    chosen = settings.LANGUAGE_COOKIE_NAME in request.COOKIES or request.user.is_authenticated
    if not chosen:
        for code, _quality in parse_accept_lang_header(
                request.META.get("HTTP_ACCEPT_LANGUAGE", "")):
            if code.split("-")[0].lower() in offered:
                return code.split("-")[0].lower()
    current = (translation.get_language() or "fr").split("-")[0]
    return current if current in offered else "fr"


def public_signal(request):
    """The public page (no login): anyone can signal distress; only a reference ever comes back."""
    language = _public_language(request)
    with translation.override(language):
        texts = public.texts(language)
        form = PublicSignalForm(request.POST or None, language=language)
        context = {"form": form, "t": texts, "language": language, "languages": public.PUBLIC_LANGUAGES,
                   "help_lines": public.help_lines(language), "action": f"?{urlencode({'lang': language})}"}
        status = 200
        if request.method == "POST":
            if request.POST.get("website"):
                # A bot filled the honeypot: answer like a success, keep nothing.
                context.update(reference=f"SG-{timezone.localdate():%y}-{secrets.token_hex(3).upper()}",
                               contact=texts["contact_no"])
                return _public_response(request, "care/public_thanks.html", context, language)
            if form.is_valid():
                if not public.public_signal_allowed(request):
                    context["limited"] = True
                    return _public_response(request, "care/public_signal.html", context, language, status=429)
                data = form.signal_input()
                try:
                    signal = services.signal_create(data=data, channel=Channel.PUBLIC)
                except ValidationError as error:
                    apply_errors(form, error)
                else:
                    context.update(reference=signal.reference, danger=data.danger_now,
                                   contact=texts["contact_yes"] if data.signaller_contact.strip()
                                   else texts["contact_no"])
                    return _public_response(request, "care/public_thanks.html", context, language)
            status = 422
        return _public_response(request, "care/public_signal.html", context, language, status=status)


def _public_response(request, template, context, language, status=200):
    response = render(request, template, context, status=status)
    response["Content-Language"] = language
    public.remember_device(request, response)
    return response


# --- Care screens: care roles with a confirmed second factor -------------------------------------------


# A care screen: care roles only (others 404), and only after the second factor is confirmed.
care_view = second_factor_view(selectors.has_care_role)


# --- The dispatcher's queue and signals -------------------------------------------------------------------


def _dispatcher_org(user, chosen=None):
    return access.acting_organisation(user, role=Role.DISPATCHER, chosen=chosen)


@care_view
@require_GET
def queue(request):
    """The dispatcher's queue, most urgent first; assigned cases for social workers and therapists."""
    if not access.holds(request.user, Role.DISPATCHER, Role.SOCIAL_WORKER, Role.THERAPIST):
        raise Http404
    worklist = selectors.worklist_view(user=request.user)
    return render(request, "care/queue.html", {
        "rows": worklist.queue, "assigned": worklist.assigned, "alerts": selectors.alerts_for(user=request.user),
        "dispatcher": access.holds(request.user, Role.DISPATCHER),
        "twins": duplicates.flagged([row.signal for row in worklist.queue])})


@care_view
def signal_create(request):
    organisation = _dispatcher_org(request.user)
    form = StaffSignalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            signal = services.signal_create(data=form.signal_input(), channel=form.cleaned_data["channel"],
                                            organisation=organisation, by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Signal %(reference)s recorded.") % {"reference": signal.reference})
            return redirect("care:signal", pk=signal.pk)
    return render(request, "care/signal_form.html", {"form": form}, status=422 if form.errors else 200)


@care_view
@require_GET
def signal_detail(request, pk: int):
    signal, access = selectors.signal_view(user=request.user, pk=pk)
    screenings = selectors.screenings_for(user=request.user, signal=signal, access=access)
    return render(request, "care/signal_detail.html", {
        "signal": signal, "access": access, "state": clock.clock_state(signal),
        "targets": clock.targets_for(signal.organisation_id),
        "visits": signal.visits.prefetch_related("members__user").order_by("starts_at"),
        "notes": selectors.notes_for(user=request.user, signal=signal, access=access),
        "screenings": screenings, "changes": selectors.score_changes(screenings),
        "history": signal.triage_history.select_related("by")[:10],
        "triage_form": TriageForm(initial={"category": signal.category, "team": signal.team_id}, signal=signal),
        "handover_form": HandoverForm(), "note_form": NoteForm(clinical=access.clinical),
        "close_form": CloseForm(), "instruments": sorted(instruments.available([signal.organisation_id]).values(),
                                                         key=lambda i: i.code),
        "basis": selectors.care_basis(signal), "vital_form": VitalInterestForm(),
        "employment_track": selectors.employment_track_for(user=request.user, signal=signal, access=access),
        "duplicates": duplicates.possible_duplicates(signal) if access.dispatcher else [],
    })


def _other_signal(request, signal):
    """The other signal a merge or a keep-apart names: one of the same dispatcher's, else 404."""
    raw = request.POST.get("other", "")
    if not raw.isdigit():
        raise Http404
    other, other_access = selectors.signal_get(user=request.user, pk=int(raw))
    if not other_access.dispatcher:
        raise Http404
    return other


@care_view
@require_POST
def signal_merge(request, pk: int):
    def run(signal, access):
        if not access.dispatcher:
            raise Http404
        duplicates.merge(signal=signal, other=_other_signal(request, signal), by=request.user)
        messages.success(request, _("Merged: one signal for one situation."))
    return _post_action(request, pk, run)


@care_view
@require_POST
def signal_keep_apart(request, pk: int):
    def run(signal, access):
        if not access.dispatcher:
            raise Http404
        duplicates.keep_apart(signal=signal, other=_other_signal(request, signal), by=request.user)
        messages.success(request, _("Kept apart: they will not be proposed together again."))
    return _post_action(request, pk, run)


def _post_action(request, pk: int, action):
    """Run a write on a signal in scope; errors come back as a message on the signal's page."""
    signal, access = selectors.signal_get(user=request.user, pk=pk)
    try:
        action(signal, access)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("care:signal", pk=signal.pk)


@care_view
@require_POST
def signal_triage(request, pk: int):
    def run(signal, access):
        if not access.dispatcher:
            raise Http404
        form = TriageForm(request.POST, signal=signal)
        if not form.is_valid():
            raise form_refusal(form)
        services.signal_triage(signal=signal, category=form.cleaned_data["category"],
                               reasons=form.cleaned_data["reasons"], team=form.cleaned_data["team"], by=request.user)
        messages.success(request, _("Triage saved."))
    return _post_action(request, pk, run)


@care_view
@require_POST
def signal_first_contact(request, pk: int):
    def run(signal, access):
        services.first_contact_record(signal=signal, by=request.user)
        messages.success(request, _("First contact recorded."))
    return _post_action(request, pk, run)


@care_view
@require_POST
def signal_handover(request, pk: int):
    def run(signal, access):
        if not access.dispatcher:
            raise Http404
        services.handover_record(signal=signal, note=request.POST.get("note", "")[:200], by=request.user)
        messages.success(request, _("Hand-over recorded."))
    return _post_action(request, pk, run)


@care_view
@require_POST
def signal_vital_interest(request, pk: int):
    def run(signal, access):
        form = VitalInterestForm(request.POST)
        if not form.is_valid():
            raise form_refusal(form)
        services.vital_interest_record(signal=signal, legal_basis_note=form.cleaned_data["legal_basis_note"],
                                       by=request.user)
        messages.success(request, _("Vital interest recorded: care may go on; seek the person's consent as soon "
                                    "as they can give it."))
    return _post_action(request, pk, run)


@care_view
@require_POST
def note_create(request, pk: int):
    def run(signal, access):
        if not access.social:
            raise Http404
        form = NoteForm(request.POST, clinical=access.clinical)
        if not form.is_valid():
            raise form_refusal(form)
        services.note_add(signal=signal, kind=form.cleaned_data["kind"], body=form.cleaned_data["body"],
                          by=request.user)
        messages.success(request, _("Note saved."))
    return _post_action(request, pk, run)


@care_view
@require_POST
def signal_close(request, pk: int):
    def run(signal, access):
        form = CloseForm(request.POST)
        if not form.is_valid():
            raise form_refusal(form)
        services.signal_close(signal=signal, outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"],
                              by=request.user)
        messages.success(request, _("Signal closed."))
    return _post_action(request, pk, run)


@care_view
@require_POST
def alert_acknowledge(request, pk: int):
    alert = get_object_or_404(Alert.objects.select_related("signal"), pk=pk,
                              signal__organisation_id__in=selectors.dispatcher_org_ids(request.user))
    services.alert_acknowledge(alert=alert, by=request.user)
    return redirect("care:queue")


# --- Visits -----------------------------------------------------------------------------------------------


@care_view
def visit_create(request, pk: int):
    signal, access = selectors.signal_get(user=request.user, pk=pk)
    if not access.dispatcher:
        raise Http404
    starts_at, ends_at = _slot(request.POST if request.method == "POST" else request.GET)
    candidates = selectors.visit_candidates(user=request.user, signal=signal, starts_at=starts_at, ends_at=ends_at)
    chosen = {int(x) for x in (request.POST or request.GET).getlist("members") if x.isdigit()}
    initial = {k: request.GET[k] for k in ("starts_at", "minutes", "place") if request.GET.get(k)}
    form = VisitForm(request.POST or None, signal=signal, members=[c.member for c in candidates], initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            visit = services.visit_create(
                signal=signal, members=list(d["members"]), starts_at=d["starts_at"],
                ends_at=d["starts_at"] + dt.timedelta(minutes=d["minutes"]), place=d["place"],
                language=d["language"], by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Visit planned."))
            return redirect("care:visit", pk=visit.pk)
    return render(request, "care/visit_form.html", {
        "form": form, "signal": signal, "candidates": candidates, "chosen": chosen, "slot": starts_at},
        status=422 if form.errors else 200)


def _slot(data) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Return the slot a visit form names (start, end), or (None, None) while it names none (or not clearly)."""
    from django import forms

    try:
        start = forms.DateTimeField().clean(data.get("starts_at"))
        minutes = forms.IntegerField(min_value=15, max_value=480).clean(data.get("minutes") or 90)
    except ValidationError:
        return None, None
    return start, start + dt.timedelta(minutes=minutes)


@care_view
@require_GET
def visit_detail(request, pk: int):
    visit, access = selectors.visit_view(user=request.user, pk=pk)
    return render(request, "care/visit_detail.html", {
        "visit": visit, "access": access, "report_form": VisitReportForm(),
        "can_report": access.social and visit.status != VisitStatus.CANCELLED,
        "can_cancel": access.dispatcher and visit.status == VisitStatus.PLANNED})


@care_view
@require_POST
def visit_report(request, pk: int):
    visit, access = selectors.visit_get(user=request.user, pk=pk)
    if not access.social:
        raise Http404
    form = VisitReportForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.visit_report(visit=visit, by=request.user, attended=d["attended"],
                                  language_spoken=d["language_spoken"], next_step=d["next_step"], status=d["status"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Visit reported."))
    else:
        messages.error(request, _("Choose the next step."))
    return redirect("care:visit", pk=visit.pk)


@care_view
@require_POST
def visit_cancel(request, pk: int):
    visit, access = selectors.visit_get(user=request.user, pk=pk)
    if not access.dispatcher:
        raise Http404
    try:
        services.visit_cancel(visit=visit, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("care:visit", pk=visit.pk)


@care_view
@require_GET
def agenda(request):
    """My visits from today on: when, where, which language, a first name — nothing more."""
    return render(request, "care/agenda.html", {"visits": selectors.agenda(user=request.user)})


@care_view
@require_GET
def teams(request):
    return render(request, "care/teams.html", {"teams": selectors.teams_for_planning(user=request.user)})


# --- Screening --------------------------------------------------------------------------------------------


@care_view
def screening_create(request, pk: int, code: str):
    signal, access = selectors.signal_get(user=request.user, pk=pk)
    if not access.social:
        raise Http404
    instrument = instruments.available([signal.organisation_id]).get(code)
    if instrument is None:
        raise Http404
    language = request.POST.get("language") or request.GET.get("language") or \
        (translation.get_language() or "en")[:2]
    if language not in instrument.languages:
        language = "en"
    form = ScreeningForm(request.POST or None, instrument=instrument, language=language)
    if request.method == "POST" and form.is_valid():
        try:
            screening = services.screening_record(
                signal=signal, instrument_code=code, answers=form.answers(), language=form.cleaned_data["language"],
                by=request.user, context={"sex": form.cleaned_data["sex"]} if form.cleaned_data.get("sex") else None)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%(instrument)s: total %(total)s.") % {
                "instrument": instrument.name, "total": screening.total})
            return redirect("care:signal", pk=signal.pk)
    return render(request, "care/screening_form.html", {
        "form": form, "signal": signal, "instrument": instrument, "language": language,
        "validated": instrument.languages.get(language, False),
        "stem": instrument.stem.get(language) or instrument.stem.get("en", "")},
        status=422 if form.errors else 200)


# --- On a registered person's page: the adviser asks the care team for support ------------------------------


@login_required
@require_GET
def person_panel(request, person_pk: int):
    """htmx partial on the person's page: whether care can be asked for (the `care` consent), and — only with
    the consent to share between tracks — how far the person's care cases are, never their content."""
    person = person_view(user=request.user, pk=person_pk)
    return render(request, "care/_person_panel.html", {
        "person": person, "care_consent": consent_in_force(person, "care"),
        "can_request": access.can(request.user, "people.change_person", person),
        "requests": selectors.care_requests_for(user=request.user, person=person)})


@login_required
def person_request(request, person_pk: int):
    """The adviser's request for psychosocial support for a person in their scope (with the `care` consent)."""
    person = person_get(user=request.user, pk=person_pk) if request.method == "POST" \
        else person_view(user=request.user, pk=person_pk)
    access.require(request.user, "people.change_person", person)
    form = CareRequestForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            signal = services.care_request_create(person=person, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Sent to %(organisation)s: the care team will contact %(name)s.")
                             % {"organisation": signal.organisation.name, "name": person.given_name})
            return redirect("people:detail", pk=person.pk)
    if form.errors:
        status = 422
    return render(request, "care/person_request.html", {
        "person": person, "form": form, "care_consent": consent_in_force(person, "care")}, status=status)
