"""Every write of the people app. Each runs in one transaction and appends to the audit trail."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from pont.audit.services import audit
from pont.core import access
from pont.core.exceptions import Conflict
from pont.core.models import Municipality, Organisation, Region, User
from pont.core.roles import Role
from pont.core.services import field_errors, model_update
from pont.people import duplicates, right_to_work
from pont.people.choices import ConsentGiver, ConsentPurpose
from pont.people.models import Consent, Correction, LegalStatus, Person, PersonFile, PersonLanguage

# GDPR Art. 8 age of digital consent by country of residence (DOMAIN.md).
CONSENT_AGE = {"FR": 15, "BE": 13}

PERSON_FIELDS = (
    "reference", "given_name", "family_name", "date_of_birth", "sex", "nationality", "region", "municipality",
    "address", "phone", "email", "unaccompanied_minor", "guardian_name", "guardian_contact", "labour_status",
)


@dataclass
class StatusInput:
    status: str
    country: str
    start_date: dt.date
    end_date: dt.date | None = None
    decision_date: dt.date | None = None
    claim_date: dt.date | None = None
    work_authorisation_date: dt.date | None = None


# What may be recorded on a status row after it was added (the rest of a row is its identity).
STATUS_LATER_FIELDS = ("end_date", "decision_date", "claim_date", "work_authorisation_date")


@dataclass
class PersonInput:
    given_name: str
    family_name: str
    date_of_birth: dt.date
    sex: str
    region: Region | None
    municipality: Municipality | None = None
    nationality: str = ""
    reference: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    unaccompanied_minor: bool = False
    guardian_name: str = ""
    guardian_contact: str = ""
    labour_status: str = ""
    languages: dict[str, str] = field(default_factory=dict)  # ISO 639-3 → CEFR level or ""
    status: StatusInput | None = None


def _new_reference() -> str:
    return f"PT-{timezone.localdate():%y}-{secrets.token_hex(3).upper()}"


def _with_region(values: dict) -> dict:
    """The region of residence follows from the municipality when only that is given."""
    if values.get("region") is None and values.get("municipality") is not None:
        values["region"] = values["municipality"].region
    return values


def _validate_languages(languages: dict[str, str]) -> None:
    """Validate each language as the model does; all messages go to the field `languages`."""
    errors: list[str] = []
    for code, level in languages.items():
        try:
            PersonLanguage(code=code.lower(), level=level or "").full_clean(exclude=["person"])
        except ValidationError as error:
            errors.extend(f"{code}: {message}" for message in error.messages)
    if errors:
        raise ValidationError({"languages": errors})


def _validate_status(status: StatusInput, history: list[right_to_work.StatusFact] | None = None) -> None:
    """Refuse what no real procedure produces; `history` (the person's other rows) finds an appeal's claim.

    An appeal's first-instance decision precedes the appeal: that is the normal order, not an error.
    """
    errors: dict[str, Any] = field_errors(LegalStatus, status=status.status)
    if status.country not in CONSENT_AGE:
        errors["country"] = _("Choose Belgium or France.")
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    for name in ("start_date", "decision_date", "claim_date", "work_authorisation_date"):
        day = getattr(status, name)
        if day and day > today:
            errors[name] = _("This date cannot be in the future.")
    start = status.start_date
    if status.end_date and start and status.end_date < start:
        errors["end_date"] = _("The end of a status cannot come before its start.")
    appeal = right_to_work.is_appeal(status.status)
    asylum = appeal or right_to_work.is_claim(status.status)
    if status.claim_date and not appeal:
        errors["claim_date"] = _("Only an appeal records the date of the claim; for a claim it is the start date.")
    elif status.claim_date and start and status.claim_date > start:
        errors["claim_date"] = _("The claim must have been lodged before the appeal.")
    if status.work_authorisation_date and not asylum:
        errors["work_authorisation_date"] = _("A work authorisation is recorded on an asylum claim or appeal only.")
    if errors:
        raise ValidationError(errors)
    # The claim of an appeal: its own claim date, else the claim row of the same country in the history.
    claim = right_to_work.procedure_of(right_to_work.StatusFact.of(status), history or []).claim if appeal else start
    if status.decision_date and claim and status.decision_date < claim:
        errors["decision_date"] = _("A decision cannot come before the claim was lodged.")
    elif appeal and status.decision_date and status.decision_date > start:
        errors["decision_date"] = _("The first-instance decision must come before the appeal against it.")
    if status.work_authorisation_date and claim and status.work_authorisation_date < claim:
        errors["work_authorisation_date"] = _("A work authorisation cannot come before the claim was lodged.")
    if errors:
        raise ValidationError(errors)


def _set_languages(person: Person, languages: dict[str, str]) -> None:
    person.languages.exclude(code__in=list(languages)).delete()
    for code, level in languages.items():
        PersonLanguage.objects.update_or_create(person=person, code=code.lower(), defaults={"level": level or ""})


def _refresh_current_status(person: Person) -> None:
    today = timezone.localdate()
    current = (
        person.legal_statuses.filter(start_date__lte=today)
        .exclude(end_date__lt=today).order_by("-start_date", "-id").first()
    )
    person.current_status = current.status if current else ""
    person.save(update_fields=["current_status"])


class PossibleDuplicate(ValidationError):
    """Pont found people who may be this person: the caller shows them and asks to confirm."""

    def __init__(self, check):
        super().__init__(_("Pont found people who may be the same person. Check them before going on."),
                         code="possible_duplicate")
        self.check = check


def person_create(*, data: PersonInput, organisation: Organisation, by: User, not_a_duplicate: bool = False) -> Person:
    """Register a person, open a file for `organisation`, record languages and first legal status.

    Refuses (PossibleDuplicate) when people born the same day have a likely spelling of the same name,
    unless the adviser confirmed they checked (`not_a_duplicate`). Advisers of `organisation` only (404).
    """
    from pont.people.selectors import duplicate_candidates

    if not access.acts_for(by, organisation, Role.ADVISER):
        raise Http404
    values = _with_region({name: getattr(data, name) for name in PERSON_FIELDS})
    values["reference"] = (values.get("reference") or "").strip() or _new_reference()
    person = Person(**values, created_by=by)
    person.search_name = duplicates.normalise(f"{data.given_name} {data.family_name}")
    person.full_clean()
    _validate_languages(data.languages)
    if data.status is not None:
        _validate_status(data.status)
    if not not_a_duplicate:
        check = duplicate_candidates(user=by, given_name=person.given_name, family_name=person.family_name,
                                     date_of_birth=person.date_of_birth)
        if check.in_scope or check.elsewhere:
            raise PossibleDuplicate(check)
    try:
        with transaction.atomic():
            person.save()
            PersonFile.objects.create(person=person, organisation=organisation, opened_by=by)
            _set_languages(person, data.languages)
            if data.status is not None:
                LegalStatus.objects.create(person=person, recorded_by=by, **vars(data.status))
                _refresh_current_status(person)
            audit(actor=by, verb="person.created", obj=person, person=person, organisation=organisation)
    except IntegrityError:
        raise ValidationError({"reference": _("Another person already has this reference number.")}) from None
    return person


def _stored(value) -> str:
    """A value as a correction keeps it: codes for choices, ISO dates, names of places, "" for nothing."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _languages_stored(levels: dict[str, str]) -> str:
    return ", ".join(f"{code}:{level}" if level else code for code, level in sorted(levels.items()))


def person_update(*, person: Person, by: User, changes: dict, languages: dict[str, str] | None = None,
                  reason: str = "") -> Person:
    """Change a person's details (and languages if given); every changed field is kept as a correction (before,
    after, who, why: GDPR Art. 16) and the names of the changed fields are audited."""
    access.require(by, "people.change_person", person)
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    if languages is not None:
        _validate_languages(languages)
    values = _with_region({**{name: getattr(person, name) for name in ("region", "municipality")}, **changes})
    if "municipality" in changes and "region" not in changes and values.get("municipality") is not None:
        values["region"] = values["municipality"].region  # moving town moves the region with it
    values["search_name"] = duplicates.normalise(f"{values.get('given_name', person.given_name)} "
                                                 f"{values.get('family_name', person.family_name)}")
    reason = (reason or "").strip()
    Correction(reason=reason).clean_fields(exclude=["person", "field", "old_value", "new_value", "by", "at"])
    old = {name: _stored(getattr(person, name)) for name in PERSON_FIELDS}
    with transaction.atomic():
        person, changed = model_update(instance=person, data=values, fields=(*PERSON_FIELDS, "search_name"))
        changed = [name for name in changed if name != "search_name"]
        corrections = [Correction(person=person, field=name, old_value=old[name],
                                  new_value=_stored(getattr(person, name)), reason=reason, by=by)
                       for name in changed]
        if languages is not None:
            before = dict(person.languages.values_list("code", "level"))
            if before != languages:
                _set_languages(person, languages)
                changed.append("languages")
                corrections.append(Correction(person=person, field="languages", old_value=_languages_stored(before),
                                              new_value=_languages_stored(languages), reason=reason, by=by))
        Correction.objects.bulk_create(corrections)
        audit(actor=by, verb="person.updated", obj=person, person=person, detail={"fields": changed})
    return person


def legal_status_add(*, person: Person, by: User, status: StatusInput) -> LegalStatus:
    """Add a status to the history; an open earlier status ends the day before the new one starts."""
    access.require(by, "people.change_person", person)
    _validate_status(status, [right_to_work.StatusFact.of(s) for s in person.legal_statuses.all()])
    with transaction.atomic():
        previous = person.legal_statuses.filter(end_date__isnull=True, start_date__lt=status.start_date)
        for old in previous:
            old.end_date = status.start_date - dt.timedelta(days=1)
            old.save(update_fields=["end_date"])
        record = LegalStatus.objects.create(person=person, recorded_by=by, **vars(status))
        _refresh_current_status(person)
        audit(actor=by, verb="legal_status.created", obj=record, person=person,
              detail={"status": status.status, "country": status.country})
    return record


def legal_status_update(*, record: LegalStatus, by: User, changes: dict) -> LegalStatus:
    """Record what happened later on a status row: its end, the first-instance decision, the claim an
    appeal belongs to, a work authorisation. Audits the names of the changed fields."""
    access.require(by, "people.change_person", record.person)
    unknown = set(changes) - set(STATUS_LATER_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in sorted(unknown)})
    values = StatusInput(**{name: getattr(record, name) for name in (
        "status", "country", "start_date", *STATUS_LATER_FIELDS)})
    for name, value in changes.items():
        setattr(values, name, value)
    person = record.person
    _validate_status(values, [right_to_work.StatusFact.of(s) for s in person.legal_statuses.exclude(pk=record.pk)])
    changed = [name for name in STATUS_LATER_FIELDS if getattr(record, name) != getattr(values, name)]
    with transaction.atomic():
        for name in changed:
            setattr(record, name, getattr(values, name))
        if changed:
            record.save(update_fields=changed)
        _refresh_current_status(person)
        audit(actor=by, verb="legal_status.updated", obj=record, person=person, detail={"fields": changed})
    return record


def consent_giver_required(person: Person, purpose: str, on: dt.date | None = None) -> set[str]:
    """Return who may give consent for `purpose` on `on` (default today), by age and country of residence.

    - 18 or over: the person.
    - A minor at or above the country's age of digital consent (Belgium 13, France 15): the person,
      or the person jointly with the holder of parental authority / guardian.
    - Below it: in Belgium the guardian (holder of parental responsibility); in France only the minor
      jointly with the holder of parental authority (Loi Informatique et Libertés art. 45) — the
      guardian alone is not enough.
    - Care counselling offered directly to a minor needs no parental consent (GDPR Recital 38): the
      minor consents, or the guardian does.
    """
    age = person.age(on)
    if age >= 18:
        return {ConsentGiver.PERSON}
    if purpose == ConsentPurpose.CARE:
        return {ConsentGiver.PERSON, ConsentGiver.GUARDIAN}
    if age >= CONSENT_AGE[person.country_of_residence]:
        return {ConsentGiver.PERSON, ConsentGiver.JOINT}
    return {ConsentGiver.JOINT} if person.country_of_residence == "FR" else {ConsentGiver.GUARDIAN}


def consent_record(*, person: Person, by: User, purpose: str, given_by: str) -> Consent:
    """Record a consent for one purpose; refuses a giver the person's age and country do not allow."""
    access.require(by, "people.change_person", person)
    consent = Consent(person=person, purpose=purpose, given_by=given_by, recorded_by=by)
    # The fields' choices say the options; "already in force" is checked below, under the row lock.
    consent.full_clean(exclude=["person", "recorded_by", "withdrawn_by"], validate_constraints=False)
    allowed = consent_giver_required(person, purpose)
    if given_by not in allowed:
        age_limit = CONSENT_AGE[person.country_of_residence]
        raise ValidationError({"given_by": _(
            "Aged %(age)s and living in %(country)s (consent age %(limit)s): consent must be given by: %(who)s."
        ) % {
            "age": person.age(), "country": person.region.get_country_display(), "limit": age_limit,
            "who": ", ".join(str(ConsentGiver(g).label) for g in sorted(allowed)),
        }})
    if (given_by in (ConsentGiver.GUARDIAN, ConsentGiver.JOINT)) and not person.guardian_name:
        raise ValidationError({"given_by": _("Record the guardian's name on the person's file first.")})
    with transaction.atomic():
        if person.consents.select_for_update().filter(purpose=purpose, withdrawn_at__isnull=True).exists():
            raise Conflict({"purpose": _("This consent is already in force.")})
        consent.save()
        audit(actor=by, verb="consent.recorded", obj=consent, person=person, detail={"purpose": purpose})
    return consent


def consent_withdraw(*, consent: Consent, by: User) -> Consent:
    """Withdraw a consent in force at once; the record stays, with who withdrew it and when."""
    access.require(by, "people.change_person", consent.person)
    if consent.withdrawn_at is not None:
        raise Conflict(_("This consent was already withdrawn."))
    with transaction.atomic():
        consent.withdrawn_at = timezone.now()
        consent.withdrawn_by = by
        consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
        audit(actor=by, verb="consent.withdrawn", obj=consent, person=consent.person,
              detail={"purpose": consent.purpose})
    return consent
