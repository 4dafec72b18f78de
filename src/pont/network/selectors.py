"""Reads of the network app: the offer catalogue, across the border.

The catalogue is every partner's `Offer` and every active `employment.Programme` (read as they are, never
copied), searched with the same filters. Searching with a person (of the user's scope) says, for each
entry, whether they are eligible and why — the employment programmes' rules and sentences
(`employment.selectors.explain`) — and how far it is from their home.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from functools import reduce
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone, translation

from pont.audit.services import audit, audit_listed
from pont.core import access
from pont.core.i18n import country_name, language_name
from pont.core.models import User
from pont.core.roles import Role
from pont.employment import selectors as employment
from pont.employment.models import Programme
from pont.matching.engine import haversine_km
from pont.network.choices import PROGRAMME_KINDS, OfferKind, ReferralStatus
from pont.network.models import Offer, Referral
from pont.people.choices import RIGHT_TO_WORK_LABELS, Cefr, LegalStatusKind
from pont.people.models import Person
from pont.people.selectors import person_get
from pont.taxonomy.models import Skill

LANGUAGES = ("fr", "nl", "en")
_CONFIGS = {"fr": "french", "nl": "dutch", "en": "english"}  # PostgreSQL's text-search dictionaries
ROAD_FACTOR = 1.3  # road km per great-circle km, as matching reckons
MAX_RESULTS = 100


@dataclass(frozen=True)
class Filters:
    q: str = ""
    country: str = ""       # BE / FR
    region: str = ""        # NUTS code
    kind: str = ""          # OfferKind
    language: str = ""      # ISO 639-3: given in this language
    eligible_only: bool = False


@dataclass
class Entry:
    """One line of the catalogue: an offer or a programme, in the user's language."""

    source: str                      # "offer" or "programme"
    obj: Any                         # the Offer or the Programme
    kind: str
    eligible: bool | None = None     # with a person: eligible or not
    reasons: list = field(default_factory=list)
    distance_km: float | None = None

    @property
    def pk(self) -> int:
        return self.obj.pk

    @property
    def title(self) -> str:
        return self.obj.title if self.source == "offer" else self.obj.name

    @property
    def kind_label(self) -> str:
        return str(OfferKind(self.kind).label)

    @property
    def organisation(self):
        return self.obj.organisation

    @property
    def municipality(self):
        return self.obj.municipality if self.source == "offer" else self.obj.organisation.municipality

    @property
    def country(self) -> str:
        return self.obj.organisation.country

    @property
    def languages(self) -> list[str]:
        if self.source == "offer":
            return list(self.obj.languages or [])
        return [self.obj.min_language] if self.obj.min_language else []


def offers() -> QuerySet[Offer]:
    """Every offer open today or later, with what the catalogue shows (one query and one per prefetch)."""
    today = timezone.localdate()
    return (Offer.objects.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
            .select_related("organisation", "municipality__region").prefetch_related("regions"))


def _programmes() -> QuerySet[Programme]:
    return (Programme.objects.filter(active=True)
            .select_related("organisation__municipality__region").prefetch_related("regions"))


def _text_search(qs: QuerySet, text: str, fields: tuple[str, ...]) -> QuerySet:
    """Filter `qs` on `text` in every language's version of `fields`: PostgreSQL's full-text search with
    the French, Dutch and English dictionaries (best first), or a plain accent-sensitive "contains" on
    SQLite."""
    text = text.strip()[:200]
    if not text:
        return qs
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vectors = [SearchVector(f"{name}_{language}", weight=weight, config=config)
                   for language, config in _CONFIGS.items() for weight, name in zip("AB", fields, strict=False)]
        queries = [SearchQuery(text, search_type="websearch", config=config) for config in _CONFIGS.values()]
        vector, query = reduce(operator.add, vectors), reduce(operator.or_, queries)
        return qs.annotate(rank=SearchRank(vector, query)).filter(rank__gt=0).order_by("-rank", "pk")
    condition = Q()
    for word in text.split()[:8]:  # every word, in any language's title or description
        anywhere = Q()
        for language in LANGUAGES:
            for name in fields:
                anywhere |= Q(**{f"{name}_{language}__icontains": word})
        condition &= anywhere
    return qs.filter(condition)


def catalogue(*, user: User, filters: Filters, person_pk: int | None = None) -> tuple[Person | None, list[Entry]]:
    """Return (the person when one is given, the entries matching `filters`), best first.

    With a person of the user's scope (404 otherwise), each entry says whether they are eligible, why, and
    how far it is from their home; the read is audited as `offers.eligibility_viewed`.
    """
    access.require(user, "network.read_catalogue")
    offer_qs, programme_qs = offers(), _programmes()
    if filters.country:
        offer_qs = offer_qs.filter(organisation__country=filters.country)
        programme_qs = programme_qs.filter(organisation__country=filters.country)
    if filters.region:
        offer_qs = offer_qs.filter(municipality__region__code=filters.region)
        programme_qs = programme_qs.filter(organisation__municipality__region__code=filters.region)
    if filters.kind:
        offer_qs = offer_qs.filter(kind=filters.kind)
        kinds = [k for k, v in PROGRAMME_KINDS.items() if v == filters.kind]
        programme_qs = programme_qs.filter(kind__in=kinds)
    if filters.language:
        offer_qs = offer_qs.filter(languages__contains=[filters.language]) if connection.vendor == "postgresql" \
            else offer_qs.filter(languages__icontains=f'"{filters.language}"')
        programme_qs = programme_qs.filter(min_language=filters.language)
    offer_qs = _text_search(offer_qs, filters.q, ("title", "description"))
    programme_qs = _text_search(programme_qs, filters.q, ("name", "description"))
    entries = [Entry("offer", o, o.kind) for o in offer_qs[:MAX_RESULTS]]
    entries += [Entry("programme", p, PROGRAMME_KINDS.get(p.kind, OfferKind.OTHER)) for p in programme_qs[:MAX_RESULTS]]
    if not filters.q:
        entries.sort(key=lambda e: (e.country, e.organisation.name, e.kind_label, e.title))
    person = None
    if person_pk is not None:
        person = person_get(user=user, pk=person_pk)
        assessed = employment.assess_person(person)
        home = person.municipality
        for entry in entries:
            entry.eligible, entry.reasons = employment.explain(employment.rules_of(entry.obj), assessed,
                                                               offer=entry.source == "offer")
            place = entry.municipality
            if home is not None and place is not None:
                entry.distance_km = round(float(haversine_km(float(home.latitude), float(home.longitude),
                                                             float(place.latitude), float(place.longitude)))
                                          * ROAD_FACTOR, 0)
        if filters.eligible_only:
            entries = [e for e in entries if e.eligible]
        entries.sort(key=lambda e: (not e.eligible, e.distance_km if e.distance_km is not None else 1e9))
        audit(actor=user, verb="offers.eligibility_viewed", obj=person, person=person,
              organisation=access.acting_organisation(user, role=Role.ADVISER, person=person),
              detail={"offers": [e.pk for e in entries if e.source == "offer"],
                      "programmes": [e.pk for e in entries if e.source == "programme"]})
    return person, entries


def offer_get(*, user: User, pk: int) -> Offer:
    """One offer of the catalogue (not personal data); 404 otherwise."""
    access.require(user, "network.read_catalogue")
    found = offers().filter(pk=pk).first() if isinstance(pk, int) else None
    if found is None:
        raise Http404
    return found


def active_language() -> str:
    return (translation.get_language() or "en").split("-")[0]


# ---------------------------------------------------------------------------------------------- referrals

def _referral_orgs(user: User) -> list[int]:
    return access.organisation_ids(user, Role.ADVISER) + access.organisation_ids(user, Role.COORDINATOR)


def referrals_visible_to(user: User) -> QuerySet[Referral]:
    """The referrals the user's organisations sent or received (advisers and coordinators); none otherwise."""
    orgs = _referral_orgs(user)
    return (Referral.objects.filter(Q(from_organisation_id__in=orgs) | Q(to_organisation_id__in=orgs))
            .select_related("person", "from_organisation", "to_organisation", "offer", "programme", "sent_by"))


def referral_list(*, user: User, direction: str = "") -> list[Referral]:
    """Received ("incoming") or sent ("outgoing") referrals, or both, open ones first; audited as one event."""
    orgs = _referral_orgs(user)
    qs = referrals_visible_to(user)
    if direction == "incoming":
        qs = qs.filter(to_organisation_id__in=orgs)
    elif direction == "outgoing":
        qs = qs.filter(from_organisation_id__in=orgs)
    rows = sorted(qs[:200], key=lambda r: (r.status not in (ReferralStatus.SENT, ReferralStatus.ACCEPTED),
                                           -r.sent_at.timestamp()))
    audit_listed(actor=user, verb="referrals.listed", records=[r.person for r in rows])
    return rows


def referral_get(*, user: User, pk: int) -> Referral:
    """One referral of the user's organisations, to act on; 404 otherwise (not audited: the write is)."""
    try:
        return referrals_visible_to(user).prefetch_related("events__by", "events__organisation").get(pk=pk)
    except (Referral.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def referral_view(*, user: User, pk: int) -> Referral:
    """One referral, to show it with what travelled: audited as `referral.viewed`."""
    referral = referral_get(user=user, pk=pk)
    audit(actor=user, verb="referral.viewed", obj=referral, person=referral.person,
          organisation=referral.to_organisation if referral.to_organisation_id in _referral_orgs(user)
          else referral.from_organisation)
    return referral


def shared_view(referral: Referral) -> dict[str, Any]:
    """What travelled with a referral, ready to show in the user's language (labels, not codes)."""
    data = dict(referral.shared or {})
    language = active_language()
    out: dict[str, Any] = {}
    if "name" in data:
        out["name"] = data["name"]
    if "birth_year" in data:
        out["birth_year"] = data["birth_year"]
    if "languages" in data:
        out["languages"] = [{"code": item["code"], "name": language_name(item["code"]),
                             "level": str(Cefr(item["level"]).label) if item.get("level") in Cefr.values else ""}
                            for item in data["languages"]]
    if "legal_status" in data:
        code = data["legal_status"]
        out["legal_status"] = str(LegalStatusKind(code).label) if code in LegalStatusKind.values else ""
        out["right_to_work"] = [{"country": country_name(c), "outcome": str(RIGHT_TO_WORK_LABELS.get(o, o))}
                                for c, o in (data.get("right_to_work") or {}).items()]
    if "skills" in data:
        out["skills"] = sorted(s.label(language) for s in Skill.objects.filter(pk__in=data["skills"]))
    if "note" in data:
        out["note"] = data["note"]
    return out
