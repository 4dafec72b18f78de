"""The employment API: the programme catalogue, eligibility, enrolments and their workflow, placements
with follow-ups, and the stable-job indicator. Same scope, audit and error rules as the UI."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from pydantic import BeforeValidator

from pont.core import access
from pont.core.i18n import language_codes
from pont.core.models import Organisation, Region
from pont.core.roles import OrganisationKind, Role
from pont.core.schemas import LAX, MAX_ID, Age, Body, Date, Id, Months, choice, errors, integral, one, rule
from pont.employment import selectors, services
from pont.employment.choices import (
    CapacityPeriod,
    ContractType,
    EnrolmentStatus,
    LeavingReason,
    ProgrammeKind,
    RightToWorkRule,
)
from pont.employment.models import FollowUp, Placement
from pont.people.choices import Cefr, LegalStatusKind
from pont.people.selectors import person_get, person_view

router = Router(tags=["employment"])

OptionalId = Field(None, ge=1, le=MAX_ID)
LANGUAGE_CODES = ["", *language_codes()]
Places = Annotated[int, Field(ge=0, le=10_000), BeforeValidator(integral)]
FollowUpMonth = Annotated[int, Field(ge=1, le=60), BeforeValidator(integral)]
# The models' TextChoices are the API's enums: one list of codes for forms, services and the schema.
KindCode = Annotated[ProgrammeKind, LAX]
StatusCode = Annotated[EnrolmentStatus, LAX]
LegalStatusCode = Annotated[LegalStatusKind, LAX]
RightToWorkCode = Annotated[RightToWorkRule, LAX]
CapacityCode = Annotated[CapacityPeriod, LAX]
LevelCode = Annotated[Cefr, LAX] | Literal[""]
ContractCode = Annotated[ContractType, LAX]
LeavingCode = Annotated[LeavingReason, LAX] | Literal[""]


# ---------------------------------------------------------------------------------------------- schemas

class ProgrammeOut(Schema):
    id: int
    organisation_id: int
    organisation: str
    country: str
    kind: str
    name: str
    description: str
    names: dict[str, str]
    max_duration_months: int | None
    capacity: int | None = Field(..., description="Places; null: no limit")
    capacity_period: CapacityCode = Field(..., description="year: places per calendar year; "
                                          "project: places in total over the project duration")
    seats_taken: int = Field(..., description="Places taken in the period: this calendar year, or over the project")
    seats_left: int | None
    min_age: int | None
    max_age: int | None
    legal_statuses: list[str]
    right_to_work: str
    min_language: str
    min_language_level: str
    regions: list[str]
    active: bool


class ProgrammeIn(Body):
    organisation: Id | None = Field(None,
                                     description="Needed only if you coordinate several organisations")
    kind: KindCode
    name_fr: str = Field("", max_length=200)
    name_nl: str = Field("", max_length=200)
    name_en: str = Field("", max_length=200)
    description_fr: str = Field("", max_length=5000)
    description_nl: str = Field("", max_length=5000)
    description_en: str = Field("", max_length=5000)
    max_duration_months: Months | None = None
    capacity: Places | None = Field(None, description="Places; null: no limit")
    capacity_period: CapacityCode = Field(CapacityPeriod.YEAR, description="year or project")
    min_age: Age | None = None
    max_age: Age | None = None
    legal_statuses: list[LegalStatusCode] = Field(default_factory=list, max_length=20)
    right_to_work: RightToWorkCode = RightToWorkRule.MAY_WORK
    min_language: str = choice(LANGUAGE_CODES, "", description="ISO 639-3, e.g. nld")
    min_language_level: LevelCode = ""
    regions: list[str] = Field(default_factory=list, max_length=20, description="NUTS codes of residence")
    active: bool = True


class ProgrammePatch(Body):
    kind: KindCode | None = None
    name_fr: str | None = Field(None, max_length=200)
    name_nl: str | None = Field(None, max_length=200)
    name_en: str | None = Field(None, max_length=200)
    description_fr: str | None = Field(None, max_length=5000)
    description_nl: str | None = Field(None, max_length=5000)
    description_en: str | None = Field(None, max_length=5000)
    max_duration_months: Months | None = None
    capacity: Places | None = Field(None)
    capacity_period: CapacityCode | None = None
    min_age: Age | None = None
    max_age: Age | None = None
    legal_statuses: list[LegalStatusCode] | None = Field(None, max_length=20)
    right_to_work: RightToWorkCode | None = None
    min_language: str | None = choice([*LANGUAGE_CODES, None], None)
    min_language_level: LevelCode | None = None
    regions: list[str] | None = Field(None, max_length=20)
    active: bool | None = None


class ReasonOut(Schema):
    ok: bool
    text: str


class EligibilityOut(Schema):
    programme_id: int
    programme: str
    organisation: str
    eligible: bool
    reasons: list[ReasonOut]
    seats_left: int | None
    can_enrol: bool


class EnrolmentOut(Schema):
    id: int
    person_id: int
    person_reference: str
    programme_id: int
    programme: str
    status: str
    proposed_on: dt.date
    enrolled_on: dt.date | None
    started_on: dt.date | None
    completed_on: dt.date | None
    dropped_out_on: dt.date | None
    dropout_reason: str
    planned_start: dt.date | None
    planned_end: dt.date | None
    host_company_id: int | None
    host_company: str | None
    coach_name: str
    coach_contact: str
    seat_year: int | None


class EnrolmentIn(Body):
    person: Id
    programme: Id
    status: Literal["proposed", "enrolled"] = "proposed"
    on: Date | None = Field(None, description="Date of the proposal (and enrolment); default today")
    planned_start: Date | None = None
    planned_end: Date | None = None
    host_company: Id | None = OptionalId
    coach_name: str = Field("", max_length=200)
    coach_contact: str = Field("", max_length=200)
    notes: str = Field("", max_length=5000)


class TransitionIn(Body):
    status: StatusCode
    on: Date | None = Field(None, description="Date of the step; default today")
    reason: str = Field("", max_length=2000, description="Required when dropping out")
    planned_end: Date | None = Field(None, description="When becoming active: the planned end")


class EnrolmentQuery(Schema):
    person: int | None = OptionalId
    status: StatusCode | None = None
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=10_000_000)


class FollowUpOut(Schema):
    month: int
    due_on: dt.date
    done_on: dt.date | None
    still_employed: bool | None
    reason_left: str
    notes: str


class PlacementOut(Schema):
    id: int
    person_id: int
    person_reference: str
    employer_id: int | None
    employer_name: str
    job_title: str
    occupation_uri: str
    contract_type: str
    contract_months: int | None
    hours_per_week: float | None
    start_date: dt.date
    ended_on: dt.date | None
    enrolment_id: int | None
    stable: bool
    followups: list[FollowUpOut]


class PlacementIn(Body):
    """A job a person took: each field's limits come from the Placement model."""

    person: Id
    job_title: str = rule(Placement, "job_title")
    employer: Id | None = Field(None, description="A company in Pont")
    employer_name: str = Field("", max_length=Placement._meta.get_field("employer_name").max_length,
                               description="When the employer is not in Pont")
    contract_type: ContractCode
    contract_months: int | None = rule(Placement, "contract_months")
    hours_per_week: float | None = rule(Placement, "hours_per_week")
    start_date: Date
    enrolment: Id | None = OptionalId
    occupation_uri: str = rule(Placement, "occupation_uri")


class PlacementQuery(Schema):
    person: int | None = OptionalId
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=10_000_000)


class FollowUpIn(Body):
    month: FollowUpMonth
    done_on: Date
    still_employed: bool
    reason_left: LeavingCode = ""
    notes: str = rule(FollowUp, "notes")


class RegionCount(Schema):
    code: str
    name: str
    stable_jobs: int


class ProgrammeCount(Schema):
    programme_id: int | None
    name: str
    organisation: str
    stable_jobs: int


class IndicatorsOut(Schema):
    stable_jobs: int = Field(..., description="People in a stable job whose job started in the period")
    target: int
    period_start: dt.date
    period_end: dt.date
    placements: int
    by_region: list[RegionCount]
    by_programme: list[ProgrammeCount]


# ---------------------------------------------------------------------------------------------- helpers

def _programme_out(programme, taken: dict[int, int]) -> ProgrammeOut:
    n = taken.get(programme.pk, 0)
    return ProgrammeOut(
        id=programme.pk, organisation_id=programme.organisation_id, organisation=programme.organisation.name,
        country=programme.organisation.country, kind=programme.kind, name=programme.name or "",
        description=programme.description or "",
        names={code: getattr(programme, f"name_{code}") or "" for code in services.LANGUAGES},
        max_duration_months=programme.max_duration_months, capacity=programme.capacity,
        capacity_period=programme.capacity_period, seats_taken=n, seats_left=selectors.seats_left(programme, n),
        min_age=programme.min_age, max_age=programme.max_age, legal_statuses=list(programme.legal_statuses or []),
        right_to_work=programme.right_to_work, min_language=programme.min_language,
        min_language_level=programme.min_language_level, regions=[r.code for r in programme.regions.all()],
        active=programme.active)


def _one_programme_out(programme) -> ProgrammeOut:
    from django.utils import timezone

    return _programme_out(programme, selectors.seats_taken([programme], timezone.localdate().year))


def _regions(codes: list[str]) -> list[Region]:
    wanted = list(dict.fromkeys(c.upper() for c in codes))
    rows = {r.code: r for r in Region.objects.filter(code__in=wanted)}
    missing = [code for code in wanted if code not in rows]
    if missing:
        one(Region, missing[0], "regions", key="code")  # a 404 naming the field and the code
    return [rows[code] for code in wanted]


def _programme_input(values: dict) -> services.ProgrammeInput:
    return services.ProgrammeInput(
        kind=values["kind"],
        names={code: values.get(f"name_{code}") or "" for code in services.LANGUAGES},
        descriptions={code: values.get(f"description_{code}") or "" for code in services.LANGUAGES},
        max_duration_months=values.get("max_duration_months"), capacity=values.get("capacity"),
        capacity_period=values.get("capacity_period") or CapacityPeriod.YEAR,
        min_age=values.get("min_age"), max_age=values.get("max_age"),
        legal_statuses=list(values.get("legal_statuses") or []), right_to_work=values["right_to_work"],
        min_language=(values.get("min_language") or "").lower(),
        min_language_level=values.get("min_language_level") or "",
        regions=_regions(values.get("regions") or []), active=values.get("active", True))


def _enrolment_out(e) -> EnrolmentOut:
    return EnrolmentOut(
        id=e.pk, person_id=e.person_id, person_reference=e.person.reference, programme_id=e.programme_id,
        programme=e.programme.name or "", status=e.status, proposed_on=e.proposed_on, enrolled_on=e.enrolled_on,
        started_on=e.started_on, completed_on=e.completed_on, dropped_out_on=e.dropped_out_on,
        dropout_reason=e.dropout_reason, planned_start=e.planned_start, planned_end=e.planned_end,
        host_company_id=e.host_company_id, host_company=e.host_company.name if e.host_company else None,
        coach_name=e.coach_name, coach_contact=e.coach_contact, seat_year=e.seat_year)


def _placement_out(p) -> PlacementOut:
    return PlacementOut(
        id=p.pk, person_id=p.person_id, person_reference=p.person.reference, employer_id=p.employer_id,
        employer_name=p.employer_name, job_title=p.job_title, occupation_uri=p.occupation_uri,
        contract_type=p.contract_type, contract_months=p.contract_months,
        hours_per_week=float(p.hours_per_week) if p.hours_per_week is not None else None,
        start_date=p.start_date, ended_on=p.ended_on, enrolment_id=p.enrolment_id,
        stable=selectors.placement_is_stable(p),
        followups=[FollowUpOut(month=f.month, due_on=f.due_on, done_on=f.done_on, still_employed=f.still_employed,
                               reason_left=f.reason_left, notes=f.notes) for f in p.followups.all()])


def _company(pk: int | None, field: str) -> Organisation | None:
    return None if pk is None else one(Organisation.objects.filter(kind=OrganisationKind.COMPANY), pk, field)


# ---------------------------------------------------------------------------------------------- catalogue

@router.get("/programmes", response={200: list[ProgrammeOut], **errors(found=False)},
            summary="Every partner's programme catalogue (advisers and coordinators; others get an empty list)")
def programme_list(request, kind: KindCode | None = None):
    from django.utils import timezone

    programmes = selectors.programmes_visible_to(request.auth)
    if kind:
        programmes = programmes.filter(kind=kind)
    rows = list(programmes)
    taken = selectors.seats_taken(rows, timezone.localdate().year)
    return [_programme_out(p, taken) for p in rows]


@router.get("/programmes/{programme_id}", response={200: ProgrammeOut, **errors()}, summary="One programme")
def programme_detail(request, programme_id: Id):
    return _one_programme_out(selectors.programme_get(user=request.auth, pk=programme_id))


@router.post("/programmes", response={201: ProgrammeOut, **errors(body=True)},
             summary="Add a programme to your organisation's catalogue")
def programme_create(request, payload: ProgrammeIn):
    user = request.auth
    organisation = access.acting_organisation(user, role=Role.COORDINATOR, chosen=payload.organisation)
    programme = services.programme_create(organisation=organisation, data=_programme_input(payload.dict()), by=user)
    return 201, _one_programme_out(selectors.programme_get(user=user, pk=programme.pk))


@router.patch("/programmes/{programme_id}", response={200: ProgrammeOut, **errors(body=True)},
              summary="Change a programme of your organisation (coordinators)")
def programme_update(request, programme_id: Id, payload: ProgrammePatch):
    user = request.auth
    programme = selectors.programme_get_for_edit(user=user, pk=programme_id)
    values = {
        "kind": programme.kind, "max_duration_months": programme.max_duration_months,
        "capacity": programme.capacity, "capacity_period": programme.capacity_period,
        "min_age": programme.min_age, "max_age": programme.max_age,
        "legal_statuses": programme.legal_statuses, "right_to_work": programme.right_to_work,
        "min_language": programme.min_language, "min_language_level": programme.min_language_level,
        "regions": [r.code for r in programme.regions.all()], "active": programme.active,
        **{f"{name}_{code}": getattr(programme, f"{name}_{code}") or ""
           for name in ("name", "description") for code in services.LANGUAGES},
    }
    given = payload.dict(exclude_unset=True)
    for required in ("kind", "right_to_work", "active", "legal_statuses", "regions", "capacity_period"):
        if required in given and given[required] is None:
            raise ValidationError({required: _("This field is required.")})
    values.update(given)
    services.programme_update(programme=programme, data=_programme_input(values), by=user)
    return _one_programme_out(selectors.programme_get(user=user, pk=programme.pk))


@router.get("/persons/{person_id}/eligibility", response={200: list[EligibilityOut], **errors()},
            summary="Every programme: eligible or not, with the reasons in your language")
def person_eligibility(request, person_id: Id):
    user = request.auth
    person = person_view(user=user, pk=person_id)
    results = selectors.eligibility_for(person=person, programmes=selectors.programmes_visible_to(user), user=user)
    return [EligibilityOut(programme_id=r.programme.pk, programme=r.programme.name or "",
                           organisation=r.programme.organisation.name, eligible=r.eligible,
                           reasons=[ReasonOut(ok=x.ok, text=x.text) for x in r.reasons],
                           seats_left=r.seats_left, can_enrol=r.can_enrol) for r in results]


# ---------------------------------------------------------------------------------------------- enrolments

@router.get("/enrolments", response={200: list[EnrolmentOut], **errors(found=False)},
            summary="Enrolments of the people in your scope")
def enrolment_list(request, query: Query[EnrolmentQuery]):
    rows = selectors.enrolment_page(user=request.auth, person_id=query.person, status=query.status or "",
                                    offset=query.offset, limit=query.limit)
    return [_enrolment_out(e) for e in rows]


@router.post("/enrolments", response={201: EnrolmentOut, **errors(body=True, conflict=True)},
             summary="Propose a person for a programme of your organisation (or enrol at once)")
def enrolment_create(request, payload: EnrolmentIn):
    user = request.auth
    person = person_get(user=user, pk=payload.person)
    programme = selectors.programme_get(user=user, pk=payload.programme)
    enrolment = services.enrolment_create(
        person=person, programme=programme, by=user, enrol=payload.status == "enrolled", on=payload.on,
        planned_start=payload.planned_start, planned_end=payload.planned_end,
        host_company=_company(payload.host_company, "host_company"), coach_name=payload.coach_name,
        coach_contact=payload.coach_contact, notes=payload.notes)
    return 201, _enrolment_out(selectors.enrolment_get(user=user, pk=enrolment.pk))


@router.get("/enrolments/{enrolment_id}", response={200: EnrolmentOut, **errors()}, summary="One enrolment")
def enrolment_detail(request, enrolment_id: Id):
    return _enrolment_out(selectors.enrolment_view(user=request.auth, pk=enrolment_id))


@router.post("/enrolments/{enrolment_id}/status", response={200: EnrolmentOut, **errors(body=True, conflict=True)},
             summary="Move an enrolment along proposed → enrolled → active → completed, or dropped out")
def enrolment_transition(request, enrolment_id: Id, payload: TransitionIn):
    user = request.auth
    enrolment = selectors.enrolment_get(user=user, pk=enrolment_id)
    services.enrolment_transition(enrolment=enrolment, to=payload.status, by=user, on=payload.on,
                                  reason=payload.reason, planned_end=payload.planned_end)
    return _enrolment_out(selectors.enrolment_get(user=user, pk=enrolment_id))


# ---------------------------------------------------------------------------------------------- placements

@router.get("/placements", response={200: list[PlacementOut], **errors(found=False)},
            summary="Placements of the people in your scope")
def placement_list(request, query: Query[PlacementQuery]):
    rows = selectors.placement_page(user=request.auth, person_id=query.person, offset=query.offset,
                                    limit=query.limit)
    return [_placement_out(p) for p in rows]


@router.post("/placements", response={201: PlacementOut, **errors(body=True, conflict=True)},
             summary="Record a job a person took")
def placement_create(request, payload: PlacementIn):
    user = request.auth
    person = person_get(user=user, pk=payload.person)
    access.require(user, "employment.follow", person)
    enrolment = None
    if payload.enrolment is not None:
        enrolment = one(selectors.enrolment_list(user=user, person_id=person.pk), payload.enrolment, "enrolment")
    placement = services.placement_create(
        person=person, by=user, job_title=payload.job_title, contract_type=payload.contract_type,
        start_date=payload.start_date, employer=_company(payload.employer, "employer"),
        employer_name=payload.employer_name, contract_months=payload.contract_months,
        hours_per_week=payload.hours_per_week, enrolment=enrolment, occupation_uri=payload.occupation_uri)
    return 201, _placement_out(selectors.placement_get(user=user, pk=placement.pk))


@router.get("/placements/{placement_id}", response={200: PlacementOut, **errors()},
            summary="One placement with its follow-ups")
def placement_detail(request, placement_id: Id):
    return _placement_out(selectors.placement_view(user=request.auth, pk=placement_id))


@router.post("/placements/{placement_id}/follow-ups",
             response={200: PlacementOut, **errors(body=True, conflict=True)},
             summary="Record the follow-up due at a month (3 or 6): still employed? if not, why")
def followup_record(request, placement_id: Id, payload: FollowUpIn):
    user = request.auth
    placement = selectors.placement_get(user=user, pk=placement_id)
    followup = next((f for f in placement.followups.all() if f.month == payload.month), None)
    if followup is None:
        raise HttpError(404, _("This placement has no follow-up at %(month)s months.") % {"month": payload.month})
    followup.placement = placement
    services.followup_record(followup=followup, by=user, done_on=payload.done_on,
                             still_employed=payload.still_employed, reason_left=payload.reason_left,
                             notes=payload.notes)
    return _placement_out(selectors.placement_get(user=user, pk=placement_id))


# ---------------------------------------------------------------------------------------------- indicators

@router.get("/indicators/employment", response={200: IndicatorsOut, **errors()},
            summary="People in a stable job against the target, by region and by programme (coordinators)")
def employment_indicators(request):
    return IndicatorsOut(**selectors.employment_indicators(user=request.auth))
