"""Who acts, for which organisation, and may they? Pont's one answer.

- `memberships(user)`, `organisation_ids(user, *roles)`, `holds(user, *roles)`: the user's roles and
  organisations, read once per request (cached on the user object).
- `acting_organisation(user, role=…, person=…, chosen=…)`: the organisation on whose behalf a user acts.
- Predicates (django-rules) on which each app's `rules.py` registers its permissions
  (`people.register_person`, `employment.change_programme`, …); object predicates take the record
  (or the organisation) the permission is about.
- `require(user, perm, obj)` raises Http404 when refused: for anything outside a user's scope or rights
  Pont answers "not found", in the UI and in the API alike — never 403, never a 422 "Only …".

Which *records* a user sees (people, signals, proposals…) is each app's selectors' job; they ask this
module which organisations and roles the user holds, never the memberships table directly.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import rules
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from pont.core.roles import CARE_ROLES, OrganisationKind, Role

if TYPE_CHECKING:
    from pont.core.models import Membership, Organisation

_CACHE = "_pont_memberships"


def memberships(user) -> list[Membership]:
    """Return the user's memberships with their organisations (one query per request, then cached)."""
    if user is None or not user.is_authenticated:
        return []
    # getattr/setattr, not __dict__: request.user is a lazy proxy that forwards them to the real user.
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = list(user.memberships.select_related("organisation").order_by("organisation__name", "role"))
        setattr(user, _CACHE, cached)
    return cached


def forget(user) -> None:
    """Drop the cached memberships (after a membership of this user changed)."""
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def roles(user) -> set[str]:
    return {m.role for m in memberships(user)}


def holds(user, *wanted: str) -> bool:
    """Return whether the user holds one of `wanted` roles in any organisation."""
    return any(m.role in wanted for m in memberships(user))


def organisations(user, *wanted: str) -> list[Organisation]:
    """Return the organisations where the user holds one of `wanted` roles (any role if none), by name."""
    seen: dict[int, Organisation] = {}
    for m in memberships(user):
        if not wanted or m.role in wanted:
            seen.setdefault(m.organisation_id, m.organisation)
    return list(seen.values())


def organisation_ids(user, *wanted: str) -> list[int]:
    return [o.pk for o in organisations(user, *wanted)]


def _org_id(obj: Any) -> int | None:
    """Return the id of the organisation a record belongs to (the record may be the organisation)."""
    from pont.core.models import Organisation

    if obj is None:
        return None
    if isinstance(obj, Organisation):
        return obj.pk
    if isinstance(obj, int):
        return obj
    for attribute in ("organisation_id", "employer_id", "company_id"):
        if hasattr(obj, attribute):
            return getattr(obj, attribute)
    raise TypeError(f"{type(obj).__name__} does not belong to an organisation")


def acts_for(user, organisation: Any, *wanted: str) -> bool:
    """Return whether the user holds one of `wanted` roles in the organisation `organisation` belongs to."""
    org_id = _org_id(organisation)
    return org_id is not None and any(m.organisation_id == org_id and m.role in wanted for m in memberships(user))


def open_file_organisation_ids(person) -> set[int]:
    """Return the organisations holding an open file on `person` (uses prefetched files when there are)."""
    return {f.organisation_id for f in person.files.all() if f.closed_at is None}


def acting_organisation(user, *, role: str | Iterable[str], person=None, chosen: Any = None) -> Organisation:
    """Return the organisation on whose behalf `user` acts in `role`.

    - `chosen` (an organisation or its id, e.g. from a form or an API body) must be one of the user's
      organisations in that role — and hold an open file on `person` when a person is given;
    - otherwise, with a person, the user's organisation holding an open file on them;
    - otherwise the user's only organisation in that role.
    Raises Http404 when the user holds no such role (or the choice is not theirs), and a ValidationError
    on `organisation` when they act for several and must choose.
    """
    wanted = (role,) if isinstance(role, str) else tuple(role)
    mine = organisations(user, *wanted)
    if person is not None:
        holding = open_file_organisation_ids(person)
        mine = [o for o in mine if o.pk in holding]
    if not mine:
        raise Http404
    if chosen is not None and chosen != "":
        chosen_id = _org_id(chosen)
        for organisation in mine:
            if organisation.pk == chosen_id:
                return organisation
        raise Http404
    if person is not None or len(mine) == 1:
        return mine[0]
    raise ValidationError({"organisation": _("You act for several organisations: choose one.")})


def needs_second_factor(user) -> bool:
    """Return whether this user confirms a TOTP code before care records: care roles and coordinators."""
    return holds(user, *CARE_ROLES, Role.COORDINATOR)


def require(user, perm: str, obj: Any = None) -> None:
    """Raise Http404 unless `user` has `perm` (on `obj`): refusals look like records that do not exist."""
    if not user.has_perm(perm, obj):
        raise Http404


def can(user, perm: str, obj: Any = None) -> bool:
    return bool(user.has_perm(perm, obj))


# --- Predicates --------------------------------------------------------------------------------------------
# Role predicates take the user; object predicates take the user and the record (or organisation) the
# permission is about, and hold when the user has the role in the organisation the record belongs to.


def _role_predicate(name: str, *wanted: str) -> rules.Predicate:
    return rules.predicate(lambda user: bool(user and user.is_authenticated and holds(user, *wanted)), name=name)


def _org_predicate(name: str, *wanted: str) -> rules.Predicate:
    return rules.predicate(lambda user, obj: obj is not None and acts_for(user, obj, *wanted), name=name)


is_adviser = _role_predicate("is_adviser", Role.ADVISER)
is_employer = _role_predicate("is_employer", Role.EMPLOYER)
is_coordinator = _role_predicate("is_coordinator", Role.COORDINATOR)
is_dispatcher = _role_predicate("is_dispatcher", Role.DISPATCHER)
is_case_worker = _role_predicate("is_case_worker", Role.SOCIAL_WORKER, Role.THERAPIST)
is_therapist = _role_predicate("is_therapist", Role.THERAPIST)
has_care_role = _role_predicate("has_care_role", *CARE_ROLES)

advises_for = _org_predicate("advises_for", Role.ADVISER)
employs_for = _org_predicate("employs_for", Role.EMPLOYER)
coordinates = _org_predicate("coordinates", Role.COORDINATOR)
dispatches_for = _org_predicate("dispatches_for", Role.DISPATCHER)


@rules.predicate
def is_employment_coordinator(user) -> bool:
    """A coordinator of an employment service or of the portfolio: the employment track is theirs to run (a care
    organisation's coordinator runs agreements and sees care counts, not programmes or the job target)."""
    return any(m.role == Role.COORDINATOR and m.organisation.kind in (OrganisationKind.EMPLOYMENT_SERVICE,
                                                                       OrganisationKind.OTHER)
               for m in memberships(user))


@rules.predicate
def is_portfolio_coordinator(user) -> bool:
    """A coordinator of the portfolio itself (an organisation of kind "other"): sees every partner's counts."""
    return any(m.role == Role.COORDINATOR and m.organisation.kind == OrganisationKind.OTHER
               for m in memberships(user))


@rules.predicate
def follows(user, person) -> bool:
    """The user advises in an organisation holding an open file on `person` (the person is in their scope)."""
    return person is not None and bool(set(organisation_ids(user, Role.ADVISER)) & open_file_organisation_ids(person))
