"""Every read of the matching app, scoped by the acting user.

- Employers see their company's sites and vacancies, and the candidates proposed to them — as
  pseudonymous cards until the candidate accepts an interview, and only while the person's consent to
  share with employers is in force. Anything else answers 404.
- Advisers see every vacancy (job offers are not personal data) and the profiles, matches and proposals
  of the people in their scope.

Reads of people's data come in pairs: `x_get` to act on a record (not audited: the write that follows
is) and `x_view` to show it (audited). A list or a page of matches that shows people appends one
`audit_listed` event naming them.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Case, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from pont.audit.services import audit, audit_listed
from pont.core import access
from pont.core.i18n import language_name
from pont.core.models import User
from pont.core.roles import Role
from pont.matching import adapters
from pont.matching.choices import REVEALED, IntroductionStatus, ProposalStatus, VacancyStatus
from pont.matching.models import Introduction, Proposal, Site, SkillProfile, Vacancy
from pont.people.choices import ConsentPurpose
from pont.people.models import Consent, Person
from pont.people.selectors import consents_in_force, person_get, persons_visible_to
from pont.taxonomy.models import Occupation, Skill

MAX_LIMIT = 100


# ---------------------------------------------------------------------------------- sites, vacancies

def sites_visible_to(user: User) -> QuerySet[Site]:
    """Return the sites of the companies the user is an employer of."""
    return (Site.objects.filter(employer_id__in=access.organisation_ids(user, Role.EMPLOYER))
            .select_related("municipality__region", "employer"))


def vacancies_visible_to(user: User) -> QuerySet[Vacancy]:
    """Return every vacancy for an adviser, the company's own for an employer; none for other roles."""
    if access.holds(user, Role.ADVISER):
        return Vacancy.objects.all()
    return Vacancy.objects.filter(employer_id__in=access.organisation_ids(user, Role.EMPLOYER))


def vacancy_list(*, user: User, status: str = "", q: str = "") -> QuerySet[Vacancy]:
    """Return the vacancies the user sees, newest first, filtered by status and by a word of the title or
    the employer's name (one query; count apart)."""
    qs = vacancies_visible_to(user).select_related("employer", "site__municipality__region", "occupation")
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(title__icontains=q[:100]) | Q(employer__name__icontains=q[:100]))
    return qs.order_by("-created_at", "-id")


def vacancy_get(*, user: User, pk: int) -> Vacancy:
    """Return one vacancy the user may see, with what its page shows; 404 otherwise."""
    try:
        return adapters.vacancy_queryset(vacancies_visible_to(user)).get(pk=pk)
    except (Vacancy.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def vacancy_matches_view(*, user: User, vacancy: Vacancy, limit: int = 20) -> list[dict[str, Any]]:
    """Return the people of the adviser's scope (with a skill profile) who fit an open vacancy, best first.

    Audits the page as one `vacancy.matches_listed` event naming the people shown.
    """
    access.require(user, "matching.match_vacancy", vacancy)
    snapshot, matches = _people_for(vacancy, lambda snap: _scope_rows(user, snap), max(1, min(limit, MAX_LIMIT)))
    people = Person.objects.in_bulk([m.person for m in matches])  # a name and a reference each: no prefetch
    described = adapters.describe_all([m.explanation for m in matches], snapshot.languages)
    found: list[dict[str, Any]] = [{"person": people[m.person], "score": m.score, "explanation": explanation}
                                   for m, explanation in zip(matches, described, strict=True)]
    audit_listed(actor=user, verb="vacancy.matches_listed", records=[people[m.person] for m in matches],
                 detail={"vacancy": vacancy.pk})
    return found


def _people_for(vacancy: Vacancy, among, limit: int) -> tuple[adapters.Snapshot, list]:
    """Rank the people of the rows `among(snapshot)` for an open vacancy, best first, above the floor: the one
    ranking the adviser's list and the employer's search share."""
    snapshot = adapters.current()
    row = snapshot.vacancy_row(vacancy.pk)
    if row is None or vacancy.status != VacancyStatus.OPEN:
        return snapshot, []
    rows = among(snapshot)
    ranked = snapshot.matcher.rank_people(row, limit, among=rows) if len(rows) else []
    return snapshot, [m for m in ranked if m.score >= floor()]


def floor() -> float:
    """The lowest score shown as a match (settings.PONT["MATCHING_FLOOR"])."""
    return float(settings.PONT.get("MATCHING_FLOOR", 0.0))


def _scope_rows(user: User, snapshot: adapters.Snapshot):
    """The snapshot's rows of the people the adviser follows who have a profile: computed once per snapshot
    and user (a new file, a closed one or a membership change gives a new snapshot version)."""
    return snapshot.remember(("scope", user.pk), lambda: snapshot.person_rows(
        persons_visible_to(user).filter(skill_profile__isnull=False).values_list("pk", flat=True)))


def vacancy_shortfalls(*, user: User, vacancy: Vacancy) -> dict[str, Any]:
    """Return "why nobody fits": among the people of the adviser's scope with a profile, how many fall short
    of the open vacancy on each requirement, how many fit but too weakly (below the floor), and the
    requirement that excludes most. Counts only: no one is named, nothing to audit."""
    access.require(user, "matching.match_vacancy", vacancy)
    snapshot = adapters.current()
    row = snapshot.vacancy_row(vacancy.pk)
    if row is None or vacancy.status != VacancyStatus.OPEN:
        return {"people": 0, "may_not_work": 0, "needs_permit": 0, "other_country": 0, "language": 0,
                "distance": 0, "skills": 0, "below_floor": 0, "main": None}
    scope = _scope_rows(user, snapshot)
    counts: dict[str, Any] = snapshot.matcher.shortfalls(row, scope)
    scores = snapshot.matcher.scores_for_vacancy(row, np.unique(scope)) if len(scope) else np.zeros(0)
    counts["below_floor"] = int(((scores > 0) & (scores < floor())).sum())
    reasons = {k: counts[k] for k in ("may_not_work", "other_country", "language", "distance", "skills")}
    counts["main"] = max(reasons, key=lambda k: reasons[k]) if any(reasons.values()) else None
    return counts


# ---------------------------------------------------------------------------------- profile, matches

def profile_for(person: Person) -> SkillProfile | None:
    """Return the person's skill profile with its lists, or None (read the person through person_get first)."""
    return (SkillProfile.objects.filter(person=person)
            .prefetch_related("skills", "desired_occupations", "past_occupations__occupation").first())


def profile_get(*, user: User, person_pk: int) -> tuple[Person, SkillProfile | None]:
    """Return a person the adviser may change the profile of, and the profile; 404 otherwise. Not audited."""
    person = person_get(user=user, pk=person_pk)
    access.require(user, "matching.change_profile", person)
    return person, profile_for(person)


def profile_view(*, user: User, person_pk: int) -> tuple[Person, SkillProfile | None]:
    """Return `profile_get`'s person and profile, and audit the read as `skill_profile.viewed`."""
    person = person_get(user=user, pk=person_pk)
    access.require(user, "matching.view_profile", person)
    profile = profile_for(person)
    audit(actor=user, verb="skill_profile.viewed", obj=profile or person, person=person,
          organisation=access.acting_organisation(user, role=Role.ADVISER, person=person))
    return person, profile


def person_proposals(person: Person) -> QuerySet[Proposal]:
    """Return the person's proposals, newest first (read the person through a selector first)."""
    return person.proposals.select_related("vacancy__employer").order_by("-proposed_at", "-id")


def person_matches_view(*, user: User, person_pk: int, limit: int = 20) -> tuple[Person, list[dict[str, Any]]]:
    """Return a person of the adviser's scope and the open vacancies that fit them, best first, explained.

    Audits the read as `person.matches_viewed`, naming the vacancies shown.
    """
    person = person_get(user=user, pk=person_pk)
    access.require(user, "matching.view_matches", person)
    limit = max(1, min(limit, MAX_LIMIT))
    snapshot = adapters.current()
    row = snapshot.person_row(person.pk)
    matches = snapshot.matcher.rank_vacancies(row, limit) if row is not None and len(snapshot.vacancy_ids) else []
    matches = [m for m in matches if m.score >= floor()]
    # A snapshot being rebuilt may still hold a vacancy closed since: it is not shown.
    # What a match shows of a vacancy: its title, employer and place (one query, no skill lists: the
    # explanation has them).
    vacancies = (Vacancy.objects.filter(pk__in=[m.vacancy for m in matches], status=VacancyStatus.OPEN)
                 .select_related("employer", "site__municipality__region").in_bulk())
    matches = [m for m in matches if m.vacancy in vacancies]
    proposed = dict(Proposal.objects.filter(person=person).exclude(status=ProposalStatus.WITHDRAWN)
                    .values_list("vacancy_id", "status"))
    described = adapters.describe_all([m.explanation for m in matches], snapshot.languages)
    found: list[dict[str, Any]] = [
        {"vacancy": vacancies[m.vacancy], "score": m.score, "proposal_status": proposed.get(m.vacancy),
         "explanation": explanation} for m, explanation in zip(matches, described, strict=True)]
    audit(actor=user, verb="person.matches_viewed", obj=person, person=person,
          organisation=access.acting_organisation(user, role=Role.ADVISER, person=person),
          detail={"vacancies": [int(m.vacancy) for m in matches]})
    return person, found


# ---------------------------------------------------------------------------------------- proposals

def _active_consent():
    return Consent.objects.filter(person_id=OuterRef("person_id"), purpose=ConsentPurpose.SHARE_EMPLOYERS,
                                  withdrawn_at__isnull=True)


def proposals_visible_to(user: User) -> QuerySet[Proposal]:
    """Employers: live proposals to their company whose consent holds; advisers: their people's proposals.

    Each proposal carries `followed`: whether the user follows the person (the proposing side).
    """
    companies = access.organisation_ids(user, Role.EMPLOYER)
    scope = Q(pk__in=[])
    if companies:
        scope |= Q(vacancy__employer_id__in=companies) & Q(Exists(_active_consent())) \
            & ~Q(status=ProposalStatus.WITHDRAWN)
    followed: Any = Value(False)
    if access.holds(user, Role.ADVISER):
        mine = Q(person__in=persons_visible_to(user))
        scope |= mine
        followed = ExpressionWrapper(mine, output_field=BooleanField())
    return Proposal.objects.annotate(followed=followed).filter(scope)


def proposal_get(*, user: User, pk: int) -> Proposal:
    """Return one proposal in the user's scope, to act on it; 404 otherwise. Not audited."""
    try:
        return (proposals_visible_to(user)
                .select_related("vacancy__employer", "vacancy__site__municipality__region", "vacancy__occupation",
                                "person", "organisation", "proposed_by")
                .get(pk=pk))
    except (Proposal.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def proposal_view(*, user: User, pk: int) -> Proposal:
    """Return `proposal_get`'s proposal and audit the read as `proposal.viewed`."""
    proposal = proposal_get(user=user, pk=pk)
    organisation = (access.acting_organisation(user, role=Role.ADVISER, person=proposal.person)
                    if proposal.followed else proposal.vacancy.employer)  # type: ignore[attr-defined]
    audit(actor=user, verb="proposal.viewed", obj=proposal, person=proposal.person, organisation=organisation)
    return proposal


def _audit_proposals(user: User, proposals: list[Proposal], **detail: Any) -> None:
    audit_listed(actor=user, verb="proposal.listed", records=proposals,
                 detail={**detail, "persons": sorted({p.person_id for p in proposals})})


def proposal_window(*, user: User, status: str = "", offset: int = 0, limit: int = 50) -> list[Proposal]:
    """Return `limit` of the user's proposals from `offset`, newest first; audits what it returns."""
    qs = proposals_visible_to(user).select_related("vacancy").order_by("-proposed_at", "-id")
    if status:
        qs = qs.filter(status=status)
    proposals = list(qs[offset:offset + limit])
    _audit_proposals(user, proposals, **({"status": status} if status else {}))
    return proposals


def candidate_card(proposal: Proposal, language: str | None = None) -> dict[str, Any]:
    """Return what the employer may know of a proposed candidate (see `candidate_cards`)."""
    return candidate_cards([proposal], language)[0]


def candidate_cards(proposals: list[Proposal], language: str | None = None) -> list[dict[str, Any]]:
    """Return the cards of proposed candidates, in the proposals' order: one snapshot for all of them and a
    fixed number of queries, however many.

    Pseudonymous until the candidate accepts an interview: skills, languages, experience, availability,
    distance, whether the employer must apply for a work permit — never the name, the legal status or
    anything from the care track. Name and contact are added once the interview is accepted.
    """
    if not proposals:
        return []
    language = (language or translation.get_language() or "en").split("-")[0]
    person_ids = {p.person_id for p in proposals}
    snapshot = adapters.build(Person.objects.filter(pk__in=person_ids),
                              Vacancy.objects.filter(pk__in={p.vacancy_id for p in proposals}))
    people = adapters.person_queryset(Person.objects.filter(pk__in=person_ids)).in_bulk()
    def pair(proposal: Proposal):
        row, column = snapshot.person_row(proposal.person_id), snapshot.vacancy_row(proposal.vacancy_id)
        assert row is not None and column is not None  # both were read into this snapshot
        return snapshot.matcher.score_pair(row, column)

    matches = [pair(p) for p in proposals]
    described = adapters.describe_all([m.explanation for m in matches], snapshot.languages, language)
    cards = []
    for proposal, match, explanation in zip(proposals, matches, described, strict=True):
        person = people[proposal.person_id]
        card: dict[str, Any] = {
            "id": proposal.pk,
            "vacancy": proposal.vacancy_id,
            "candidate": proposal.pseudonym,
            "status": proposal.status,
            "status_label": str(ProposalStatus(proposal.status).label),
            **_candidate_facts(person, match, explanation, language),
            "note": proposal.note,
            "revealed": proposal.status in REVEALED,
            "name": None, "phone": None, "email": None,
        }
        if card["revealed"]:
            card.update(name=person.full_name, phone=person.phone, email=person.email)
        cards.append(card)
    return cards


def _candidate_facts(person: Person, match, explanation: dict[str, Any], language: str) -> dict[str, Any]:
    """What an employer may know of a candidate she has not met: skills, languages, experience,
    availability, distance, whether she must apply for a work permit, the explained score — never the
    name, the legal status or anything from the care track. `person` comes from adapters.person_queryset
    (its profile's lists prefetched)."""
    profile = adapters.profile_of(person)
    return {
        "score": match.score,
        "explanation": explanation,
        "skills": sorted(s.label(language) for s in profile.skills.all()) if profile else [],
        "experience": [{"occupation": past.occupation.label(language), "years": float(past.years)}
                       for past in (profile.past_occupations.all() if profile else [])],
        "languages": [{"language": lang.code, "name": language_name(lang.code, language), "level": lang.level,
                       "level_label": lang.get_level_display() if lang.level else ""}
                      for lang in person.languages.all()],
        "available_from": profile.available_from if profile else None,
        "driving_licence": profile.driving_licence if profile else False,
        "distance_km": match.explanation.distance_km,
        "right_to_work": match.explanation.right_to_work,
    }


# ------------------------------------------------------------------ the employer's own search

def candidate_code(vacancy_id: int, person_id: int) -> str:
    """Return the code an employer knows a candidate by for one vacancy: stable, and the same person has
    another code for another vacancy (no one can be followed from vacancy to vacancy)."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"candidate:{vacancy_id}:{person_id}".encode(),
                      hashlib.sha256).digest()
    return "C-" + "".join(_CODE_ALPHABET[b % len(_CODE_ALPHABET)] for b in digest[:6])


_CODE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY3479"


def needs_code(employer_id: int, person_id: int) -> str:
    """Return the code an employer knows a candidate by in the searches she states herself (no vacancy):
    stable for her company, another for any other company and for each of her vacancies."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"needs:{employer_id}:{person_id}".encode(),
                      hashlib.sha256).digest()
    return "N-" + "".join(_CODE_ALPHABET[b % len(_CODE_ALPHABET)] for b in digest[:6])


def shared_with_employers() -> QuerySet[Person]:
    """The people any employer may find: a skill profile and the consent to share with employers in force."""
    return Person.objects.filter(skill_profile__isnull=False,
                                 pk__in=consents_in_force(ConsentPurpose.SHARE_EMPLOYERS).values("person_id"))


def candidate_pool(vacancy: Vacancy) -> QuerySet[Person]:
    """The people an employer may find for a vacancy: shared with employers, and neither proposed (not
    withdrawn) nor already asked for."""
    return (shared_with_employers()
            .exclude(pk__in=Proposal.objects.filter(vacancy=vacancy).exclude(status=ProposalStatus.WITHDRAWN)
                     .values("person_id"))
            .exclude(pk__in=Introduction.objects.filter(vacancy=vacancy).values("person_id")))


def candidate_search(*, user: User, vacancy: Vacancy, limit: int = 20, near_only: bool = False,
                     without_permit: bool = False) -> list[dict[str, Any]]:
    """Return pseudonymous cards of the people who fit the employer's open vacancy, best first, above the
    floor — only `near_only` within their travel radius, only `without_permit` allowed to work without a
    permit. Audited as one event naming the people shown."""
    access.require(user, "matching.search_candidates", vacancy)
    limit = max(1, min(limit, MAX_LIMIT))
    snapshot, ranked = _people_for(
        vacancy, lambda snap: snap.person_rows(candidate_pool(vacancy).values_list("pk", flat=True)), limit * 4)
    kept = _filtered(ranked, limit, near_only, without_permit)
    cards, shown = _cards(snapshot, kept, lambda pk: candidate_code(vacancy.pk, pk))
    audit_listed(actor=user, verb="vacancy.candidates_searched", records=shown, detail={"vacancy": vacancy.pk})
    return cards


def _filtered(ranked: list, limit: int, near_only: bool, without_permit: bool) -> list:
    return [m for m in ranked if (not near_only or m.explanation.within_radius)
            and (not without_permit or m.explanation.right_to_work == "may_work")][:limit]


def _cards(snapshot: adapters.Snapshot, matches: list, code_of) -> tuple[list[dict[str, Any]], list[Person]]:
    """Return the pseudonymous cards of `matches` (each under `code_of(person pk)`) and the people shown."""
    people = adapters.person_queryset(Person.objects.filter(pk__in=[m.person for m in matches])).in_bulk()
    language = (translation.get_language() or "en").split("-")[0]
    described = adapters.describe_all([m.explanation for m in matches], snapshot.languages, language)
    cards = [{"candidate": code_of(m.person), **_candidate_facts(people[m.person], m, e, language)}
             for m, e in zip(matches, described, strict=True)]
    return cards, [people[m.person] for m in matches]


@dataclass(frozen=True)
class Needs:
    """What an employer looks for when she has no vacancy to show (nothing of it is saved): the site gives
    the place and the country; without skills, the occupation's essential ESCO skills are taken."""

    site: Site
    occupation: Occupation | None = None
    skills: tuple[Skill, ...] = ()
    languages: Mapping[str, str] = field(default_factory=dict)  # ISO 639-3 → minimum level
    contract_type: str = ""


def needs_search(*, user: User, needs: Needs, limit: int = 20, near_only: bool = False,
                 without_permit: bool = False) -> dict[str, Any]:
    """Return {"cards", "shortfalls", "skills"}: the people shared with employers who fit the stated needs,
    best first, above the floor, as pseudonymous cards under the company's own codes; "why nobody fits"
    over the same people; the skills searched for. Audited as one event naming the people shown.

    Raise ValidationError without any skill to look for, or for a language nobody's level is known in (see
    adapters.needs_vacancy).
    """
    access.require(user, "matching.search_candidates", needs.site)
    limit = max(1, min(limit, MAX_LIMIT))
    skills = list(needs.skills)
    if not skills and needs.occupation is not None:
        skills = [r.skill for r in needs.occupation.relations.filter(relation="essential").select_related("skill")]
    if not skills:
        raise ValidationError({"skills": _("Name an occupation or at least one skill.")}, code="required")
    snapshot = adapters.current()
    try:
        row = adapters.needs_vacancy(snapshot, site=needs.site, essential=[s.pk for s in skills],
                                     occupation=needs.occupation.pk if needs.occupation else None,
                                     languages=dict(needs.languages), contract=needs.contract_type)
    except KeyError as missing:
        raise ValidationError({"languages": _("No one's level in %(language)s is known yet: choose another "
                                              "language.") % {"language": language_name(missing.args[0])}},
                              code="invalid") from None
    matcher = snapshot.matcher.for_vacancies(row)
    pool = snapshot.person_rows(shared_with_employers().values_list("pk", flat=True))  # consent read now
    ranked = [m for m in matcher.rank_people(0, limit * 4, among=pool) if m.score >= floor()] if len(pool) else []
    employer = needs.site.employer_id
    cards, shown = _cards(snapshot, _filtered(ranked, limit, near_only, without_permit),
                          lambda pk: needs_code(employer, pk))
    counts: dict[str, Any] = matcher.shortfalls(0, pool) if len(pool) else {"people": 0}
    reasons = {k: counts.get(k, 0) for k in ("may_not_work", "other_country", "language", "distance", "skills")}
    counts["main"] = max(reasons, key=lambda k: reasons[k]) if any(reasons.values()) else None
    audit_listed(actor=user, verb="needs.candidates_searched", records=shown, organisation=needs.site.employer,
                 detail={"site": needs.site.pk, "occupation": needs.occupation.pk if needs.occupation else None,
                         "skills": [s.pk for s in skills]})
    return {"cards": cards, "shortfalls": counts, "skills": skills}


def introductions_for_vacancy(*, user: User, vacancy: Vacancy) -> list[Introduction]:
    """The introductions the employer asked for this vacancy, newest first (codes and states only)."""
    access.require(user, "matching.search_candidates", vacancy)
    return list(vacancy.introductions.select_related("proposal"))


def introductions_visible_to(user: User) -> QuerySet[Introduction]:
    """The introduction requests about the people an adviser follows (open ones first)."""
    if not access.holds(user, Role.ADVISER):
        return Introduction.objects.none()
    return (Introduction.objects.filter(person__in=persons_visible_to(user))
            .select_related("vacancy__employer", "vacancy__site__municipality", "person", "requested_by")
            .order_by(Case(When(status=IntroductionStatus.REQUESTED, then=0), default=1), "-requested_at", "-id"))


def introduction_list_view(*, user: User) -> list[Introduction]:
    """The adviser's introduction requests; audited as one event naming the people shown."""
    rows = list(introductions_visible_to(user)[:200])
    audit_listed(actor=user, verb="introductions.listed", records=[r.person for r in rows])
    return rows


def introduction_get(*, user: User, pk: int) -> Introduction:
    try:
        return introductions_visible_to(user).get(pk=pk)
    except (Introduction.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def shortlist_view(*, user: User, vacancy: Vacancy) -> list[dict[str, Any]]:
    """Return the candidates proposed for the employer's vacancy as cards, best score first.

    Audits the page as one `proposal.listed` event naming the candidates whose names it reveals.
    """
    access.require(user, "matching.view_shortlist", vacancy)
    proposals = list(proposals_visible_to(user).filter(vacancy=vacancy).select_related("person"))
    cards = candidate_cards(proposals)
    cards.sort(key=lambda c: (c["status"] in ("not_retained", "interview_declined"), -c["score"], c["id"]))
    _audit_proposals(user, [p for p in proposals if p.status in REVEALED], vacancy=vacancy.pk)
    return cards
