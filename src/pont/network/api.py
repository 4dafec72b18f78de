"""The network API: the offer catalogue (with eligibility for a person) and its HSDS 3.0 export."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import BeforeValidator

from pont.core import access
from pont.core.models import Municipality, Organisation, Region
from pont.core.roles import Role
from pont.core.schemas import LAX, NO_NUL, NOT_BLANK, Body, DateTime, Id, errors, integral, one, rule
from pont.employment.models import Programme
from pont.network import exchange, hsds, selectors, services
from pont.network.choices import OfferKind, ReferralOutcome, SharedField
from pont.network.models import Event, Offer, Referral, Reply, Thread
from pont.people.selectors import person_get, persons_visible_to

router = Router(tags=["network"])


class OfferQuery(Schema):
    q: str = Field("", max_length=200, pattern=NO_NUL, description="Words of the title or description, in fr, nl "
                                                                    "or en")
    country: str = Field("", pattern="^(|BE|FR)$")
    region: str = Field("", max_length=8, pattern="^[A-Z0-9]*$", description="NUTS code of the region (e.g. BE25)")
    kind: Annotated[OfferKind, LAX] | None = None
    language: str = Field("", max_length=3, pattern="^[a-zA-Z]*$", description="ISO 639-3: given in this language")
    person: int | None = Field(None, ge=1, le=2**63 - 1, description="A person of your scope: eligibility and "
                                                                       "distance for them")
    eligible_only: bool = False


class ReasonOut(Schema):
    ok: bool
    text: str


class OfferOut(Schema):
    source: str = Field(..., description="offer, or programme (an employment programme of a partner)")
    id: int
    title: str
    kind: str
    kind_label: str
    organisation: str
    country: str
    municipality: str | None
    languages: list[str]
    eligible: bool | None = Field(None, description="With a person: whether they may join")
    reasons: list[ReasonOut] = Field([], description="With a person: every condition, met or not, as a sentence")
    distance_km: float | None = Field(None, description="With a person: road distance from their home (approx.)")


def _out(entry: selectors.Entry) -> dict[str, Any]:
    return {"source": entry.source, "id": entry.pk, "title": entry.title, "kind": entry.kind,
            "kind_label": entry.kind_label, "organisation": entry.organisation.name, "country": entry.country,
            "municipality": entry.municipality.name if entry.municipality else None, "languages": entry.languages,
            "eligible": entry.eligible, "reasons": [{"ok": r.ok, "text": r.text} for r in entry.reasons],
            "distance_km": entry.distance_km}


@router.get("/offers", response={200: list[OfferOut], **errors(found=True)},
            summary="Search every partner's offers and programmes, across the border; with a person, whether "
                    "they are eligible and why")
def offer_search(request, query: Query[OfferQuery]):
    filters = selectors.Filters(q=query.q, country=query.country, region=query.region,
                                kind=query.kind.value if query.kind else "", language=query.language.lower(),
                                eligible_only=query.eligible_only)
    _person, entries = selectors.catalogue(user=request.auth, filters=filters, person_pk=query.person)
    return [_out(e) for e in entries]


class HsdsQuery(Schema):
    lang: str = Field("", pattern="^(|fr|nl|en)$", description="The language of the texts (default: yours)")


@router.get("/hsds/services", response={200: list[dict[str, Any]], **errors()}, url_name="hsds_services",
            summary="The catalogue as Open Referral HSDS 3.0 services (one language per file)")
def hsds_services(request, query: Query[HsdsQuery]):
    language = query.lang or selectors.active_language()
    with translation.override(language):
        _person, entries = selectors.catalogue(user=request.auth, filters=selectors.Filters())
        return [hsds.service(entry, language) for entry in entries]


# --------------------------------------------------------------------------------------------- referrals

# Exactly one of offer and programme (an integer), the other absent or null: the schema says so, so that a
# generated "valid" body is one the service accepts.
_ONE_TARGET: Any = {"oneOf": [
    {"required": ["offer"], "properties": {"offer": {"type": "integer"}, "programme": {"type": "null"}}},
    {"required": ["programme"], "properties": {"programme": {"type": "integer"}, "offer": {"type": "null"}}},
]}


class ReferralIn(Body):
    model_config = {**Body.model_config, "json_schema_extra": _ONE_TARGET}

    person: Id = Field(..., description="A person you follow")
    offer: Id | None = Field(None, description="An offer of another organisation (GET /offers, source offer)")
    programme: Id | None = Field(None, description="Or one of its programmes (GET /offers, source programme)")
    reason: str = rule(Referral, "reason")
    fields: list[Annotated[SharedField, LAX]] = Field([], max_length=10, description="What travels with the referral")
    note: str = rule(Referral, "note")
    override_justification: str = rule(Referral, "override_justification",
                                       description="Coordinators only: why without the person's consent")


class ReferralAnswerIn(Body):
    note: str = Field("", max_length=1000)


class ReferralDeclineIn(Body):
    reason: str = rule(Referral, "decline_reason")


class ReferralCloseIn(Body):
    outcome: Annotated[ReferralOutcome, LAX]
    note: str = Field("", max_length=1000)


class ReferralStep(Schema):
    status: str
    note: str
    at: dt.datetime
    organisation: str


class ReferralOut(Schema):
    id: int
    person: int | None = Field(None, description="The person, for an organisation holding their file")
    reference: str
    from_organisation: str
    to_organisation: str
    offer: int | None
    programme: int | None
    title: str
    cross_border: bool
    status: str
    outcome: str
    reason: str
    decline_reason: str
    shared: dict[str, Any] = Field(..., description="What travelled, as sent (emptied if the consent is withdrawn)")
    history: list[ReferralStep]


def _referral_out(referral: Referral, user) -> dict[str, Any]:
    holds_file = referral.person_id in set(persons_visible_to(user).filter(pk=referral.person_id)
                                           .values_list("pk", flat=True))
    return {"id": referral.pk, "person": referral.person_id if holds_file else None,
            "reference": referral.person.reference, "from_organisation": referral.from_organisation.name,
            "to_organisation": referral.to_organisation.name, "offer": referral.offer_id,
            "programme": referral.programme_id, "title": referral.target_title, "cross_border": referral.cross_border,
            "status": referral.status, "outcome": referral.outcome, "reason": referral.reason,
            "decline_reason": referral.decline_reason, "shared": selectors.shared_view(referral),
            "history": [{"status": e.status, "note": e.note, "at": e.at, "organisation": e.organisation.name}
                        for e in referral.events.all()]}


@router.post("/referrals", response={201: ReferralOut, **errors(body=True, conflict=True)},
             summary="Refer a person you follow to another organisation's offer (409 without the consent it needs)")
def referral_create(request, payload: ReferralIn):
    user = request.auth
    person = person_get(user=user, pk=payload.person)
    offer = one(selectors.offers(), payload.offer, "offer") if payload.offer is not None else None
    programme = one(Programme.objects.filter(active=True), payload.programme, "programme") \
        if payload.programme is not None and offer is None else None
    referral = services.referral_send(by=user, person=person, offer=offer, programme=programme,
                                      reason=payload.reason, fields=[f.value for f in payload.fields],
                                      note=payload.note, override_justification=payload.override_justification)
    return Status(201, _referral_out(selectors.referral_get(user=user, pk=referral.pk), user))


class ReferralQuery(Schema):
    direction: str = Field("", pattern="^(|incoming|outgoing)$")


@router.get("/referrals", response={200: list[ReferralOut], **errors(found=False)},
            summary="Referrals your organisations received (incoming) or sent (outgoing)")
def referral_list(request, query: Query[ReferralQuery]):
    user = request.auth
    return [_referral_out(r, user) for r in selectors.referral_list(user=user, direction=query.direction)]


@router.get("/referrals/{referral_id}", response={200: ReferralOut, **errors()}, summary="One referral")
def referral_detail(request, referral_id: Id):
    user = request.auth
    return _referral_out(selectors.referral_view(user=user, pk=referral_id), user)


@router.post("/referrals/{referral_id}/accept", response={200: ReferralOut, **errors(body=True, conflict=True)},
             summary="Accept a referral to your organisation: the person gets a file with you")
def referral_accept(request, referral_id: Id, payload: ReferralAnswerIn):
    user = request.auth
    referral = services.referral_accept(by=user, referral=selectors.referral_get(user=user, pk=referral_id),
                                        note=payload.note)
    return _referral_out(selectors.referral_get(user=user, pk=referral.pk), user)


@router.post("/referrals/{referral_id}/decline", response={200: ReferralOut, **errors(body=True, conflict=True)},
             summary="Decline a referral to your organisation, saying why")
def referral_decline(request, referral_id: Id, payload: ReferralDeclineIn):
    user = request.auth
    referral = services.referral_decline(by=user, referral=selectors.referral_get(user=user, pk=referral_id),
                                         reason=payload.reason)
    return _referral_out(selectors.referral_get(user=user, pk=referral.pk), user)


@router.post("/referrals/{referral_id}/close", response={200: ReferralOut, **errors(body=True, conflict=True)},
             summary="Close an accepted referral with its outcome")
def referral_close(request, referral_id: Id, payload: ReferralCloseIn):
    user = request.auth
    referral = services.referral_close(by=user, referral=selectors.referral_get(user=user, pk=referral_id),
                                       outcome=payload.outcome.value, note=payload.note)
    return _referral_out(selectors.referral_get(user=user, pk=referral.pk), user)


# ------------------------------------------------------------------------------- practice exchange, events

Language = Literal["fr", "nl", "en"]


class ThreadIn(Body):
    title: str = rule(Thread, "title")
    text: str = rule(Thread, "text")
    language: Language = Field(..., description="The language it is written in (shown as such, never translated)")
    tags: list[Annotated[str, Field(min_length=1, max_length=30)]] = Field([], max_length=8)
    confirmed: bool = Field(False, description="The author confirms a flagged text is not about a person")


class ReplyIn(Body):
    text: str = rule(Reply, "text")
    language: Language
    confirmed: bool = False


class HideIn(Body):
    reason: str = Field(..., min_length=1, max_length=500, pattern=NOT_BLANK)


class ReplyOut(Schema):
    id: int
    text: str
    language: str
    organisation: str
    created_at: dt.datetime
    hidden: bool


class ThreadOut(Schema):
    id: int
    title: str
    text: str
    language: str
    tags: list[str]
    organisation: str
    created_at: dt.datetime
    hidden: bool
    flagged: bool = Field(..., description="The privacy check found something the author confirmed")
    replies: list[ReplyOut] = []
    bookmarked: bool = False


def _post(post) -> dict[str, Any]:
    return {"id": post.pk, "text": post.text, "language": post.language, "organisation": post.organisation.name,
            "created_at": post.created_at, "hidden": post.hidden_at is not None}


def _thread_out(thread: Thread, user, replies: bool = False) -> dict[str, Any]:
    out = {**_post(thread), "title": thread.title, "tags": thread.tags, "flagged": bool(thread.flags),
           "bookmarked": bool(getattr(thread, "bookmarked", False))}
    if replies:
        out["replies"] = [_post(r) for r in exchange.replies_of(user=user, thread=thread)]
        out["bookmarked"] = thread.bookmarks.filter(user=user).exists()
    return out


class ThreadQuery(Schema):
    q: str = Field("", max_length=100, pattern=NO_NUL)
    tag: str = Field("", max_length=30, pattern=NO_NUL)
    language: str = Field("", pattern="^(|fr|nl|en)$")
    bookmarked: bool = False


@router.get("/threads", response={200: list[ThreadOut], **errors()}, summary="The advisers' practice exchange")
def thread_list(request, query: Query[ThreadQuery]):
    rows = exchange.thread_list(user=request.auth, q=query.q, tag=query.tag, language=query.language,
                                bookmarked=query.bookmarked)[:100]
    return [_thread_out(t, request.auth) for t in rows]


@router.post("/threads", response={201: ThreadOut, **errors(body=True)},
             summary="Start a thread (held, 422 `text`, when it looks like personal data and is not confirmed)")
def thread_create(request, payload: ThreadIn):
    thread = exchange.thread_create(by=request.auth, title=payload.title, text=payload.text,
                                    language=payload.language, tags=payload.tags, confirmed=payload.confirmed)
    return Status(201, _thread_out(thread, request.auth, replies=True))


@router.get("/threads/{thread_id}", response={200: ThreadOut, **errors()}, summary="A thread with its replies")
def thread_detail(request, thread_id: Id):
    return _thread_out(exchange.thread_get(user=request.auth, pk=thread_id), request.auth, replies=True)


@router.post("/threads/{thread_id}/replies", response={201: ThreadOut, **errors(body=True)}, summary="Reply")
def reply_create(request, thread_id: Id, payload: ReplyIn):
    thread = exchange.thread_get(user=request.auth, pk=thread_id)
    exchange.reply_create(by=request.auth, thread=thread, text=payload.text, language=payload.language,
                          confirmed=payload.confirmed)
    return Status(201, _thread_out(thread, request.auth, replies=True))


@router.post("/threads/{thread_id}/bookmark", response={200: ThreadOut, **errors()},
             summary="Bookmark the thread, or remove the bookmark")
def thread_bookmark(request, thread_id: Id):
    thread = exchange.thread_get(user=request.auth, pk=thread_id)
    exchange.bookmark_toggle(by=request.auth, thread=thread)
    return _thread_out(thread, request.auth, replies=True)


@router.post("/threads/{thread_id}/hide", response={200: ThreadOut, **errors(body=True, conflict=True)},
             summary="Hide a thread, saying why (coordinators)")
def thread_hide(request, thread_id: Id, payload: HideIn):
    thread = exchange.thread_get(user=request.auth, pk=thread_id)
    exchange.post_hide(by=request.auth, post=thread, reason=payload.reason)
    return _thread_out(thread, request.auth, replies=True)


class EventIn(Body):
    title: str = rule(Event, "title")
    description: str = rule(Event, "description")
    starts_at: DateTime
    ends_at: DateTime
    place: str = rule(Event, "place")
    link: str = rule(Event, "link")
    language: Language
    capacity: Annotated[int, Field(ge=1, le=10000), BeforeValidator(integral)] | None = None


class EventOut(Schema):
    id: int
    title: str
    description: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    link: str
    organiser: str
    language: str
    capacity: int | None
    registered: int
    report: str


def _event_out(event: Event) -> dict[str, Any]:
    return {"id": event.pk, "title": event.title, "description": event.description, "starts_at": event.starts_at,
            "ends_at": event.ends_at, "place": event.place, "link": event.link, "organiser": event.organiser.name,
            "language": event.language, "capacity": event.capacity,
            "registered": getattr(event, "registered", None) or event.registrations.count(), "report": event.report}


@router.get("/events", response={200: list[EventOut], **errors(found=False)}, summary="The network's events")
def event_list(request):
    return [_event_out(e) for e in exchange.events_visible_to(request.auth)[:200]]


@router.post("/events", response={201: EventOut, **errors(body=True)},
             summary="Announce an event of your organisation (coordinators)")
def event_create(request, payload: EventIn):
    event = exchange.event_create(by=request.auth, values=payload.dict())
    return Status(201, _event_out(exchange.event_get(user=request.auth, pk=event.pk)))


@router.post("/events/{event_id}/registration", response={201: EventOut, **errors(conflict=True)},
             summary="Register for an event (409 when it is full)")
def event_register(request, event_id: Id):
    event = exchange.event_get(user=request.auth, pk=event_id)
    exchange.event_register(by=request.auth, event=event)
    return Status(201, _event_out(exchange.event_get(user=request.auth, pk=event_id)))


# ------------------------------------------------------------------------------ coordinators' offers

class OfferIn(Body):
    organisation: Id = Field(..., description="One of the organisations you coordinate")
    kind: Annotated[OfferKind, LAX]
    title_fr: str = rule(Offer, "title", default="", min_length=None, pattern=None)
    title_nl: str = rule(Offer, "title", default="", min_length=None, pattern=None)
    title_en: str = rule(Offer, "title", default="", min_length=None, pattern=None)
    description_fr: str = rule(Offer, "description")
    description_nl: str = rule(Offer, "description")
    description_en: str = rule(Offer, "description")
    municipality: Id
    address: str = rule(Offer, "address")
    languages: list[Annotated[str, Field(min_length=3, max_length=3, pattern="^[a-z]{3}$")]] = Field([], max_length=10)
    min_age: Annotated[int, Field(ge=0, le=120), BeforeValidator(integral)] | None = None
    max_age: Annotated[int, Field(ge=0, le=120), BeforeValidator(integral)] | None = None
    legal_statuses: list[str] = Field([], max_length=20)
    right_to_work: str = rule(Offer, "right_to_work", default="not_required")
    min_language: str = rule(Offer, "min_language")
    min_language_level: str = rule(Offer, "min_language_level")
    regions: list[Annotated[str, Field(max_length=8, pattern="^[A-Z0-9]+$")]] = Field([], max_length=20,
                                                                                   description="NUTS codes served")
    capacity: Annotated[int, Field(ge=0, le=100000), BeforeValidator(integral)] | None = None
    waiting_weeks: Annotated[int, Field(ge=0, le=104), BeforeValidator(integral)] | None = None
    contact_email: str = rule(Offer, "contact_email")
    contact_phone: str = rule(Offer, "contact_phone")
    website: str = rule(Offer, "website")
    opening_hours: str = rule(Offer, "opening_hours")


@router.post("/offers", response={201: OfferOut, **errors(body=True)},
             summary="Publish an offer of an organisation you coordinate")
def offer_create(request, payload: OfferIn):
    user = request.auth
    values = payload.dict(exclude={"organisation", "municipality", "regions", "kind"})
    values["kind"] = payload.kind.value
    values["organisation"] = one(Organisation.objects.filter(
        pk__in=access.organisation_ids(user, Role.COORDINATOR)), payload.organisation, "organisation")
    values["municipality"] = one(Municipality, payload.municipality, "municipality")
    regions = [one(Region, code, "regions", key="code") for code in dict.fromkeys(payload.regions)]
    offer = services.offer_save(by=user, values=values, regions=regions)
    entry = selectors.Entry("offer", selectors.offers().get(pk=offer.pk), offer.kind)
    return Status(201, _out(entry))


class HsdsImportIn(Body):
    language: Literal["fr", "nl", "en"] = Field(..., description="The language the file's texts are written in")
    file: str = Field(..., min_length=2, max_length=5_000_000, pattern=NO_NUL,
                      description="The HSDS 3.0 file's JSON text: a list of services, or an HSDS page with `contents`")


class HsdsImportOut(Schema):
    created: int
    updated: int
    skipped: list[str]


@router.post("/hsds/services", response={201: HsdsImportOut, **errors(body=True)},
             summary="Import your organisations' services from HSDS 3.0 (all or nothing; 422 names each refused "
                     "record's id)")
def hsds_import(request, payload: HsdsImportIn):
    if not access.organisation_ids(request.auth, Role.COORDINATOR):
        raise Http404  # coordinators only, whatever the body
    try:
        data = json.loads(payload.file)
    except ValueError:
        raise ValidationError({"file": [_("This is not JSON.")]}) from None
    try:
        result = services.offers_import(by=request.auth, data=data, language=payload.language)
    except hsds.HsdsError as error:
        raise ValidationError({record: [message] for record, message in error.errors}) from None
    return Status(201, {"created": result.created, "updated": result.updated, "skipped": result.skipped})
