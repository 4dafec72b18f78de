"""Every write of the matching app: profiles, sites, vacancies, proposals, employer feedback.

Each runs in one transaction, checks the acting user's right to do it, and appends to the audit trail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pont.audit.services import audit
from pont.core import access
from pont.core.i18n import is_language_code
from pont.core.models import Municipality, Organisation
from pont.core.roles import OrganisationKind, Role
from pont.matching import adapters
from pont.matching.choices import (
    CLOSED_PROPOSAL,
    ContractType,
    FeedbackOutcome,
    NotRetainedReason,
    ProposalStatus,
    VacancyStatus,
)
from pont.matching.models import (
    Feedback,
    PastOccupation,
    Proposal,
    Site,
    SkillProfile,
    Vacancy,
    VacancyLanguage,
    VacancySkill,
)
from pont.people.choices import Cefr, ConsentPurpose
from pont.people.models import Person
from pont.taxonomy.models import Occupation, Relation, Skill

MAX_SKILLS = 200


# ------------------------------------------------------------------------------------- skill profile

@dataclass
class ProfileInput:
    travel_radius_km: int = 30
    driving_licence: bool = False
    has_car: bool = False
    cross_border: bool = True
    contract_wishes: list[str] = field(default_factory=list)
    available_from: dt.date | None = None
    skills: list[Skill] | None = None                          # None: leave as they are
    desired_occupations: list[Occupation] | None = None
    past_occupations: list[tuple[Occupation, Decimal]] | None = None  # (occupation, years)


def _validate_profile(data: ProfileInput) -> None:
    errors: dict = {}
    if not 1 <= data.travel_radius_km <= 300:
        errors["travel_radius_km"] = _("Enter a radius between 1 and 300 km.")
    if any(c not in ContractType.values for c in data.contract_wishes):
        errors["contract_wishes"] = _("Choose one of the options.")
    if data.has_car and not data.driving_licence:
        errors["has_car"] = _("A car is only useful with a driving licence: tick the licence too.")
    if data.skills is not None and len(data.skills) > MAX_SKILLS:
        errors["skills"] = _("At most %(n)d skills.") % {"n": MAX_SKILLS}
    if data.past_occupations is not None:
        if any(not (0 <= Decimal(str(years)) <= 60) for _occ, years in data.past_occupations):
            errors["past_occupations"] = _("Years of experience lie between 0 and 60.")
        elif len({occ.pk for occ, _years in data.past_occupations}) != len(data.past_occupations):
            errors["past_occupations"] = _("Each occupation only once.")
    today = timezone.localdate()
    if data.available_from and not (today - dt.timedelta(days=3650) <= data.available_from
                                    <= today + dt.timedelta(days=730)):
        errors["available_from"] = _("Enter a date within two years from now.")
    if errors:
        raise ValidationError(errors)


def profile_save(*, person: Person, by, data: ProfileInput) -> SkillProfile:
    """Create or change a person's skill profile; lists given as None are left unchanged."""
    _validate_profile(data)
    with transaction.atomic():
        profile, created = SkillProfile.objects.select_for_update().get_or_create(person=person)
        for name in ("travel_radius_km", "driving_licence", "has_car", "cross_border", "available_from"):
            setattr(profile, name, getattr(data, name))
        profile.contract_wishes = sorted(set(data.contract_wishes))
        profile.updated_at, profile.updated_by = timezone.now(), by
        profile.save()
        if data.skills is not None:
            profile.skills.set(data.skills)
        if data.desired_occupations is not None:
            profile.desired_occupations.set(data.desired_occupations)
        if data.past_occupations is not None:
            profile.past_occupations.all().delete()
            PastOccupation.objects.bulk_create(
                PastOccupation(profile=profile, occupation=occ, years=Decimal(str(years)))
                for occ, years in data.past_occupations)
        audit(actor=by, verb="skill_profile.created" if created else "skill_profile.updated", obj=profile,
              person=person, organisation=access.acting_organisation(by, role=Role.ADVISER, person=person))
    return profile


def profile_input_from(profile: SkillProfile | None) -> ProfileInput:
    """Return the profile's current values as input (for partial changes)."""
    if profile is None or profile.pk is None:
        return ProfileInput()
    return ProfileInput(
        travel_radius_km=profile.travel_radius_km, driving_licence=profile.driving_licence, has_car=profile.has_car,
        cross_border=profile.cross_border, contract_wishes=list(profile.contract_wishes),
        available_from=profile.available_from,
    )


# -------------------------------------------------------------------------------------------- sites

def _employer_of(by, company: Organisation) -> None:
    if company.kind != OrganisationKind.COMPANY or \
            not by.memberships.filter(organisation=company, role=Role.EMPLOYER).exists():
        raise ValidationError(_("Only the company's own employers can do this."))


def site_create(*, company: Organisation, by, name: str, municipality: Municipality, address: str = "") -> Site:
    """Add a site (plant, warehouse, shop) to the employer's company."""
    _employer_of(by, company)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("This field is required.")})
    try:
        with transaction.atomic():
            site = Site.objects.create(company=company, name=name[:120], municipality=municipality,
                                       address=(address or "").strip()[:200])
            audit(actor=by, verb="site.created", obj=site, organisation=company)
    except IntegrityError:
        raise ValidationError({"name": _("Your company already has a site with this name.")}) from None
    return site


# ---------------------------------------------------------------------------------------- vacancies

@dataclass
class VacancyInput:
    site: Site
    occupation: Occupation
    title: str = ""
    description: str = ""
    contract_type: str = ContractType.OPEN_ENDED
    contract_months: int | None = None
    hours_per_week: int = 38
    posts: int = 1
    shop_floor_training: bool = False
    status: str = VacancyStatus.OPEN
    languages: dict[str, str] = field(default_factory=dict)  # ISO 639-3 → minimum CEFR level
    essential_skills: list[Skill] | None = None  # None: take the occupation's ESCO relations
    optional_skills: list[Skill] | None = None


def _validate_vacancy(data: VacancyInput, company: Organisation) -> None:
    errors: dict = {}
    if data.site.company_id != company.pk:
        errors["site"] = _("Choose one of your company's sites.")
    if data.contract_type not in ContractType.values:
        errors["contract_type"] = _("Choose one of the options.")
    elif data.contract_type == ContractType.FIXED_TERM and not data.contract_months:
        errors["contract_months"] = _("Give the length of a fixed-term contract in months.")
    if data.contract_months is not None and not 1 <= data.contract_months <= 120:
        errors["contract_months"] = _("Enter a length between 1 and 120 months.")
    if not 1 <= data.hours_per_week <= 60:
        errors["hours_per_week"] = _("Enter between 1 and 60 hours a week.")
    if not 1 <= data.posts <= 500:
        errors["posts"] = _("Enter between 1 and 500 posts.")
    if data.status not in VacancyStatus.values:
        errors["status"] = _("Choose one of the options.")
    bad = [code for code, level in data.languages.items()
           if not is_language_code(code) or level not in Cefr.values or level in ("none", "")]
    if bad:
        errors["languages"] = _("Give each language as an ISO 639-3 code with a level from A1 to native.")
    essential, optional = data.essential_skills or [], data.optional_skills or []
    if {s.pk for s in essential} & {s.pk for s in optional}:
        errors["optional_skills"] = _("A skill is either essential or optional, not both.")
    if len(essential) + len(optional) > MAX_SKILLS:
        errors["essential_skills"] = _("At most %(n)d skills.") % {"n": MAX_SKILLS}
    if errors:
        raise ValidationError(errors)


def _set_vacancy_skills(vacancy: Vacancy, essential: list[Skill], optional: list[Skill]) -> None:
    vacancy.skill_links.all().delete()
    VacancySkill.objects.bulk_create(
        [VacancySkill(vacancy=vacancy, skill=s, relation=Relation.ESSENTIAL) for s in dict.fromkeys(essential)]
        + [VacancySkill(vacancy=vacancy, skill=s, relation=Relation.OPTIONAL) for s in dict.fromkeys(optional)])


def _set_vacancy_languages(vacancy: Vacancy, languages: dict[str, str]) -> None:
    vacancy.languages.all().delete()
    VacancyLanguage.objects.bulk_create(VacancyLanguage(vacancy=vacancy, code=code.lower(), level=level)
                                        for code, level in languages.items())


def vacancy_create(*, company: Organisation, by, data: VacancyInput) -> Vacancy:
    """Post a vacancy; without skills given, its essential and optional skills come from ESCO's occupation."""
    _employer_of(by, company)
    if data.essential_skills is None and data.optional_skills is None:
        relations = list(data.occupation.relations.select_related("skill"))
        data.essential_skills = [r.skill for r in relations if r.relation == Relation.ESSENTIAL]
        data.optional_skills = [r.skill for r in relations if r.relation == Relation.OPTIONAL]
    _validate_vacancy(data, company)
    with transaction.atomic():
        vacancy = Vacancy.objects.create(
            company=company, site=data.site, occupation=data.occupation,
            title=(data.title or "").strip()[:200] or data.occupation.label(), description=data.description[:4000],
            contract_type=data.contract_type, contract_months=data.contract_months,
            hours_per_week=data.hours_per_week, posts=data.posts, shop_floor_training=data.shop_floor_training,
            status=data.status, created_by=by)
        _set_vacancy_skills(vacancy, data.essential_skills or [], data.optional_skills or [])
        _set_vacancy_languages(vacancy, data.languages)
        audit(actor=by, verb="vacancy.created", obj=vacancy, organisation=company)
    return vacancy


VACANCY_FIELDS = ("site", "occupation", "title", "description", "contract_type", "contract_months",
                  "hours_per_week", "posts", "shop_floor_training", "status")


def vacancy_input_from(vacancy: Vacancy) -> VacancyInput:
    links = list(vacancy.skill_links.select_related("skill"))
    return VacancyInput(
        **{name: getattr(vacancy, name) for name in VACANCY_FIELDS},
        languages={lang.code: lang.level for lang in vacancy.languages.all()},
        essential_skills=[link.skill for link in links if link.relation == Relation.ESSENTIAL],
        optional_skills=[link.skill for link in links if link.relation == Relation.OPTIONAL],
    )


def vacancy_update(*, vacancy: Vacancy, by, data: VacancyInput) -> Vacancy:
    """Change a vacancy (all its fields, skills and languages as given)."""
    _employer_of(by, vacancy.company)
    if data.occupation.pk != vacancy.occupation_id and data.essential_skills is None and data.optional_skills is None:
        relations = list(data.occupation.relations.select_related("skill"))  # a new occupation: ESCO's skills
        data.essential_skills = [r.skill for r in relations if r.relation == Relation.ESSENTIAL]
        data.optional_skills = [r.skill for r in relations if r.relation == Relation.OPTIONAL]
    _validate_vacancy(data, vacancy.company)
    with transaction.atomic():
        changed = [name for name in VACANCY_FIELDS if getattr(vacancy, name) != getattr(data, name)]
        for name in VACANCY_FIELDS:
            setattr(vacancy, name, getattr(data, name))
        vacancy.title = (vacancy.title or "").strip()[:200] or vacancy.occupation.label()
        vacancy.save()
        if data.essential_skills is not None or data.optional_skills is not None:
            _set_vacancy_skills(vacancy, data.essential_skills or [], data.optional_skills or [])
            changed.append("skills")
        _set_vacancy_languages(vacancy, data.languages)
        audit(actor=by, verb="vacancy.updated", obj=vacancy, organisation=vacancy.company,
              detail={"fields": changed})
    return vacancy


# ---------------------------------------------------------------------------------------- proposals

def has_employer_consent(person: Person) -> bool:
    return person.consents.filter(purpose=ConsentPurpose.SHARE_EMPLOYERS, withdrawn_at__isnull=True).exists()


def proposal_create(*, person: Person, vacancy: Vacancy, by, note: str = "") -> Proposal:
    """Put a person forward for an open vacancy. Needs their consent to share with employers and a right
    to work in the vacancy's country (may work, or needs a permit the employer can apply for).

    `person` must come from the adviser's scope (people.selectors.person_get).
    """
    if not access.holds(by, Role.ADVISER):
        raise ValidationError(_("Only advisers propose candidates."))
    errors: dict = {}
    if vacancy.status != VacancyStatus.OPEN:
        errors["vacancy"] = _("This vacancy is no longer open.")
    if not has_employer_consent(person):
        errors["person"] = _("%(name)s has not consented to sharing their profile with employers. "
                             "Record the consent first.") % {"name": person.full_name}
    if errors:
        raise ValidationError(errors)
    person = adapters.person_queryset(Person.objects.filter(pk=person.pk)).get()
    vacancy = adapters.vacancy_queryset(Vacancy.objects.filter(pk=vacancy.pk)).get()
    snapshot, match = adapters.score_pair(person, vacancy)
    explanation = match.explanation
    if explanation.right_to_work == "may_not_work":
        raise ValidationError({"person": _("%(name)s may not work in this vacancy's country.")
                               % {"name": person.full_name}})
    profile = getattr(person, "skill_profile", None)
    if explanation.cross_border and profile is not None and not profile.cross_border:
        raise ValidationError({"person": _("%(name)s does not wish to work across the border.")
                               % {"name": person.full_name}})
    organisation = access.acting_organisation(by, role=Role.ADVISER, person=person)
    try:
        with transaction.atomic():
            proposal = Proposal.objects.create(
                vacancy=vacancy, person=person, organisation=organisation, proposed_by=by, score=match.score,
                explanation=adapters.describe(explanation, snapshot.languages, "en"), note=(note or "")[:500])
            audit(actor=by, verb="proposal.created", obj=proposal, person=person, organisation=organisation,
                  detail={"vacancy": vacancy.pk, "company": vacancy.company_id, "score": match.score})
    except IntegrityError:
        raise ValidationError({"person": _("%(name)s is already proposed for this vacancy.")
                               % {"name": person.full_name}}) from None
    return proposal


def _set_status(proposal: Proposal, status: str) -> None:
    proposal.status = status
    proposal.status_changed_at = timezone.now()
    proposal.save(update_fields=["status", "status_changed_at"])


def proposal_answer(*, proposal: Proposal, by, accepted: bool) -> Proposal:
    """Record the candidate's answer to the employer's interview request (the adviser records it).

    Accepting reveals the candidate's name and contact to the employer.
    """
    if proposal.status != ProposalStatus.INTERVIEW_REQUESTED:
        raise ValidationError(_("The employer has not asked for an interview."))
    if accepted and not has_employer_consent(proposal.person):
        raise ValidationError(_("The consent to share with employers was withdrawn."))
    with transaction.atomic():
        _set_status(proposal, ProposalStatus.INTERVIEW_ACCEPTED if accepted else ProposalStatus.INTERVIEW_DECLINED)
        audit(actor=by, verb="proposal.interview_accepted" if accepted else "proposal.interview_declined",
              obj=proposal, person=proposal.person, organisation=proposal.organisation)
    return proposal


def proposal_withdraw(*, proposal: Proposal, by) -> Proposal:
    """Take a candidate off the employer's shortlist (the candidate changed their mind, found a job…)."""
    if proposal.status in CLOSED_PROPOSAL:
        raise ValidationError(_("This proposal is already closed."))
    with transaction.atomic():
        _set_status(proposal, ProposalStatus.WITHDRAWN)
        audit(actor=by, verb="proposal.withdrawn", obj=proposal, person=proposal.person,
              organisation=proposal.organisation)
    return proposal


# Which employer feedback may follow which state of a proposal.
_ALLOWED_FROM = {
    FeedbackOutcome.INTERVIEW_REQUESTED: {ProposalStatus.PROPOSED},
    FeedbackOutcome.INTERVIEWED: {ProposalStatus.INTERVIEW_ACCEPTED},
    FeedbackOutcome.NOT_RETAINED: {ProposalStatus.PROPOSED, ProposalStatus.INTERVIEW_REQUESTED,
                                   ProposalStatus.INTERVIEW_ACCEPTED, ProposalStatus.INTERVIEWED},
    FeedbackOutcome.HIRED: {ProposalStatus.INTERVIEW_ACCEPTED, ProposalStatus.INTERVIEWED},
}


def _record_placement(proposal: Proposal, by, start_date: dt.date):
    """Turn a hire into a placement in the employment pathway (its service decides what is valid)."""
    from pont.employment.services import placement_create

    vacancy = proposal.vacancy
    return placement_create(
        person=proposal.person, by=by, job_title=vacancy.title, contract_type=vacancy.contract_type,
        start_date=start_date, employer=vacancy.company, contract_months=vacancy.contract_months,
        hours_per_week=vacancy.hours_per_week, occupation_uri=vacancy.occupation.uri,
        organisation=proposal.organisation)


def feedback_record(*, proposal: Proposal, by, outcome: str, reason: str = "", note: str = "",
                    start_date: dt.date | None = None) -> Feedback:
    """Record the employer's word on a candidate. "Hired" records a placement and fills the vacancy when
    every post is taken."""
    vacancy = proposal.vacancy
    _employer_of(by, vacancy.company)
    errors: dict = {}
    if outcome not in FeedbackOutcome.values:
        errors["outcome"] = _("Choose one of the options.")
    elif proposal.status not in _ALLOWED_FROM[outcome]:
        errors["outcome"] = _("Not possible now: the proposal is “%(status)s”.") % {
            "status": ProposalStatus(proposal.status).label}
    if outcome == FeedbackOutcome.NOT_RETAINED and reason not in NotRetainedReason.values:
        errors["reason"] = _("Say why the candidate was not retained.")
    if outcome == FeedbackOutcome.HIRED and start_date is None:
        errors["start_date"] = _("Give the start date.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        feedback = Feedback.objects.create(
            proposal=proposal, outcome=outcome, reason=reason if outcome == FeedbackOutcome.NOT_RETAINED else "",
            note=(note or "")[:1000], start_date=start_date if outcome == FeedbackOutcome.HIRED else None,
            given_by=by)
        _set_status(proposal, outcome)
        detail: dict = {"outcome": outcome}
        if outcome == FeedbackOutcome.HIRED:
            placement = _record_placement(proposal, by, start_date)
            detail["placement"] = placement.pk
            hired = vacancy.proposals.filter(status=ProposalStatus.HIRED).count()
            if hired >= vacancy.posts and vacancy.status == VacancyStatus.OPEN:
                vacancy.status = VacancyStatus.FILLED
                vacancy.save(update_fields=["status"])
        audit(actor=by, verb=f"proposal.{outcome}", obj=proposal, person=proposal.person,
              organisation=vacancy.company, detail=detail)
    return feedback
