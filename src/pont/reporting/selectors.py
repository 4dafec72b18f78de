"""Reads of the indicators: whose records a user's indicators count, and the suppressed tables they see.

Employment indicators: coordinators of an employment service (their organisations' people) or of the
portfolio (every partner's). Care indicators: dispatchers and coordinators of care organisations, and the
portfolio (care.selectors.indicator_org_ids). Everyone else: 404. Counts only, never names; every cell of a
breakdown below 5 is hidden, and the cells that would give it away (reporting.suppression).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.utils import timezone, translation

from pont.audit.services import audit
from pont.care.selectors import indicator_org_ids
from pont.core import access
from pont.core.models import Organisation
from pont.core.roles import OrganisationKind, Role
from pont.reporting import registry, suppression
from pont.reporting.indicators import Scope
from pont.reporting.registry import Indicator, Period

T = TypeVar("T")


def _care_org_ids(user) -> list[int]:
    """The care organisations whose signals the user's care indicators count (care.selectors' rule); worked
    out once per user object (one request), as a page reads a score of indicators."""
    known = getattr(user, "_reporting_care_org_ids", None)
    if known is None:
        ids = indicator_org_ids(user) or []
        known = list(Organisation.objects.filter(pk__in=ids, kind=OrganisationKind.CARE_TEAM)
                     .values_list("pk", flat=True))
        user._reporting_care_org_ids = known
    return known


def readable(user, indicator: Indicator) -> bool:
    if not user.is_authenticated:
        return False
    if indicator.track == "employment":
        return bool(access.is_employment_coordinator(user))
    return bool(_care_org_ids(user))


@dataclass(frozen=True)
class Filters:
    """What a reader narrows the indicators to: a country, a region (NUTS code), one organisation."""

    country: str = ""
    region: str = ""
    organisation: int | None = None

    def detail(self) -> dict:
        return {"country": self.country, "region": self.region, "organisation": self.organisation}


def organisations_for(user) -> list[Organisation]:
    """The organisations whose records the user's indicators count (the choices of the organisation filter)."""
    ids = set(_care_org_ids(user))
    if access.is_portfolio_coordinator(user):
        ids |= set(Organisation.objects.filter(kind=OrganisationKind.EMPLOYMENT_SERVICE).values_list("pk", flat=True))
    elif access.is_employment_coordinator(user):
        ids |= set(access.organisation_ids(user, Role.COORDINATOR))
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def scope_of(user, filters: Filters | None = None) -> Scope:
    """Whose records the user's indicators count, narrowed by `filters` (an organisation outside: 404)."""
    filters = filters or Filters()
    memo = user.__dict__.setdefault("_reporting_scopes", {})
    if filters in memo:
        return memo[filters]
    person_orgs = None if access.is_portfolio_coordinator(user) else access.organisation_ids(user, Role.COORDINATOR)
    care_orgs = _care_org_ids(user)
    if filters.organisation is not None:
        if filters.organisation not in {o.pk for o in organisations_for(user)}:
            raise Http404
        person_orgs = [filters.organisation] if person_orgs is None or filters.organisation in person_orgs else []
        care_orgs = [pk for pk in care_orgs if pk == filters.organisation]
    memo[filters] = Scope(person_org_ids=person_orgs, care_org_ids=care_orgs, country=filters.country,
                          region=filters.region)
    return memo[filters]


def indicators_for(user) -> list[Indicator]:
    """Return the indicators the user may read, in the registry's order."""
    return [i for i in registry.all_indicators() if readable(user, i)]


@dataclass(frozen=True)
class Cell:
    key: str
    label: str
    value: float | int | None  # None: hidden ("< 5") or nothing to compute
    n: int | None  # the people or signals behind it (None when hidden)
    hidden: bool


@dataclass(frozen=True)
class Table:
    indicator: Indicator
    period: Period
    breakdown: str
    total: Cell
    rows: list[Cell]
    filters: Filters = Filters()
    counted_at: dt.datetime | None = None

    @property
    def breakdown_name(self) -> str:
        return next((str(b.name) for b in self.indicator.breakdowns if b.code == self.breakdown), "")


def table(*, user, code: str, period: Period, by: str = "", filters: Filters | None = None,
          audited: bool = True) -> Table:
    """Return one indicator for the period, as a whole and by a breakdown, suppressed; audited (counts only)
    unless the caller audits the page that shows several (`audited=False`)."""
    indicator = registry.get(code)
    if indicator is None or not readable(user, indicator):
        raise Http404
    if by and by not in {b.code for b in indicator.breakdowns}:
        raise Http404
    filters = filters or Filters()
    scope = scope_of(user, filters)
    whole, rows, counted_at = _computed(indicator, scope, period, by)
    cells = suppression.suppress([(k, n) for k, _l, _v, n in rows]) if indicator.suppress else []
    hidden = {c.key for c in cells if c.hidden}
    total_hidden = indicator.suppress and suppression.suppress_total(whole[3]) is None
    out_rows = [Cell(k, label, None if k in hidden else v, None if k in hidden else n, k in hidden)
                for k, label, v, n in rows]
    total = Cell("", "", None if total_hidden else whole[2], None if total_hidden else whole[3], bool(total_hidden))
    if audited:
        audit(actor=user, verb="reporting.indicator.viewed", obj=user,
              detail={"indicator": code, "from": period.since.isoformat(), "to": period.until.isoformat(),
                      "by": by} | filters.detail())
    return Table(indicator, period, by, total, out_rows, filters, counted_at)


def _computed(indicator: Indicator, scope: Scope, period: Period, by: str) -> tuple[tuple, list, dt.datetime]:
    """The indicator's SQL results (the whole, the breakdown, when counted), kept in the cache for
    PONT["REPORTING_CACHE_SECONDS"] per indicator, scope, period, breakdown and language (labels)."""
    def compute() -> tuple[tuple, list]:
        whole = tuple(indicator.compute(scope, period, "")[0])
        return whole, [tuple(r) for r in indicator.compute(scope, period, by)] if by else []

    (whole, rows), counted_at = counted([
        indicator.code, scope.person_org_ids, sorted(scope.care_org_ids), scope.country, scope.region,
        period.since.isoformat(), period.until.isoformat(), by], compute)
    return whole, rows, counted_at


def counted(key: list, compute: Callable[[], T]) -> tuple[T, dt.datetime]:
    """Return `compute()` and when it was computed, kept in the cache for PONT["REPORTING_CACHE_SECONDS"] under
    `key` (JSON-able; the language is added, for labels). Every count a page shows beside its time goes here:
    the indicator tables, the figures of the coordinators' and dispatchers' home pages."""
    seconds = settings.PONT.get("REPORTING_CACHE_SECONDS", 0)
    digest = hashlib.sha256(json.dumps([*key, translation.get_language()], default=str).encode()).hexdigest()
    hit = cache.get(f"reporting:{digest}") if seconds else None
    if hit is None:
        hit = (compute(), timezone.now())
        if seconds:
            cache.set(f"reporting:{digest}", hit, seconds)
    return hit


# --- The evaluation extracts ------------------------------------------------------------------------------


def may_extract(user) -> bool:
    """Coordinators of an employment service or of the portfolio: the extract is of the people they support."""
    return bool(user.is_authenticated and access.is_employment_coordinator(user))


def reads_care(user) -> bool:
    """Whether the user's extract may hold care counts (they read care indicators themselves)."""
    return bool(_care_org_ids(user))


def extracts_for(user):
    """The user's own extracts, newest first (never another coordinator's: they hold their key's pseudonyms)."""
    from pont.reporting.models import Extract

    if not may_extract(user):
        raise Http404
    return Extract.objects.filter(requested_by=user).defer("data", "key")


def extract_get(*, user, pk: int, with_data: bool = False):
    from pont.reporting.models import Extract

    if not may_extract(user):
        raise Http404
    qs = Extract.objects.filter(requested_by=user)
    extract = (qs if with_data else qs.defer("data")).filter(pk=pk).first()
    if extract is None:
        raise Http404
    return extract
