"""The people API: list, register, read, change, and the right to work. Same scope and audit as the UI."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from pont.core.i18n import language_name
from pont.core.models import Municipality, Organisation, Region
from pont.core.roles import Role
from pont.people import selectors, services
from pont.people.choices import Cefr, LegalStatusKind, Sex

router = Router(tags=["people"])

SexCode = Literal[tuple(Sex.values)]  # type: ignore[valid-type]
LevelCode = Literal[tuple(["", *Cefr.values])]  # type: ignore[valid-type]
StatusCode = Literal[tuple(LegalStatusKind.values)]  # type: ignore[valid-type]
CountryCode = Literal["BE", "FR"]

Name = Field(..., min_length=1, max_length=100)


class LanguageIO(Schema):
    code: str = Field(..., min_length=3, max_length=3, description="ISO 639-3 code, e.g. ara")
    level: LevelCode = Field("", description="CEFR level, 'none', 'native' or empty")


class LanguageOut(LanguageIO):
    name: str


class LegalStatusIO(Schema):
    status: StatusCode
    country: CountryCode
    start_date: dt.date = Field(..., description="The day the claim (or appeal) was lodged or the status granted")
    end_date: dt.date | None = None
    decision_date: dt.date | None = Field(None, description="First-instance decision; on an appeal, the one appealed")
    claim_date: dt.date | None = Field(None, description="Appeals only: when the asylum claim was lodged "
                                       "(empty: taken from the claim row of the same country)")
    work_authorisation_date: dt.date | None = Field(None, description="Asylum claims and appeals: when a work "
                                                    "authorisation was granted")


class LegalStatusOut(LegalStatusIO):
    id: int


class LegalStatusPatch(Schema):
    """What becomes known after a status was added; null clears a date."""

    end_date: dt.date | None = None
    decision_date: dt.date | None = None
    claim_date: dt.date | None = None
    work_authorisation_date: dt.date | None = None


class ConsentOut(Schema):
    purpose: str
    given_by: str
    recorded_at: dt.datetime
    withdrawn_at: dt.datetime | None


class PersonListItem(Schema):
    id: int
    reference: str
    given_name: str
    family_name: str
    date_of_birth: dt.date
    sex: str
    region: str
    current_status: str


class PersonOut(PersonListItem):
    nationality: str
    municipality: str | None
    address: str
    phone: str
    email: str
    unaccompanied_minor: bool
    guardian_name: str
    guardian_contact: str
    languages: list[LanguageOut]
    legal_statuses: list[LegalStatusOut]
    consents: list[ConsentOut]


class PersonPage(Schema):
    count: int
    items: list[PersonListItem]


class PersonIn(Schema):
    given_name: str = Name
    family_name: str = Name
    date_of_birth: dt.date
    sex: SexCode
    region: str = Field(..., max_length=5, description="NUTS code, e.g. BE25")
    municipality: int | None = Field(None, description="Municipality id (see the region's list)")
    nationality: str = Field("", max_length=2, description="ISO 3166 alpha-2, empty if stateless")
    reference: str = Field("", max_length=32)
    address: str = Field("", max_length=200)
    phone: str = Field("", max_length=32)
    email: str = Field("", max_length=254)
    unaccompanied_minor: bool = False
    guardian_name: str = Field("", max_length=200)
    guardian_contact: str = Field("", max_length=200)
    languages: list[LanguageIO] = []
    legal_status: LegalStatusIO | None = None
    organisation: int | None = Field(None, description="Your organisation holding the file; "
                                     "needed only if you advise in several")


class PersonPatch(Schema):
    given_name: str | None = Field(None, min_length=1, max_length=100)
    family_name: str | None = Field(None, min_length=1, max_length=100)
    date_of_birth: dt.date | None = None
    sex: SexCode | None = None
    region: str | None = Field(None, max_length=5)
    municipality: int | None = None
    nationality: str | None = Field(None, max_length=2)
    reference: str | None = Field(None, min_length=1, max_length=32)
    address: str | None = Field(None, max_length=200)
    phone: str | None = Field(None, max_length=32)
    email: str | None = Field(None, max_length=254)
    unaccompanied_minor: bool | None = None
    guardian_name: str | None = Field(None, max_length=200)
    guardian_contact: str | None = Field(None, max_length=200)
    languages: list[LanguageIO] | None = None


class RightToWorkOut(Schema):
    country: str
    outcome: Literal["may_work", "needs_permit", "may_not_work"]
    reason: str
    status: str | None
    since: dt.date | None


class ListQuery(Schema):
    q: str = Field("", max_length=100, description="Name or reference number")
    region: str = Field("", max_length=5)
    status: str = Field("", max_length=32)
    language: str = Field("", max_length=3)
    age_band: str = Field("", max_length=7, description="e.g. 18-25")
    limit: int = Field(25, ge=1, le=200)
    offset: int = Field(0, ge=0, le=10_000_000)


def _legal_status_out(record) -> LegalStatusOut:
    return LegalStatusOut(id=record.pk, status=record.status, country=record.country, start_date=record.start_date,
                          end_date=record.end_date, decision_date=record.decision_date, claim_date=record.claim_date,
                          work_authorisation_date=record.work_authorisation_date)


def _person_out(person) -> PersonOut:
    return PersonOut(
        id=person.pk, reference=person.reference, given_name=person.given_name, family_name=person.family_name,
        date_of_birth=person.date_of_birth, sex=person.sex, region=person.region.code,
        current_status=person.current_status, nationality=person.nationality,
        municipality=person.municipality.name if person.municipality else None, address=person.address,
        phone=person.phone, email=person.email, unaccompanied_minor=person.unaccompanied_minor,
        guardian_name=person.guardian_name, guardian_contact=person.guardian_contact,
        languages=[LanguageOut(code=lang.code, level=lang.level, name=language_name(lang.code))
                   for lang in person.languages.all()],
        legal_statuses=[_legal_status_out(s) for s in person.legal_statuses.all()],
        consents=[ConsentOut(purpose=c.purpose, given_by=c.given_by, recorded_at=c.recorded_at,
                             withdrawn_at=c.withdrawn_at) for c in person.consents.all()],
    )


def _resolve_places(region_code: str | None, municipality_id: int | None) -> dict:
    """Return region/municipality objects for codes/ids, or raise a field error."""
    out: dict = {}
    if region_code is not None:
        out["region"] = Region.objects.filter(code=region_code.upper()).first()
        if out["region"] is None:
            raise ValidationError({"region": _("Unknown region (NUTS code, e.g. BE25).")})
    if municipality_id is not None:
        out["municipality"] = Municipality.objects.select_related("region").filter(pk=municipality_id).first()
        if out["municipality"] is None:
            raise ValidationError({"municipality": _("Unknown municipality.")})
    return out


def _languages(items: list[LanguageIO]) -> dict[str, str]:
    return {item.code.lower(): item.level for item in items}


@router.get("/persons", response=PersonPage, summary="People in your scope, searchable and filterable")
def person_list(request, query: Query[ListQuery]):
    filters = selectors.PersonFilters(q=query.q, region=query.region, status=query.status,
                                      language=query.language.lower(), age_band=query.age_band)
    qs = selectors.person_list(user=request.auth, filters=filters)
    items = [
        PersonListItem(id=p.pk, reference=p.reference, given_name=p.given_name, family_name=p.family_name,
                       date_of_birth=p.date_of_birth, sex=p.sex, region=p.region.code,
                       current_status=p.current_status)
        for p in qs[query.offset:query.offset + query.limit]
    ]
    return PersonPage(count=selectors.person_count(user=request.auth, filters=filters), items=items)


@router.post("/persons", response={201: PersonOut}, summary="Register a person (opens a file in your organisation)")
def person_create(request, payload: PersonIn):
    user = request.auth
    adviser_orgs = user.organisation_ids(Role.ADVISER)
    if payload.organisation is not None:
        if payload.organisation not in adviser_orgs:
            raise ValidationError({"organisation": _("You do not advise in this organisation.")})
        org_id = payload.organisation
    elif len(adviser_orgs) == 1:
        org_id = adviser_orgs[0]
    elif not adviser_orgs:
        raise ValidationError(_("Only advisers register people."))
    else:
        raise ValidationError({"organisation": _("You advise in several organisations: choose one.")})
    places = _resolve_places(payload.region, payload.municipality)
    data = services.PersonInput(
        given_name=payload.given_name, family_name=payload.family_name, date_of_birth=payload.date_of_birth,
        sex=payload.sex, region=places.get("region"), municipality=places.get("municipality"),
        nationality=payload.nationality.upper(), reference=payload.reference, address=payload.address,
        phone=payload.phone, email=payload.email, unaccompanied_minor=payload.unaccompanied_minor,
        guardian_name=payload.guardian_name, guardian_contact=payload.guardian_contact,
        languages=_languages(payload.languages),
        status=services.StatusInput(**payload.legal_status.dict()) if payload.legal_status else None,
    )
    person = services.person_create(data=data, organisation=Organisation.objects.get(pk=org_id), by=user)
    return 201, _person_out(selectors.person_get(user=user, pk=person.pk, audit_read=False))


@router.get("/persons/{person_id}", response=PersonOut, summary="One person's file")
def person_detail(request, person_id: int):
    return _person_out(selectors.person_get(user=request.auth, pk=person_id))


@router.patch("/persons/{person_id}", response=PersonOut, summary="Change a person's details")
def person_update(request, person_id: int, payload: PersonPatch):
    user = request.auth
    person = selectors.person_get(user=user, pk=person_id, audit_read=False)
    given = payload.dict(exclude_unset=True)
    languages = given.pop("languages", None)
    # null empties a text field, but cannot empty a required field or a yes/no (was a 500: NOT NULL).
    for name in ("address", "phone", "email", "guardian_name", "guardian_contact"):
        if name in given and given[name] is None:
            given[name] = ""
    required = ("given_name", "family_name", "date_of_birth", "sex", "region", "reference", "unaccompanied_minor")
    if any(given.get(k, "x") is None for k in required):
        raise ValidationError({k: _("This field is required.") for k in required if k in given and given[k] is None})
    changes = {k: v for k, v in given.items() if k not in ("region", "municipality")}
    if "nationality" in changes:
        changes["nationality"] = (changes["nationality"] or "").upper()
    changes.update(_resolve_places(given.get("region"), given.get("municipality")))
    if "municipality" in given and given["municipality"] is None:
        changes["municipality"] = None
    services.person_update(person=person, by=user, changes=changes,
                           languages=_languages([LanguageIO(**item) for item in languages])
                           if languages is not None else None)
    return _person_out(selectors.person_get(user=user, pk=person_id, audit_read=False))


@router.get("/persons/{person_id}/right-to-work", response=list[RightToWorkOut],
            summary="May work / needs a permit / may not work, in Belgium and in France, with the reason")
def person_right_to_work(request, person_id: int):
    person = selectors.person_get(user=request.auth, pk=person_id)
    return [RightToWorkOut(**vars(a)) for a in selectors.right_to_work_for(person)]


@router.post("/persons/{person_id}/legal-statuses", response={201: LegalStatusOut},
             summary="Add a legal status to the history (an open earlier one ends the day before)")
def legal_status_create(request, person_id: int, payload: LegalStatusIO):
    person = selectors.person_get(user=request.auth, pk=person_id, audit_read=False)
    record = services.legal_status_add(person=person, by=request.auth, status=services.StatusInput(**payload.dict()))
    return 201, _legal_status_out(record)


@router.patch("/persons/{person_id}/legal-statuses/{status_id}", response=LegalStatusOut,
              summary="Record the end, the first-instance decision, the claim or a work authorisation on a status")
def legal_status_update(request, person_id: int, status_id: int, payload: LegalStatusPatch):
    person = selectors.person_get(user=request.auth, pk=person_id, audit_read=False)
    record = selectors.legal_status_of(person, status_id)
    record = services.legal_status_update(record=record, by=request.auth, changes=payload.dict(exclude_unset=True))
    return _legal_status_out(record)
