"""The catalogue in the Open Referral Human Services Data Specification (HSDS 3.0), both ways.

`services(entries, language)` writes each catalogue entry as an HSDS `service` object with its nested
`organization`, `service_at_locations` (a `location` with its `addresses`), `languages`, `schedules`,
`service_areas`, `phones` and the conditions: `minimum_age` / `maximum_age` and `eligibility_description`
as HSDS has them, and Pont's other rules (legal statuses, right to work, language level, kind, places,
waiting time, cost) as `attributes` of the vocabulary "pont", so that a file Pont wrote reads back
without loss. HSDS has one text per field: a file is written, and read, in one language.

`import_services(data, language)` reads such a file (a list of services, or an HSDS API page with
`contents`): every record is checked first and nothing is written unless all are good; the errors name
the record's id. A record is matched to an existing offer by its id (importing again updates). Services
Pont wrote for its employment programmes (attribute `source: programme`) are skipped: they are not offers.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import pycountry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation

from pont.core.i18n import language_name
from pont.core.models import Municipality, Organisation, Region
from pont.network.models import Offer

NAMESPACE = uuid.UUID("7d1e2c4a-3b5f-4e60-9a1b-2c3d4e5f6a7b")  # ids of what Pont derives (locations, …)
VOCABULARY = "pont"
_RULE_ATTRIBUTES = ("kind", "legal_status", "right_to_work", "language_required", "capacity", "waiting_weeks",
                    "cost_eur", "source")


def _id(*parts: Any) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(str(p) for p in parts)))


def _attribute(service_id: str, code: str, value: Any) -> dict[str, Any]:
    return {"id": _id(service_id, "attribute", code, value), "link_id": service_id, "link_type": "service",
            "link_entity": "service", "value": str(value),
            "taxonomy_term": {"id": _id("term", code), "code": code, "name": code, "vocabulary": VOCABULARY}}


def service(entry, language: str) -> dict[str, Any]:
    """Return one catalogue entry (selectors.Entry) as an HSDS 3.0 service, its texts in `language`."""
    obj = entry.obj
    offer = entry.source == "offer"
    with translation.override(language):
        service_id = str(obj.hsds_id) if offer else _id("programme", obj.pk)
        org = obj.organisation
        place = entry.municipality
        conditions = [r.text for r in entry.reasons] if entry.reasons else []
        attributes = [_attribute(service_id, "kind", entry.kind)]
        attributes += [_attribute(service_id, "legal_status", s) for s in (obj.legal_statuses or [])]
        attributes.append(_attribute(service_id, "right_to_work", obj.right_to_work))
        if obj.min_language and obj.min_language_level:
            attributes.append(_attribute(service_id, "language_required",
                                         f"{obj.min_language}:{obj.min_language_level}"))
        if obj.capacity is not None:
            attributes.append(_attribute(service_id, "capacity", obj.capacity))
        if offer and obj.waiting_weeks is not None:
            attributes.append(_attribute(service_id, "waiting_weeks", obj.waiting_weeks))
        if offer and obj.cost_eur is not None:
            attributes.append(_attribute(service_id, "cost_eur", obj.cost_eur))
        if not offer:
            attributes.append(_attribute(service_id, "source", "programme"))
        location_id = _id(service_id, "location")
        data: dict[str, Any] = {
            "id": service_id,
            "organization_id": _id("organization", org.pk),
            "name": entry.title,
            "description": obj.description or "",
            "url": (obj.website or None) if offer else None,
            "email": (obj.contact_email or None) if offer else None,
            "status": "active",
            "fees_description": _fees(obj.cost_eur) if offer else "",
            "eligibility_description": " ".join(conditions),
            "minimum_age": obj.min_age,
            "maximum_age": obj.max_age,
            "organization": {"id": _id("organization", org.pk), "name": org.name, "description": ""},
            "languages": [{"id": _id(service_id, "language", code), "service_id": service_id, "code": code,
                           "name": language_name(code, language)} for code in entry.languages],
            "phones": [{"id": _id(service_id, "phone"), "service_id": service_id, "number": obj.contact_phone}]
            if offer and obj.contact_phone else [],
            "schedules": [{"id": _id(service_id, "schedule"), "service_id": service_id,
                           "valid_from": obj.valid_from.isoformat() if obj.valid_from else None,
                           "valid_to": obj.valid_until.isoformat() if obj.valid_until else None,
                           "description": obj.opening_hours}]
            if offer and (obj.opening_hours or obj.valid_from or obj.valid_until) else [],
            "service_areas": [{"id": _id(service_id, "area", r.code), "service_id": service_id, "name": r.name,
                               "extent": r.code, "extent_type": "text"} for r in obj.regions.all()],
            "service_at_locations": [] if place is None else [{
                "id": _id(service_id, "at", location_id), "service_id": service_id, "location": {
                    "id": location_id, "location_type": "physical", "name": place.name,
                    "latitude": float(place.latitude), "longitude": float(place.longitude),
                    "addresses": [{"id": _id(location_id, "address"), "location_id": location_id,
                                   "address_1": (obj.address if offer else "") or place.name, "city": place.name,
                                   "region": place.region.name, "state_province": "",
                                   "postal_code": place.postcode, "country": place.region.country,
                                   "address_type": "physical"}]}}],
            "attributes": attributes,
        }
    return data


def _fees(cost: Decimal | None) -> str:
    return "" if cost is None else ("free" if cost == 0 else f"{cost} EUR")


# ------------------------------------------------------------------------------------------------ import

class HsdsError(Exception):
    """Some records cannot be imported; `errors` lists (record id, message) and nothing was written."""

    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__("; ".join(f"{record}: {message}" for record, message in errors))
        self.errors = errors


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    skipped: list[str] = field(default_factory=list)  # ids of services that are Pont's programmes


def _records(data: Any) -> list[Any]:
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        return data["contents"]
    if isinstance(data, list):
        return data
    raise HsdsError([("—", "expected a list of HSDS services, or an HSDS page with 'contents'")])


def _pont_attributes(record: dict) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for attribute in record.get("attributes") or []:
        term = (attribute or {}).get("taxonomy_term") or {}
        if term.get("vocabulary") == VOCABULARY and term.get("code") in _RULE_ATTRIBUTES:
            found.setdefault(term["code"], []).append(str(attribute.get("value", "")))
    return found


def _language_code(code: str) -> str:
    code = (code or "").strip().lower()
    if len(code) == 2:
        record = pycountry.languages.get(alpha_2=code)
        return record.alpha_3 if record is not None else code
    return code


def _place(record: dict) -> tuple[Municipality | None, str]:
    for at in record.get("service_at_locations") or []:
        location = (at or {}).get("location") or {}
        for address in location.get("addresses") or []:
            postcode, city = str(address.get("postal_code") or "").strip(), str(address.get("city") or "").strip()
            found = Municipality.objects.filter(postcode=postcode, name__iexact=city).first() or \
                Municipality.objects.filter(postcode=postcode).first()
            if found is not None:
                return found, str(address.get("address_1") or "")[:200]
    return None, ""


def _offer_from(record: dict, language: str, regions: dict[str, Region]) -> tuple[Offer, list[Region]]:
    """Return the offer a record describes (new or updated, not saved) and its area; raise ValidationError."""
    try:
        service_id = uuid.UUID(str(record.get("id")))
    except ValueError:
        raise ValidationError({"id": "not a UUID"}) from None
    organisation_name = str(((record.get("organization") or {}).get("name")) or "").strip()
    organisation = Organisation.objects.filter(name=organisation_name).first()
    if organisation is None:
        raise ValidationError({"organization": f"no partner organisation named {organisation_name!r}"})
    municipality, address = _place(record)
    if municipality is None:
        raise ValidationError({"service_at_locations": "no address with a known postal code and city"})
    pont = _pont_attributes(record)
    offer = Offer.objects.filter(hsds_id=service_id).first() or Offer(hsds_id=service_id)
    offer.organisation, offer.municipality, offer.address = organisation, municipality, address
    offer.kind = (pont.get("kind") or ["other"])[0]
    setattr(offer, f"title_{language}", str(record.get("name") or "").strip())
    setattr(offer, f"description_{language}", str(record.get("description") or "").strip())
    if not offer.title:
        offer.title = getattr(offer, f"title_{language}")
    offer.contact_email = str(record.get("email") or "")
    offer.website = str(record.get("url") or "")
    phones = record.get("phones") or []
    offer.contact_phone = str((phones[0] or {}).get("number") or "")[:40] if phones else ""
    offer.min_age, offer.max_age = record.get("minimum_age"), record.get("maximum_age")
    offer.languages = sorted({_language_code(str((lang or {}).get("code") or "")) for lang in
                              record.get("languages") or []} - {""})
    offer.legal_statuses = pont.get("legal_status", [])
    offer.right_to_work = (pont.get("right_to_work") or ["not_required"])[0]
    required = (pont.get("language_required") or [":"])[0].split(":", 1)
    offer.min_language, offer.min_language_level = required[0], required[1] if len(required) > 1 else ""
    offer.capacity = _integer(pont, "capacity")
    offer.waiting_weeks = _integer(pont, "waiting_weeks")
    try:
        offer.cost_eur = Decimal(pont["cost_eur"][0]) if pont.get("cost_eur") else None
    except InvalidOperation:
        raise ValidationError({"attributes": "cost_eur is not a number"}) from None
    schedule = (record.get("schedules") or [{}])[0] or {}
    offer.opening_hours = str(schedule.get("description") or "")[:200]
    offer.valid_from, offer.valid_until = schedule.get("valid_from"), schedule.get("valid_to")
    area = []
    for item in record.get("service_areas") or []:
        code = str((item or {}).get("extent") or "").strip()
        if code not in regions:
            raise ValidationError({"service_areas": f"unknown region {code!r} (a NUTS code of the region)"})
        area.append(regions[code])
    offer.full_clean(exclude=["hsds_id"])
    return offer, area


def _integer(pont: dict[str, list[str]], code: str) -> int | None:
    values = pont.get(code)
    if not values:
        return None
    try:
        return int(values[0])
    except ValueError:
        raise ValidationError({"attributes": f"{code} is not a whole number"}) from None


def import_services(data: Any, language: str = "fr") -> ImportResult:
    """Check every record of an HSDS file, then write all of them in one transaction (or none: HsdsError)."""
    if language not in ("fr", "nl", "en"):
        raise HsdsError([("—", f"language must be fr, nl or en, not {language!r}")])
    regions = {r.code: r for r in Region.objects.all()}
    result, checked, errors = ImportResult(), [], []
    for number, record in enumerate(_records(data), 1):
        record_id = str((record or {}).get("id") or f"#{number}") if isinstance(record, dict) else f"#{number}"
        if not isinstance(record, dict):
            errors.append((record_id, "not an object"))
            continue
        if "programme" in _pont_attributes(record).get("source", []):
            result.skipped.append(record_id)
            continue
        try:
            checked.append(_offer_from(record, language, regions))
        except ValidationError as error:
            by_field = error.message_dict if hasattr(error, "error_dict") else {"—": error.messages}
            errors.append((record_id, "; ".join(f"{name}: {' '.join(str(m) for m in messages)}"
                                                for name, messages in by_field.items())))
    if errors:
        raise HsdsError(errors)
    with transaction.atomic():
        for offer, area in checked:
            if offer.pk is None:
                result.created += 1
            else:
                result.updated += 1
            offer.save()
            offer.regions.set(area)
    return result
