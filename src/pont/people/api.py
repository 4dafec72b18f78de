"""The people API: list, register, read, change, and the right to work. Same scope and audit as the UI."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, ModelSchema, Query, Router, Schema

from pont.core import access
from pont.core.i18n import country_codes, language_codes, language_name
from pont.core.models import Municipality, Region
from pont.core.roles import Country, Role
from pont.core.schemas import MAX_ID, Id, choice, empty_for_none, errors, one
from pont.people import selectors, services
from pont.people.choices import Cefr, LegalStatusKind, Sex
from pont.people.models import Correction, Person

router = Router(tags=["people"])




# Codes as the schema's enums, so a client learns the lists from the document (case as ISO writes them, or
# the other case: Pont has always read "sy" as SY and "ARA" as ara).
NATIONALITIES = ["", *country_codes(), *(code.lower() for code in country_codes())]
LANGUAGES = [*language_codes(), *(code.upper() for code in language_codes())]


class LanguageIO(Schema):
    code: str = choice(LANGUAGES, description="ISO 639-3 code, e.g. ara")
    level: Cefr | Literal[""] = Field("", description="CEFR level, 'none', 'native' or empty")


class LanguageOut(LanguageIO):
    name: str


class LegalStatusIO(Schema):
    status: LegalStatusKind
    country: Country
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
    labour_status: str = Field(description="labour-market status at entry (ESF+); empty: not recorded")
    languages: list[LanguageOut]
    legal_statuses: list[LegalStatusOut]
    consents: list[ConsentOut]


class PersonPage(Schema):
    count: int
    items: list[PersonListItem]


PERSON_SCHEMA_FIELDS = ["given_name", "family_name", "date_of_birth", "sex", "nationality", "reference", "address",
                        "phone", "email", "unaccompanied_minor", "guardian_name", "guardian_contact", "labour_status"]


class PersonIn(ModelSchema):
    """The person's fields (limits from the model) and, for registration, languages, status, organisation."""

    sex: Sex
    nationality: str = choice(NATIONALITIES, "", description="ISO 3166 code, e.g. SY; empty: stateless or unknown")
    region: str = Field(..., max_length=5, description="NUTS code, e.g. BE25")
    municipality: int | None = Field(None, ge=1, le=MAX_ID, description="Municipality id (see the region's list)")
    languages: list[LanguageIO] = []
    legal_status: LegalStatusIO | None = None
    organisation: int | None = Field(None, ge=1, le=MAX_ID, description="Your organisation holding the file; "
                                     "needed only if you advise in several")
    not_a_duplicate: bool = Field(False, description="You checked the people the 409 answer named: "
                                  "this is someone else; register anyway")

    class Meta:
        model = Person
        fields = PERSON_SCHEMA_FIELDS
        fields_optional = ["nationality", "reference", "address", "phone", "email", "unaccompanied_minor",
                           "guardian_name", "guardian_contact", "labour_status"]


class PersonPatch(ModelSchema):
    """Any of the person's fields; a field left out is left as it is, null empties an optional text."""

    sex: Sex = Field(None)  # type: ignore[assignment]  # absent: unchanged; null is not a sex
    nationality: str | None = choice([*NATIONALITIES, None], None, description="ISO 3166 code; empty or null: "
                                     "stateless or unknown")
    region: str = Field(None, max_length=5, description="NUTS code, e.g. BE25")  # type: ignore[assignment]
    municipality: int | None = Field(None, ge=1, le=MAX_ID)
    languages: list[LanguageIO] | None = None
    reason: str = Field("", max_length=Correction._meta.get_field("reason").max_length,
                        description="Why the data changes: kept with every corrected field (before, after, who, "
                        "when), GDPR Art. 16")

    class Meta:
        model = Person
        fields = PERSON_SCHEMA_FIELDS
        fields_optional = "__all__"


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
        labour_status=person.labour_status,
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
        out["region"] = one(Region, region_code.upper(), "region", key="code")
    if municipality_id is not None:
        out["municipality"] = one(Municipality.objects.select_related("region"), municipality_id, "municipality")
    return out


def _languages(items: list[LanguageIO]) -> dict[str, str]:
    return {item.code.lower(): item.level for item in items}


@router.get("/persons", response={200: PersonPage, **errors(found=False)},
            summary="People in your scope, searchable and filterable")
def person_list(request, query: Query[ListQuery]):
    filters = selectors.PersonFilters(q=query.q, region=query.region, status=query.status,
                                      language=query.language.lower(), age_band=query.age_band)
    people, count = selectors.person_window(user=request.auth, filters=filters, offset=query.offset,
                                            limit=query.limit)
    return PersonPage(count=count, items=[_list_item(p) for p in people])


def _list_item(p) -> PersonListItem:
    return PersonListItem(id=p.pk, reference=p.reference, given_name=p.given_name, family_name=p.family_name,
                          date_of_birth=p.date_of_birth, sex=p.sex, region=p.region.code,
                          current_status=p.current_status)


class DuplicateOut(Schema):
    detail: str
    in_scope: list[PersonListItem]
    elsewhere: int = Field(description="Likely the same person, followed only by other organisations (a count)")


@router.post("/persons", response={201: PersonOut, **errors(body=True), 409: DuplicateOut},
             summary="Register a person (opens a file in your organisation)")
def person_create(request, payload: PersonIn):
    """409 names the people of your scope who may be this person (and counts the others): check them,
    then send the same body with `not_a_duplicate: true` to register anyway."""
    user = request.auth
    access.require(user, "people.register_person")
    organisation = access.acting_organisation(user, role=Role.ADVISER, chosen=payload.organisation)
    fields = empty_for_none(Person, payload.dict(include=set(PERSON_SCHEMA_FIELDS)))
    fields["nationality"] = fields["nationality"].upper()
    fields["unaccompanied_minor"] = bool(fields["unaccompanied_minor"])
    data = services.PersonInput(
        **fields, **_resolve_places(payload.region, payload.municipality),
        languages=_languages(payload.languages),
        status=services.StatusInput(**payload.legal_status.dict()) if payload.legal_status else None,
    )
    try:
        person = services.person_create(data=data, organisation=organisation, by=user,
                                        not_a_duplicate=payload.not_a_duplicate)
    except services.PossibleDuplicate as error:
        return 409, DuplicateOut(detail=error.messages[0], elsewhere=error.check.elsewhere,
                                 in_scope=[_list_item(p) for p in error.check.in_scope])
    return 201, _person_out(selectors.person_get(user=user, pk=person.pk))


@router.get("/persons/{person_id}", response={200: PersonOut, **errors()}, summary="One person's file")
def person_detail(request, person_id: Id):
    return _person_out(selectors.person_view(user=request.auth, pk=person_id))


@router.patch("/persons/{person_id}", response={200: PersonOut, **errors(body=True)},
              summary="Change a person's details")
def person_update(request, person_id: Id, payload: PersonPatch):
    user = request.auth
    person = selectors.person_get(user=user, pk=person_id)
    # null empties an optional text field; on a required one the model answers "This field is required."
    given = empty_for_none(Person, payload.dict(exclude_unset=True))
    reason = given.pop("reason", "") or ""
    languages = given.pop("languages", None)
    changes = {k: v for k, v in given.items() if k not in ("region", "municipality")}
    if "nationality" in changes:
        changes["nationality"] = (changes["nationality"] or "").upper()
    changes.update(_resolve_places(given.get("region"), given.get("municipality")))
    if "municipality" in given and given["municipality"] is None:
        changes["municipality"] = None
    services.person_update(person=person, by=user, changes=changes,
                           languages=_languages([LanguageIO(**item) for item in languages])
                           if languages is not None else None, reason=reason)
    return _person_out(selectors.person_get(user=user, pk=person_id))


@router.get("/persons/{person_id}/right-to-work", response={200: list[RightToWorkOut], **errors()},
            summary="May work / needs a permit / may not work, in Belgium and in France, with the reason")
def person_right_to_work(request, person_id: Id):
    person = selectors.person_view(user=request.auth, pk=person_id)
    return [RightToWorkOut(**vars(a)) for a in selectors.right_to_work_for(person)]


@router.post("/persons/{person_id}/legal-statuses", response={201: LegalStatusOut, **errors(body=True, conflict=True)},
             summary="Add a legal status to the history (an open earlier one ends the day before)")
def legal_status_create(request, person_id: Id, payload: LegalStatusIO):
    person = selectors.person_get(user=request.auth, pk=person_id)
    record = services.legal_status_add(person=person, by=request.auth, status=services.StatusInput(**payload.dict()))
    return 201, _legal_status_out(record)


@router.patch("/persons/{person_id}/legal-statuses/{status_id}",
              response={200: LegalStatusOut, **errors(body=True, conflict=True)},
              summary="Record the end, the first-instance decision, the claim or a work authorisation on a status")
def legal_status_update(request, person_id: Id, status_id: Id, payload: LegalStatusPatch):
    person = selectors.person_get(user=request.auth, pk=person_id)
    record = selectors.legal_status_of(person, status_id)
    record = services.legal_status_update(record=record, by=request.auth, changes=payload.dict(exclude_unset=True))
    return _legal_status_out(record)
