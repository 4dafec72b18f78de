"""Every read of the matching app, scoped by the acting user.

- Employers see their company's sites and vacancies, and the candidates proposed to them — as
  pseudonymous cards until the candidate accepts an interview, and only while the person's consent to
  share with employers is in force. Anything else answers 404.
- Advisers see every vacancy (job offers are not personal data) and the profiles, matches and proposals
  of the people in their scope.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import translation

from pont.audit.services import audit
from pont.core import access
from pont.core.i18n import language_name
from pont.core.roles import Role
from pont.matching import adapters
from pont.matching.choices import REVEALED, ProposalStatus, VacancyStatus
from pont.matching.models import Proposal, Site, SkillProfile, Vacancy
from pont.people.choices import ConsentPurpose
from pont.people.models import Consent, Person
from pont.people.selectors import person_view, persons_visible_to

MAX_LIMIT = 100


def _company_ids(user) -> list[int]:
    return access.organisation_ids(user, Role.EMPLOYER) if user.is_authenticated else []


def is_employer(user) -> bool:
    return bool(_company_ids(user))


def is_adviser(user) -> bool:
    return user.is_authenticated and access.holds(user, Role.ADVISER)


def sites_visible_to(user) -> QuerySet[Site]:
    return Site.objects.filter(company_id__in=_company_ids(user)).select_related("municipality", "company")


def vacancies_visible_to(user) -> QuerySet[Vacancy]:
    """Return the vacancies an employer manages, or all vacancies for an adviser; none for other roles."""
    if is_adviser(user):
        return Vacancy.objects.all()
    return Vacancy.objects.filter(company_id__in=_company_ids(user))


def vacancy_list(*, user, status: str = "", q: str = "") -> QuerySet[Vacancy]:
    qs = vacancies_visible_to(user).select_related("company", "site__municipality__region", "occupation")
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(title__icontains=q[:100]) | Q(company__name__icontains=q[:100]))
    return qs.order_by("-created_at", "-id")


def vacancy_get(*, user, pk: int) -> Vacancy:
    """Return one vacancy the user may see, with what its page shows; 404 otherwise."""
    try:
        return adapters.vacancy_queryset(vacancies_visible_to(user)).get(pk=pk)
    except (Vacancy.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def vacancy_manage(*, user, pk: int) -> Vacancy:
    """Return a vacancy of the employer's own company; 404 for anyone else (advisers included)."""
    try:
        return adapters.vacancy_queryset(Vacancy.objects.filter(company_id__in=_company_ids(user))).get(pk=pk)
    except (Vacancy.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def profile_for(person: Person) -> SkillProfile | None:
    """Return the person's skill profile with its lists, or None (read through person_get first)."""
    return (SkillProfile.objects.filter(person=person)
            .prefetch_related("skills", "desired_occupations", "past_occupations__occupation").first())


def profile_get(*, user, person_pk: int) -> tuple[Person, SkillProfile | None]:
    """Return a person in the adviser's scope and their profile; 404 otherwise. Audits the read."""
    if not is_adviser(user):
        raise Http404
    person = person_view(user=user, pk=person_pk)
    return person, profile_for(person)


def _active_consent():
    return Consent.objects.filter(person_id=OuterRef("person_id"), purpose=ConsentPurpose.SHARE_EMPLOYERS,
                                  withdrawn_at__isnull=True)


def proposals_visible_to(user) -> QuerySet[Proposal]:
    """Employers: live proposals to their company whose consent holds; advisers: their people's proposals."""
    if not user.is_authenticated:
        return Proposal.objects.none()
    scope = Q(pk__in=[])
    companies = _company_ids(user)
    if companies:
        scope |= Q(vacancy__company_id__in=companies) & Q(Exists(_active_consent())) \
            & ~Q(status=ProposalStatus.WITHDRAWN)
    if is_adviser(user):
        scope |= Q(person__in=persons_visible_to(user))
    return Proposal.objects.filter(scope)


def proposal_get(*, user, pk: int, audit_read: bool = True) -> Proposal:
    """Return one proposal in the user's scope; 404 otherwise. An employer's reading is audited."""
    try:
        proposal = (proposals_visible_to(user)
                    .select_related("vacancy__company", "vacancy__site__municipality__region", "vacancy__occupation",
                                    "person", "organisation", "proposed_by")
                    .get(pk=pk))
    except (Proposal.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    if audit_read:
        audit(actor=user, verb="proposal.viewed", obj=proposal, person=proposal.person,
              organisation=proposal.vacancy.company if is_employer(user) else proposal.organisation)
    return proposal


def proposal_for_employer(*, user, pk: int) -> Proposal:
    """Return a proposal to the employer's own company (404 for advisers and everyone else)."""
    proposal = proposal_get(user=user, pk=pk, audit_read=False)
    if proposal.vacancy.company_id not in _company_ids(user):
        raise Http404
    return proposal


def proposal_for_adviser(*, user, pk: int) -> Proposal:
    """Return a proposal of a person in the adviser's scope (404 for employers and everyone else)."""
    if not is_adviser(user):
        raise Http404
    proposal = proposal_get(user=user, pk=pk, audit_read=False)
    if not persons_visible_to(user).filter(pk=proposal.person_id).exists():
        raise Http404
    return proposal


def candidate_card(proposal: Proposal, language: str | None = None) -> dict:
    """Return what the employer may know of a proposed candidate.

    Pseudonymous until the candidate accepts an interview: skills, languages, experience, availability,
    distance, whether the employer must apply for a work permit — never the name, the legal status or
    anything from the care track. Name and contact are added once the interview is accepted.
    """
    language = (language or translation.get_language() or "en").split("-")[0]
    person = adapters.person_queryset(Person.objects.filter(pk=proposal.person_id)).get()
    vacancy = adapters.vacancy_queryset(Vacancy.objects.filter(pk=proposal.vacancy_id)).get()
    snapshot, match = adapters.score_pair(person, vacancy)
    profile = adapters._profile(person)
    card = {
        "id": proposal.pk,
        "candidate": proposal.pseudonym,
        "status": proposal.status,
        "status_label": str(ProposalStatus(proposal.status).label),
        "score": match.score,
        "explanation": adapters.describe(match.explanation, snapshot.languages, language),
        "skills": sorted(s.label(language) for s in profile.skills.all()) if profile else [],
        "experience": [{"occupation": past.occupation.label(language), "years": float(past.years)}
                       for past in (profile.past_occupations.select_related("occupation") if profile else [])],
        "languages": [{"language": lang.code, "name": language_name(lang.code, language), "level": lang.level}
                      for lang in person.languages.all()],
        "available_from": profile.available_from if profile else None,
        "driving_licence": profile.driving_licence if profile else False,
        "distance_km": match.explanation.distance_km,
        "right_to_work": match.explanation.right_to_work,
        "note": proposal.note,
        "revealed": proposal.status in REVEALED,
        "name": None, "phone": None, "email": None,
    }
    if card["revealed"]:
        card.update(name=person.full_name, phone=person.phone, email=person.email)
    return card


def shortlist(*, user, vacancy: Vacancy) -> list[dict]:
    """Return the candidates proposed for the employer's vacancy as cards, best score first."""
    proposals = list(proposals_visible_to(user).filter(vacancy=vacancy).select_related("person"))
    cards = [candidate_card(p) for p in proposals]
    cards.sort(key=lambda c: (c["status"] in ("not_retained", "interview_declined"), -c["score"], c["id"]))
    return cards


def matches_for_person(*, user, person: Person, limit: int = 20) -> list[dict]:
    """Return the open vacancies that fit a person of the adviser's scope, best first, explained."""
    limit = max(1, min(limit, MAX_LIMIT))
    person = adapters.person_queryset(Person.objects.filter(pk=person.pk)).get()
    snapshot, matches = adapters.rank_vacancies_for(person, limit=limit)
    vacancies = {v.pk: v for v in snapshot.vacancies}
    proposed = dict(Proposal.objects.filter(person=person).exclude(status=ProposalStatus.WITHDRAWN)
                    .values_list("vacancy_id", "status"))
    return [{"vacancy": vacancies[m.vacancy], "score": m.score, "proposal_status": proposed.get(m.vacancy),
             "explanation": adapters.describe(m.explanation, snapshot.languages)} for m in matches]


def matches_for_vacancy(*, user, vacancy: Vacancy, limit: int = 20) -> list[dict]:
    """Return the people of the adviser's scope (with a skill profile) who fit a vacancy, best first."""
    limit = max(1, min(limit, MAX_LIMIT))
    if not is_adviser(user) or vacancy.status != VacancyStatus.OPEN:
        return []
    persons = adapters.person_queryset(persons_visible_to(user).filter(skill_profile__isnull=False))
    snapshot, matches = adapters.rank_people_for(vacancy, persons, limit=limit)
    people = {p.pk: p for p in snapshot.persons}
    return [{"person": people[m.person], "score": m.score,
             "explanation": adapters.describe(m.explanation, snapshot.languages)} for m in matches]
