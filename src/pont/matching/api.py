"""The matching API: sites and vacancies (employers manage their own), skill profiles, matches both ways,
proposals and employer feedback. Same scope, audit and services as the screens."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from pont.core.models import Municipality, Organisation
from pont.matching import selectors, services
from pont.matching.choices import (
    ContractType,
    FeedbackOutcome,
    NotRetainedReason,
    VacancyStatus,
)
from pont.matching.models import Vacancy
from pont.people.choices import Cefr
from pont.people.selectors import person_get, person_view
from pont.taxonomy.models import Occupation, Skill

router = Router(tags=["matching"])

ContractCode = Literal[tuple(ContractType.values)]  # type: ignore[valid-type]
StatusCode = Literal[tuple(VacancyStatus.values)]  # type: ignore[valid-type]
LevelCode = Literal[tuple(c for c in Cefr.values if c != "none")]  # type: ignore[valid-type]
OutcomeCode = Literal[tuple(FeedbackOutcome.values)]  # type: ignore[valid-type]
ReasonCode = Literal[tuple(["", *NotRetainedReason.values])]  # type: ignore[valid-type]
Id = Field(..., ge=1, le=2**62)
SkillIds = Field(None, max_length=200)


class LimitQuery(Schema):
    limit: int = Field(20, ge=1, le=100)


class ListQuery(Schema):
    status: StatusCode | None = None
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=10_000_000)


# ------------------------------------------------------------------------------------------ schemas

class Labelled(Schema):
    id: int
    label: str


class SiteIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    municipality: int = Id
    address: str = Field("", max_length=200)


class SiteOut(Schema):
    id: int
    name: str
    municipality: str
    country: str
    address: str


class LanguageRequirement(Schema):
    code: str = Field(..., min_length=3, max_length=3, description="ISO 639-3, e.g. fra")
    level: LevelCode


class VacancyIn(Schema):
    site: int = Id
    occupation: int = Id
    title: str = Field("", max_length=200, description="Default: the occupation's label")
    description: str = Field("", max_length=4000)
    contract_type: ContractCode = ContractType.OPEN_ENDED
    contract_months: int | None = Field(None, ge=1, le=120)
    hours_per_week: int = Field(38, ge=1, le=60)
    posts: int = Field(1, ge=1, le=500)
    shop_floor_training: bool = False
    status: StatusCode = VacancyStatus.OPEN
    languages: list[LanguageRequirement] = Field([], max_length=10)
    essential_skills: list[int] | None = Field(None, max_length=200,
                                               description="Skill ids; omit both lists to take ESCO's")
    optional_skills: list[int] | None = SkillIds


class VacancyPatch(Schema):
    site: int | None = Field(None, ge=1, le=2**62)
    occupation: int | None = Field(None, ge=1, le=2**62)
    title: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=4000)
    contract_type: ContractCode | None = None
    contract_months: int | None = Field(None, ge=1, le=120)
    hours_per_week: int | None = Field(None, ge=1, le=60)
    posts: int | None = Field(None, ge=1, le=500)
    shop_floor_training: bool | None = None
    status: StatusCode | None = None
    languages: list[LanguageRequirement] | None = Field(None, max_length=10)
    essential_skills: list[int] | None = SkillIds
    optional_skills: list[int] | None = SkillIds


class VacancyOut(Schema):
    id: int
    company: str
    site: SiteOut
    occupation: Labelled
    occupation_uri: str
    title: str
    description: str
    contract_type: str
    contract_months: int | None
    hours_per_week: int
    posts: int
    shop_floor_training: bool
    status: str
    languages: list[LanguageRequirement]
    essential_skills: list[Labelled]
    optional_skills: list[Labelled]
    created_at: dt.datetime


class VacancyBrief(Schema):
    id: int
    title: str
    company: str
    municipality: str
    country: str
    contract_type: str
    status: str


class VacancyPage(Schema):
    count: int
    items: list[VacancyBrief]


class LanguageGap(Schema):
    language: str
    name: str
    required: str
    level: str


class ExplanationOut(Schema):
    essential_met: list[Labelled]
    essential_missing: list[Labelled]
    trainable: bool = Field(..., description="The missing essential skills can be learned in the vacancy's "
                                             "shop-floor training")
    optional_met: list[Labelled]
    optional_missing: list[Labelled]
    language_gaps: list[LanguageGap]
    distance_km: float
    radius_km: float
    within_radius: bool
    right_to_work: Literal["may_work", "needs_permit", "may_not_work"]
    cross_border: bool
    experience_years: float
    desired_occupation: bool
    contract_wished: bool
    parts: dict[str, float]


class VacancyMatch(Schema):
    vacancy: VacancyBrief
    score: float = Field(..., ge=0, le=1)
    proposal_status: str | None
    explanation: ExplanationOut


class PersonBrief(Schema):
    id: int
    reference: str
    given_name: str
    family_name: str


class PersonMatch(Schema):
    person: PersonBrief
    score: float = Field(..., ge=0, le=1)
    explanation: ExplanationOut


class PastOccupationIO(Schema):
    occupation: int = Id
    years: Decimal = Field(..., ge=0, le=60, max_digits=3, decimal_places=1)


class ProfileIn(Schema):
    travel_radius_km: int = Field(30, ge=1, le=300)
    driving_licence: bool = False
    has_car: bool = False
    cross_border: bool = True
    contract_wishes: list[ContractCode] = Field([], max_length=4)
    available_from: dt.date | None = None
    skills: list[int] = Field([], max_length=200)
    desired_occupations: list[int] = Field([], max_length=20)
    past_occupations: list[PastOccupationIO] = Field([], max_length=20)


class ProfileOut(Schema):
    travel_radius_km: int
    driving_licence: bool
    has_car: bool
    cross_border: bool
    contract_wishes: list[str]
    available_from: dt.date | None
    skills: list[Labelled]
    desired_occupations: list[Labelled]
    past_occupations: list[PastOccupationIO]


class ProposalIn(Schema):
    person: int = Id
    vacancy: int = Id
    note: str = Field("", max_length=500)


class ProposalBrief(Schema):
    id: int
    vacancy: int
    vacancy_title: str
    candidate: str = Field(..., description="Pseudonymous candidate code")
    status: str
    score: float
    proposed_at: dt.datetime
    person: int | None = Field(None, description="Only for the proposing side (advisers)")


class CardLanguage(Schema):
    language: str
    name: str
    level: str


class CardExperience(Schema):
    occupation: str
    years: float


class ProposalOut(Schema):
    id: int
    vacancy: int
    candidate: str
    status: str
    score: float
    explanation: ExplanationOut
    skills: list[str]
    experience: list[CardExperience]
    languages: list[CardLanguage]
    available_from: dt.date | None
    driving_licence: bool
    distance_km: float
    right_to_work: str
    note: str
    revealed: bool = Field(..., description="Name and contact are shown once the candidate accepted an interview")
    name: str | None
    phone: str | None
    email: str | None


class FeedbackIn(Schema):
    outcome: OutcomeCode
    reason: ReasonCode = ""
    note: str = Field("", max_length=1000)
    start_date: dt.date | None = None


class AnswerIn(Schema):
    accepted: bool


# ------------------------------------------------------------------------------------------ helpers

def _site_out(site) -> SiteOut:
    return SiteOut(id=site.pk, name=site.name, municipality=site.municipality.name,
                   country=site.municipality.region.country, address=site.address)


def _vacancy_out(vacancy: Vacancy) -> VacancyOut:
    links = list(vacancy.skill_links.select_related("skill"))
    return VacancyOut(
        id=vacancy.pk, company=vacancy.company.name, site=_site_out(vacancy.site),
        occupation=Labelled(id=vacancy.occupation_id, label=vacancy.occupation.label()),
        occupation_uri=vacancy.occupation.uri, title=vacancy.title, description=vacancy.description,
        contract_type=vacancy.contract_type, contract_months=vacancy.contract_months,
        hours_per_week=vacancy.hours_per_week, posts=vacancy.posts, shop_floor_training=vacancy.shop_floor_training,
        status=vacancy.status,
        languages=[LanguageRequirement(code=lang.code, level=lang.level) for lang in vacancy.languages.all()],
        essential_skills=[Labelled(id=link.skill_id, label=link.skill.label()) for link in links
                          if link.relation == "essential"],
        optional_skills=[Labelled(id=link.skill_id, label=link.skill.label()) for link in links
                         if link.relation == "optional"],
        created_at=vacancy.created_at,
    )


def _brief(vacancy: Vacancy) -> VacancyBrief:
    municipality = vacancy.site.municipality
    return VacancyBrief(id=vacancy.pk, title=vacancy.title, company=vacancy.company.name,
                        municipality=municipality.name, country=municipality.region.country,
                        contract_type=vacancy.contract_type, status=vacancy.status)


def _objects(model, ids: list[int] | None, field: str):
    """Return the rows for `ids` (None stays None), or a field error naming the unknown ones."""
    if ids is None:
        return None
    found = model.objects.in_bulk(list(dict.fromkeys(ids)))
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationError({field: _("Unknown id(s): %(ids)s") % {"ids": ", ".join(map(str, missing[:10]))}})
    return [found[i] for i in dict.fromkeys(ids)]


def _one_company(user) -> Organisation:
    companies = list(Organisation.objects.filter(pk__in=selectors._company_ids(user)))
    if not companies:
        raise ValidationError(_("Only employers manage vacancies and sites."))
    return companies[0]


def _site(user, site_id: int):
    site = selectors.sites_visible_to(user).filter(pk=site_id).first()
    if site is None:
        raise ValidationError({"site": _("Choose one of your company's sites.")})
    return site


def _occupation(occupation_id: int) -> Occupation:
    occupation = Occupation.objects.filter(pk=occupation_id).first()
    if occupation is None:
        raise ValidationError({"occupation": _("Unknown occupation.")})
    return occupation


# ------------------------------------------------------------------------------------ sites, vacancies

@router.get("/sites", response=list[SiteOut], summary="Your company's sites")
def site_list(request):
    return [_site_out(site) for site in selectors.sites_visible_to(request.auth).select_related("municipality__region")]


@router.post("/sites", response={201: SiteOut}, summary="Add a site to your company")
def site_create(request, payload: SiteIn):
    user = request.auth
    company = _one_company(user)
    municipality = Municipality.objects.select_related("region").filter(pk=payload.municipality).first()
    if municipality is None:
        raise ValidationError({"municipality": _("Unknown municipality.")})
    site = services.site_create(company=company, by=user, name=payload.name, municipality=municipality,
                                address=payload.address)
    return 201, _site_out(site)


@router.get("/vacancies", response=VacancyPage,
            summary="Vacancies: your company's (employers) or all (advisers)")
def vacancy_list(request, query: Query[ListQuery]):
    qs = selectors.vacancy_list(user=request.auth, status=query.status or "")
    return VacancyPage(count=qs.count(), items=[_brief(v) for v in qs[query.offset:query.offset + query.limit]])


@router.post("/vacancies", response={201: VacancyOut},
             summary="Post a vacancy; without skills given, ESCO's essential and optional skills are taken")
def vacancy_create(request, payload: VacancyIn):
    user = request.auth
    company = _one_company(user)
    data = services.VacancyInput(
        site=_site(user, payload.site), occupation=_occupation(payload.occupation), title=payload.title,
        description=payload.description, contract_type=payload.contract_type,
        contract_months=payload.contract_months, hours_per_week=payload.hours_per_week, posts=payload.posts,
        shop_floor_training=payload.shop_floor_training, status=payload.status,
        languages={item.code.lower(): item.level for item in payload.languages},
        essential_skills=_objects(Skill, payload.essential_skills, "essential_skills"),
        optional_skills=_objects(Skill, payload.optional_skills, "optional_skills"),
    )
    vacancy = services.vacancy_create(company=company, by=user, data=data)
    return 201, _vacancy_out(selectors.vacancy_get(user=user, pk=vacancy.pk))


@router.get("/vacancies/{vacancy_id}", response=VacancyOut, summary="One vacancy")
def vacancy_detail(request, vacancy_id: int):
    return _vacancy_out(selectors.vacancy_get(user=request.auth, pk=vacancy_id))


@router.patch("/vacancies/{vacancy_id}", response=VacancyOut, summary="Change your company's vacancy")
def vacancy_update(request, vacancy_id: int, payload: VacancyPatch):
    user = request.auth
    vacancy = selectors.vacancy_manage(user=user, pk=vacancy_id)
    data = services.vacancy_input_from(vacancy)
    given = payload.dict(exclude_unset=True)
    for name in ("title", "description", "contract_type", "contract_months", "hours_per_week", "posts",
                 "shop_floor_training", "status"):
        if name in given:
            if given[name] is None and name != "contract_months":
                raise ValidationError({name: _("This field is required.")})
            setattr(data, name, given[name])
    if given.get("site") is not None:
        data.site = _site(user, given["site"])
    if given.get("occupation") is not None:
        data.occupation = _occupation(given["occupation"])
    if payload.languages is not None:
        data.languages = {item.code.lower(): item.level for item in payload.languages}
    if payload.essential_skills is not None:
        data.essential_skills = _objects(Skill, payload.essential_skills, "essential_skills")
    if payload.optional_skills is not None:
        data.optional_skills = _objects(Skill, payload.optional_skills, "optional_skills")
    services.vacancy_update(vacancy=vacancy, by=user, data=data)
    return _vacancy_out(selectors.vacancy_get(user=user, pk=vacancy_id))


@router.get("/vacancies/{vacancy_id}/matches", response=list[PersonMatch],
            summary="People of your caseload who fit the vacancy, best first (advisers)")
def vacancy_matches(request, vacancy_id: int, query: Query[LimitQuery]):
    user = request.auth
    if not selectors.is_adviser(user):
        raise Http404
    vacancy = selectors.vacancy_get(user=user, pk=vacancy_id)
    return [PersonMatch(person=PersonBrief(id=m["person"].pk, reference=m["person"].reference,
                                           given_name=m["person"].given_name, family_name=m["person"].family_name),
                        score=m["score"], explanation=m["explanation"])
            for m in selectors.matches_for_vacancy(user=user, vacancy=vacancy, limit=query.limit)]


# ----------------------------------------------------------------------------------- profile, matches

def _profile_out(profile) -> ProfileOut:
    if profile is None:
        return ProfileOut(travel_radius_km=30, driving_licence=False, has_car=False, cross_border=True,
                          contract_wishes=[], available_from=None, skills=[], desired_occupations=[],
                          past_occupations=[])
    return ProfileOut(
        travel_radius_km=profile.travel_radius_km, driving_licence=profile.driving_licence, has_car=profile.has_car,
        cross_border=profile.cross_border, contract_wishes=profile.contract_wishes,
        available_from=profile.available_from,
        skills=[Labelled(id=s.pk, label=s.label()) for s in profile.skills.all()],
        desired_occupations=[Labelled(id=o.pk, label=o.label()) for o in profile.desired_occupations.all()],
        past_occupations=[PastOccupationIO(occupation=p.occupation_id, years=p.years)
                          for p in profile.past_occupations.all()],
    )


@router.get("/persons/{person_id}/skill-profile", response=ProfileOut, summary="A person's skill profile")
def profile_detail(request, person_id: int):
    _person, profile = selectors.profile_get(user=request.auth, person_pk=person_id)
    return _profile_out(profile)


@router.put("/persons/{person_id}/skill-profile", response=ProfileOut, summary="Set a person's skill profile")
def profile_update(request, person_id: int, payload: ProfileIn):
    user = request.auth
    person, _profile = selectors.profile_get(user=user, person_pk=person_id)
    occupations = _objects(Occupation, [p.occupation for p in payload.past_occupations], "past_occupations")
    data = services.ProfileInput(
        travel_radius_km=payload.travel_radius_km, driving_licence=payload.driving_licence, has_car=payload.has_car,
        cross_border=payload.cross_border, contract_wishes=list(payload.contract_wishes),
        available_from=payload.available_from,
        skills=_objects(Skill, payload.skills, "skills"),
        desired_occupations=_objects(Occupation, payload.desired_occupations, "desired_occupations"),
        past_occupations=list(zip(occupations, [p.years for p in payload.past_occupations], strict=True)),
    )
    services.profile_save(person=person, by=user, data=data)
    return _profile_out(selectors.profile_for(person))


@router.get("/persons/{person_id}/matches", response=list[VacancyMatch],
            summary="Open vacancies that fit the person, best first, each with its explanation")
def person_matches(request, person_id: int, query: Query[LimitQuery]):
    user = request.auth
    if not selectors.is_adviser(user):
        raise Http404
    person = person_view(user=user, pk=person_id)
    return [VacancyMatch(vacancy=_brief(m["vacancy"]), score=m["score"], proposal_status=m["proposal_status"],
                         explanation=m["explanation"])
            for m in selectors.matches_for_person(user=user, person=person, limit=query.limit)]


# ---------------------------------------------------------------------------------------- proposals

@router.get("/proposals", response=list[ProposalBrief],
            summary="Proposals: to your company (employers) or of your people (advisers)")
def proposal_list(request, query: Query[ListQuery]):
    user = request.auth
    employer = selectors.is_employer(user)
    qs = selectors.proposals_visible_to(user).select_related("vacancy").order_by("-proposed_at", "-id")
    return [ProposalBrief(id=p.pk, vacancy=p.vacancy_id, vacancy_title=p.vacancy.title, candidate=p.pseudonym,
                          status=p.status, score=p.score, proposed_at=p.proposed_at,
                          person=None if employer else p.person_id)
            for p in qs[query.offset:query.offset + query.limit]]


@router.post("/proposals", response={201: ProposalBrief},
             summary="Propose a person for a vacancy (needs their consent to share with employers)")
def proposal_create(request, payload: ProposalIn):
    user = request.auth
    if not selectors.is_adviser(user):
        raise Http404
    person = person_get(user=user, pk=payload.person)
    vacancy = selectors.vacancy_get(user=user, pk=payload.vacancy)
    p = services.proposal_create(person=person, vacancy=vacancy, by=user, note=payload.note)
    return 201, ProposalBrief(id=p.pk, vacancy=vacancy.pk, vacancy_title=vacancy.title, candidate=p.pseudonym,
                              status=p.status, score=p.score, proposed_at=p.proposed_at, person=person.pk)


@router.get("/proposals/{proposal_id}", response=ProposalOut,
            summary="A candidate card: pseudonymous until the candidate accepts an interview")
def proposal_detail(request, proposal_id: int):
    proposal = selectors.proposal_get(user=request.auth, pk=proposal_id)
    return ProposalOut(vacancy=proposal.vacancy_id, **selectors.candidate_card(proposal))


@router.post("/proposals/{proposal_id}/feedback", response={201: ProposalBrief},
             summary="Employer feedback: interview wished or held, not retained (with reason), hired")
def proposal_feedback(request, proposal_id: int, payload: FeedbackIn):
    user = request.auth
    proposal = selectors.proposal_for_employer(user=user, pk=proposal_id)
    services.feedback_record(proposal=proposal, by=user, outcome=payload.outcome, reason=payload.reason,
                             note=payload.note, start_date=payload.start_date)
    return 201, ProposalBrief(id=proposal.pk, vacancy=proposal.vacancy_id, vacancy_title=proposal.vacancy.title,
                              candidate=proposal.pseudonym, status=proposal.status, score=proposal.score,
                              proposed_at=proposal.proposed_at)


@router.post("/proposals/{proposal_id}/answer", response=ProposalBrief,
             summary="The candidate's answer to an interview request (recorded by the adviser)")
def proposal_answer(request, proposal_id: int, payload: AnswerIn):
    user = request.auth
    proposal = selectors.proposal_for_adviser(user=user, pk=proposal_id)
    services.proposal_answer(proposal=proposal, by=user, accepted=payload.accepted)
    return ProposalBrief(id=proposal.pk, vacancy=proposal.vacancy_id, vacancy_title=proposal.vacancy.title,
                         candidate=proposal.pseudonym, status=proposal.status, score=proposal.score,
                         proposed_at=proposal.proposed_at, person=proposal.person_id)


@router.post("/proposals/{proposal_id}/withdraw", response=ProposalBrief, summary="Withdraw a proposal (advisers)")
def proposal_withdraw(request, proposal_id: int):
    user = request.auth
    proposal = selectors.proposal_for_adviser(user=user, pk=proposal_id)
    services.proposal_withdraw(proposal=proposal, by=user)
    return ProposalBrief(id=proposal.pk, vacancy=proposal.vacancy_id, vacancy_title=proposal.vacancy.title,
                         candidate=proposal.pseudonym, status=proposal.status, score=proposal.score,
                         proposed_at=proposal.proposed_at, person=proposal.person_id)
