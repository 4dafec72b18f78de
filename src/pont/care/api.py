"""The care API: the public signal, the dispatcher's queue and triage, visits, screenings, notes, indicators.

Authentication for care records (documented choice): a browser session counts only once its second factor
is confirmed (`user.is_verified()`); a bearer token counts only if its user has a confirmed TOTP device
(tokens are issued to people who enrolled, from a verified session or by an administrator). Employment
roles get 404 on every care operation; an unverified care user gets 401 with the reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import SessionAuth
from pydantic import BeforeValidator

from pont.care import clock, duplicates, instruments, selectors, services
from pont.care.choices import AgeGroup, Category, Concern, NextStep, NoteKind, Outcome, Relation, TargetGroup
from pont.care.models import NOTE_LIMIT, TEXT_LIMIT, Signal, Team, TeamMember, Visit
from pont.care.public import HELP_LINES, contact_message, public_signal_allowed
from pont.core import access
from pont.core.auth import BearerToken
from pont.core.i18n import language_codes
from pont.core.models import Municipality
from pont.core.schemas import LAX, NOT_BLANK, Body, DateTime, Error, Id, Invalid, choice, errors, found, integral, one
from pont.people.selectors import person_get, person_view

router = Router(tags=["care"])

CategoryCode = Annotated[Category, LAX]
ConcernCode = Annotated[Concern, LAX]
RelationCode = Annotated[Relation, LAX]
TargetGroupCode = Annotated[TargetGroup, LAX]
AgeGroupCode = Annotated[AgeGroup, LAX]  # its UNKNOWN is ""
OutcomeCode = Annotated[Outcome, LAX]
NoteKindCode = Annotated[NoteKind, LAX]
NextStepCode = Annotated[NextStep, LAX]


def _care_gate(user, verified: bool, allowed=selectors.has_care_role):
    if not allowed(user):
        raise Http404
    if not verified:
        raise HttpError(401, _("Two-factor login required: confirm your authenticator code first."))
    return user


class CareBearer(BearerToken):
    def __init__(self, allowed=selectors.has_care_role):
        super().__init__()
        self.allowed = allowed

    def authenticate(self, request, token: str):
        user = super().authenticate(request, token)
        if user is None:
            return None
        return _care_gate(user, TOTPDevice.objects.filter(user=user, confirmed=True).exists(), self.allowed)


class CareSession(SessionAuth):
    def __init__(self, allowed=selectors.has_care_role):
        super().__init__()
        self.allowed = allowed

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is None:
            return None
        return _care_gate(user, bool(getattr(user, "is_verified", lambda: False)()), self.allowed)


CARE_AUTH = [CareBearer(), CareSession()]
# Care indicators: the care roles and coordinators, each with a confirmed second factor like every care operation.
INDICATOR_AUTH = [CareBearer(access.needs_second_factor), CareSession(access.needs_second_factor)]


# --- Schemas ----------------------------------------------------------------------------------------------


class PublicSignalIn(Body):
    relation: RelationCode
    target_group: TargetGroupCode
    municipality: Id
    languages: list[str] = choice(language_codes(), [], many=True, max_length=10,
                                  description="ISO 639-3 codes, e.g. ukr")
    concerns: list[ConcernCode] = Field([], max_length=8)
    danger_now: bool = False
    first_name: str = Field("", max_length=100)
    age_group: AgeGroupCode = AgeGroup.UNKNOWN
    description: str = Field("", max_length=TEXT_LIMIT)
    signaller_name: str = Field("", max_length=200)
    signaller_contact: str = Field("", max_length=200, description="Phone or e-mail where the team can call back")


class HelpLineOut(Schema):
    number: str
    name: str


class PublicSignalOut(Schema):
    reference: str
    next: str
    help_lines: list[HelpLineOut]


class SignalOut(Schema):
    id: int
    reference: str
    received_at: dt.datetime
    channel: str
    category: str
    provisional: bool
    category_reasons: str
    target_at: dt.datetime
    minutes_left: int
    clock: str
    needs_clinician: bool
    first_contact_at: dt.datetime | None
    handover_at: dt.datetime | None
    closed_at: dt.datetime | None
    outcome: str
    team: str | None
    first_name: str
    languages: list[str]
    municipality: str
    age_group: str
    target_group: str
    concerns: list[str]
    danger_now: bool


class SignalDetailOut(SignalOut):
    relation: str
    description: str
    signaller_name: str
    signaller_contact: str
    outcome_scores: dict
    registered: bool = Field(description="The signal is about a person registered in Pont")
    legal_basis: str | None = Field(description="What the care rests on now: request, consent or vital_interest; "
                                                "null when a registered person's consent was withdrawn")
    legal_basis_note: str


class VitalInterestIn(Body):
    legal_basis_note: str = Field(..., min_length=1, pattern=NOT_BLANK,
                                  max_length=Signal._meta.get_field("legal_basis_note").max_length,
                                  description="Why the person cannot consent now")


class CareRequestIn(Body):
    concerns: list[ConcernCode] = Field([], max_length=8)
    description: str = Field("", max_length=TEXT_LIMIT)
    danger_now: bool = False


class CareRequestOut(Schema):
    reference: str
    organisation: str
    received_at: dt.datetime


class CareRequestStateOut(Schema):
    organisation: str
    received_at: dt.datetime
    state: Literal["waiting", "in_contact", "closed"]


class CareTrackOut(Schema):
    shared: bool = Field(description="The person consented to sharing between employment and care")
    requests: list[CareRequestStateOut]


class TriageIn(Body):
    category: CategoryCode
    reasons: str = Field(..., min_length=1, max_length=2000, pattern=NOT_BLANK)
    team: Id | None = None


class FirstContactIn(Body):
    at: DateTime | None = None


class HandoverIn(Body):
    note: str = Field(..., min_length=1, max_length=200, pattern=NOT_BLANK)


class CloseIn(Body):
    outcome: OutcomeCode
    note: str = Field("", max_length=TEXT_LIMIT)


class NoteIn(Body):
    kind: NoteKindCode
    body: str = Field(..., min_length=1, max_length=NOTE_LIMIT, pattern=NOT_BLANK)
    visit: Id | None = None


class NoteOut(Schema):
    id: int
    kind: str
    body: str
    author: str
    created_at: dt.datetime
    visit: int | None


class ScreeningIn(Body):
    instrument: str = Field(..., max_length=20)
    answers: dict[Annotated[str, Field(max_length=3)],
                  Annotated[int, Field(ge=-1000, le=1000), BeforeValidator(integral)]] = \
        Field(..., max_length=100, description="Item number → answer value, e.g. {\"1\": 0, \"2\": 3}")
    language: str = Field("en", max_length=8)
    signal: Id
    visit: Id | None = None
    sex: Literal["M", "F", "X", ""] = Field("", description="Needed by AUDIT-C's cut-off")


class ScoreOut(Schema):
    id: int
    instrument: str
    language: str
    validated_translation: bool
    total: int
    band: str | None
    positive: bool | None
    flags: list[dict]
    subscales: dict
    recorded_at: dt.datetime
    signal_category: str
    needs_clinician: bool


class ScreeningOut(ScoreOut):
    answers: dict[str, int] | None


class OptionOut(Schema):
    value: int
    label: str


class ItemOut(Schema):
    number: int
    text: str
    options: list[OptionOut]


class InstrumentOut(Schema):
    code: str
    name: str
    version: str
    licence: str
    language: str
    validated_translation: bool
    stem: str
    items: list[ItemOut]


class MemberOut(Schema):
    id: int
    user_id: int
    first_name: str
    role: str
    languages: list[str]
    team: int
    base: str
    base_latitude: float
    base_longitude: float
    works_from: dt.time
    works_until: dt.time
    working_days: list[int]
    arrival_year: int | None
    peer_support_areas: str


class TeamOut(Schema):
    id: int
    name: str
    organisation: str
    country: str
    base: str
    members: list[MemberOut]


class VisitMemberOut(Schema):
    id: int
    first_name: str
    role: str


class VisitOut(Schema):
    """What every member of a visit sees: time, place, language, the person's first name, who goes."""

    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    municipality: str
    language: str
    first_name: str
    status: str
    members: list[VisitMemberOut]
    signal: int | None = Field(None, description="Only for those allowed into the case")


class VisitIn(Body):
    signal: Id
    members: list[Id] = Field(..., min_length=1, max_length=10)
    starts_at: DateTime
    ends_at: DateTime | None = None
    place: str = Field(..., min_length=1, max_length=200, pattern=NOT_BLANK)
    municipality: Id | None = None
    language: str = Field("", max_length=3)


class VisitReportIn(Body):
    status: Literal["done", "missed"] = "done"
    attended: bool = True
    language_spoken: bool = True
    next_step: NextStepCode = NextStep.NONE


class IndicatorQuery(Schema):
    since: dt.date | None = None
    until: dt.date | None = None


# --- Helpers ----------------------------------------------------------------------------------------------


def _signal_out(signal: Signal, cls=SignalOut, **extra):
    now = timezone.now()
    return cls(
        id=signal.pk, reference=signal.reference, received_at=signal.received_at, channel=signal.channel,
        category=signal.category, provisional=signal.provisional, category_reasons=signal.category_reasons,
        target_at=signal.target_at, minutes_left=int(signal.time_left(now).total_seconds() // 60),
        clock=clock.clock_state(signal, now), needs_clinician=signal.needs_clinician,
        first_contact_at=signal.first_contact_at, handover_at=signal.handover_at, closed_at=signal.closed_at,
        outcome=signal.outcome, team=signal.team.name if signal.team else None,
        first_name=signal.first_name or "",
        languages=signal.languages, municipality=signal.municipality.name, age_group=signal.age_group,
        target_group=signal.target_group, concerns=signal.concerns, danger_now=signal.danger_now, **extra)


def _detail_out(signal: Signal) -> SignalDetailOut:
    return _signal_out(signal, SignalDetailOut, relation=signal.relation, description=signal.description or "",
                       signaller_name=signal.signaller_name or "", signaller_contact=signal.signaller_contact or "",
                       outcome_scores=signal.outcome_scores, registered=signal.person_id is not None,
                       legal_basis=selectors.care_basis(signal), legal_basis_note=signal.legal_basis_note)


def _visit_out(visit: Visit, access: selectors.CaseAccess) -> VisitOut:
    return VisitOut(
        id=visit.pk, starts_at=visit.starts_at, ends_at=visit.ends_at, place=visit.place,
        municipality=visit.municipality.name, language=visit.language, first_name=visit.signal.first_name or "",
        status=visit.status, members=[VisitMemberOut(id=m.pk, first_name=m.first_name, role=m.role)
                                      for m in visit.members.all()],
        signal=visit.signal_id if access.any else None)


def _screening_out(screening, signal: Signal, answers: bool) -> ScreeningOut:
    return ScreeningOut(
        id=screening.pk, instrument=screening.instrument, language=screening.language,
        validated_translation=screening.validated_translation, total=screening.total, band=screening.band or None,
        positive=screening.positive, flags=screening.flags, subscales=screening.subscales,
        recorded_at=screening.recorded_at, signal_category=signal.category, needs_clinician=signal.needs_clinician,
        answers=screening.answers if answers else None)


def _text(texts: dict[str, str], language: str) -> str:
    return texts.get(language) or texts.get("en") or next(iter(texts.values()), "")


# --- Public -----------------------------------------------------------------------------------------------


@router.post("/signals", auth=None,
             response={201: PublicSignalOut, 400: Error, 404: Error, 422: Invalid, 429: dict},
             summary="Send a distress signal (public, no account; rate-limited per address)")
def signal_submit(request, payload: PublicSignalIn):
    from pont.care.choices import Channel

    if not public_signal_allowed(request):
        return Status(429, {"detail": _("Too many signals from this address. In danger now? Call 112.")})
    municipality = one(Municipality.objects.select_related("region"), payload.municipality, "municipality")
    data = services.SignalInput(**payload.dict() | {"municipality": municipality})
    signal = services.signal_create(data=data, channel=Channel.PUBLIC)
    return Status(201, PublicSignalOut(reference=signal.reference, next=str(contact_message(data)),
                                help_lines=[HelpLineOut(number=n, name=str(name)) for n, name, _c in HELP_LINES]
                                if data.danger_now else []))


# --- Signals ----------------------------------------------------------------------------------------------


@router.get("/signals", auth=CARE_AUTH, response={200: list[SignalOut], **errors()},
            summary="Open signals: a dispatcher's queue (most urgent first), or the cases assigned to you")
def signal_list(request):
    return [_signal_out(s) for s in selectors.worklist_view(user=request.auth).signals]


@router.get("/signals/{signal_id}", auth=CARE_AUTH, response={200: SignalDetailOut, **errors()}, summary="One signal")
def signal_detail(request, signal_id: int):
    signal, _access = selectors.signal_view(user=request.auth, pk=signal_id)
    return _detail_out(signal)


@router.post("/signals/{signal_id}/triage", auth=CARE_AUTH,
             response={200: SignalOut, **errors(body=True, conflict=True)},
             summary="Triage: category A–E with reasons (dispatcher); the target follows from it")
def signal_triage(request, signal_id: int, payload: TriageIn):
    signal, access = selectors.signal_get(user=request.auth, pk=signal_id)
    if not access.dispatcher:
        raise Http404
    # The service refuses another organisation's team (404), as the page's choices leave it out.
    team = one(Team, payload.team, "team") if payload.team is not None else None
    return _signal_out(services.signal_triage(signal=signal, category=payload.category, reasons=payload.reasons,
                                              team=team, by=request.auth))


@router.post("/signals/{signal_id}/first-contact", auth=CARE_AUTH,
             response={200: SignalOut, **errors(body=True, conflict=True)},
             summary="Record the first contact with the person (stops the clock)")
def signal_first_contact(request, signal_id: int, payload: FirstContactIn):
    signal, _access = selectors.signal_get(user=request.auth, pk=signal_id)
    return _signal_out(services.first_contact_record(signal=signal, by=request.auth, at=payload.at))


@router.post("/signals/{signal_id}/handover", auth=CARE_AUTH,
             response={200: SignalOut, **errors(body=True, conflict=True)},
             summary="Record the hand-over of a category A signal to emergency services")
def signal_handover(request, signal_id: int, payload: HandoverIn):
    signal, access = selectors.signal_get(user=request.auth, pk=signal_id)
    if not access.dispatcher:
        raise Http404
    return _signal_out(services.handover_record(signal=signal, note=payload.note, by=request.auth))


@router.post("/signals/{signal_id}/vital-interest", auth=CARE_AUTH,
             response={200: SignalDetailOut, **errors(body=True, conflict=True)},
             summary="State that a registered person without consent is helped on the basis of their vital interest")
def signal_vital_interest(request, signal_id: int, payload: VitalInterestIn):
    signal, _access = selectors.signal_get(user=request.auth, pk=signal_id)
    return _detail_out(services.vital_interest_record(signal=signal, legal_basis_note=payload.legal_basis_note,
                                                      by=request.auth))


@router.post("/persons/{person_id}/care-requests", response={201: CareRequestOut, **errors(body=True, conflict=True)},
             summary="Ask the care team for psychosocial support for a person in your scope (needs the care consent)")
def care_request_create(request, person_id: Id, payload: CareRequestIn):
    person = person_get(user=request.auth, pk=person_id)
    signal = services.care_request_create(person=person, by=request.auth, concerns=payload.concerns,
                                          description=payload.description, danger_now=payload.danger_now)
    return Status(201, CareRequestOut(reference=signal.reference, organisation=signal.organisation.name,
                                      received_at=signal.received_at))


@router.get("/persons/{person_id}/care-requests", response={200: CareTrackOut, **errors()},
            summary="How far a person's care requests are (only with the consent to share between tracks)")
def care_request_list(request, person_id: Id):
    person = person_view(user=request.auth, pk=person_id)
    requests = selectors.care_requests_for(user=request.auth, person=person)
    return CareTrackOut(shared=requests is not None,
                        requests=[CareRequestStateOut(organisation=r.organisation, received_at=r.received_at,
                                                      state=r.state) for r in requests or []])


@router.post("/signals/{signal_id}/close", auth=CARE_AUTH,
             response={200: SignalDetailOut, **errors(body=True, conflict=True)},
             summary="Close the case with its outcome (keeps the change in screening scores)")
def signal_close(request, signal_id: int, payload: CloseIn):
    signal, _access = selectors.signal_get(user=request.auth, pk=signal_id)
    return _detail_out(services.signal_close(signal=signal, outcome=payload.outcome, note=payload.note,
                                             by=request.auth))


class DuplicateOut(Schema):
    signal: int
    reference: str
    category: str
    hours_apart: float
    text_alike: int = Field(description="0–100: how close the words are")
    same_first_name: bool


class OtherIn(Body):
    other: Id = Field(description="The other signal (of the same organisation)")


def _dispatcher_of(user, signal_id: int) -> Signal:
    signal, access = selectors.signal_get(user=user, pk=signal_id)
    if not access.dispatcher:
        raise Http404
    return signal


@router.get("/signals/{signal_id}/duplicates", auth=CARE_AUTH, response={200: list[DuplicateOut], **errors()},
            summary="Signals that look like the same situation (dispatchers)")
def signal_duplicates(request, signal_id: Id):
    """Open signals of the same place within a day whose words are close or that name the same first name."""
    signal = _dispatcher_of(request.auth, signal_id)
    return [{"signal": d.signal.pk, "reference": d.signal.reference, "category": d.signal.category,
             "hours_apart": d.hours_apart, "text_alike": d.text_alike, "same_first_name": d.same_first_name}
            for d in duplicates.possible_duplicates(signal)]


@router.post("/signals/{signal_id}/merge", auth=CARE_AUTH,
             response={200: SignalDetailOut, **errors(body=True, conflict=True)},
             summary="Merge another signal about the same situation into this one")
def signal_merge(request, signal_id: Id, payload: OtherIn):
    signal = _dispatcher_of(request.auth, signal_id)
    other = _dispatcher_of(request.auth, payload.other)
    return _detail_out(duplicates.merge(signal=signal, other=other, by=request.auth))


@router.post("/signals/{signal_id}/keep-apart", auth=CARE_AUTH, response={204: None, **errors(body=True)},
             summary="Record that two signals are different situations")
def signal_keep_apart(request, signal_id: Id, payload: OtherIn):
    signal = _dispatcher_of(request.auth, signal_id)
    duplicates.keep_apart(signal=signal, other=_dispatcher_of(request.auth, payload.other), by=request.auth)
    return Status(204, None)


@router.get("/signals/{signal_id}/notes", auth=CARE_AUTH, response={200: list[NoteOut], **errors()},
            summary="Notes you may read: social (social workers, therapists), clinical (therapists)")
def note_list(request, signal_id: int):
    signal, access = selectors.signal_get(user=request.auth, pk=signal_id)
    if not access.social:
        raise Http404
    return [NoteOut(id=n.pk, kind=n.kind, body=n.body, author=n.author.get_full_name() if n.author else "",
                    created_at=n.created_at, visit=n.visit_id)
            for n in selectors.notes_for(user=request.auth, signal=signal, access=access)]


@router.post("/signals/{signal_id}/notes", auth=CARE_AUTH,
             response={201: NoteOut, **errors(body=True, conflict=True)}, summary="Write a note")
def note_create(request, signal_id: int, payload: NoteIn):
    signal, access = selectors.signal_get(user=request.auth, pk=signal_id)
    if not access.social:
        raise Http404
    visit = signal.visits.filter(pk=payload.visit).first() if payload.visit else None
    note = services.note_add(signal=signal, kind=payload.kind, body=payload.body, visit=visit, by=request.auth)
    return Status(201, NoteOut(id=note.pk, kind=note.kind, body=note.body, author=request.auth.get_full_name(),
                        created_at=note.created_at, visit=note.visit_id))


@router.get("/signals/{signal_id}/screenings", auth=CARE_AUTH, response={200: list[ScreeningOut], **errors()},
            summary="Screenings of a case: scores for its team, answers for its therapists")
def screening_list(request, signal_id: int):
    signal, access = selectors.signal_get(user=request.auth, pk=signal_id)
    if not access.social:
        raise Http404
    return [_screening_out(s, signal, access.clinical)
            for s in selectors.screenings_for(user=request.auth, signal=signal, access=access)]


# --- Screening --------------------------------------------------------------------------------------------


@router.get("/instruments", auth=CARE_AUTH, response={200: list[InstrumentOut], **errors()},
            summary="Screening instruments with their items in a language (falls back to English)")
def instrument_list(request, language: str = Query("en", max_length=8)):
    available = instruments.available(access.organisation_ids(request.auth))
    return [
        InstrumentOut(code=i.code, name=i.name, version=i.version, licence=i.licence,
                      language=language if language in i.languages else "en",
                      validated_translation=i.languages.get(language, i.languages["en"]),
                      stem=_text(i.stem, language) if i.stem else "",
                      items=[ItemOut(number=item.number, text=_text(item.text, language),
                                     options=[OptionOut(value=o.value, label=_text(o.label, language))
                                              for o in item.options]) for item in i.items])
        for i in sorted(available.values(), key=lambda i: i.code)
    ]


@router.post("/screenings", auth=CARE_AUTH, response={201: ScreeningOut, **errors(body=True, conflict=True)},
             summary="Score and keep a screening: {instrument, answers, language, signal} → scores and flags")
def screening_create(request, payload: ScreeningIn):
    signal, access = selectors.signal_get(user=request.auth, pk=payload.signal)
    if not access.social:
        raise Http404
    visit = signal.visits.filter(pk=payload.visit).first() if payload.visit else None
    screening = services.screening_record(
        signal=signal, instrument_code=payload.instrument, answers=payload.answers, language=payload.language,
        visit=visit, by=request.auth, context={"sex": payload.sex} if payload.sex else None)
    signal.refresh_from_db()
    return Status(201, _screening_out(screening, signal, access.clinical))


# --- Teams and visits -------------------------------------------------------------------------------------


@router.get("/teams", auth=CARE_AUTH, response={200: list[TeamOut], **errors()},
            summary="Mobile teams and members: roles, languages, base, working hours (for planning)")
def team_list(request):
    result = []
    for team in selectors.teams_for_planning(user=request.auth):
        members = []
        for m in team.members.all():
            base = m.base or team.base
            assert base is not None  # a team always has a base
            members.append(MemberOut(
                id=m.pk, user_id=m.user_id, first_name=m.first_name, role=m.role, languages=m.languages, team=team.pk,
                base=base.name, base_latitude=float(base.latitude), base_longitude=float(base.longitude),
                works_from=m.works_from, works_until=m.works_until, working_days=m.working_days,
                arrival_year=m.arrival_year, peer_support_areas=m.peer_support_areas))
        result.append(TeamOut(id=team.pk, name=team.name, organisation=team.organisation.name, country=team.country,
                              base=team.base.name, members=members))
    return result


@router.get("/visits", auth=CARE_AUTH, response={200: list[VisitOut], **errors()},
            summary="Your agenda: your own visits from today on (time, place, language, first name)")
def visit_list(request):
    visits = selectors.agenda(user=request.auth)
    return [_visit_out(v, selectors.CaseAccess()) for v in visits]


@router.post("/visits", auth=CARE_AUTH, response={201: VisitOut, **errors(body=True, conflict=True)},
             summary="Plan a visit (dispatcher): language, ambassador and double-booking rules are enforced")
def visit_create(request, payload: VisitIn):
    signal, access = selectors.signal_get(user=request.auth, pk=payload.signal)
    if not access.dispatcher:
        raise Http404
    # The service refuses members of another organisation (404).
    members = found(TeamMember.objects.select_related("team"), payload.members, "members")
    municipality = one(Municipality, payload.municipality, "municipality") if payload.municipality else None
    visit = services.visit_create(signal=signal, members=members, starts_at=payload.starts_at,
                                  ends_at=payload.ends_at, place=payload.place, municipality=municipality,
                                  language=payload.language, by=request.auth)
    return Status(201, _visit_out(visit, access))


@router.get("/visits/{visit_id}", auth=CARE_AUTH, response={200: VisitOut, **errors()}, summary="One visit's logistics")
def visit_detail(request, visit_id: int):
    visit, access = selectors.visit_view(user=request.auth, pk=visit_id)
    return _visit_out(visit, access)


@router.post("/visits/{visit_id}/report", auth=CARE_AUTH, response={200: VisitOut, **errors(body=True, conflict=True)},
             summary="Report a visit: attendance, language, next step (the case's team)")
def visit_report(request, visit_id: int, payload: VisitReportIn):
    visit, access = selectors.visit_get(user=request.auth, pk=visit_id)
    if not access.social:
        raise Http404
    visit = services.visit_report(visit=visit, by=request.auth, attended=payload.attended,
                                  language_spoken=payload.language_spoken, next_step=payload.next_step,
                                  status=payload.status)
    return _visit_out(visit, access)


# --- Indicators -------------------------------------------------------------------------------------------


@router.get("/indicators/care", auth=INDICATOR_AUTH, response={200: dict, **errors()},
            summary="Care indicators (dispatchers, coordinators): signals by category, time to first contact "
                    "(median, 90th percentile) against targets, share of visits in the person's language")
def care_indicators(request, filters: Query[IndicatorQuery]):
    return selectors.care_indicators(user=request.auth, since=filters.since, until=filters.until)
