"""Employment screens: the catalogue, eligibility, enrolments, coaching, language training, placements,
follow-ups due, the target. Thin: scope in selectors, decisions in services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pont.core import access
from pont.core.forms import apply_errors
from pont.core.roles import Role
from pont.employment import capacity, selectors, services
from pont.employment.choices import TRANSITIONS, VOCATIONAL_KINDS
from pont.employment.forms import (
    AssessmentForm,
    CoachingForm,
    EnrolForm,
    FollowUpForm,
    LanguageTrainingForm,
    PlacementForm,
    ProgrammeForm,
    TargetForm,
    TransitionForm,
)
from pont.people.choices import ConsentPurpose, LegalStatusKind
from pont.people.selectors import consent_in_force, person_get, person_view


def _form_page(request, *, title: str, form, person=None, back: str = "", status: int = 200, intro: str = ""):
    return render(request, "employment/form.html",
                  {"title": title, "form": form, "person": person, "back": back, "intro": intro}, status=status)


# ---------------------------------------------------------------------------------------------- catalogue

@login_required
@require_GET
def programme_list(request):
    user = request.user
    access.require(user, "employment.read_catalogue")
    programmes = list(selectors.programmes_visible_to(user))
    taken = selectors.seats_taken(programmes, timezone.localdate().year)
    rows = [(p, taken.get(p.pk, 0), selectors.seats_left(p, taken.get(p.pk, 0))) for p in programmes]
    editable = set(access.organisation_ids(user, Role.COORDINATOR))
    return render(request, "employment/programme_list.html", {
        "rows": rows, "editable": editable, "year": timezone.localdate().year,
        "can_create": bool(editable)})


@login_required
@require_GET
def programme_detail(request, pk: int):
    user = request.user
    programme = selectors.programme_get(user=user, pk=pk)
    year = timezone.localdate().year
    taken = selectors.seats_taken([programme], year).get(programme.pk, 0)
    return render(request, "employment/programme_detail.html", {
        "programme": programme, "places": capacity.places_text(programme, taken, year),
        "statuses": ", ".join(str(LegalStatusKind(s).label) for s in programme.legal_statuses or ()),
        "can_edit": access.can(user, "employment.change_programme", programme.organisation_id)})


@login_required
def programme_create(request):
    user = request.user
    access.require(user, "employment.change_catalogue")
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = access.acting_organisation(user, role=Role.COORDINATOR,
                                                      chosen=request.POST.get("organisation"))
            programme = services.programme_create(organisation=organisation, data=form.programme_input(), by=user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Programme added to the catalogue."))
            return redirect("employment:programme_detail", pk=programme.pk)
    return _form_page(request, title=_("Add a programme"), form=form, back="employment:programme_list",
                      status=422 if form.errors else 200)


@login_required
def programme_edit(request, pk: int):
    user = request.user
    programme = selectors.programme_get_for_edit(user=user, pk=pk)
    form = ProgrammeForm(request.POST or None, initial=ProgrammeForm.initial_for(programme))
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_update(programme=programme, data=form.programme_input(), by=user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("employment:programme_detail", pk=programme.pk)
    return _form_page(request, title=_("Edit the programme"), form=form, back="employment:programme_list",
                      status=422 if form.errors else 200)


# ---------------------------------------------------------------------------------------------- person

@login_required
@require_GET
def person_panel(request, person_pk: int):
    """htmx partial on the person's page: enrolments, placements, coaching, languages and the timeline."""
    user = request.user
    person = person_view(user=user, pk=person_pk)  # fetched alone too: audited as a read
    return render(request, "employment/_person_panel.html",
                  {"person": person, "pathway": selectors.person_pathway(person=person)})


def _own_programmes(user):
    return [p for p in selectors.programmes_visible_to(user).filter(
        organisation_id__in=access.organisation_ids(user, Role.ADVISER), active=True)]


@login_required
@require_GET
def eligibility(request, person_pk: int):
    user = request.user
    person = person_view(user=user, pk=person_pk)
    results = selectors.eligibility_for(person=person, programmes=selectors.programmes_visible_to(user), user=user)
    return render(request, "employment/eligibility.html", {
        "person": person, "results": results,
        "right_to_work": selectors.right_to_work_for(person),
        "form": EnrolForm(programmes=_own_programmes(user))})


@login_required
@require_POST
def enrolment_create(request, person_pk: int):
    user = request.user
    person = person_get(user=user, pk=person_pk)
    programmes = _own_programmes(user)
    form = EnrolForm(request.POST, programmes=programmes)
    if form.is_valid():
        data = form.cleaned_data
        programme = next(p for p in programmes if p.pk == data["programme"])
        try:
            enrolment = services.enrolment_create(
                person=person, programme=programme, by=user, enrol=data["enrol"], on=data["on"],
                planned_start=data["planned_start"], planned_end=data["planned_end"],
                host_company=data["host_company"], coach_name=data["coach_name"],
                coach_contact=data["coach_contact"], notes=data["notes"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%(name)s: %(status)s in %(programme)s.") % {
                "name": person.full_name, "status": enrolment.get_status_display(), "programme": programme.name})
            return redirect("employment:enrolment_detail", pk=enrolment.pk)
    return _form_page(request, title=_("Propose a programme"), form=form, person=person, status=422,
                      intro=_("The proposal was not recorded:"))


# ---------------------------------------------------------------------------------------------- enrolments

def _enrolment_page(request, enrolment, form=None, status=200):
    user = request.user
    return render(request, "employment/enrolment_detail.html", {
        "enrolment": enrolment,
        "form": form or TransitionForm(current=enrolment.status),
        "next_steps": TRANSITIONS[enrolment.status],
        "can_act": access.can(user, "employment.change_enrolment", enrolment),
        "sessions": list(selectors.coaching_log(user=user, person=enrolment.person).filter(enrolment=enrolment)),
        "trainings": list(selectors.language_trainings(user=user, person=enrolment.person).filter(
            enrolment=enrolment)),
        "vocational": enrolment.programme.kind in VOCATIONAL_KINDS,
    }, status=status)


@login_required
@require_GET
def enrolment_detail(request, pk: int):
    return _enrolment_page(request, selectors.enrolment_view(user=request.user, pk=pk))


@login_required
@require_POST
def enrolment_transition(request, pk: int):
    user = request.user
    enrolment = selectors.enrolment_get(user=user, pk=pk)
    form = TransitionForm(request.POST, current=enrolment.status)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.enrolment_transition(enrolment=enrolment, to=data["status"], by=user, on=data["on"],
                                          reason=data["reason"], planned_end=data["planned_end"])
        except ValidationError as error:
            apply_errors(form, error)
            enrolment = selectors.enrolment_get(user=user, pk=pk)
        else:
            messages.success(request, _("The enrolment is now: %(status)s.") % {
                "status": enrolment.get_status_display()})
            return redirect("employment:enrolment_detail", pk=enrolment.pk)
    return _enrolment_page(request, enrolment, form=form, status=422)


# ---------------------------------------------------------------------------------------------- coaching, languages

def _person_enrolments(user, person):
    return list(selectors.enrolment_list(user=user, person_id=person.pk))


def _pick(enrolments, pk):
    return next((e for e in enrolments if e.pk == pk), None)


@login_required
def coaching_create(request, person_pk: int):
    user = request.user
    person = person_get(user=user, pk=person_pk)
    enrolments = _person_enrolments(user, person)
    form = CoachingForm(request.POST or None, enrolments=enrolments,
                        initial={"date": timezone.localdate(), "enrolment": request.GET.get("enrolment")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.coaching_session_create(
                person=person, by=user, date=data["date"], kind=data["kind"], notes=data["notes"],
                next_step=data["next_step"], next_date=data["next_date"],
                enrolment=_pick(enrolments, data["enrolment"]))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Coaching session recorded."))
            return redirect("people:detail", pk=person.pk)
    return _form_page(request, title=_("Record a coaching session"), form=form, person=person,
                      status=422 if form.errors else 200)


@login_required
def language_training_create(request, person_pk: int):
    user = request.user
    person = person_get(user=user, pk=person_pk)
    enrolments = [e for e in _person_enrolments(user, person) if e.programme.kind in VOCATIONAL_KINDS]
    form = LanguageTrainingForm(request.POST or None, enrolments=enrolments)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.language_training_create(
                person=person, by=user, language=data["language"], course=data["course"], hours=data["hours"],
                start_date=data["start_date"], end_date=data["end_date"], level_at_start=data["level_at_start"],
                timing=data["timing"], enrolment=_pick(enrolments, data["enrolment"]))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Language training planned."))
            return redirect("people:detail", pk=person.pk)
    return _form_page(request, title=_("Plan a language training"), form=form, person=person,
                      status=422 if form.errors else 200)


@login_required
@require_POST
def language_assessment_add(request, pk: int):
    user = request.user
    training = selectors.language_training_get(user=user, pk=pk)
    form = AssessmentForm(request.POST)
    if form.is_valid():
        try:
            services.language_assessment_add(training=training, by=user, date=form.cleaned_data["date"],
                                             level=form.cleaned_data["level"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Level recorded."))
            return redirect("people:detail", pk=training.person_id)
    return _form_page(request, title=_("Record a language level"), form=form, person=training.person, status=422)


# ---------------------------------------------------------------------------------------------- placements

@login_required
def placement_create(request, person_pk: int):
    user = request.user
    person = person_get(user=user, pk=person_pk)
    enrolments = _person_enrolments(user, person)
    form = PlacementForm(request.POST or None, enrolments=enrolments)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            placement = services.placement_create(
                person=person, by=user, job_title=data["job_title"], contract_type=data["contract_type"],
                start_date=data["start_date"], employer=data["employer"], employer_name=data["employer_name"],
                contract_months=data["contract_months"], hours_per_week=data["hours_per_week"],
                enrolment=_pick(enrolments, data["enrolment"]))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Placement recorded; follow-ups planned."))
            return redirect("employment:placement_detail", pk=placement.pk)
    return _form_page(request, title=_("Record a placement"), form=form, person=person,
                      status=422 if form.errors else 200)


def _placement_page(request, placement, forms=None, status=200):
    forms = forms or {}
    followups = [(f, forms.get(f.pk) or FollowUpForm(prefix=f"f{f.pk}", initial={"done_on": min(
        f.due_on, timezone.localdate())})) for f in placement.followups.all()]
    return render(request, "employment/placement_detail.html", {
        "placement": placement, "followups": followups, "stable": selectors.placement_is_stable(placement),
        "consented": consent_in_force(placement.person, ConsentPurpose.EMPLOYMENT_FOLLOWUP) is not None,
        "rule": selectors.stable.describe()}, status=status)


@login_required
@require_GET
def placement_detail(request, pk: int):
    return _placement_page(request, selectors.placement_view(user=request.user, pk=pk))


@login_required
@require_POST
def followup_record(request, pk: int):
    user = request.user
    followup = selectors.followup_get(user=user, pk=pk)
    form = FollowUpForm(request.POST, prefix=f"f{followup.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.followup_record(followup=followup, by=user, done_on=data["done_on"],
                                     still_employed=data["still_employed"], reason_left=data["reason_left"],
                                     notes=data["notes"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Follow-up recorded."))
            return redirect("employment:placement_detail", pk=followup.placement_id)
    placement = selectors.placement_get(user=user, pk=followup.placement_id)
    return _placement_page(request, placement, forms={followup.pk: form}, status=422)


@login_required
@require_GET
def followups_due(request):
    user = request.user
    access.require(user, "employment.list_followups")
    return render(request, "employment/followups_due.html", {
        "followups": selectors.followups_due_view(user=user),
        "sessions": selectors.coaching_due_view(user=user),
        "today": timezone.localdate()})


# ---------------------------------------------------------------------------------------------- target

@login_required
def target_edit(request):
    user = request.user
    access.require(user, "employment.change_target")
    target = selectors.target_get()
    form = TargetForm(request.POST or None, initial={"target": target.target, "period_start": target.period_start,
                                                      "period_end": target.period_end})
    if request.method == "POST" and form.is_valid():
        try:
            services.target_update(by=user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Target saved."))
            return redirect("home")
    return _form_page(request, title=_("Stable-job target and period"), form=form,
                      status=422 if form.errors else 200)
