"""Matching screens: vacancies and sites (employers), skill profiles and matches (advisers), proposals.

Thin: each asks `access` whether the user may (404 otherwise), reads through the selectors and writes
through the services the API calls too.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pont.core import access
from pont.core.forms import apply_errors
from pont.core.models import User
from pont.core.roles import Role
from pont.matching import selectors, services
from pont.matching.choices import VacancyStatus
from pont.matching.forms import FeedbackForm, NeedsForm, ProfileForm, ProposeForm, SiteForm, VacancyForm
from pont.matching.models import Proposal
from pont.people.selectors import person_get
from pont.taxonomy import selectors as taxonomy
from pont.taxonomy import suggest


class AuthenticatedRequest(HttpRequest):
    """A request past `login_required`: its user is signed in."""

    user: User


def _messages_of(form: BaseForm) -> str:
    return " ".join(str(message) for errors in form.errors.values() for message in errors)


# ------------------------------------------------------------------------------------- type-ahead

@login_required
@require_GET
def skill_options(request: AuthenticatedRequest) -> HttpResponse:
    """htmx partial: `<option>`s of the skills whose label contains q, in the user's language."""
    access.require(request.user, "matching.search_taxonomy")
    items = taxonomy.skill_search(request.GET.get("q", "")[:100], limit=20)
    return render(request, "matching/_options.html", {"items": items})


@login_required
@require_GET
def skill_suggestions(request: AuthenticatedRequest) -> HttpResponse:
    """htmx partial of the profile page: skills and occupations suggested for a free-text description, as
    boxes to tick (they join the profile form's "add" fields)."""
    access.require(request.user, "matching.search_taxonomy")
    found = suggest.labelled(request.GET.get("text", "")[:2000], 8)
    return render(request, "matching/_suggestions.html", {"found": found})


@login_required
@require_GET
def occupation_options(request: AuthenticatedRequest) -> HttpResponse:
    access.require(request.user, "matching.search_taxonomy")
    items = taxonomy.occupation_search(request.GET.get("q", "")[:100], limit=20)
    return render(request, "matching/_options.html", {"items": items})


# ---------------------------------------------------------------------------------- sites, vacancies

@login_required
def site_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    access.require(user, "matching.manage_vacancies")
    employers = access.organisations(user, Role.EMPLOYER)
    form = SiteForm(request.POST or None, employers=employers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            employer = access.acting_organisation(user, role=Role.EMPLOYER, chosen=data.get("employer"))
            services.site_create(employer=employer, by=user, name=data["name"], municipality=data["municipality"],
                                 address=data["address"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Site added."))
            return redirect("matching:sites")
    return render(request, "matching/site_list.html", {
        "employer_names": ", ".join(e.name for e in employers), "several": len(employers) > 1,
        "sites": selectors.sites_visible_to(user), "form": form,
    }, status=422 if form.errors else 200)


@login_required
@require_GET
def vacancy_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    access.require(user, "matching.list_vacancies")
    status = request.GET.get("status", VacancyStatus.OPEN if access.holds(user, Role.ADVISER) else "")
    status = status if status in VacancyStatus.values else ""
    q = request.GET.get("q", "")[:100]
    page = Paginator(selectors.vacancy_list(user=user, status=status, q=q), 25).get_page(request.GET.get("page"))
    return render(request, "matching/vacancy_list.html", {
        "page": page, "status": status, "q": q, "statuses": VacancyStatus.choices,
        "employer": access.can(user, "matching.manage_vacancies"),
    })


@login_required
def vacancy_create(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    access.require(user, "matching.manage_vacancies")
    sites = selectors.sites_visible_to(user)
    if not sites.exists():
        messages.info(request, _("Add a site first: every vacancy is at one of your company's sites."))
        return redirect("matching:sites")
    form = VacancyForm(request.POST or None, sites=sites)
    if request.method == "POST" and form.is_valid():
        try:
            vacancy = services.vacancy_create(by=user, values=form.vacancy_values(), lists=form.vacancy_lists())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Vacancy posted. Its skills come from ESCO: check them below."))
            return redirect("matching:vacancy_edit", pk=vacancy.pk)
    return render(request, "matching/vacancy_form.html", {"form": form, "creating": True},
                  status=422 if form.errors else 200)


@login_required
def vacancy_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    vacancy = selectors.vacancy_get(user=user, pk=pk)
    access.require(user, "matching.change_vacancy", vacancy)
    sites = selectors.sites_visible_to(user).filter(employer_id=vacancy.employer_id)
    form = VacancyForm(request.POST or None, sites=sites, vacancy=vacancy)
    if request.method == "POST" and form.is_valid():
        try:
            services.vacancy_update(vacancy=vacancy, by=user, changes=form.vacancy_values(),
                                    lists=form.vacancy_lists())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("matching:vacancy_detail", pk=vacancy.pk)
    return render(request, "matching/vacancy_form.html", {"form": form, "vacancy": vacancy, "creating": False},
                  status=422 if form.errors else 200)


@login_required
@require_GET
def vacancy_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The job; for its employer the shortlist, for an adviser the people of their caseload who fit."""
    user = request.user
    vacancy = selectors.vacancy_get(user=user, pk=pk)
    own = access.can(user, "matching.view_shortlist", vacancy)
    context = {"vacancy": vacancy, "own": own,
               "links": list(vacancy.skill_links.select_related("skill").order_by("relation", "skill_id"))}
    if own:
        context["cards"] = selectors.shortlist_view(user=user, vacancy=vacancy)
    elif access.can(user, "matching.match_vacancy", vacancy):
        context["matches"] = selectors.vacancy_matches_view(user=user, vacancy=vacancy, limit=20)
        context["shortfalls"] = selectors.vacancy_shortfalls(user=user, vacancy=vacancy)
    return render(request, "matching/vacancy_detail.html", context)


# ------------------------------------------------------------------------------- profile, matches

@login_required
def profile(request: AuthenticatedRequest, person_pk: int) -> HttpResponse:
    user = request.user
    read = selectors.profile_get if request.method == "POST" else selectors.profile_view
    person, current = read(user=user, person_pk=person_pk)
    form = ProfileForm(request.POST or None, person=person, profile=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_save(person=person, by=user, data=form.profile_input())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Skill profile saved."))
            return redirect("matching:profile", person_pk=person.pk)
    return render(request, "matching/profile.html", {
        "person": person, "profile": current, "form": form, "proposals": selectors.person_proposals(person),
        "consent": services.has_employer_consent(person),
    }, status=422 if form.errors else 200)


@login_required
@require_GET
def person_matches(request: AuthenticatedRequest, person_pk: int) -> HttpResponse:
    person, matches = selectors.person_matches_view(user=request.user, person_pk=person_pk, limit=20)
    return render(request, "matching/person_matches.html", {
        "person": person, "matches": matches, "consent": services.has_employer_consent(person),
        "note_max_length": Proposal._meta.get_field("note").max_length,
    })


@login_required
@require_POST
def propose(request: AuthenticatedRequest, person_pk: int) -> HttpResponse:
    user = request.user
    person = person_get(user=user, pk=person_pk)
    access.require(user, "matching.propose", person)
    form = ProposeForm(request.POST, person=person, vacancies=selectors.vacancies_visible_to(user))
    if not form.is_valid():
        messages.error(request, _messages_of(form))
        return redirect("matching:person_matches", person_pk=person.pk)
    vacancy = form.cleaned_data["vacancy"]
    try:
        services.proposal_create(person=person, vacancy=vacancy, by=user, note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s is proposed to %(company)s.") % {
            "name": person.full_name, "company": vacancy.employer.name})
    if request.POST.get("back") == "vacancy":
        return redirect("matching:vacancy_detail", pk=vacancy.pk)
    return redirect("matching:person_matches", person_pk=person.pk)


# -------------------------------------------------------------------------------------- proposals

def _proposal_page(request: AuthenticatedRequest, proposal: Proposal, form: FeedbackForm | None = None,
                   status: int = 200) -> HttpResponse:
    own = access.can(request.user, "matching.give_feedback", proposal)
    return render(request, "matching/proposal_detail.html", {
        "proposal": proposal, "own": own, "card": selectors.candidate_card(proposal) if own else None,
        "feedback_form": form or FeedbackForm(proposal=proposal),
        "history": proposal.feedback.select_related("given_by"),
    }, status=status)


@login_required
@require_GET
def proposal_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _proposal_page(request, selectors.proposal_view(user=request.user, pk=pk))


@login_required
@require_POST
def proposal_feedback(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Record the employer's answer; a refused one shows the page again with the reasons by the fields."""
    user = request.user
    proposal = selectors.proposal_get(user=user, pk=pk)
    access.require(user, "matching.give_feedback", proposal)
    form = FeedbackForm(request.POST, proposal=proposal)
    if form.is_valid():
        try:
            services.feedback_record(proposal=proposal, by=user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Thank you: your answer was recorded."))
            return redirect("matching:proposal_detail", pk=proposal.pk)
    return _proposal_page(request, selectors.proposal_view(user=user, pk=pk), form, status=422)


@login_required
@require_POST
def proposal_answer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get(user=request.user, pk=pk)
    try:
        services.proposal_answer(proposal=proposal, by=request.user, accepted=request.POST.get("accepted") == "1")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The candidate's answer was recorded."))
    return redirect("matching:proposal_detail", pk=proposal.pk)


@login_required
@require_POST
def proposal_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get(user=request.user, pk=pk)
    try:
        services.proposal_withdraw(proposal=proposal, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Proposal withdrawn."))
    return redirect("matching:proposal_detail", pk=proposal.pk)


# ----------------------------------------------------------------- the employer's own search, introductions

@login_required
@require_GET
def candidate_search(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The employer finds candidates for her open vacancy herself: pseudonymous cards, best first."""
    user = request.user
    vacancy = selectors.vacancy_get(user=user, pk=pk)
    near_only, without_permit = request.GET.get("near") == "1", request.GET.get("no_permit") == "1"
    cards = selectors.candidate_search(user=user, vacancy=vacancy, near_only=near_only,
                                       without_permit=without_permit)
    return render(request, "matching/candidate_search.html", {
        "vacancy": vacancy, "cards": cards, "near_only": near_only, "without_permit": without_permit,
        "introductions": selectors.introductions_for_vacancy(user=user, vacancy=vacancy)})


@login_required
@require_GET
def needs_search(request: AuthenticatedRequest) -> HttpResponse:
    """The employer states what she needs, without a vacancy, and finds candidates: pseudonymous cards."""
    user = request.user
    access.require(user, "matching.manage_vacancies")
    sites = selectors.sites_visible_to(user)
    if not sites.exists():
        messages.info(request, _("Add a site first: candidates are found for one of your company's sites."))
        return redirect("matching:sites")
    searched = "site" in request.GET
    form = NeedsForm(request.GET if searched else None, sites=sites,
                     initial={"site": sites.first()} if not searched else None)
    result = None
    if searched and form.is_valid():
        try:
            result = selectors.needs_search(user=user, needs=form.needs(), near_only=form.cleaned_data["near"],
                                            without_permit=form.cleaned_data["no_permit"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            form.show_skills(result["skills"])
    vacancies = selectors.vacancies_visible_to(user).filter(status=VacancyStatus.OPEN).order_by("title")
    return render(request, "matching/needs_search.html", {
        "form": form, "result": result, "vacancies": vacancies, "query": request.GET.urlencode()},
        status=422 if form.errors else 200)


@login_required
@require_POST
def needs_introduction(request: AuthenticatedRequest) -> HttpResponse:
    """Ask for an introduction of a candidate found by stating needs, for one of the employer's vacancies."""
    raw = str(request.POST.get("vacancy", ""))[:18]
    if not raw.isdigit():
        raise Http404
    vacancy = selectors.vacancy_get(user=request.user, pk=int(raw))
    _ask(request, vacancy)
    query = request.POST.get("query", "")[:2000]
    target = reverse("matching:needs_search")
    return redirect(f"{target}?{QueryDict(query).urlencode()}" if query else target)


def _ask(request: AuthenticatedRequest, vacancy) -> None:
    try:
        services.introduction_request(vacancy=vacancy, candidate=request.POST.get("candidate", "")[:12],
                                      by=request.user, message=request.POST.get("message", "")[:500])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Request sent: the candidate's adviser will answer."))


@login_required
@require_POST
def introduction_request(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    vacancy = selectors.vacancy_get(user=request.user, pk=pk)
    _ask(request, vacancy)
    return redirect("matching:candidate_search", pk=vacancy.pk)


@login_required
@require_GET
def introductions(request: AuthenticatedRequest) -> HttpResponse:
    """The adviser's list of employers' requests to introduce people of their caseload."""
    if not access.holds(request.user, Role.ADVISER):
        raise Http404
    return render(request, "matching/introductions.html",
                  {"introductions": selectors.introduction_list_view(user=request.user)})


@login_required
@require_POST
def introduction_answer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    introduction = selectors.introduction_get(user=request.user, pk=pk)
    accepted = request.POST.get("accepted") == "1"
    try:
        services.introduction_answer(introduction=introduction, by=request.user, accepted=accepted,
                                     note=request.POST.get("note", "")[:500])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Proposed to the employer.") if accepted else _("Request declined."))
    return redirect("matching:introductions")
