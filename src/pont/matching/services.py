"""Every write of the matching app: profiles, sites, vacancies, proposals, employer feedback.

Each asks whether the acting user may (`access.require`: a refusal is a 404), validates through the model
(`full_clean()`: limits, choices and the rules between a record's fields are declared there) and checks by
hand only what spans several records, runs in one transaction and appends to the audit trail. The pages
and the API call these same functions. A request the record's current state refuses (already proposed,
no longer open, not at this step) raises `Conflict` — a 409 in the API.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pont.audit.services import audit
from pont.core import access
from pont.core.exceptions import Conflict
from pont.core.mail import mail_each
from pont.core.models import Municipality, Organisation, User
from pont.core.roles import Role
from pont.core.services import collect_errors, model_update
from pont.matching import adapters, selectors
from pont.matching.choices import (
    CLOSED_PROPOSAL,
    FeedbackOutcome,
    IntroductionStatus,
    ProposalStatus,
    VacancyStatus,
)
from pont.matching.models import (
    BatchMatch,
    Feedback,
    Introduction,
    PastOccupation,
    Proposal,
    Site,
    SkillProfile,
    Vacancy,
    VacancyLanguage,
    VacancySkill,
)
from pont.people.choices import ConsentPurpose
from pont.people.models import Person
from pont.taxonomy.models import Occupation, Relation, Skill

# Lists that span several rows, so no model field holds their limit (the API schema reads these too).
MAX_SKILLS = 200       # skills of a profile; essential, and optional, skills of a vacancy
MAX_OCCUPATIONS = 20   # desired, and past, occupations of a profile
MAX_LANGUAGES = 10     # languages a vacancy requires



def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _too_many(errors: dict[str, list[str]], name: str, items: list | None, limit: int) -> None:
    if items is not None and len(items) > limit:
        errors.setdefault(name, []).append(
            ngettext("At most %(n)d item.", "At most %(n)d items.", limit) % {"n": limit})


# ------------------------------------------------------------------------------------- skill profile

@dataclass
class ProfileInput:
    """A whole skill profile as the page and the API give it (the model holds the limits and defaults)."""

    travel_radius_km: int = 30
    driving_licence: bool = False
    has_car: bool = False
    cross_border: bool = True
    contract_wishes: list[str] = field(default_factory=list)
    available_from: dt.date | None = None
    skills: list[Skill] | None = None                          # None: leave as they are
    desired_occupations: list[Occupation] | None = None
    past_occupations: list[tuple[Occupation, Decimal | float]] | None = None  # (occupation, years); later wins


PROFILE_FIELDS = ("travel_radius_km", "driving_licence", "has_car", "cross_border", "contract_wishes",
                  "available_from")


def profile_save(*, person: Person, by: User, data: ProfileInput) -> SkillProfile:
    """Create or change a person's skill profile; lists given as None are left unchanged."""
    access.require(by, "matching.change_profile", person)
    organisation = access.acting_organisation(by, role=Role.ADVISER, person=person)
    errors: dict[str, list[str]] = {}
    _too_many(errors, "skills", data.skills, MAX_SKILLS)
    _too_many(errors, "desired_occupations", data.desired_occupations, MAX_OCCUPATIONS)
    past: list[PastOccupation] = []
    if data.past_occupations is not None:
        years = {occupation: Decimal(str(value)) for occupation, value in data.past_occupations}
        past = [PastOccupation(occupation=occupation, years=value) for occupation, value in years.items()]
        _too_many(errors, "past_occupations", past, MAX_OCCUPATIONS)
        for row in past:
            collect_errors(errors, row, under="past_occupations", exclude=["profile"], validate_unique=False,
                     validate_constraints=False)
    with transaction.atomic():
        profile = SkillProfile.objects.select_for_update().filter(person=person).first()
        created = profile is None
        profile = profile or SkillProfile(person=person)
        values = {name: getattr(data, name) for name in PROFILE_FIELDS}
        values["contract_wishes"] = sorted(set(data.contract_wishes))
        for name, value in values.items():
            setattr(profile, name, value)
        profile.updated_at, profile.updated_by = timezone.now(), by
        collect_errors(errors, profile)
        _raise(errors)
        profile.save()
        if data.skills is not None:
            profile.skills.set(data.skills)
        if data.desired_occupations is not None:
            profile.desired_occupations.set(data.desired_occupations)
        if data.past_occupations is not None:
            profile.past_occupations.all().delete()
            for row in past:
                row.profile = profile
            PastOccupation.objects.bulk_create(past)
        audit(actor=by, verb="skill_profile.created" if created else "skill_profile.updated", obj=profile,
              person=person, organisation=organisation)
    return profile


# -------------------------------------------------------------------------------------------- sites

def site_create(*, employer: Organisation, by: User, name: str, municipality: Municipality,
                address: str = "") -> Site:
    """Add a site (plant, warehouse, shop) to the employer's company."""
    access.require(by, "matching.add_site", employer)
    site = Site(employer=employer, name=(name or "").strip(), municipality=municipality,
                address=(address or "").strip())
    site.full_clean(validate_constraints=False)
    taken = Conflict({"name": Site._meta.constraints[0].get_violation_error_message()})
    try:
        site.validate_constraints()
        with transaction.atomic():
            site.save()
            audit(actor=by, verb="site.created", obj=site, organisation=employer)
    except (ValidationError, IntegrityError):  # the same name twice (IntegrityError: two requests at once)
        raise taken from None
    return site


# ---------------------------------------------------------------------------------------- vacancies

# The fields of a vacancy the page and the API set; the others are the service's (employer, creator…).
VACANCY_FIELDS = ("site", "occupation", "title", "description", "contract_type", "contract_months",
                  "hours_per_week", "posts", "shop_floor_training", "status")


@dataclass
class VacancySkills:
    """The skills and languages of a vacancy, as given; None leaves a list as it is (or, for the skills of a
    new occupation, takes ESCO's). A skill in both lists is essential."""

    languages: Mapping[str, str] | None = None   # ISO 639-3 → minimum level
    essential: list[Skill] | None = None
    optional: list[Skill] | None = None


def _esco_skills(occupation: Occupation) -> tuple[list[Skill], list[Skill]]:
    relations = list(occupation.relations.select_related("skill"))
    return ([r.skill for r in relations if r.relation == Relation.ESSENTIAL],
            [r.skill for r in relations if r.relation == Relation.OPTIONAL])


def _checked_lists(vacancy: Vacancy, lists: VacancySkills, errors: dict[str, list[str]]) -> list[VacancyLanguage]:
    """Check the lists' sizes and each language requirement (its model's choices); return the language rows."""
    _too_many(errors, "essential_skills", lists.essential, MAX_SKILLS)
    _too_many(errors, "optional_skills", lists.optional, MAX_SKILLS)
    rows = [VacancyLanguage(vacancy=vacancy, code=code.lower(), level=level)
            for code, level in (lists.languages or {}).items()]
    _too_many(errors, "languages", rows, MAX_LANGUAGES)
    for row in rows:
        collect_errors(errors, row, under="languages", exclude=["vacancy"], validate_unique=False,
                 validate_constraints=False)
    return rows


def _save_lists(vacancy: Vacancy, lists: VacancySkills, languages: list[VacancyLanguage]) -> None:
    if lists.essential is not None or lists.optional is not None:
        essential = list(dict.fromkeys(lists.essential or []))
        optional = [s for s in dict.fromkeys(lists.optional or []) if s not in essential]
        vacancy.skill_links.all().delete()
        VacancySkill.objects.bulk_create(
            [VacancySkill(vacancy=vacancy, skill=s, relation=Relation.ESSENTIAL) for s in essential]
            + [VacancySkill(vacancy=vacancy, skill=s, relation=Relation.OPTIONAL) for s in optional])
    if lists.languages is not None:
        vacancy.languages.all().delete()
        VacancyLanguage.objects.bulk_create(languages)


def _title(values: Mapping[str, Any], occupation: Occupation) -> str:
    """The title given, or the occupation's label in the active language."""
    return (values.get("title") or "").strip() or occupation.label()


def vacancy_create(*, by: User, values: Mapping[str, Any], lists: VacancySkills | None = None) -> Vacancy:
    """Post a vacancy at `values["site"]` for that site's employer. `values` are VACANCY_FIELDS (absent
    ones take the model's defaults); without skills given, they come from ESCO's occupation."""
    assert set(values) <= set(VACANCY_FIELDS), set(values) - set(VACANCY_FIELDS)
    site, occupation = values["site"], values["occupation"]
    access.require(by, "matching.add_vacancy", site)
    lists = lists or VacancySkills()
    if lists.essential is None and lists.optional is None:
        lists.essential, lists.optional = _esco_skills(occupation)
    vacancy = Vacancy(**{**values, "title": _title(values, occupation)}, employer_id=site.employer_id,
                      created_by=by)
    errors: dict[str, list[str]] = {}
    collect_errors(errors, vacancy)
    languages = _checked_lists(vacancy, lists, errors)
    _raise(errors)
    with transaction.atomic():
        vacancy.save()
        for row in languages:
            row.vacancy = vacancy
        _save_lists(vacancy, lists, languages)
        audit(actor=by, verb="vacancy.created", obj=vacancy, organisation=vacancy.employer)
    return vacancy


def vacancy_update(*, vacancy: Vacancy, by: User, changes: Mapping[str, Any],
                   lists: VacancySkills | None = None) -> Vacancy:
    """Change some of a vacancy's VACANCY_FIELDS (and lists); a new occupation without skills given takes
    ESCO's. The vacancy stays at one of its own employer's sites."""
    assert set(changes) <= set(VACANCY_FIELDS), set(changes) - set(VACANCY_FIELDS)
    access.require(by, "matching.change_vacancy", vacancy)
    lists = lists or VacancySkills()
    occupation = changes.get("occupation", vacancy.occupation)
    if occupation.pk != vacancy.occupation_id and lists.essential is None and lists.optional is None:
        lists.essential, lists.optional = _esco_skills(occupation)
    changes = {**changes, "title": _title(changes, occupation)} if "title" in changes else dict(changes)
    if "site" in changes and changes["site"].employer_id != vacancy.employer_id:
        raise ValidationError({"site": _("Choose one of your company's sites.")})
    errors: dict[str, list[str]] = {}
    languages = _checked_lists(vacancy, lists, errors)
    _raise(errors)
    with transaction.atomic():
        _vacancy, changed = model_update(instance=vacancy, data=changes, fields=changes)
        _save_lists(vacancy, lists, languages)
        if lists.essential is not None or lists.optional is not None:
            changed.append("skills")
        if lists.languages is not None:
            changed.append("languages")
        audit(actor=by, verb="vacancy.updated", obj=vacancy, organisation=vacancy.employer,
              detail={"fields": changed})
    return vacancy


# ---------------------------------------------------------------------------------------- proposals

def has_employer_consent(person: Person) -> bool:
    return person.consents.filter(purpose=ConsentPurpose.SHARE_EMPLOYERS, withdrawn_at__isnull=True).exists()


def proposal_create(*, person: Person, vacancy: Vacancy, by: User, note: str = "") -> Proposal:
    """Put a person forward for an open vacancy. Needs their consent to share with employers and a right
    to work in the vacancy's country (may work, or needs a permit the employer can apply for).

    `person` must come from the adviser's scope (people.selectors.person_get).
    """
    access.require(by, "matching.propose", person)
    access.require(by, "matching.view_vacancy", vacancy)
    organisation = access.acting_organisation(by, role=Role.ADVISER, person=person)
    proposal = Proposal(vacancy=vacancy, person=person, organisation=organisation, proposed_by=by,
                        note=(note or "").strip())
    proposal.full_clean(validate_constraints=False)
    conflicts: dict[str, str] = {}
    if vacancy.status != VacancyStatus.OPEN:
        conflicts["vacancy"] = _("This vacancy is no longer open.")
    if not has_employer_consent(person):
        conflicts["person"] = _("%(name)s has not consented to sharing their profile with employers. "
                                "Record the consent first.") % {"name": person.full_name}
    if conflicts:
        raise Conflict(conflicts)
    person = adapters.person_queryset(Person.objects.filter(pk=person.pk)).get()
    snapshot, match = adapters.score_pair(person.pk, vacancy.pk)
    explanation = match.explanation
    if explanation.right_to_work == "may_not_work":
        raise Conflict({"person": _("%(name)s may not work in this vacancy's country.") % {"name": person.full_name}})
    profile = adapters.profile_of(person)
    if explanation.cross_border and profile is not None and not profile.cross_border:
        raise Conflict({"person": _("%(name)s does not wish to work across the border.")
                        % {"name": person.full_name}})
    proposal.score = match.score
    proposal.explanation = adapters.describe(explanation, snapshot.languages, "en")
    try:
        with transaction.atomic():
            proposal.save()
            audit(actor=by, verb="proposal.created", obj=proposal, person=person, organisation=organisation,
                  detail={"vacancy": vacancy.pk, "employer": vacancy.employer_id, "score": match.score})
    except IntegrityError:
        raise Conflict({"person": _("%(name)s is already proposed for this vacancy.")
                        % {"name": person.full_name}}) from None
    return proposal


def _set_status(proposal: Proposal, status: str) -> None:
    model_update(instance=proposal, data={"status": status, "status_changed_at": timezone.now()},
                 fields=["status", "status_changed_at"])


def proposal_answer(*, proposal: Proposal, by: User, accepted: bool) -> Proposal:
    """Record the candidate's answer to the employer's interview request (the adviser records it).

    Accepting reveals the candidate's name and contact to the employer.
    """
    access.require(by, "matching.answer_proposal", proposal)
    if proposal.status != ProposalStatus.INTERVIEW_REQUESTED:
        raise Conflict(_("The employer has not asked for an interview."))
    if accepted and not has_employer_consent(proposal.person):
        raise Conflict(_("The consent to share with employers was withdrawn."))
    with transaction.atomic():
        _set_status(proposal, ProposalStatus.INTERVIEW_ACCEPTED if accepted else ProposalStatus.INTERVIEW_DECLINED)
        audit(actor=by, verb="proposal.interview_accepted" if accepted else "proposal.interview_declined",
              obj=proposal, person=proposal.person, organisation=proposal.organisation)
    return proposal


def proposal_withdraw(*, proposal: Proposal, by: User) -> Proposal:
    """Take a candidate off the employer's shortlist (the candidate changed their mind, found a job…)."""
    access.require(by, "matching.withdraw_proposal", proposal)
    if proposal.status in CLOSED_PROPOSAL:
        raise Conflict(_("This proposal is already closed."))
    with transaction.atomic():
        _set_status(proposal, ProposalStatus.WITHDRAWN)
        audit(actor=by, verb="proposal.withdrawn", obj=proposal, person=proposal.person,
              organisation=proposal.organisation)
    return proposal


# Which employer feedback may follow which state of a proposal.
_ALLOWED_FROM: dict[str, frozenset[str]] = {
    FeedbackOutcome.INTERVIEW_REQUESTED: frozenset({ProposalStatus.PROPOSED}),
    FeedbackOutcome.INTERVIEWED: frozenset({ProposalStatus.INTERVIEW_ACCEPTED}),
    FeedbackOutcome.NOT_RETAINED: frozenset({ProposalStatus.PROPOSED, ProposalStatus.INTERVIEW_REQUESTED,
                                             ProposalStatus.INTERVIEW_ACCEPTED, ProposalStatus.INTERVIEWED}),
    FeedbackOutcome.HIRED: frozenset({ProposalStatus.INTERVIEW_ACCEPTED, ProposalStatus.INTERVIEWED}),
}


def _record_placement(proposal: Proposal, by: User, start_date: dt.date):
    """Turn a hire into a placement in the employment pathway (its service decides what is valid)."""
    from pont.employment.services import placement_create

    vacancy = proposal.vacancy
    return placement_create(
        person=proposal.person, by=by, job_title=vacancy.title, contract_type=vacancy.contract_type,
        start_date=start_date, employer=vacancy.employer, contract_months=vacancy.contract_months,
        hours_per_week=vacancy.hours_per_week, occupation_uri=vacancy.occupation.uri,
        organisation=proposal.organisation)


def feedback_record(*, proposal: Proposal, by: User, outcome: str, reason: str = "", note: str = "",
                    start_date: dt.date | None = None) -> Feedback:
    """Record the employer's word on a candidate. "Hired" records a placement and fills the vacancy when
    every post is taken."""
    access.require(by, "matching.give_feedback", proposal)
    vacancy = proposal.vacancy
    feedback = Feedback(proposal=proposal, outcome=outcome, given_by=by, note=(note or "").strip(),
                        reason=reason if outcome == FeedbackOutcome.NOT_RETAINED else "",
                        start_date=start_date if outcome == FeedbackOutcome.HIRED else None)
    feedback.full_clean()
    if proposal.status not in _ALLOWED_FROM[outcome]:
        raise Conflict({"outcome": _("Not possible now: the proposal is “%(status)s”.") % {
            "status": ProposalStatus(proposal.status).label}})
    with transaction.atomic():
        feedback.save()
        _set_status(proposal, outcome)
        detail: dict[str, Any] = {"outcome": outcome}
        if outcome == FeedbackOutcome.HIRED:
            assert feedback.start_date is not None  # Feedback.FIELD_RULES
            placement = _record_placement(proposal, by, feedback.start_date)
            detail["placement"] = placement.pk
            hired = vacancy.proposals.filter(status=ProposalStatus.HIRED).count()
            if hired >= vacancy.posts and vacancy.status == VacancyStatus.OPEN:
                model_update(instance=vacancy, data={"status": VacancyStatus.FILLED}, fields=["status"])
        audit(actor=by, verb=f"proposal.{outcome}", obj=proposal, person=proposal.person,
              organisation=vacancy.employer, detail=detail)
    return feedback


# ----------------------------------------------------------------------------------- the nightly batch

def batch_store(*, person_ids: np.ndarray, vacancy_ids: np.ndarray, top_idx: np.ndarray,
                top_score: np.ndarray) -> int:
    """Replace the batch's results with these (rows of the snapshot's people × their best vacancy rows), in
    bulk; return how many lines were written. Audited as one event (a system job: no actor)."""
    rows, ranks = np.nonzero(top_idx >= 0)
    now = timezone.now()
    lines = [BatchMatch(person_id=int(person_ids[r]), vacancy_id=int(vacancy_ids[top_idx[r, k]]), rank=int(k) + 1,
                        score=float(top_score[r, k]), computed_at=now) for r, k in zip(rows, ranks, strict=True)]
    with transaction.atomic():
        BatchMatch.objects.all().delete()
        BatchMatch.objects.bulk_create(lines, batch_size=5000)
        audit(actor=None, verb="matching.batch.computed", obj=None,
              detail={"people": len(person_ids), "lines": len(lines)})
    return len(lines)


# ----------------------------------------------------------------- introductions (the employer's own search)

def introduction_request(*, vacancy: Vacancy, candidate: str, by: User, message: str = "") -> Introduction:
    """The employer asks the adviser of a candidate she found to introduce them for her open vacancy. She
    knows the candidate by `candidate`: the vacancy's code (`selectors.candidate_search`) or her company's
    (`selectors.needs_search`, a search without a vacancy); the request and the shortlist use the vacancy's."""
    access.require(by, "matching.search_candidates", vacancy)
    if vacancy.status != VacancyStatus.OPEN:
        raise Conflict({"vacancy": _("This vacancy is no longer open.")})
    person_id = next((pk for pk in selectors.candidate_pool(vacancy).values_list("pk", flat=True).iterator()
                      if candidate in (selectors.candidate_code(vacancy.pk, pk),
                                       selectors.needs_code(vacancy.employer_id, pk))), None)
    if person_id is None:
        raise Http404  # no such candidate (or no longer: consent withdrawn, already proposed or asked for)
    introduction = Introduction(vacancy=vacancy, person_id=person_id,
                                pseudonym=selectors.candidate_code(vacancy.pk, person_id),
                                message=(message or "").strip(), requested_by=by)
    introduction.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            introduction.save()
            audit(actor=by, verb="introduction.requested", obj=introduction, person=introduction.person,
                  organisation=vacancy.employer, detail={"vacancy": vacancy.pk})
            transaction.on_commit(lambda: _tell_the_advisers(introduction))
    except IntegrityError:
        raise Conflict({"candidate": _("You already asked for this candidate.")}) from None
    return introduction


def introduction_answer(*, introduction: Introduction, by: User, accepted: bool, note: str = "") -> Introduction:
    """The candidate's adviser answers: accepting proposes the person for the vacancy the usual way (their
    consent and right to work are checked there), under the code the employer knows them by."""
    access.require(by, "matching.answer_introduction", introduction)
    if introduction.status != IntroductionStatus.REQUESTED:
        raise Conflict(_("This request was already answered."))
    with transaction.atomic():
        if accepted:
            proposal = proposal_create(person=introduction.person, vacancy=introduction.vacancy, by=by, note=note)
            proposal.pseudonym = introduction.pseudonym
            proposal.save(update_fields=["pseudonym"])
            introduction.proposal = proposal
        introduction.status = IntroductionStatus.ACCEPTED if accepted else IntroductionStatus.DECLINED
        introduction.answered_by, introduction.answered_at = by, timezone.now()
        introduction.save(update_fields=["status", "answered_by", "answered_at", "proposal"])
        audit(actor=by, verb="introduction.answered", obj=introduction, person=introduction.person,
              detail={"accepted": accepted, "vacancy": introduction.vacancy_id})
    return introduction


def _tell_the_advisers(introduction: Introduction) -> None:
    """E-mail the advisers of the organisations holding the person's open file, each in their language: an
    employer asks for an introduction. The message names the vacancy and the code, not the person."""
    org_ids = access.open_file_organisation_ids(introduction.person)
    advisers = User.objects.filter(memberships__organisation_id__in=org_ids, memberships__role=Role.ADVISER,
                                   is_active=True).exclude(email="").distinct()
    vacancy = introduction.vacancy
    mail_each(advisers, lambda: (
        _("Pont: an employer asks to meet one of your people"),
        _("%(employer)s found candidate %(code)s in Pont's candidate search for the vacancy “%(vacancy)s” and asks "
          "you for an introduction. Open Vacancies → Employers' introduction requests to propose the person or "
          "decline.") % {"employer": vacancy.employer.name, "code": introduction.pseudonym, "vacancy": vacancy.title}))
