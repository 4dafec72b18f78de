"""The matching API: sites and vacancies (employers manage their own), skill profiles, matches both ways,
proposals and employer feedback.

The same selectors, services and rules as the screens. Every field's limits and choices are read from the
models (pont.core.schemas), ids are bounded 64-bit integers, and each operation declares its answers: 401
without a valid token, 404 for a record outside the caller's scope or rights (or an id that names
nothing), 422 for a refused field, 409 when the record's current state refuses the request.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Field, ModelSchema, Query, Router, Schema, Status
from pydantic import ConfigDict

from pont.core import access
from pont.core.exceptions import Conflict
from pont.core.models import Municipality
from pont.core.roles import Role
from pont.core.schemas import LAX, NOT_BLANK, Body, Id, choice, conditions, errors, found, one, rule, years
from pont.matching import selectors, services
from pont.matching.choices import VACANCY_CONTRACTS, IntroductionStatus
from pont.matching.models import (
    Feedback,
    Introduction,
    PastOccupation,
    Proposal,
    Site,
    SkillProfile,
    Vacancy,
    VacancyLanguage,
    available_from_bounds,
)
from pont.matching.services import MAX_LANGUAGES, MAX_OCCUPATIONS, MAX_SKILLS
from pont.people.models import Person
from pont.people.selectors import person_get
from pont.taxonomy.models import Occupation, Skill

router = Router(tags=["matching"])


class LimitQuery(Schema):
    limit: int = Field(20, ge=1, le=selectors.MAX_LIMIT)


class Window(Schema):
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=10_000_000)


class VacancyQuery(Window):
    status: str | None = rule(Vacancy, "status", optional=True)
    q: str = Field("", max_length=100, description="A word of the title or of the employer's name")


class ProposalQuery(Window):
    status: str | None = rule(Proposal, "status", optional=True)


# ------------------------------------------------------------------------------------------ schemas

class Labelled(Schema):
    id: int
    label: str


def _labelled(objects) -> list[dict[str, Any]]:
    return [{"id": obj.pk, "label": obj.label()} for obj in objects]


class SiteIn(Body):
    name: str = rule(Site, "name")
    municipality: Id
    address: str = rule(Site, "address")
    employer: Id | None = Field(None, description="Your company the site belongs to; needed only if you act "
                                                  "for several")


class SiteOut(ModelSchema):
    employer: str
    municipality: str
    country: str

    class Meta:
        model = Site
        fields = ["id", "name", "address"]

    @staticmethod
    def resolve_employer(site: Site) -> str:
        return site.employer.name

    @staticmethod
    def resolve_municipality(site: Site) -> str:
        return site.municipality.name

    @staticmethod
    def resolve_country(site: Site) -> str:
        return site.municipality.region.country


class LanguageRequirement(Body):
    code: str = rule(VacancyLanguage, "code", description="ISO 639-3, e.g. fra")
    level: str = rule(VacancyLanguage, "level")


SkillIds = Field(None, max_length=MAX_SKILLS, description="Skill ids; omit both lists to take ESCO's (a new "
                                                          "occupation) or keep the current ones")


class VacancyIn(Body):
    model_config = ConfigDict(json_schema_extra=conditions(Vacancy, Vacancy.FIELD_RULES))

    site: Id = Field(..., description="One of your company's sites (GET /sites)")
    occupation: Id = Field(..., description="An ESCO occupation (GET /occupations)")
    title: str = rule(Vacancy, "title", default="", min_length=None, pattern=None,
                      description="Empty: the occupation's label")
    description: str = rule(Vacancy, "description")
    contract_type: str = rule(Vacancy, "contract_type")
    contract_months: int | None = rule(Vacancy, "contract_months")
    hours_per_week: int = rule(Vacancy, "hours_per_week")
    posts: int = rule(Vacancy, "posts")
    shop_floor_training: bool = rule(Vacancy, "shop_floor_training")
    status: str = rule(Vacancy, "status")
    languages: list[LanguageRequirement] = Field([], max_length=MAX_LANGUAGES)
    essential_skills: list[Id] | None = SkillIds
    optional_skills: list[Id] | None = SkillIds


class VacancyPatch(Body):
    """Fields left out, or null, stay as they are (contract_months null: no length)."""

    site: Id | None = None
    occupation: Id | None = None
    title: str | None = rule(Vacancy, "title", optional=True, min_length=None, pattern=None,
                             description="Empty: the occupation's label")
    description: str | None = rule(Vacancy, "description", optional=True)
    contract_type: str | None = rule(Vacancy, "contract_type", optional=True)
    contract_months: int | None = rule(Vacancy, "contract_months", optional=True)
    hours_per_week: int | None = rule(Vacancy, "hours_per_week", optional=True)
    posts: int | None = rule(Vacancy, "posts", optional=True)
    shop_floor_training: bool | None = rule(Vacancy, "shop_floor_training", optional=True)
    status: str | None = rule(Vacancy, "status", optional=True)
    languages: list[LanguageRequirement] | None = Field(None, max_length=MAX_LANGUAGES)
    essential_skills: list[Id] | None = SkillIds
    optional_skills: list[Id] | None = SkillIds


def _skill_links(vacancy: Vacancy, relation: str) -> list[dict[str, Any]]:
    return _labelled(link.skill for link in vacancy.skill_links.select_related("skill") if link.relation == relation)


class VacancyOut(ModelSchema):
    employer: str
    site: SiteOut
    occupation: Labelled
    occupation_uri: str
    languages: list[LanguageRequirement]
    essential_skills: list[Labelled]
    optional_skills: list[Labelled]

    class Meta:
        model = Vacancy
        fields = ["id", "title", "description", "contract_type", "contract_months", "hours_per_week", "posts",
                  "shop_floor_training", "status", "created_at"]

    @staticmethod
    def resolve_employer(vacancy: Vacancy) -> str:
        return vacancy.employer.name

    @staticmethod
    def resolve_occupation(vacancy: Vacancy) -> dict[str, Any]:
        return _labelled([vacancy.occupation])[0]

    @staticmethod
    def resolve_occupation_uri(vacancy: Vacancy) -> str:
        return vacancy.occupation.uri

    @staticmethod
    def resolve_languages(vacancy: Vacancy) -> list[dict[str, str]]:
        return [{"code": lang.code, "level": lang.level} for lang in vacancy.languages.all()]

    @staticmethod
    def resolve_essential_skills(vacancy: Vacancy) -> list[dict[str, Any]]:
        return _skill_links(vacancy, "essential")

    @staticmethod
    def resolve_optional_skills(vacancy: Vacancy) -> list[dict[str, Any]]:
        return _skill_links(vacancy, "optional")


class VacancyBrief(ModelSchema):
    employer: str
    municipality: str
    country: str

    class Meta:
        model = Vacancy
        fields = ["id", "title", "contract_type", "status"]

    @staticmethod
    def resolve_employer(vacancy: Vacancy) -> str:
        return vacancy.employer.name

    @staticmethod
    def resolve_municipality(vacancy: Vacancy) -> str:
        return vacancy.site.municipality.name

    @staticmethod
    def resolve_country(vacancy: Vacancy) -> str:
        return vacancy.site.municipality.region.country


class VacancyPage(Schema):
    count: int
    items: list[VacancyBrief]


class LanguageGap(Schema):
    language: str
    name: str
    required: str
    level: str


class RelatedSkill(Schema):
    id: int
    label: str
    via: Labelled = Field(..., description="The person's skill related to this one (same ESCO group, or broader "
                                          "/ narrower): partial credit")


class ExplanationOut(Schema):
    essential_met: list[Labelled]
    essential_related: list[RelatedSkill]
    essential_missing: list[Labelled]
    trainable: bool = Field(..., description="The missing essential skills can be learned in the vacancy's "
                                             "shop-floor training")
    optional_met: list[Labelled]
    optional_missing: list[Labelled]
    optional_related: list[RelatedSkill]
    language_gaps: list[LanguageGap]
    distance_km: float
    radius_km: float
    within_radius: bool
    right_to_work: Literal["may_work", "needs_permit", "may_not_work"]
    cross_border: bool
    experience_years: float
    desired_occupation: bool
    contract_wished: bool
    parts: dict[str, float] = Field(..., description="Each part of the score, 0–1: essential, optional, language, "
                                                     "distance, experience, fit; weighted as configured")


class VacancyMatch(Schema):
    vacancy: VacancyBrief
    score: float = Field(..., ge=0, le=1)
    proposal_status: str | None
    explanation: ExplanationOut


class PersonBrief(ModelSchema):
    class Meta:
        model = Person
        fields = ["id", "reference", "given_name", "family_name"]


class PersonMatch(Schema):
    person: PersonBrief
    score: float = Field(..., ge=0, le=1)
    explanation: ExplanationOut


class ShortfallsOut(Schema):
    """Why nobody (or few) fits: among the people of your caseload with a profile, how many fall short of the
    vacancy on each requirement (someone may fall short on several). Counts only, nobody named."""

    people: int
    may_not_work: int = Field(description="May not work in the vacancy's country")
    needs_permit: int = Field(description="Would need a work permit (the employer applies)")
    other_country: int = Field(description="Live in the other country and do not wish to cross the border")
    language: int = Field(description="Below a required language level")
    distance: int = Field(description="Live beyond their travel radius")
    skills: int = Field(description="Have less than half the essential skills")
    below_floor: int = Field(description="Fit, but below the score shown as a match")
    main: Literal["may_not_work", "other_country", "language", "distance", "skills"] | None = Field(
        description="The requirement that excludes most")


class PastOccupationIn(Body):
    occupation: Id
    years: float = rule(PastOccupation, "years", description="Rounded to a tenth of a year")


class PastOccupationOut(Schema):
    occupation: int
    years: float


class ProfileIn(Body):
    model_config = ConfigDict(json_schema_extra=conditions(SkillProfile, SkillProfile.FIELD_RULES))

    travel_radius_km: int = rule(SkillProfile, "travel_radius_km")
    driving_licence: bool = rule(SkillProfile, "driving_licence")
    has_car: bool = rule(SkillProfile, "has_car")
    cross_border: bool = rule(SkillProfile, "cross_border")
    contract_wishes: list[str] = choice([c.value for c in VACANCY_CONTRACTS], [], many=True,
                                        max_length=len(VACANCY_CONTRACTS), description="None: any contract")
    available_from: dt.date | None = rule(SkillProfile, "available_from", json_schema_extra=years(
        *(day.year for day in available_from_bounds(timezone.localdate()))),
        description="From ten years back to two years ahead (whole years)")
    skills: list[Id] = Field([], max_length=MAX_SKILLS)
    desired_occupations: list[Id] = Field([], max_length=MAX_OCCUPATIONS)
    past_occupations: list[PastOccupationIn] = Field(
        [], max_length=MAX_OCCUPATIONS, description="A later entry for the same occupation replaces an earlier one")


class ProfileOut(ModelSchema):
    contract_wishes: list[str]
    skills: list[Labelled]
    desired_occupations: list[Labelled]
    past_occupations: list[PastOccupationOut]

    class Meta:
        model = SkillProfile
        fields = ["travel_radius_km", "driving_licence", "has_car", "cross_border", "available_from"]

    # A person without a profile yet answers the model's defaults (an unsaved profile has no lists).
    @staticmethod
    def resolve_skills(profile: SkillProfile) -> list[dict[str, Any]]:
        return _labelled(profile.skills.all()) if profile.pk else []

    @staticmethod
    def resolve_desired_occupations(profile: SkillProfile) -> list[dict[str, Any]]:
        return _labelled(profile.desired_occupations.all()) if profile.pk else []

    @staticmethod
    def resolve_past_occupations(profile: SkillProfile) -> list[dict[str, Any]]:
        return [{"occupation": p.occupation_id, "years": float(p.years)}
                for p in profile.past_occupations.all()] if profile.pk else []


class ProposalIn(Body):
    person: Id
    vacancy: Id
    note: str = rule(Proposal, "note")


class ProposalBrief(ModelSchema):
    """A proposal as every proposal operation answers it."""

    vacancy: int
    vacancy_title: str
    candidate: str = Field(..., description="Pseudonymous candidate code")
    person: int | None = Field(None, description="Only for the proposing side (advisers)")

    class Meta:
        model = Proposal
        fields = ["id", "status", "score", "proposed_at"]

    @staticmethod
    def resolve_vacancy(proposal: Proposal) -> int:
        return proposal.vacancy_id

    @staticmethod
    def resolve_vacancy_title(proposal: Proposal) -> str:
        return proposal.vacancy.title

    @staticmethod
    def resolve_candidate(proposal: Proposal) -> str:
        return proposal.pseudonym

    @staticmethod
    def resolve_person(proposal: Proposal) -> int | None:
        return proposal.person_id if getattr(proposal, "followed", False) else None


class CardLanguage(Schema):
    language: str
    name: str
    level: str
    level_label: str = Field("", description="The level in the reader's language")


class CardExperience(Schema):
    occupation: str
    years: float


class CandidateFacts(Schema):
    """What an employer may know of a candidate she has not met (selectors._candidate_facts)."""

    candidate: str = Field(..., description="The code she knows the candidate by, for this vacancy only")
    score: float
    explanation: ExplanationOut
    skills: list[str]
    experience: list[CardExperience]
    languages: list[CardLanguage]
    available_from: dt.date | None
    driving_licence: bool
    distance_km: float
    right_to_work: str


class ProposalOut(CandidateFacts):
    """The candidate card (selectors.candidate_card)."""

    id: int
    vacancy: int
    status: str
    note: str
    revealed: bool = Field(..., description="Name and contact are shown once the candidate accepted an interview")
    name: str | None
    phone: str | None
    email: str | None


class FeedbackIn(Body):
    model_config = ConfigDict(json_schema_extra=conditions(Feedback, Feedback.FIELD_RULES))

    outcome: str = rule(Feedback, "outcome")
    reason: str = rule(Feedback, "reason", description="Why the candidate was not retained (then required)")
    note: str = rule(Feedback, "note")
    start_date: dt.date | None = rule(Feedback, "start_date", description="When hired (then required)")


class AnswerIn(Body):
    accepted: bool


IntroductionCode = Annotated[IntroductionStatus, LAX]


class CandidateQuery(Schema):
    near_only: bool = Field(False, description="Only people within their travel radius")
    without_permit: bool = Field(False, description="Only people who may work without a permit")
    limit: int = Field(20, ge=1, le=100)


class NeedsIn(Body):
    site: Id = Field(..., description="One of your company's sites (GET /sites): the place and the country")
    occupation: Id | None = Field(None, description="An ESCO occupation (GET /occupations)")
    skills: list[Id] = Field([], max_length=MAX_SKILLS,
                             description="Essential skills; none given: the occupation's essential ESCO skills")
    languages: list[LanguageRequirement] = Field([], max_length=MAX_LANGUAGES)
    contract_type: str = rule(Vacancy, "contract_type", default="", description="Empty: any contract")
    near_only: bool = Field(False, description="Only people within their travel radius")
    without_permit: bool = Field(False, description="Only people who may work without a permit")
    limit: int = Field(20, ge=1, le=100)


class NeedsShortfalls(Schema):
    """Why nobody fits: among the people shared with employers, how many fall short on each requirement."""

    people: int
    may_not_work: int = 0
    needs_permit: int = 0
    other_country: int = 0
    language: int = 0
    distance: int = 0
    skills: int = 0
    main: str | None = Field(None, description="The requirement that excludes most people")


class NeedsOut(Schema):
    candidates: list[CandidateFacts] = Field(..., description="Codes of your company's searches (N-…): ask for "
                                                              "an introduction with one of your open vacancies")
    shortfalls: NeedsShortfalls
    skills: list[Labelled] = Field(..., description="The skills searched for")


class IntroductionIn(Body):
    candidate: str = Field(..., min_length=1, max_length=12, pattern=NOT_BLANK,
                           description="A candidate's code from GET /vacancies/{id}/candidates, or from "
                                       "POST /candidates/search")
    message: str = rule(Introduction, "message")


class IntroductionAnswerIn(Body):
    accepted: bool
    note: str = rule(Proposal, "note")


class IntroductionOut(Schema):
    id: int
    vacancy: int
    candidate: str = Field(..., description="The code the employer knows the candidate by")
    status: IntroductionCode
    message: str
    requested_at: dt.datetime
    proposal: int | None = Field(None, description="The proposal made when the adviser accepted")
    person: int | None = Field(None, description="The person (for their adviser only)")


# ------------------------------------------------------------------------------------------ helpers

def _languages(items: list[LanguageRequirement] | None) -> dict[str, str] | None:
    return None if items is None else {item.code.lower(): item.level for item in items}


def _lists(payload: VacancyIn | VacancyPatch) -> services.VacancySkills:
    return services.VacancySkills(
        languages=_languages(payload.languages),
        essential=None if payload.essential_skills is None else found(Skill, payload.essential_skills,
                                                                        "essential_skills"),
        optional=None if payload.optional_skills is None else found(Skill, payload.optional_skills,
                                                                      "optional_skills"))


def _years(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# ------------------------------------------------------------------------------------ sites, vacancies

@router.get("/sites", response={200: list[SiteOut], **errors(found=False)}, summary="Your company's sites")
def site_list(request):
    return selectors.sites_visible_to(request.auth)


@router.post("/sites", response={201: SiteOut, **errors(body=True, conflict=True)},
             summary="Add a site to your company")
def site_create(request, payload: SiteIn):
    user = request.auth
    employer = access.acting_organisation(user, role=Role.EMPLOYER, chosen=payload.employer)
    municipality = one(Municipality.objects.select_related("region"), payload.municipality, "municipality")
    site = services.site_create(employer=employer, by=user, name=payload.name, municipality=municipality,
                                address=payload.address)
    return Status(201, site)


@router.get("/vacancies", response={200: VacancyPage, **errors(found=False)},
            summary="Vacancies: your company's (employers) or all (advisers)")
def vacancy_list(request, query: Query[VacancyQuery]):
    qs = selectors.vacancy_list(user=request.auth, status=query.status or "", q=query.q)
    return {"count": qs.count(), "items": list(qs[query.offset:query.offset + query.limit])}


@router.post("/vacancies", response={201: VacancyOut, **errors(body=True)},
             summary="Post a vacancy; without skills given, ESCO's essential and optional skills are taken")
def vacancy_create(request, payload: VacancyIn):
    user = request.auth
    access.require(user, "matching.manage_vacancies")
    values = payload.dict(include=set(services.VACANCY_FIELDS))
    values["site"] = one(selectors.sites_visible_to(user), payload.site, "site")
    values["occupation"] = one(Occupation, payload.occupation, "occupation")
    vacancy = services.vacancy_create(by=user, values=values, lists=_lists(payload))
    return Status(201, selectors.vacancy_get(user=user, pk=vacancy.pk))


@router.get("/vacancies/{vacancy_id}", response={200: VacancyOut, **errors()}, summary="One vacancy")
def vacancy_detail(request, vacancy_id: Id):
    return selectors.vacancy_get(user=request.auth, pk=vacancy_id)


@router.patch("/vacancies/{vacancy_id}", response={200: VacancyOut, **errors(body=True, conflict=True)},
              summary="Change your company's vacancy")
def vacancy_update(request, vacancy_id: Id, payload: VacancyPatch):
    """409 when the change is valid by itself but not with the vacancy's other fields (a fixed-term contract
    without a length, an open-ended one with a length)."""
    user = request.auth
    vacancy = selectors.vacancy_get(user=user, pk=vacancy_id)
    access.require(user, "matching.change_vacancy", vacancy)
    given = payload.dict(include=set(services.VACANCY_FIELDS), exclude_unset=True)
    changes = {name: value for name, value in given.items() if value is not None or name == "contract_months"}
    if "site" in changes:
        changes["site"] = one(vacancy.employer.sites.all(), changes["site"], "site")
    if "occupation" in changes:
        changes["occupation"] = one(Occupation, changes["occupation"], "occupation")
    lists = _lists(payload)
    try:
        services.vacancy_update(vacancy=vacancy, by=user, changes=changes, lists=lists)
    except Conflict:
        raise
    except ValidationError as error:
        raise Conflict(error) from None  # the body is valid by itself: the vacancy's state refuses it
    return selectors.vacancy_get(user=user, pk=vacancy_id)


@router.get("/vacancies/{vacancy_id}/matches", response={200: list[PersonMatch], **errors()},
            summary="People of your caseload who fit the vacancy, best first (advisers)")
def vacancy_matches(request, vacancy_id: Id, query: Query[LimitQuery]):
    user = request.auth
    vacancy = selectors.vacancy_get(user=user, pk=vacancy_id)
    return selectors.vacancy_matches_view(user=user, vacancy=vacancy, limit=query.limit)


@router.get("/vacancies/{vacancy_id}/shortfalls", response={200: ShortfallsOut, **errors()},
            summary="Why nobody fits: which requirement excludes most of your caseload (advisers)")
def vacancy_shortfalls(request, vacancy_id: Id):
    user = request.auth
    return selectors.vacancy_shortfalls(user=user, vacancy=selectors.vacancy_get(user=user, pk=vacancy_id))


@router.get("/vacancies/{vacancy_id}/candidates", response={200: list[CandidateFacts], **errors()},
            summary="Find candidates for your open vacancy yourself: pseudonymous, best first (employers)")
def candidate_search(request, vacancy_id: Id, query: Query[CandidateQuery]):
    user = request.auth
    vacancy = selectors.vacancy_get(user=user, pk=vacancy_id)
    return selectors.candidate_search(user=user, vacancy=vacancy, limit=query.limit, near_only=query.near_only,
                                      without_permit=query.without_permit)


@router.post("/candidates/search", response={200: NeedsOut, **errors(body=True)},
             summary="Find candidates by stating what you need, without a vacancy: pseudonymous, best first "
                     "(employers)")
def needs_search(request, payload: NeedsIn):
    """Nothing is saved. Without skills, the occupation's essential ESCO skills are searched for; with neither,
    422."""
    user = request.auth
    access.require(user, "matching.manage_vacancies")
    needs = selectors.Needs(
        site=one(selectors.sites_visible_to(user), payload.site, "site"),
        occupation=one(Occupation, payload.occupation, "occupation") if payload.occupation is not None else None,
        skills=tuple(found(Skill, payload.skills, "skills")), languages=_languages(payload.languages) or {},
        contract_type=payload.contract_type)
    result = selectors.needs_search(user=user, needs=needs, limit=payload.limit, near_only=payload.near_only,
                                    without_permit=payload.without_permit)
    return {"candidates": result["cards"], "shortfalls": result["shortfalls"], "skills": _labelled(result["skills"])}


def _introduction_out(introduction: Introduction, adviser: bool) -> IntroductionOut:
    return IntroductionOut(id=introduction.pk, vacancy=introduction.vacancy_id, candidate=introduction.pseudonym,
                           status=IntroductionStatus(introduction.status), message=introduction.message,
                           requested_at=introduction.requested_at, proposal=introduction.proposal_id,
                           person=introduction.person_id if adviser else None)


@router.post("/vacancies/{vacancy_id}/introductions",
             response={201: IntroductionOut, **errors(body=True, conflict=True)},
             summary="Ask a candidate's adviser to introduce them for your vacancy (employers)")
def introduction_request(request, vacancy_id: Id, payload: IntroductionIn):
    user = request.auth
    vacancy = selectors.vacancy_get(user=user, pk=vacancy_id)
    introduction = services.introduction_request(vacancy=vacancy, candidate=payload.candidate, by=user,
                                                 message=payload.message)
    return Status(201, _introduction_out(introduction, adviser=False))


@router.get("/introductions", response={200: list[IntroductionOut], **errors(found=False)},
            summary="Employers' requests to introduce the people you follow (advisers)")
def introduction_list(request):
    return [_introduction_out(i, adviser=True) for i in selectors.introduction_list_view(user=request.auth)]


@router.post("/introductions/{introduction_id}/answer",
             response={200: IntroductionOut, **errors(body=True, conflict=True)},
             summary="Propose the person (accepted) or decline (advisers)")
def introduction_answer(request, introduction_id: Id, payload: IntroductionAnswerIn):
    user = request.auth
    introduction = selectors.introduction_get(user=user, pk=introduction_id)
    return _introduction_out(services.introduction_answer(introduction=introduction, by=user,
                                                          accepted=payload.accepted, note=payload.note), adviser=True)


# ----------------------------------------------------------------------------------- profile, matches

@router.get("/persons/{person_id}/skill-profile", response={200: ProfileOut, **errors()},
            summary="A person's skill profile")
def profile_detail(request, person_id: Id):
    person, profile = selectors.profile_view(user=request.auth, person_pk=person_id)
    return profile or SkillProfile(person=person)


@router.put("/persons/{person_id}/skill-profile", response={200: ProfileOut, **errors(body=True)},
            summary="Set a person's skill profile")
def profile_update(request, person_id: Id, payload: ProfileIn):
    user = request.auth
    person, _current = selectors.profile_get(user=user, person_pk=person_id)
    occupations = found(Occupation, [p.occupation for p in payload.past_occupations], "past_occupations")
    by_id = {o.pk: o for o in occupations}
    data = services.ProfileInput(
        **payload.dict(include=set(services.PROFILE_FIELDS)),
        skills=found(Skill, payload.skills, "skills"),
        desired_occupations=found(Occupation, payload.desired_occupations, "desired_occupations"),
        past_occupations=[(by_id[p.occupation], _years(p.years)) for p in payload.past_occupations],
    )
    services.profile_save(person=person, by=user, data=data)
    return selectors.profile_for(person)


@router.get("/persons/{person_id}/matches", response={200: list[VacancyMatch], **errors()},
            summary="Open vacancies that fit the person, best first, each with its explanation")
def person_matches(request, person_id: Id, query: Query[LimitQuery]):
    _person, matches = selectors.person_matches_view(user=request.auth, person_pk=person_id, limit=query.limit)
    return matches


# ---------------------------------------------------------------------------------------- proposals

@router.get("/proposals", response={200: list[ProposalBrief], **errors(found=False)},
            summary="Proposals: to your company (employers) or of your people (advisers)")
def proposal_list(request, query: Query[ProposalQuery]):
    return selectors.proposal_window(user=request.auth, status=query.status or "", offset=query.offset,
                                     limit=query.limit)


@router.post("/proposals", response={201: ProposalBrief, **errors(body=True, conflict=True)},
             summary="Propose a person for a vacancy (needs their consent to share with employers)")
def proposal_create(request, payload: ProposalIn):
    user = request.auth
    person = person_get(user=user, pk=payload.person)
    vacancy = selectors.vacancy_get(user=user, pk=payload.vacancy)
    proposal = services.proposal_create(person=person, vacancy=vacancy, by=user, note=payload.note)
    return Status(201, selectors.proposal_get(user=user, pk=proposal.pk))


@router.get("/proposals/{proposal_id}", response={200: ProposalOut, **errors()},
            summary="A candidate card: pseudonymous until the candidate accepts an interview")
def proposal_detail(request, proposal_id: Id):
    return selectors.candidate_card(selectors.proposal_view(user=request.auth, pk=proposal_id))


@router.post("/proposals/{proposal_id}/feedback", response={201: ProposalBrief, **errors(body=True, conflict=True)},
             summary="Employer feedback: interview wished or held, not retained (with reason), hired")
def proposal_feedback(request, proposal_id: Id, payload: FeedbackIn):
    user = request.auth
    proposal = selectors.proposal_get(user=user, pk=proposal_id)
    services.feedback_record(proposal=proposal, by=user, **payload.dict())
    return Status(201, proposal)


@router.post("/proposals/{proposal_id}/answer", response={200: ProposalBrief, **errors(body=True, conflict=True)},
             summary="The candidate's answer to an interview request (recorded by the adviser)")
def proposal_answer(request, proposal_id: Id, payload: AnswerIn):
    user = request.auth
    proposal = selectors.proposal_get(user=user, pk=proposal_id)
    return services.proposal_answer(proposal=proposal, by=user, accepted=payload.accepted)


@router.post("/proposals/{proposal_id}/withdraw", response={200: ProposalBrief, **errors(conflict=True)},
             summary="Withdraw a proposal (advisers)")
def proposal_withdraw(request, proposal_id: Id):
    user = request.auth
    proposal = selectors.proposal_get(user=user, pk=proposal_id)
    return services.proposal_withdraw(proposal=proposal, by=user)
