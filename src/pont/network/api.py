"""The network API: the offer catalogue (with eligibility for a person) and its HSDS 3.0 export."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from ninja import Field, Query, Router, Schema

from pont.core.schemas import errors
from pont.network import hsds, selectors
from pont.network.choices import OfferKind

router = Router(tags=["network"])


class OfferQuery(Schema):
    q: str = Field("", max_length=200, description="Words of the title or description, in fr, nl or en")
    country: str = Field("", pattern="^(|BE|FR)$")
    region: str = Field("", max_length=8, description="NUTS code of the region (e.g. BE25, FRE1)")
    kind: OfferKind | None = None
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
