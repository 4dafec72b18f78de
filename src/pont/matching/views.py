"""Matching screens: vacancies and sites (employers), skill profiles and matches (advisers), proposals."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pont.core.forms import apply_errors
from pont.core.models import Organisation
from pont.matching import selectors, services
from pont.matching.choices import VacancyStatus
from pont.matching.forms import FeedbackForm, ProfileForm, ProposeForm, SiteForm, VacancyForm
from pont.people.selectors import person_get, person_view
from pont.taxonomy import selectors as taxonomy


def _company(user) -> Organisation:
    """Return the employer's company, or 404 for every other role."""
    ids = selectors._company_ids(user)
    if not ids:
        raise Http404
    return Organisation.objects.get(pk=ids[0])


def _adviser(user) -> None:
    if not selectors.is_adviser(user):
        raise Http404


# ------------------------------------------------------------------------------------- type-ahead

@login_required
@require_GET
def skill_options(request):
    """htmx partial: `<option>`s of the skills whose label contains q, in the user's language."""
    if not (selectors.is_adviser(request.user) or selectors.is_employer(request.user)):
        raise Http404
    items = taxonomy.skill_search(request.GET.get("q", "")[:100], limit=20)
    return render(request, "matching/_options.html", {"items": items})


@login_required
@require_GET
def occupation_options(request):
    if not (selectors.is_adviser(request.user) or selectors.is_employer(request.user)):
        raise Http404
    items = taxonomy.occupation_search(request.GET.get("q", "")[:100], limit=20)
    return render(request, "matching/_options.html", {"items": items})


# ---------------------------------------------------------------------------------- sites, vacancies

@login_required
def site_list(request):
    company = _company(request.user)
    form = SiteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.site_create(company=company, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Site added."))
            return redirect("matching:sites")
    return render(request, "matching/site_list.html", {
        "company": company, "sites": selectors.sites_visible_to(request.user), "form": form,
    }, status=422 if form.errors else 200)


@login_required
@require_GET
def vacancy_list(request):
    user = request.user
    if not (selectors.is_adviser(user) or selectors.is_employer(user)):
        raise Http404
    status = request.GET.get("status", VacancyStatus.OPEN if selectors.is_adviser(user) else "")
    status = status if status in VacancyStatus.values else ""
    q = request.GET.get("q", "")[:100]
    page = Paginator(selectors.vacancy_list(user=user, status=status, q=q), 25).get_page(request.GET.get("page"))
    return render(request, "matching/vacancy_list.html", {
        "page": page, "status": status, "q": q, "statuses": VacancyStatus.choices,
        "employer": selectors.is_employer(user),
    })


@login_required
def vacancy_create(request):
    company = _company(request.user)
    sites = selectors.sites_visible_to(request.user)
    if not sites.exists():
        messages.info(request, _("Add a site first: every vacancy is at one of your company's sites."))
        return redirect("matching:sites")
    form = VacancyForm(request.POST or None, sites=sites)
    if request.method == "POST" and form.is_valid():
        try:
            vacancy = services.vacancy_create(company=company, by=request.user, data=form.vacancy_input())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Vacancy posted. Its skills come from ESCO: check them below."))
            return redirect("matching:vacancy_edit", pk=vacancy.pk)
    return render(request, "matching/vacancy_form.html", {"form": form, "creating": True},
                  status=422 if form.errors else 200)


@login_required
def vacancy_edit(request, pk: int):
    vacancy = selectors.vacancy_manage(user=request.user, pk=pk)
    form = VacancyForm(request.POST or None, sites=selectors.sites_visible_to(request.user), vacancy=vacancy)
    if request.method == "POST" and form.is_valid():
        try:
            services.vacancy_update(vacancy=vacancy, by=request.user, data=form.vacancy_input())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("matching:vacancy_detail", pk=vacancy.pk)
    return render(request, "matching/vacancy_form.html", {"form": form, "vacancy": vacancy, "creating": False},
                  status=422 if form.errors else 200)


@login_required
@require_GET
def vacancy_detail(request, pk: int):
    user = request.user
    vacancy = selectors.vacancy_get(user=user, pk=pk)
    own = vacancy.company_id in selectors._company_ids(user)
    context = {"vacancy": vacancy, "own": own,
               "links": list(vacancy.skill_links.select_related("skill").order_by("relation", "skill_id"))}
    if own:
        context["cards"] = selectors.shortlist(user=user, vacancy=vacancy)
        context["feedback_form"] = FeedbackForm()
    elif selectors.is_adviser(user):
        context["matches"] = selectors.matches_for_vacancy(user=user, vacancy=vacancy, limit=20)
    return render(request, "matching/vacancy_detail.html", context)


# ------------------------------------------------------------------------------- profile, matches

@login_required
def profile(request, person_pk: int):
    person, current = selectors.profile_get(user=request.user, person_pk=person_pk)
    form = ProfileForm(request.POST or None, profile=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_save(person=person, by=request.user, data=form.profile_input())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Skill profile saved."))
            return redirect("matching:profile", person_pk=person.pk)
    return render(request, "matching/profile.html", {
        "person": person, "profile": current, "form": form,
        "proposals": person.proposals.select_related("vacancy__company").order_by("-proposed_at"),
        "consent": services.has_employer_consent(person),
    }, status=422 if form.errors else 200)


@login_required
@require_GET
def person_matches(request, person_pk: int):
    _adviser(request.user)
    person = person_view(user=request.user, pk=person_pk)
    return render(request, "matching/person_matches.html", {
        "person": person, "matches": selectors.matches_for_person(user=request.user, person=person, limit=20),
        "consent": services.has_employer_consent(person),
    })


@login_required
@require_POST
def propose(request, person_pk: int):
    _adviser(request.user)
    person = person_get(user=request.user, pk=person_pk)
    form = ProposeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a vacancy."))
        return redirect("matching:person_matches", person_pk=person.pk)
    vacancy = selectors.vacancy_get(user=request.user, pk=form.cleaned_data["vacancy"])
    try:
        services.proposal_create(person=person, vacancy=vacancy, by=request.user, note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s is proposed to %(company)s.") % {
            "name": person.full_name, "company": vacancy.company.name})
    if request.POST.get("back") == "vacancy":
        return redirect("matching:vacancy_detail", pk=vacancy.pk)
    return redirect("matching:person_matches", person_pk=person.pk)


# -------------------------------------------------------------------------------------- proposals

@login_required
@require_GET
def proposal_detail(request, pk: int):
    proposal = selectors.proposal_get(user=request.user, pk=pk)
    own = proposal.vacancy.company_id in selectors._company_ids(request.user)
    return render(request, "matching/proposal_detail.html", {
        "proposal": proposal, "own": own, "card": selectors.candidate_card(proposal) if own else None,
        "feedback_form": FeedbackForm(), "history": proposal.feedback.select_related("given_by"),
    })


@login_required
@require_POST
def proposal_feedback(request, pk: int):
    proposal = selectors.proposal_for_employer(user=request.user, pk=pk)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            services.feedback_record(proposal=proposal, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Thank you: your answer was recorded."))
    else:
        messages.error(request, _("Choose one of the options."))
    return redirect("matching:proposal_detail", pk=proposal.pk)


@login_required
@require_POST
def proposal_answer(request, pk: int):
    proposal = selectors.proposal_for_adviser(user=request.user, pk=pk)
    try:
        services.proposal_answer(proposal=proposal, by=request.user, accepted=request.POST.get("accepted") == "1")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The candidate's answer was recorded."))
    return redirect("matching:proposal_detail", pk=proposal.pk)


@login_required
@require_POST
def proposal_withdraw(request, pk: int):
    proposal = selectors.proposal_for_adviser(user=request.user, pk=pk)
    try:
        services.proposal_withdraw(proposal=proposal, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Proposal withdrawn."))
    return redirect("matching:proposal_detail", pk=proposal.pk)
