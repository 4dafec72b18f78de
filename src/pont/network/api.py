"""The network API: the offer catalogue (with eligibility for a person) and its HSDS 3.0 export."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.utils import translation
from ninja import Field, Query, Router, Schema, Status

from pont.core.schemas import LAX, Body, Id, errors, one, rule
from pont.employment.models import Programme
from pont.network import hsds, selectors, services
from pont.network.choices import OfferKind, ReferralOutcome, SharedField
from pont.network.models import Referral
from pont.people.selectors import person_get, persons_visible_to

router = Router(tags=["network"])


class OfferQuery(Schema):
    q: str = Field("", max_length=200, description="Words of the title or description, in fr, nl or en")
    country: str = Field("", pattern="^(|BE|FR)$")
    region: str = Field("", max_length=8, description="NUTS code of the region (e.g. BE25, FRE1)")
    kind: Annotated[OfferKind, LAX] | None = None
    language: str = Field("", max_length=3, description="ISO 639-3: given in this language")
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


@router.get("/hsds/services", response={200: list[dict[str, Any]], **errors()},
            summary="The catalogue as Open Referral HSDS 3.0 services (one language per file)")
def hsds_services(request, query: Query[HsdsQuery]):
    language = query.lang or selectors.active_language()
    with translation.override(language):
        _person, entries = selectors.catalogue(user=request.auth, filters=selectors.Filters())
        return [hsds.service(entry, language) for entry in entries]


# --------------------------------------------------------------------------------------------- referrals

class ReferralIn(Body):
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
