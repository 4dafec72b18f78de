"""Every write of the employment pathway. Each runs in one transaction and appends to the audit trail.

A refusal writes nothing: Http404 when the user may not act on the record (employment/rules.py, asked
through `access.require`), `Conflict` when the record's state refuses it (no place left, already
recorded, no consent), ValidationError (field → message in the user's language) for a field's rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from pont.audit.services import audit
from pont.core import access
from pont.core.exceptions import Conflict
from pont.core.i18n import is_language_code
from pont.core.models import Organisation, Region, User
from pont.core.roles import OrganisationKind, Role
from pont.core.services import collect_errors, field_errors
from pont.employment import capacity, selectors, stable
from pont.employment.choices import (
    HOSTED_KINDS,
    TRANSITIONS,
    CapacityPeriod,
    ContractType,
    EnrolmentStatus,
    LanguageTiming,
    LeavingReason,
    RightToWorkRule,
)
from pont.employment.models import (
    CoachingSession,
    EmploymentTarget,
    Enrolment,
    FollowUp,
    LanguageAssessment,
    LanguageTraining,
    Placement,
    Programme,
)
from pont.people.choices import ConsentPurpose, LegalStatusKind
from pont.people.models import Person
from pont.people.right_to_work import add_months
from pont.people.selectors import consent_in_force

LANGUAGES = ("fr", "nl", "en")


def _date(value: dt.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _status_label(status: str) -> str:
    return str(EnrolmentStatus(status).label)


# ---------------------------------------------------------------------------------------------- catalogue

@dataclass
class ProgrammeInput:
    kind: str
    names: dict[str, str]                                   # language → name
    descriptions: dict[str, str] = field(default_factory=dict)
    max_duration_months: int | None = None
    capacity: int | None = None
    capacity_period: str = CapacityPeriod.YEAR
    min_age: int | None = None
    max_age: int | None = None
    legal_statuses: list[str] = field(default_factory=list)
    right_to_work: str = RightToWorkRule.MAY_WORK
    min_language: str = ""
    min_language_level: str = ""
    regions: list[Region] = field(default_factory=list)
    active: bool = True


def _validate_programme(data: ProgrammeInput) -> None:
    errors: dict[str, Any] = field_errors(Programme, kind=data.kind, right_to_work=data.right_to_work,
                                          capacity_period=data.capacity_period,
                                          min_language_level=data.min_language_level)
    if not any((data.names.get(code) or "").strip() for code in LANGUAGES):
        errors["name"] = _("Give the programme a name in at least one language.")
    for name in ("max_duration_months", "capacity", "min_age", "max_age"):
        value = getattr(data, name)
        if value is not None and not (0 <= value <= 10_000):
            errors[name] = _("Enter a number between 0 and 10000.")
    if data.max_duration_months == 0:
        errors["max_duration_months"] = _("A programme lasts at least one month; leave empty for no limit.")
    if data.min_age is not None and data.max_age is not None and data.min_age > data.max_age:
        errors["max_age"] = _("The maximum age cannot be below the minimum age.")
    unknown = [s for s in data.legal_statuses if s not in LegalStatusKind.values]
    if unknown:
        errors["legal_statuses"] = _("Unknown legal status: %(status)s.") % {"status": ", ".join(unknown)}
    if bool(data.min_language) != bool(data.min_language_level):
        errors["min_language_level"] = _("Give both the language and the minimum level, or neither.")
    if data.min_language and not is_language_code(data.min_language):
        errors["min_language"] = _("Unknown language code: %(code)s (ISO 639-3, e.g. ara).") % {
            "code": data.min_language}
    if errors:
        raise ValidationError(errors)


def _apply_programme(programme: Programme, data: ProgrammeInput) -> None:
    programme.kind = data.kind
    for code in LANGUAGES:
        setattr(programme, f"name_{code}", (data.names.get(code) or "").strip())
        setattr(programme, f"description_{code}", (data.descriptions.get(code) or "").strip())
    for name in ("max_duration_months", "capacity", "capacity_period", "min_age", "max_age", "right_to_work",
                 "min_language_level", "active"):
        setattr(programme, name, getattr(data, name))
    programme.min_language = data.min_language.lower()
    programme.legal_statuses = sorted(set(data.legal_statuses))


def programme_create(*, organisation: Organisation, data: ProgrammeInput, by: User) -> Programme:
    """Add a programme to `organisation`'s catalogue (its coordinators only)."""
    access.require(by, "employment.change_programme", organisation)
    _validate_programme(data)
    with transaction.atomic():
        programme = Programme(organisation=organisation)
        _apply_programme(programme, data)
        programme.save()
        programme.regions.set(data.regions)
        audit(actor=by, verb="programme.created", obj=programme, organisation=organisation)
    return programme


def programme_update(*, programme: Programme, data: ProgrammeInput, by: User) -> Programme:
    """Change a programme of the coordinator's organisation (the history keeps every version)."""
    access.require(by, "employment.change_programme", programme.organisation_id)
    _validate_programme(data)
    with transaction.atomic():
        _apply_programme(programme, data)
        programme.save()
        programme.regions.set(data.regions)
        audit(actor=by, verb="programme.updated", obj=programme, organisation=programme.organisation)
    return programme


# ---------------------------------------------------------------------------------------------- enrolments

def _not_future(name: str, day: dt.date | None, errors: dict) -> None:
    if day is not None and day > timezone.localdate():
        errors[name] = _("This date cannot be in the future.")


def _check_duration(programme: Programme, start: dt.date | None, end: dt.date | None, name: str,
                    errors: dict) -> None:
    if start is None or end is None:
        return
    if end < start:
        errors[name] = _("The end cannot come before the start.")
    elif programme.max_duration_months and end > add_months(start, programme.max_duration_months):
        errors[name] = _("This programme lasts at most %(months)s months: it must end by %(date)s.") % {
            "months": programme.max_duration_months,
            "date": _date(add_months(start, programme.max_duration_months))}


def _check_eligible(person: Person, programme: Programme, on: dt.date) -> None:
    result = selectors.eligibility_for(person=person, programmes=[programme], today=on, with_seats=False)[0]
    if not result.eligible:
        raise Conflict({"person": [r.text for r in result.reasons if not r.ok]})


def _seats_taken(programme: Programme, year: int) -> int:
    return capacity.seats_taken([programme], year).get(programme.pk, 0)


def _take_seat(enrolment: Enrolment, on: dt.date) -> None:
    """Check the places of the period (the year of `on`, or the whole project) under a lock on the
    programme row, so two advisers cannot take the last one.

    Must run inside the transaction that saves the enrolment.
    """
    programme = Programme.objects.select_for_update().get(pk=enrolment.programme_id)
    if programme.capacity is not None and _seats_taken(programme, on.year) >= programme.capacity:
        raise Conflict({"programme": capacity.full_message(programme, on.year)})
    enrolment.seat_year = on.year


def enrolment_create(*, person: Person, programme: Programme, by: User, enrol: bool = False,
                     on: dt.date | None = None, planned_start: dt.date | None = None,
                     planned_end: dt.date | None = None, host_company: Organisation | None = None,
                     coach_name: str = "", coach_contact: str = "", notes: str = "") -> Enrolment:
    """Propose `person` for `programme` (or, with `enrol`, propose and enrol the same day).

    Refuses a programme of another organisation, an inactive one, a person who is not eligible,
    a duration beyond the programme's limit and, when enrolling, a programme without a place left.
    """
    on = on or timezone.localdate()
    access.require(by, "employment.follow", person)
    access.require(by, "employment.enrol", programme.organisation_id)
    if not person.files.filter(organisation_id=programme.organisation_id, closed_at__isnull=True).exists():
        raise Conflict({"person": _("This person has no open file in %(organisation)s.") % {
            "organisation": programme.organisation.name}})
    if not programme.active:
        raise Conflict({"programme": _("This programme takes no new enrolments.")})
    errors: dict = {}
    _not_future("on", on, errors)
    _check_duration(programme, planned_start, planned_end, "planned_end", errors)
    if host_company is not None and host_company.kind != OrganisationKind.COMPANY:
        errors["host_company"] = _("The host company must be a company.")
    if (host_company is not None or coach_name) and programme.kind not in HOSTED_KINDS:
        errors["host_company"] = _("Only workplace and shop-floor trainings have a host company and a coach.")
    if errors:
        raise ValidationError(errors)
    _check_eligible(person, programme, on)
    try:
        with transaction.atomic():
            enrolment = Enrolment(
                person=person, programme=programme, proposed_on=on, planned_start=planned_start,
                planned_end=planned_end, host_company=host_company, coach_name=coach_name.strip(),
                coach_contact=coach_contact.strip(), notes=notes.strip(), created_by=by)
            if enrol:
                _take_seat(enrolment, on)
                enrolment.status = EnrolmentStatus.ENROLLED
                enrolment.enrolled_on = on
            enrolment.save()
            audit(actor=by, verb="enrolment.created", obj=enrolment, person=person,
                  organisation=programme.organisation, detail={"status": enrolment.status})
    except IntegrityError:
        raise Conflict({"programme": _(
            "This person already has an open enrolment in this programme.")}) from None
    return enrolment


def enrolment_transition(*, enrolment: Enrolment, to: str, by: User, on: dt.date | None = None,
                         reason: str = "", planned_end: dt.date | None = None) -> Enrolment:
    """Move an enrolment one step along the workflow, dated `on` (default today).

    proposed → enrolled (eligibility checked again, a place taken) → active (starts; the planned end
    must fit the maximum duration) → completed (within the maximum duration); enrolled or active →
    dropped out (a reason is required). Every other move is refused.
    """
    on = on or timezone.localdate()
    programme = enrolment.programme
    access.require(by, "employment.change_enrolment", enrolment)
    current = enrolment.status
    if to not in EnrolmentStatus.values:
        raise ValidationError({"status": _("Select a valid choice. That choice is not one of the available choices.")})
    if to not in TRANSITIONS[current]:
        raise Conflict({"status": _("An enrolment that is “%(current)s” cannot become “%(target)s”.") % {
            "current": _status_label(current), "target": _status_label(to)}})
    errors: dict = {}
    _not_future("on", on, errors)
    last = max(d for d in (enrolment.proposed_on, enrolment.enrolled_on, enrolment.started_on) if d)
    if on < last:
        errors["on"] = _("This step cannot come before the previous one (%(date)s).") % {"date": _date(last)}
    if to == EnrolmentStatus.DROPPED_OUT and not reason.strip():
        errors["reason"] = _("Say why the person dropped out.")
    if to == EnrolmentStatus.ACTIVE:
        planned_end = planned_end or enrolment.planned_end
        if planned_end is None and programme.max_duration_months:
            planned_end = add_months(on, programme.max_duration_months)
        _check_duration(programme, on, planned_end, "planned_end", errors)
    if to == EnrolmentStatus.COMPLETED:
        _check_duration(programme, enrolment.started_on, on, "on", errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if locked.status != current:
            raise Conflict({"status": _("Someone changed this enrolment meanwhile: reload the page.")})
        if to == EnrolmentStatus.ENROLLED:
            _check_eligible(enrolment.person, programme, on)
            _take_seat(enrolment, on)
            enrolment.enrolled_on = on
        elif to == EnrolmentStatus.ACTIVE:
            enrolment.started_on = on
            enrolment.planned_end = planned_end
        elif to == EnrolmentStatus.COMPLETED:
            enrolment.completed_on = on
        else:
            enrolment.dropped_out_on = on
            enrolment.dropout_reason = reason.strip()
        enrolment.status = to
        enrolment.save()
        audit(actor=by, verb="enrolment.status_changed", obj=enrolment, person=enrolment.person,
              organisation=programme.organisation, detail={"from": current, "to": to})
    return enrolment


# ---------------------------------------------------------------------------------------------- coaching

def _acting_org(by: User, person: Person) -> Organisation:
    """Return the organisation `by` advises for that holds an open file on `person` (404 if none)."""
    access.require(by, "employment.follow", person)
    return access.acting_organisation(by, role=Role.ADVISER, person=person)


def coaching_session_create(*, person: Person, by: User, date: dt.date, kind: str, notes: str = "",
                            next_step: str = "", next_date: dt.date | None = None,
                            enrolment: Enrolment | None = None) -> CoachingSession:
    """Add an entry to the person's coaching log."""

    organisation = _acting_org(by, person)
    session = CoachingSession(person=person, enrolment=enrolment, organisation=organisation, date=date, kind=kind,
                              notes=(notes or "").strip(), next_step=(next_step or "").strip(), next_date=next_date,
                              recorded_by=by)
    errors: dict[str, list[str]] = {}
    collect_errors(errors, session, validate_constraints=False)  # the model's choices, limits and dates
    if next_date is not None and date is not None and next_date < date:
        errors["next_date"] = [_("The next date cannot come before this session.")]
    if enrolment is not None and enrolment.person_id != person.pk:
        errors["enrolment"] = [_("This enrolment is someone else's.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        session.save()
        audit(actor=by, verb="coaching_session.created", obj=session, person=person, organisation=organisation)
    return session


# ---------------------------------------------------------------------------------------------- languages

def language_training_create(*, person: Person, by: User, language: str, course: str, hours: int,
                             start_date: dt.date, level_at_start: str, end_date: dt.date | None = None,
                             enrolment: Enrolment | None = None,
                             timing: str = LanguageTiming.STANDALONE) -> LanguageTraining:
    """Plan a language course, on its own or before or during a vocational training."""
    organisation = _acting_org(by, person)
    training = LanguageTraining(person=person, enrolment=enrolment, organisation=organisation, timing=timing,
                                language=(language or "").lower(), course=(course or "").strip(), hours=hours,
                                start_date=start_date, end_date=end_date, level_at_start=level_at_start,
                                created_by=by)
    collected: dict[str, list[str]] = {}
    collect_errors(collected, training, validate_constraints=False)  # code, limits, choices: the model's
    errors: dict[str, Any] = dict(collected)
    if end_date is not None and end_date < start_date:
        errors["end_date"] = _("The end cannot come before the start.")
    if enrolment is not None and enrolment.person_id != person.pk:
        errors["enrolment"] = _("This enrolment is someone else's.")
    if timing != LanguageTiming.STANDALONE and enrolment is None:
        errors["enrolment"] = _("Choose the vocational training this course goes with.")
    if enrolment is not None and timing == LanguageTiming.STANDALONE:
        timing = training.timing = LanguageTiming.DURING
    if enrolment is not None and not errors:
        training_start = enrolment.started_on or enrolment.planned_start
        training_end = enrolment.ended_on or enrolment.planned_end
        if timing == LanguageTiming.BEFORE and training_start and start_date >= training_start:
            errors["start_date"] = _("A course before the training must start before %(date)s.") % {
                "date": _date(training_start)}
        if timing == LanguageTiming.DURING and training_end and start_date > training_end:
            errors["start_date"] = _("A course during the training must start by %(date)s.") % {
                "date": _date(training_end)}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        training.save()
        audit(actor=by, verb="language_training.created", obj=training, person=person, organisation=organisation)
    return training


def language_assessment_add(*, training: LanguageTraining, by: User, date: dt.date, level: str) -> LanguageAssessment:
    """Record a CEFR level measured in a course; the person's language profile takes the new level."""
    from pont.people.services import person_update

    person = training.person
    _acting_org(by, person)
    assessment = LanguageAssessment(training=training, date=date, level=level, recorded_by=by)
    collected: dict[str, list[str]] = {}
    collect_errors(collected, assessment)
    errors: dict[str, Any] = dict(collected)
    if date is not None and date < training.start_date:
        errors["date"] = _("An assessment cannot come before the course starts (%(date)s).") % {
            "date": _date(training.start_date)}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        assessment.save()
        languages = dict(person.languages.values_list("code", "level"))
        if languages.get(training.language) != level:
            languages[training.language] = level
            person_update(person=person, by=by, changes={}, languages=languages)
        audit(actor=by, verb="language_assessment.created", obj=assessment, person=person,
              detail={"language": training.language, "level": level})
    return assessment


# ---------------------------------------------------------------------------------------------- placements

def placement_create(*, person: Person, by: User | None, job_title: str, contract_type: str, start_date: dt.date,
                     employer: Organisation | None = None, employer_name: str = "",
                     contract_months: int | None = None, hours_per_week: Decimal | float | None = None,
                     enrolment: Enrolment | None = None, occupation_uri: str = "",
                     organisation: Organisation | None = None) -> Placement:
    """Record a job a person took and plan its follow-ups (3 and 6 months by default, see stable.py).

    Called by advisers and by the matching app when an employer hires. `organisation` (the partner
    credited) defaults to the acting user's organisation holding the person's file, else the person's
    first open file.
    """
    employer_name = (employer.name if employer is not None else employer_name or "").strip()
    placement = Placement(
        person=person, enrolment=enrolment, employer=employer, employer_name=employer_name,
        job_title=(job_title or "").strip(), occupation_uri=(occupation_uri or "").strip(),
        contract_type=contract_type, contract_months=contract_months,
        hours_per_week=Decimal(str(hours_per_week)) if hours_per_week is not None else None,
        start_date=start_date, created_by=by)
    collected: dict[str, list[str]] = {}
    collect_errors(collected, placement, exclude=["organisation"], validate_constraints=False)
    errors: dict[str, Any] = dict(collected)
    if not employer_name:
        errors["employer_name"] = _("Name the employer.")
    if employer is not None and employer.kind != OrganisationKind.COMPANY:
        errors["employer"] = _("The employer must be a company.")
    if contract_type == ContractType.FIXED_TERM and contract_months is None:
        errors["contract_months"] = _("Give the length of a fixed-term contract in months.")
    if contract_type == ContractType.OPEN_ENDED and contract_months is not None:
        errors["contract_months"] = _("An open-ended contract has no length.")
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    if start_date > add_months(today, 12):
        errors["start_date"] = _("The job starts more than a year from now: record it closer to the date.")
    elif start_date < person.date_of_birth.replace(year=person.date_of_birth.year + 14):
        errors["start_date"] = _("The start date is before the person's 14th birthday.")
    if enrolment is not None and enrolment.person_id != person.pk:
        errors["enrolment"] = _("This enrolment is someone else's.")
    if errors:
        raise ValidationError(errors)
    if organisation is None:
        org_ids = set(access.organisation_ids(by)) if by is not None and by.is_authenticated else set()
        files = list(person.files.filter(closed_at__isnull=True).select_related("organisation")
                     .order_by("opened_at"))
        mine = [f for f in files if f.organisation_id in org_ids]
        if not (mine or files):
            raise Conflict(_("This person has no open file in any organisation."))
        organisation = (mine or files)[0].organisation
    current_rule = stable.rule()
    placement.organisation = organisation
    with transaction.atomic():
        placement.save()
        FollowUp.objects.bulk_create([
            FollowUp(placement=placement, month=month, due_on=add_months(start_date, month))
            for month in current_rule.followup_months
        ])
        audit(actor=by, verb="placement.created", obj=placement, person=person, organisation=organisation,
              detail={"contract_type": contract_type})
    return placement


# Recording is allowed a little before the due date: advisers call the week before.
FOLLOWUP_EARLY_DAYS = 14


def followup_record(*, followup: FollowUp, by: User, done_on: dt.date, still_employed: bool,
                    reason_left: str = "", notes: str = "") -> FollowUp:
    """Record a follow-up: still employed? If not, why (the placement then ends on that day).

    Follow-ups after the programme need the person's `employment_followup` consent (docs/consent.md).
    """
    placement = followup.placement
    access.require(by, "employment.follow", placement.person)
    if followup.done_on is not None:
        raise Conflict(_("This follow-up was already recorded."))
    if consent_in_force(placement.person, ConsentPurpose.EMPLOYMENT_FOLLOWUP) is None:
        raise Conflict(_("%(name)s has not consented to follow-ups after the programme (or withdrew it): "
                         "record the consent on their file first.") % {"name": placement.person.given_name})
    errors: dict[str, Any] = field_errors(FollowUp, notes=notes or "")
    _not_future("done_on", done_on, errors)
    earliest = followup.due_on - dt.timedelta(days=FOLLOWUP_EARLY_DAYS)
    if done_on < earliest:
        errors["done_on"] = _("This follow-up is due on %(due)s: record it from %(earliest)s.") % {
            "due": _date(followup.due_on), "earliest": _date(earliest)}
    if not still_employed and reason_left not in LeavingReason.values:
        errors["reason_left"] = _("Say why the person is no longer employed.")
    if still_employed and placement.ended_on is not None and placement.ended_on < done_on:
        errors["still_employed"] = _("This job ended on %(date)s.") % {"date": _date(placement.ended_on)}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        followup.done_on = done_on
        followup.still_employed = still_employed
        followup.reason_left = "" if still_employed else reason_left
        followup.notes = (notes or "").strip()
        followup.recorded_by = by
        followup.save()
        if not still_employed and placement.ended_on is None:
            placement.ended_on = done_on
            placement.save(update_fields=["ended_on"])
        audit(actor=by, verb="followup.recorded", obj=followup, person=placement.person,
              organisation=placement.organisation, detail={"month": followup.month,
                                                           "still_employed": still_employed})
    return followup


# ---------------------------------------------------------------------------------------------- target

def target_update(*, by: User, target: int, period_start: dt.date, period_end: dt.date) -> EmploymentTarget:
    """Change the stable-job target and its period (coordinators only); the first change saves the default."""
    access.require(by, "employment.change_target")
    errors: dict[str, Any] = field_errors(EmploymentTarget, target=target)
    if period_end <= period_start:
        errors["period_end"] = _("The period must end after it starts.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row = selectors.target_get()
        if row.pk is not None:
            row = EmploymentTarget.objects.select_for_update().get(pk=row.pk)
        before = {"target": row.target, "period_start": str(row.period_start), "period_end": str(row.period_end)}
        row.target, row.period_start, row.period_end = target, period_start, period_end
        row.updated_by, row.updated_at = by, timezone.now()
        row.save()
        audit(actor=by, verb="employment_target.updated", obj=row, detail={"before": before})
    return row
