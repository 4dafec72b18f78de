"""Cooperation agreements between care organisations: Pont's one answer to "may this member be sent on this
organisation's visit?", and the coordinators' writes that make, confirm and end an agreement.

A member may go on a visit of their own organisation, or of an organisation their organisation lends to under
an agreement in force on the day of the visit, for the member's role, in one of the agreement's areas (none
ticked: anywhere). A lent member sees what every member of a visit sees (care.selectors: interpreters and
ambassadors the logistics; social workers and therapists the case of the visits they are on) and nothing else
of the other organisation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from pont.audit.services import audit, audit_listed
from pont.care.choices import VisitStatus
from pont.care.models import CooperationAgreement, TeamMember, Visit
from pont.core import access
from pont.core.exceptions import Conflict
from pont.core.models import Organisation, Region, User
from pont.core.roles import OrganisationKind, Role


@dataclass(frozen=True)
class Terms:
    """What one lending organisation lends to one receiving organisation under one agreement."""

    agreement_id: int
    lender_id: int
    roles: frozenset[str]
    region_ids: frozenset[int]  # empty: anywhere

    def covers(self, role: str, region_id: int | None) -> bool:
        return role in self.roles and (not self.region_ids or region_id in self.region_ids)


def in_force(on: dt.date) -> QuerySet[CooperationAgreement]:
    """Return the agreements confirmed, not ended, and running on `on`."""
    return CooperationAgreement.objects.filter(
        confirmed_at__isnull=False, ended_at__isnull=True, starts_on__lte=on).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=on))


def lenders_to(borrower_id: int, on: dt.date) -> list[Terms]:
    """Return the terms under which other organisations lend members to `borrower_id` on `on` (two queries)."""
    agreements = list(in_force(on).filter(Q(borrower_id=borrower_id) | Q(lender_id=borrower_id, mutual=True))
                      .prefetch_related("regions"))
    return [Terms(a.pk, a.borrower_id if a.lender_id == borrower_id else a.lender_id, frozenset(a.roles),
                  frozenset(r.pk for r in a.regions.all())) for a in agreements]


def may_send(member: TeamMember, organisation_id: int, region_id: int | None, on: dt.date,
             terms: Sequence[Terms] | None = None) -> bool:
    """Return whether `member` may go on a visit of `organisation_id` in `region_id` on `on` (pass `terms` from
    `lenders_to` when checking many members)."""
    own = member.team.organisation_id
    if own == organisation_id:
        return True
    terms = lenders_to(organisation_id, on) if terms is None else terms
    return any(t.lender_id == own and t.covers(member.role, region_id) for t in terms)


def members_for(organisation_id: int, on: dt.date) -> QuerySet[TeamMember]:
    """Return the active members an organisation may plan with on `on`: its own, and those partners lend it
    (by role; the areas are checked per visit with `may_send`)."""
    scope = Q(team__organisation_id=organisation_id)
    for t in lenders_to(organisation_id, on):
        scope |= Q(team__organisation_id=t.lender_id, role__in=sorted(t.roles))
    return TeamMember.objects.filter(scope, active=True, team__active=True)


def lent_hours(agreement: CooperationAgreement, until: dt.datetime | None = None) -> dict[tuple[int, int], float]:
    """Return the hours each side's members spent on the other side's visits under the agreement (planned and
    done, cancelled left out), as {(lender_id, borrower_id): hours}. One query per direction."""
    until = until or timezone.now() + dt.timedelta(days=366)
    tz = timezone.get_current_timezone()
    since = timezone.make_aware(dt.datetime.combine(agreement.starts_on, dt.time()), tz)
    end = min(until, timezone.make_aware(dt.datetime.combine(agreement.ends_on, dt.time.max), tz)) \
        if agreement.ends_on else until
    if agreement.ended_at:
        end = min(end, agreement.ended_at)
    directions = [(agreement.lender_id, agreement.borrower_id)]
    if agreement.mutual:
        directions.append((agreement.borrower_id, agreement.lender_id))
    Through = Visit.members.through
    length = ExpressionWrapper(F("visit__ends_at") - F("visit__starts_at"), output_field=DurationField())
    out = {}
    for lender, borrower in directions:
        total = (Through.objects.filter(teammember__team__organisation_id=lender,
                                        visit__signal__organisation_id=borrower,
                                        visit__starts_at__gte=since, visit__starts_at__lt=end)
                 .exclude(visit__status=VisitStatus.CANCELLED).aggregate(total=Sum(length))["total"])
        out[(lender, borrower)] = round(total.total_seconds() / 3600, 1) if total else 0.0
    return out


# --- Who manages agreements -------------------------------------------------------------------------------


def coordinator_org_ids(user) -> list[int]:
    """Return the care organisations where `user` is a coordinator (they make and end agreements)."""
    return [o.pk for o in access.organisations(user, Role.COORDINATOR) if o.kind == OrganisationKind.CARE_TEAM]


def _sides(agreement: CooperationAgreement) -> set[int]:
    return {agreement.lender_id, agreement.borrower_id}


def agreements_for(user) -> QuerySet[CooperationAgreement]:
    """Return the agreements of the care organisations where `user` coordinates or dispatches."""
    org_ids = set(coordinator_org_ids(user)) | set(access.organisation_ids(user, Role.DISPATCHER))
    return CooperationAgreement.objects.filter(Q(lender_id__in=org_ids) | Q(borrower_id__in=org_ids))


def agreement_get(*, user, pk: int) -> CooperationAgreement:
    """Return one agreement of the user's organisations, to act on; 404 otherwise."""
    try:
        return (agreements_for(user).select_related("lender", "borrower", "proposed_for")
                .prefetch_related("regions").get(pk=pk))
    except (CooperationAgreement.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def partner_choices(user) -> QuerySet[Organisation]:
    """Return the care organisations a coordinator may make an agreement with (every other care organisation)."""
    return Organisation.objects.filter(kind=OrganisationKind.CARE_TEAM).exclude(pk__in=coordinator_org_ids(user))


# --- Writes -----------------------------------------------------------------------------------------------

LEND, RECEIVE, MUTUAL = "lend", "receive", "mutual"


def agreement_propose(*, organisation: Organisation, partner: Organisation | None, direction: str,
                      roles: list[str], regions: Iterable[Region] = (), starts_on: dt.date | None,
                      ends_on: dt.date | None = None, note: str = "", by: User) -> CooperationAgreement:
    """Propose an agreement on behalf of `organisation` (its coordinator): it lends to `partner`, receives from it,
    or both; it is in force once a coordinator of the partner confirms it."""
    if organisation.pk not in coordinator_org_ids(by):
        raise Http404
    errors: dict[str, str] = {}
    if partner is None or partner.kind != OrganisationKind.CARE_TEAM:
        errors["partner"] = _("Choose a care organisation.")
    if direction not in (LEND, RECEIVE, MUTUAL):
        errors["direction"] = _("Choose a direction.")
    if starts_on is None:
        errors["starts_on"] = _("This field is required.")
    if errors:
        raise ValidationError(errors)
    assert partner is not None and starts_on is not None
    lender, borrower = (partner, organisation) if direction == RECEIVE else (organisation, partner)
    agreement = CooperationAgreement(lender=lender, borrower=borrower, mutual=direction == MUTUAL,
                                     roles=list(dict.fromkeys(roles)), starts_on=starts_on, ends_on=ends_on,
                                     note=(note or "").strip(), proposed_by=by, proposed_for=organisation)
    try:
        agreement.full_clean(exclude=["proposed_by", "confirmed_by", "ended_by"])
    except ValidationError as error:
        fields = error.message_dict
        raise ValidationError({("partner" if k in ("borrower", "lender") else k): v
                               for k, v in fields.items()}) from None
    with transaction.atomic():
        agreement.save()
        agreement.regions.set(list(regions))
        audit(actor=by, verb="care.agreement.proposed", obj=agreement, organisation=organisation,
              detail={"lender": lender.pk, "borrower": borrower.pk, "mutual": agreement.mutual,
                      "roles": agreement.roles, "regions": [r.pk for r in agreement.regions.all()]})
    return agreement


def agreement_confirm(*, agreement: CooperationAgreement, by: User) -> CooperationAgreement:
    """Confirm an agreement the other side proposed (a coordinator of the side that did not propose it)."""
    other = _sides(agreement) - {agreement.proposed_for_id}
    if not other & set(coordinator_org_ids(by)):
        raise Http404
    if agreement.state() not in ("proposed",):
        raise Conflict({"agreement": _("This agreement is not waiting for a confirmation.")})
    with transaction.atomic():
        agreement.confirmed_at, agreement.confirmed_by = timezone.now(), by
        agreement.save(update_fields=["confirmed_at", "confirmed_by"])
        audit(actor=by, verb="care.agreement.confirmed", obj=agreement,
              organisation=Organisation.objects.get(pk=min(other & set(coordinator_org_ids(by)))))
    return agreement


def agreement_end(*, agreement: CooperationAgreement, by: User) -> CooperationAgreement:
    """End an agreement now (a coordinator of either side); visits already planned stay as they are."""
    mine = _sides(agreement) & set(coordinator_org_ids(by))
    if not mine:
        raise Http404
    if agreement.state() == "ended":
        raise Conflict({"agreement": _("This agreement has ended already.")})
    with transaction.atomic():
        agreement.ended_at, agreement.ended_by = timezone.now(), by
        agreement.save(update_fields=["ended_at", "ended_by"])
        audit(actor=by, verb="care.agreement.ended", obj=agreement, organisation=Organisation.objects.get(pk=min(mine)))
    return agreement


# --- Reads for the agreements page and API ----------------------------------------------------------------


def may_read(user) -> bool:
    """Coordinators and dispatchers of care organisations read their agreements."""
    return bool(user.is_authenticated and (coordinator_org_ids(user) or access.organisation_ids(user, Role.DISPATCHER)))


@dataclass(frozen=True)
class AgreementRow:
    agreement: CooperationAgreement
    state: str
    hours: dict[tuple[int, int], float]  # (lender, borrower) → hours lent
    can_confirm: bool
    can_end: bool

    @property
    def lent(self) -> list[tuple[str, str, float]]:
        names = {self.agreement.lender_id: self.agreement.lender.name,
                 self.agreement.borrower_id: self.agreement.borrower.name}
        return [(names[a], names[b], h) for (a, b), h in self.hours.items()]


def agreements_view(*, user) -> list[AgreementRow]:
    """Return the user's organisations' agreements with their state and the hours lent each way (audited)."""
    mine = set(coordinator_org_ids(user))
    agreements = list(agreements_for(user).select_related("lender", "borrower", "proposed_for")
                      .prefetch_related("regions"))
    rows = []
    for a in agreements:
        state = a.state()
        rows.append(AgreementRow(
            a, state, lent_hours(a),
            can_confirm=state == "proposed" and bool((_sides(a) - {a.proposed_for_id}) & mine),
            can_end=state != "ended" and bool(_sides(a) & mine)))
    audit_listed(actor=user, verb="care.agreements.listed", records=agreements)
    return rows
