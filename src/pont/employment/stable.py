"""When a placement counts as a *stable job*: a rule kept in configuration (settings.PONT["STABLE_JOB"]).

Default (the portfolio's description, DOMAIN.md — verify against the funder's definition): an
open-ended contract, or a fixed-term one of at least six months, AND the person still employed at the
six-month follow-up. The same rule is available as a Python predicate and as a queryset filter, so the
indicator counts in SQL exactly what a placement's page shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Q

DEFAULT_RULE = {
    "contract_types": ["open_ended"],        # always long enough
    "fixed_term_min_months": 6,              # fixed-term contracts of at least this length
    "employed_at_month": 6,                  # still employed at this follow-up
    "followup_months": [3, 6],               # follow-ups created with each placement
}


@dataclass(frozen=True)
class StableRule:
    contract_types: tuple[str, ...]
    fixed_term_min_months: int | None
    employed_at_month: int
    followup_months: tuple[int, ...]


def rule() -> StableRule:
    """Return the configured rule (settings.PONT["STABLE_JOB"] over the defaults)."""
    given = {**DEFAULT_RULE, **settings.PONT.get("STABLE_JOB", {})}
    months = tuple(sorted(set(given["followup_months"]) | {given["employed_at_month"]}))
    return StableRule(tuple(given["contract_types"]), given["fixed_term_min_months"],
                      int(given["employed_at_month"]), months)


def contract_qualifies(contract_type: str, contract_months: int | None, current: StableRule | None = None) -> bool:
    current = current or rule()
    if contract_type in current.contract_types:
        return True
    return (contract_type == "fixed_term" and current.fixed_term_min_months is not None
            and contract_months is not None and contract_months >= current.fixed_term_min_months)


def is_stable(contract_type: str, contract_months: int | None, employed_at_check: bool | None,
              current: StableRule | None = None) -> bool:
    """Return whether a placement is a stable job, given the answer of the deciding follow-up."""
    return bool(employed_at_check) and contract_qualifies(contract_type, contract_months, current)


def stable_q(current: StableRule | None = None) -> Q:
    """Return a filter on Placement selecting the stable jobs (one EXISTS subquery)."""
    from pont.employment.models import FollowUp

    current = current or rule()
    contract = Q(contract_type__in=current.contract_types)
    if current.fixed_term_min_months is not None:
        contract |= Q(contract_type="fixed_term", contract_months__gte=current.fixed_term_min_months)
    employed = FollowUp.objects.filter(placement_id=OuterRef("pk"), month=current.employed_at_month,
                                       still_employed=True)
    return contract & Q(Exists(employed))
