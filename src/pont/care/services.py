"""Every write of the care app. Each runs in one transaction and appends to the audit trail.

`visit_create` is the one door for planning a visit, by hand or by the dispatch engine: it enforces the
language, ambassador and double-booking rules atomically.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from pont.audit.services import audit
from pont.care import clock, cooperation, instruments, scoring
from pont.care.choices import (
    CATEGORY_ORDER,
    HIGH_RISK,
    AgeGroup,
    Category,
    Channel,
    LegalBasis,
    MemberRole,
    NoteKind,
    Outcome,
    Relation,
    TargetGroup,
    VisitStatus,
)
from pont.care.models import Alert, Note, Screening, Signal, Team, TeamMember, TriageRecord, Visit
from pont.care.selectors import (
    CaseAccess,
    care_basis,
    case_access,
    dispatcher_org_ids,
    score_changes,
)
from pont.care.tasks import check_signal_clock
from pont.core import access as access_layer
from pont.core.exceptions import Conflict
from pont.core.i18n import is_language_code, language_name
from pont.core.models import Municipality, Organisation, User
from pont.core.roles import OrganisationKind
from pont.core.services import clean_only, field_errors
from pont.people.choices import LegalStatusKind
from pont.people.models import Person
from pont.people.selectors import consent_in_force

DEFAULT_VISIT_LENGTH = dt.timedelta(minutes=90)


def _new_reference() -> str:
    return f"SG-{timezone.localdate():%y}-{secrets.token_hex(3).upper()}"


@dataclass
class SignalInput:
    """What a signal says: from the public page, a phone call, a visit or a professional's request."""

    relation: str
    target_group: str
    municipality: Municipality | None
    languages: list[str] = field(default_factory=list)
    concerns: list[str] = field(default_factory=list)
    danger_now: bool = False
    first_name: str = ""
    age_group: str = ""
    description: str = ""
    signaller_name: str = ""
    signaller_contact: str = ""


def signal_route(municipality: Municipality) -> Organisation:
    """Return the care organisation that takes signals from this municipality: one covering its region
    (same country first), else any care organisation of the same country, else any."""
    care = Organisation.objects.filter(kind=OrganisationKind.CARE_TEAM).order_by("pk")
    country = municipality.region.country
    for qs in (care.filter(regions=municipality.region_id, country=country),
               care.filter(regions=municipality.region_id), care.filter(country=country), care):
        org = qs.first()
        if org is not None:
            return org
    raise ValidationError({"municipality": _("No care organisation takes signals yet.")})


def _arrival_category(data: SignalInput, channel: str) -> str:
    """Return the provisional category until a dispatcher triages: A if someone is in danger now, E for a
    professional's request for advice, else C (high distress, until someone has looked)."""
    if data.danger_now:
        return Category.A
    if data.relation == Relation.ADVICE or data.target_group == TargetGroup.PROFESSIONAL \
            or channel == Channel.CONSULTATION:
        return Category.E
    return Category.C


def _schedule_clock(signal: Signal) -> None:
    """Enqueue the checks that raise alerts when the signal nears and passes its target without contact, and
    raise the "plan again" alert of an urgent (A or B) signal at once."""
    for when in clock.check_times(signal):
        check_signal_clock.using(run_after=when).enqueue(signal.pk)
    clock.raise_urgent(signal)


def signal_create(*, data: SignalInput, channel: str, by: User | None = None, organisation: Organisation | None = None,
                  category: str = "", received_at: dt.datetime | None = None, person: Person | None = None) -> Signal:
    """Record a signal and start its clock. `by` is None for the public page (no account).

    The organisation is the caller's (staff) or routed from the municipality (public page). A signal about a
    registered `person` rests on their `care` consent (`care_request_create` checks it); any other on the
    request itself.
    """
    signal = Signal(
        organisation=organisation, channel=channel, created_by=by, relation=data.relation,
        signaller_name=data.signaller_name.strip(), signaller_contact=data.signaller_contact.strip(),
        first_name=data.first_name.strip(), languages=[c.lower() for c in dict.fromkeys(data.languages)],
        municipality=data.municipality, age_group=data.age_group, target_group=data.target_group,
        concerns=list(dict.fromkeys(data.concerns)), description=data.description.strip(),
        danger_now=data.danger_now, category=category, received_at=received_at or timezone.now(), person=person,
        legal_basis=LegalBasis.CONSENT if person is not None else LegalBasis.REQUEST,
    )
    # The model's fields say what is valid (choices, limits, codes) and its clean() the rule between them.
    signal.full_clean(exclude=["reference", "organisation", "target_at", *([] if category else ["category"])],
                      validate_unique=False, validate_constraints=False)
    if organisation is None:
        assert data.municipality is not None  # full_clean requires it
        signal.organisation = signal_route(data.municipality)
    signal.category = category or _arrival_category(data, channel)
    if data.danger_now:
        signal.category = Category.A
    clock.set_target(signal)
    for _attempt in range(5):
        signal.reference = _new_reference()
        try:
            with transaction.atomic():
                signal.save()
                TriageRecord.objects.create(signal=signal, category=signal.category, source="arrival", by=by,
                                            reasons=_("Someone is in danger now.") if data.danger_now else "")
                _schedule_clock(signal)
                audit(actor=by, verb="care.signal.created", obj=signal, organisation=signal.organisation, person=person,
                      detail={"channel": channel, "category": signal.category})
            return signal
        except IntegrityError:
            signal.pk = None
            continue
    raise ValidationError(_("Could not give the signal a reference; try again."))


def _require_dispatcher(signal: Signal, by: User) -> None:
    if signal.organisation_id not in dispatcher_org_ids(by):
        raise Http404  # not theirs to act on: it answers as if it did not exist


def _require_open(signal: Signal) -> None:
    if signal.closed_at is not None:
        raise Conflict(_("This signal is closed."))


def _require_lawful(signal: Signal) -> None:
    """Refuse a care record the signal's legal basis does not cover now (docs/consent.md): a registered
    person's consent was withdrawn, and nobody stated a vital interest."""
    if care_basis(signal) is None:
        raise Conflict({"legal_basis": _(
            "%(name)s has no consent to psychosocial care in force: their adviser records it with them, or, if "
            "they are in danger and cannot consent, state the vital interest.") % {"name": signal.first_name}})


# --- A registered person's adviser asks for care ----------------------------------------------------------


def _age_group(age: int) -> str:
    for limit, group in ((12, AgeGroup.CHILD), (18, AgeGroup.ADOLESCENT), (26, AgeGroup.YOUNG),
                         (65, AgeGroup.ADULT)):
        if age < limit:
            return group
    return AgeGroup.SENIOR


def care_request_create(*, person: Person, by: User, concerns: Sequence[str], description: str,
                        danger_now: bool = False) -> Signal:
    """The adviser of a registered person asks the care team that covers the person's municipality for
    psychosocial support. Needs the person's `care` consent in force (409 otherwise); the signal carries the
    person's first name, age group, languages and municipality, nothing else of their employment file."""
    access_layer.require(by, "people.change_person", person)
    if consent_in_force(person, "care") is None:
        raise Conflict({"consent": _("Record %(name)s's consent to psychosocial care first (Consents).")
                        % {"name": person.given_name}})
    if person.municipality is None:
        raise ValidationError({"municipality": _("Record the municipality where %(name)s lives first: it decides "
                                                 "which care team comes.") % {"name": person.given_name}})
    if person.unaccompanied_minor:
        target_group = TargetGroup.UNACCOMPANIED_MINOR
    elif person.current_status in (LegalStatusKind.ASYLUM_SEEKER, LegalStatusKind.ASYLUM_APPEAL):
        target_group = TargetGroup.ASYLUM_SEEKER
    else:
        target_group = TargetGroup.REFUGEE
    data = SignalInput(
        relation=Relation.SUPPORTING, target_group=target_group, municipality=person.municipality,
        languages=[language.code for language in person.languages.all()], concerns=list(concerns),
        danger_now=danger_now, first_name=person.given_name, age_group=_age_group(person.age()),
        description=description or "", signaller_name=by.get_full_name() or by.username,
        signaller_contact=by.email or "")
    return signal_create(data=data, channel=Channel.REFERRAL, by=by, person=person)


def vital_interest_record(*, signal: Signal, legal_basis_note: str, by: User) -> Signal:
    """State that the care of a registered person without a consent in force rests on their vital interest
    (GDPR Art. 9(2)(c)): they are in danger and cannot consent. Who, when and why are kept on the signal and
    in the audit trail, for the coordinator's review."""
    access = case_access(by, signal)
    if not (access.dispatcher or access.social):
        raise Http404  # not theirs to act on: it answers as if it did not exist
    _require_open(signal)
    if signal.person_id is None:
        raise Conflict(_("This signal is about nobody registered: it rests on the request for help itself."))
    if not (legal_basis_note or "").strip():
        raise ValidationError({"legal_basis_note": _("Say why the person cannot consent now.")})
    with transaction.atomic():
        signal = Signal.objects.select_for_update().get(pk=signal.pk)
        _set_vital_interest(signal, legal_basis_note.strip(), by)
    return signal


def _set_vital_interest(signal: Signal, note: str, by: User) -> None:
    signal.legal_basis, signal.legal_basis_note = LegalBasis.VITAL_INTEREST, note
    signal.legal_basis_at, signal.legal_basis_by = timezone.now(), by
    fields = ["legal_basis", "legal_basis_note", "legal_basis_at", "legal_basis_by"]
    clean_only(signal, fields)
    signal.save(update_fields=fields)
    audit(actor=by, verb="care.signal.vital_interest", obj=signal, person=signal.person,
          organisation=signal.organisation)


def signal_triage(*, signal: Signal, category: str, reasons: str, by: User, team: Team | None = None) -> Signal:
    """Set the category with its reasons (dispatcher); the target moves with it, counted from arrival."""
    _require_dispatcher(signal, by)
    _require_open(signal)
    _require_lawful(signal)
    errors: dict[str, Any] = field_errors(Signal, category=category)
    if not (reasons or "").strip():
        errors["reasons"] = _("Say why: the reasons are part of the triage.")
    elif len(reasons) > 2000:
        errors["reasons"] = _("Ensure this value has at most %(limit_value)d characters.") % {"limit_value": 2000}
    if team is not None and team.organisation_id != signal.organisation_id:
        raise Http404  # another organisation's team: until a cooperation agreement exists, it is not ours
    if team is not None and not team.active:
        errors["team"] = _("This team is not active.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        signal = Signal.objects.select_for_update().get(pk=signal.pk)
        signal.category = category
        signal.category_reasons = reasons.strip()
        signal.triaged_at = timezone.now()
        signal.triaged_by = by
        if team is not None:
            signal.team = team
        clock.set_target(signal)
        signal.save()
        TriageRecord.objects.create(signal=signal, category=category, reasons=signal.category_reasons,
                                    source="dispatcher", by=by)
        if signal.first_contact_at is None:
            _schedule_clock(signal)
        audit(actor=by, verb="care.signal.triaged", obj=signal, person=signal.person,
              organisation=signal.organisation, detail={"category": category})
    return signal


def _raise_category(signal: Signal, category: str, reason: str, by: User) -> bool:
    """Raise the category to at least `category` (never lower it); return whether it changed."""
    if CATEGORY_ORDER.index(category) >= CATEGORY_ORDER.index(signal.category):
        return False
    signal.category = category
    clock.set_target(signal)
    TriageRecord.objects.create(signal=signal, category=category, reasons=reason, source="screening", by=by)
    audit(actor=by, verb="care.signal.escalated", obj=signal, person=signal.person,
          organisation=signal.organisation, detail={"category": category})
    return True


def first_contact_record(*, signal: Signal, by: User, at: dt.datetime | None = None) -> Signal:
    """Record the first contact with the person (stops the clock); later calls change nothing."""
    access = case_access(by, signal)
    if not (access.dispatcher or access.social):
        raise Http404  # not theirs to act on: it answers as if it did not exist
    at = at or timezone.now()
    _require_lawful(signal)
    if at < signal.received_at or at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"at": _("The first contact must lie between the signal's arrival and now.")})
    with transaction.atomic():
        signal = Signal.objects.select_for_update().get(pk=signal.pk)
        if signal.first_contact_at is None:
            signal.first_contact_at = at
            signal.first_contact_by = by
            signal.save(update_fields=["first_contact_at", "first_contact_by"])
            audit(actor=by, verb="care.signal.contacted", obj=signal, person=signal.person,
                  organisation=signal.organisation)
    return signal


def handover_record(*, signal: Signal, note: str, by: User) -> Signal:
    """Record the hand-over of a category A signal to emergency services (112 / SAMU 15); it is the first contact."""
    _require_dispatcher(signal, by)
    _require_open(signal)
    if not (note or "").strip():
        raise ValidationError({"note": _("Say to whom and how the hand-over was made.")})
    with transaction.atomic():
        signal = Signal.objects.select_for_update().get(pk=signal.pk)
        now = timezone.now()
        signal.handover_at = now
        signal.handover_note = note.strip()[:200]
        if care_basis(signal) is None:  # handing someone in danger to 112 / SAMU protects their vital interest
            _set_vital_interest(signal, _("Handed over to emergency services: someone is in danger now."), by)
        if signal.first_contact_at is None:
            signal.first_contact_at, signal.first_contact_by = now, by
        signal.save()
        audit(actor=by, verb="care.signal.handed_over", obj=signal, person=signal.person,
              organisation=signal.organisation)
    return signal


# --- Visits -----------------------------------------------------------------------------------------------


def _names(members) -> str:
    return ", ".join(m.first_name for m in members)


def visit_create(*, signal: Signal, members: Sequence[TeamMember], starts_at: dt.datetime,
                 ends_at: dt.datetime | None = None, place: str, municipality: Municipality | None = None,
                 language: str = "", by: User) -> Visit:
    """Plan a visit, enforcing atomically (row locks on the members):

    - at least one member speaks one of the person's languages (an interpreter or ambassador may cover it);
    - an ambassador never goes to an A–C case without a social worker or therapist;
    - no member is in two places at once (an overlapping visit that is not cancelled);
    - every member works at that time (their working days and hours, local time);
    - every member belongs to a team of the signal's organisation, or is lent to it under a cooperation
      agreement in force that day for their role and the visit's area (care.cooperation; otherwise 404) —
      the page, the API and the planner alike.
    The signal's team becomes the first own social worker's or therapist's team when it had none (a lent
    member's team never does: its other members have no business with the case).
    """
    _require_dispatcher(signal, by)
    _require_open(signal)
    ends_at = ends_at or starts_at + DEFAULT_VISIT_LENGTH
    _require_lawful(signal)
    municipality = municipality or signal.municipality
    errors: dict[str, str] = {}
    members = list(dict.fromkeys(members))
    if not members:
        errors["members"] = _("Choose at least one member.")
    if ends_at <= starts_at:
        errors["ends_at"] = _("A visit must end after it starts.")
    if not (place or "").strip():
        errors["place"] = _("This field is required.")
    elif len(place) > 200:
        errors["place"] = _("Ensure this value has at most %(limit_value)d characters.") % {"limit_value": 200}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Lock the members' rows: two plans for the same person at the same time wait for each other.
        locked = list(TeamMember.objects.select_for_update().select_related("user", "team")
                      .filter(pk__in=[m.pk for m in members]).order_by("pk"))
        terms = cooperation.lenders_to(signal.organisation_id, timezone.localtime(starts_at).date())
        if len(locked) != len(members) or not all(
                cooperation.may_send(m, signal.organisation_id, municipality.region_id,
                                     timezone.localtime(starts_at).date(), terms) for m in locked):
            raise Http404
        if not all(m.active and m.team.active for m in locked):
            raise Conflict({"members": _("Choose active members of active teams.")})
        _check_language(signal, locked, language, errors)
        if signal.category in HIGH_RISK and any(m.role == MemberRole.AMBASSADOR for m in locked) \
                and not any(m.role in (MemberRole.SOCIAL_WORKER, MemberRole.THERAPIST) for m in locked):
            errors["members"] = _("An ambassador never goes to a category %(category)s case without a social "
                                  "worker or a therapist.") % {"category": signal.category}
        busy = (Visit.objects.filter(members__in=locked, starts_at__lt=ends_at, ends_at__gt=starts_at)
                .exclude(status=VisitStatus.CANCELLED).values_list("members", flat=True))
        busy_members = [m for m in locked if m.pk in set(busy)]
        if busy_members:
            errors.setdefault("members", _("Already on another visit at that time: %(names)s.")
                              % {"names": _names(busy_members)})
        off = [m for m in locked if not m.works_at(starts_at, ends_at)]
        if off:
            errors.setdefault("starts_at", _("Outside the working hours of: %(names)s.") % {"names": _names(off)})
        if errors:
            raise ValidationError(errors)
        chosen = _visit_language(signal, locked, language)
        visit = Visit.objects.create(signal=signal, starts_at=starts_at, ends_at=ends_at, place=place.strip(),
                                     municipality=municipality, language=chosen, created_by=by)
        visit.members.set(locked)
        own = [m for m in locked if m.team.organisation_id == signal.organisation_id]
        if signal.team_id is None and own:
            clinicians = [m for m in own if m.role in (MemberRole.SOCIAL_WORKER, MemberRole.THERAPIST)]
            signal.team = (clinicians or own)[0].team
            signal.save(update_fields=["team"])
        audit(actor=by, verb="care.visit.created", obj=visit, person=signal.person, organisation=signal.organisation,
              detail={"members": [m.pk for m in locked], "language": chosen})
    return visit


def _visit_language(signal: Signal, members: list[TeamMember], wanted: str) -> str:
    spoken = {code for m in members for code in m.languages}
    if wanted:
        return wanted
    return next(code for code in signal.languages if code in spoken)


def _check_language(signal: Signal, members: list[TeamMember], wanted: str, errors: dict) -> None:
    if not signal.languages:
        errors["language"] = _("Record the languages the person speaks first.")
        return
    spoken = {code for m in members for code in m.languages}
    if wanted and wanted not in signal.languages:
        errors["language"] = _("The person does not speak %(language)s.") % {"language": language_name(wanted)}
    elif wanted and wanted not in spoken:
        errors["language"] = _("No member speaks %(language)s.") % {"language": language_name(wanted)}
    elif not spoken & set(signal.languages):
        errors["members"] = _("Nobody in this visit speaks the person's languages (%(languages)s): add an "
                              "interpreter or an ambassador who does.") % {
            "languages": ", ".join(language_name(c) for c in signal.languages)}


def visit_report(*, visit: Visit, by: User, attended: bool, language_spoken: bool, next_step: str,
                 status: str = VisitStatus.DONE) -> Visit:
    """Record what happened at a visit (a member of the case's team): attendance, language, next step.

    A visit the person attended is the first contact if none was recorded.
    """
    access = case_access(by, visit.signal)
    if not access.social:
        raise Http404  # not theirs to act on: it answers as if it did not exist
    _require_lawful(visit.signal)
    errors: dict[str, Any] = field_errors(Visit, next_step=next_step)
    if status not in (VisitStatus.DONE, VisitStatus.MISSED):
        errors["status"] = _("A report says whether the visit took place or the person was not met.")
    if visit.status == VisitStatus.CANCELLED:
        errors["status"] = _("This visit was cancelled.")
    if errors:
        raise ValidationError(errors)
    if status == VisitStatus.MISSED:
        attended = False
    with transaction.atomic():
        visit.status = status
        visit.attended = attended
        visit.language_spoken = language_spoken
        visit.next_step = next_step
        visit.reported_at = timezone.now()
        visit.reported_by = by
        visit.save()
        signal = visit.signal
        if attended and signal.first_contact_at is None:
            signal.first_contact_at = min(visit.starts_at, timezone.now())
            signal.first_contact_by = by
            signal.save(update_fields=["first_contact_at", "first_contact_by"])
        audit(actor=by, verb="care.visit.reported", obj=visit, person=signal.person, organisation=signal.organisation,
              detail={"status": status, "attended": attended, "next_step": next_step})
    return visit


def visit_cancel(*, visit: Visit, by: User) -> Visit:
    """Cancel a planned visit (dispatcher): its members are free again."""
    _require_dispatcher(visit.signal, by)
    if visit.status != VisitStatus.PLANNED:
        raise Conflict(_("Only a planned visit can be cancelled."))
    with transaction.atomic():
        visit.status = VisitStatus.CANCELLED
        visit.save(update_fields=["status"])
        audit(actor=by, verb="care.visit.cancelled", obj=visit, organisation=visit.signal.organisation)
    return visit


# --- Notes and screenings ---------------------------------------------------------------------------------


def note_add(*, signal: Signal, kind: str, body: str, by: User, visit: Visit | None = None) -> Note:
    """Write a note: social notes by the case's social workers and therapists, clinical notes by its therapists."""
    access = case_access(by, signal)
    if not access.social or (kind == NoteKind.CLINICAL and not access.clinical):
        raise Http404  # not theirs to write: it answers as if the case did not exist
    _require_lawful(signal)
    if visit is not None and visit.signal_id != signal.pk:
        raise ValidationError({"visit": _("This visit belongs to another signal.")})
    note = Note(signal=signal, visit=visit, kind=kind, body=(body or "").strip(), author=by)
    note.full_clean(validate_constraints=False)  # the model's choices and limits
    with transaction.atomic():
        note.save()
        audit(actor=by, verb="care.note.created", obj=note, person=signal.person, organisation=signal.organisation,
              detail={"kind": kind})
    return note


def answer_messages(error: scoring.AnswerError) -> list[str]:
    """Return the refused answers as sentences in the user's language, each naming its item."""
    messages = []
    for key, code in error.problems.items():
        item = key.removeprefix("item ")
        if code == "missing":
            messages.append(_("Item %(item)s: no answer.") % {"item": item})
        elif code == "unknown":
            messages.append(_("Item %(item)s does not exist in this instrument.") % {"item": item})
        elif code == "out_of_range":
            allowed = ", ".join(str(v) for v in error.allowed.get(key, []))
            messages.append(_("Item %(item)s: answer out of range (allowed: %(allowed)s).")
                            % {"item": item, "allowed": allowed})
        else:
            messages.append(_("%(name)s: needed for this instrument's cut-off.") % {"name": key})
    return messages


def screening_score(*, instrument_code: str, answers: Mapping, organisation_ids: list[int] | None = None,
                    context: Mapping[str, str] | None = None) -> tuple[scoring.Instrument, scoring.Result]:
    """Score answers with an available instrument; ValidationError names the instrument or every bad item."""
    instrument = instruments.available(organisation_ids).get(instrument_code)
    if instrument is None:
        raise ValidationError({"instrument": _("Unknown instrument.")})
    try:
        result = scoring.score(instrument, answers, context)
    except scoring.AnswerError as error:
        field_name = "answers" if any(k.startswith("item ") for k in error.problems) else "context"
        raise ValidationError({field_name: answer_messages(error)}) from None
    return instrument, result


def screening_record(*, signal: Signal, instrument_code: str, answers: Mapping, language: str, by: User,
                     visit: Visit | None = None, context: Mapping[str, str] | None = None) -> Screening:
    """Score and keep a screening on a case (its social workers and therapists).

    A flag asking for it (PHQ-9 item 9 > 0) raises the signal to at least B and marks it for a clinician.
    """
    access: CaseAccess = case_access(by, signal)
    if not access.social:
        raise Http404  # not theirs to act on: it answers as if it did not exist
    _require_open(signal)
    _require_lawful(signal)
    instrument, result = screening_score(instrument_code=instrument_code, answers=answers,
                                         organisation_ids=[signal.organisation_id], context=context)
    if language not in instrument.languages:
        raise ValidationError({"language": _("This instrument has no text in this language.")})
    if visit is not None and visit.signal_id != signal.pk:
        raise ValidationError({"visit": _("This visit belongs to another signal.")})
    clean = {str(k): v for k, v in sorted(scoring.check_answers(instrument, answers).items())}
    with transaction.atomic():
        screening = Screening.objects.create(
            signal=signal, visit=visit, instrument=instrument.code, instrument_version=instrument.version,
            language=language, validated_translation=instrument.languages[language],
            answers_json=json.dumps(clean), total=result.total, band=result.band or "", positive=result.positive,
            subscales=result.as_dict()["subscales"], flags=result.as_dict()["flags"], recorded_by=by)
        signal = Signal.objects.select_for_update().get(pk=signal.pk)
        changed = []
        if result.escalate_to and _raise_category(
                signal, result.escalate_to, _("Raised by %(instrument)s: %(flags)s.") % {
                    "instrument": instrument.name, "flags": ", ".join(f.code for f in result.flags)}, by):
            changed += ["category", "target_at"]
        if result.needs_clinician and not signal.needs_clinician:
            signal.needs_clinician = True
            changed.append("needs_clinician")
        if changed:
            signal.save(update_fields=changed)
            if "target_at" in changed and signal.first_contact_at is None:
                _schedule_clock(signal)
        audit(actor=by, verb="care.screening.created", obj=screening, person=signal.person,
              organisation=signal.organisation,
              detail={"instrument": instrument.code, "escalated_to": signal.category if changed else None})
    return screening


def signal_close(*, signal: Signal, outcome: str, note: str = "", by: User) -> Signal:
    """Close a case with its outcome; keeps the change in screening scores and cancels planned visits."""
    access = case_access(by, signal)
    if not (access.dispatcher or access.social):
        raise Http404  # not theirs to act on: it answers as if it did not exist
    _require_open(signal)
    errors: dict[str, Any] = field_errors(Signal, outcome=outcome, outcome_note=note or "")
    if outcome == Outcome.MERGED:  # only a merge closes a signal as merged (care.duplicates)
        errors["outcome"] = _("Merge the signal from the one it duplicates instead.")
    if "outcome_note" in errors:
        errors["note"] = errors.pop("outcome_note")  # the form's and the API's name for it
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        signal = Signal.objects.select_for_update().get(pk=signal.pk)
        signal.outcome_scores = score_changes(list(signal.screenings.all()))
        signal.closed_at = timezone.now()
        signal.closed_by = by
        signal.outcome = outcome
        signal.outcome_note = (note or "").strip()
        signal.save()
        signal.visits.filter(status=VisitStatus.PLANNED, starts_at__gt=signal.closed_at) \
            .update(status=VisitStatus.CANCELLED)
        audit(actor=by, verb="care.signal.closed", obj=signal, person=signal.person, organisation=signal.organisation,
              detail={"outcome": outcome})
    return signal


# --- The clock --------------------------------------------------------------------------------------------


def alert_acknowledge(*, alert: Alert, by: User) -> Alert:
    _require_dispatcher(alert.signal, by)
    if alert.acknowledged_at is None:
        alert.acknowledged_at = timezone.now()
        alert.save(update_fields=["acknowledged_at"])
        audit(actor=by, verb="care.alert.acknowledged", obj=alert.signal, organisation=alert.signal.organisation)
    return alert


# --- Teams ------------------------------------------------------------------------------------------------


def team_create(*, organisation: Organisation, name: str, base: Municipality, by: User | None = None) -> Team:
    if organisation.kind != OrganisationKind.CARE_TEAM:
        raise ValidationError({"organisation": _("Mobile teams belong to care organisations.")})
    team, _created = Team.objects.get_or_create(organisation=organisation, name=name,
                                                defaults={"country": organisation.country, "base": base})
    audit(actor=by, verb="care.team.saved", obj=team, organisation=organisation)
    return team


def team_member_set(*, team: Team, user: User, role: str, languages: list[str], by: User | None = None,
                    **profile: Any) -> TeamMember:
    """Add or update a member: the role must be one the user holds in a care organisation."""
    errors = field_errors(TeamMember, role=role)
    if errors:
        raise ValidationError(errors)
    if not user.memberships.filter(role=role, organisation__kind=OrganisationKind.CARE_TEAM).exists():
        raise ValidationError({"role": _("This person does not hold this role in a care organisation.")})
    bad = [c for c in languages if not is_language_code(c)]
    if bad:
        raise ValidationError({"languages": _("Unknown language code: %(code)s (ISO 639-3, e.g. ara).")
                               % {"code": ", ".join(bad)}})
    member, _created = TeamMember.objects.update_or_create(
        team=team, user=user, defaults={"role": role, "languages": [c.lower() for c in languages], **profile})
    audit(actor=by, verb="care.team_member.saved", obj=member, organisation=team.organisation)
    return member

