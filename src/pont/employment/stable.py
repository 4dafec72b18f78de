"""When a placement counts as a *stable job*: a rule kept in configuration (settings.PONT["STABLE_JOB"]).

The rule names contract types that always count (`always`), contract types that count from a
minimum length in months (`min_months`), and the follow-up at which the person must still be
employed (`employed_at_month`). The default follows France Travail's "emploi durable" — an
open-ended contract, a fixed-term contract or temporary agency work of at least six months, or
self-employment / business creation — and the person still employed at the six-month follow-up.
It must be verified against the funder's own definition of the portfolio's target.

The same rule gives the Python predicate (`is_stable`) and the queryset filter (`stable_q`), so
the indicator counts in SQL exactly what a placement's page shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pont.employment.choices import ContractType

DEFAULT_RULE = {
    "always": ["open_ended", "self_employment"],               # count whatever their length
    "min_months": {"fixed_term": 6, "temporary_agency": 6},    # count from this length (months)
    "employed_at_month": 6,                                    # still employed at this follow-up
    "followup_months": [3, 6],                                 # follow-ups created with each placement
}


@dataclass(frozen=True)
class StableRule:
    always: tuple[str, ...]
    min_months: tuple[tuple[str, int], ...]   # (contract type, minimum months), in ContractType order
    employed_at_month: int
    followup_months: tuple[int, ...]

    def minimum(self, contract_type: str) -> int | None:
        """Return the minimum length for `contract_type`, or None if its length does not make it count."""
        return dict(self.min_months).get(contract_type)


def _months(value, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 120:
        raise ImproperlyConfigured(f'PONT["STABLE_JOB"]["{name}"]: a whole number of months from 1 to 120, '
                                   f"not {value!r}")
    return value


def _contract_types(values, name: str) -> list[str]:
    unknown = [v for v in values if v not in ContractType.values]
    if unknown:
        raise ImproperlyConfigured(f'PONT["STABLE_JOB"]["{name}"]: unknown contract types {unknown}; '
                                   f"known: {ContractType.values}")
    return list(values)


def rule() -> StableRule:
    """Return the configured rule (settings.PONT["STABLE_JOB"] over the defaults); refuse a bad one."""
    given = settings.PONT.get("STABLE_JOB", {})
    if set(given) - set(DEFAULT_RULE):
        raise ImproperlyConfigured(f'PONT["STABLE_JOB"]: unknown keys {sorted(set(given) - set(DEFAULT_RULE))}; '
                                   f"known: {sorted(DEFAULT_RULE)}")
    given = {**DEFAULT_RULE, **given}
    always = _contract_types(given["always"], "always")
    minimum = {t: _months(m, f"min_months.{t}") for t, m in given["min_months"].items()}
    _contract_types(minimum, "min_months")
    if set(always) & set(minimum):
        raise ImproperlyConfigured(f'PONT["STABLE_JOB"]: {sorted(set(always) & set(minimum))} are both in '
                                   f'"always" and in "min_months"')
    employed_at = _months(given["employed_at_month"], "employed_at_month")
    followups = {_months(m, "followup_months") for m in given["followup_months"]} | {employed_at}
    return StableRule(
        always=tuple(t for t in ContractType.values if t in always),
        min_months=tuple((t, minimum[t]) for t in ContractType.values if t in minimum),
        employed_at_month=employed_at, followup_months=tuple(sorted(followups)))


def contract_qualifies(contract_type: str, contract_months: int | None, current: StableRule | None = None) -> bool:
    """Return whether the contract alone is long enough to count (the follow-up is checked apart)."""
    current = current or rule()
    if contract_type in current.always:
        return True
    minimum = current.minimum(contract_type)
    return minimum is not None and contract_months is not None and contract_months >= minimum


def is_stable(contract_type: str, contract_months: int | None, employed_at_check: bool | None,
              current: StableRule | None = None) -> bool:
    """Return whether a placement is a stable job, given the answer of the deciding follow-up."""
    return bool(employed_at_check) and contract_qualifies(contract_type, contract_months, current)


def stable_q(current: StableRule | None = None) -> Q:
    """Return a filter on Placement selecting the stable jobs (one EXISTS subquery): `is_stable` in SQL."""
    from pont.employment.models import FollowUp

    current = current or rule()
    contract = Q(contract_type__in=current.always)
    for contract_type, minimum in current.min_months:
        contract |= Q(contract_type=contract_type, contract_months__gte=minimum)
    employed = FollowUp.objects.filter(placement_id=OuterRef("pk"), month=current.employed_at_month,
                                       still_employed=True)
    return contract & Q(Exists(employed))


def describe(current: StableRule | None = None) -> str:
    """Return the rule as a sentence in the active language, for the pages that show whether a job counts."""
    current = current or rule()
    kinds = [str(ContractType(t).label) for t in current.always] + [
        ngettext("%(contract)s of at least %(months)s month", "%(contract)s of at least %(months)s months", m)
        % {"contract": ContractType(t).label, "months": m}
        for t, m in current.min_months]
    return _("Counts as a stable job: %(kinds)s — if the person is still employed at the %(months)s-month "
             "follow-up (configurable rule, to be checked against the funder's definition).") % {
        "kinds": ", ".join(kinds) or "—", "months": current.employed_at_month}
