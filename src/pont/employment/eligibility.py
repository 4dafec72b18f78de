"""Who may join a programme: a pure function over plain data (no Django).

`evaluate(rules, candidate)` returns one `Check` per condition the programme sets (age, legal status,
right to work, language, region), each with a code and the values a message needs. The adapter in
`selectors.py` builds the inputs from the database and turns the checks into sentences in the user's
language, so this module can be tested and reused without a database or a catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CEFR_ORDER = ("none", "A1", "A2", "B1", "B2", "C1", "C2", "native")

AGE = "age"
STATUS = "legal_status"
RIGHT_TO_WORK = "right_to_work"
LANGUAGE = "language"
REGION = "region"

MAY_WORK = "may_work"
NEEDS_PERMIT = "needs_permit"


@dataclass(frozen=True)
class Rules:
    """A programme's conditions; None or empty means "no condition"."""

    country: str
    min_age: int | None = None
    max_age: int | None = None
    legal_statuses: tuple[str, ...] = ()
    right_to_work: str = "not_required"    # not_required | may_work | permit_ok
    language: str = ""                      # ISO 639-3
    language_level: str = ""                # CEFR
    regions: tuple[str, ...] = ()           # NUTS codes


@dataclass(frozen=True)
class Candidate:
    age: int
    legal_status: str | None
    region: str                                                     # NUTS code of residence
    languages: dict[str, str] = field(default_factory=dict)        # ISO 639-3 → CEFR level or ""
    right_to_work: dict[str, str] = field(default_factory=dict)    # country → may_work | needs_permit | …


@dataclass(frozen=True)
class Check:
    code: str
    ok: bool
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Verdict:
    checks: tuple[Check, ...]

    @property
    def eligible(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def failed(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if not c.ok)


def level_at_least(level: str, minimum: str) -> bool:
    """Return whether CEFR `level` reaches `minimum` (an unknown or empty level reaches nothing)."""
    if not minimum:
        return True
    if level not in CEFR_ORDER:
        return False
    return CEFR_ORDER.index(level) >= CEFR_ORDER.index(minimum)


def evaluate(rules: Rules, candidate: Candidate) -> Verdict:
    """Return the checks of every condition `rules` sets, for `candidate`."""
    checks: list[Check] = []
    if rules.min_age is not None or rules.max_age is not None:
        low, high = rules.min_age, rules.max_age
        ok = (low is None or candidate.age >= low) and (high is None or candidate.age <= high)
        checks.append(Check(AGE, ok, {"age": candidate.age, "min": low, "max": high}))
    if rules.legal_statuses:
        checks.append(Check(STATUS, candidate.legal_status in rules.legal_statuses,
                            {"status": candidate.legal_status, "allowed": rules.legal_statuses}))
    if rules.right_to_work != "not_required":
        outcome = candidate.right_to_work.get(rules.country, "")
        allowed = {MAY_WORK} if rules.right_to_work == "may_work" else {MAY_WORK, NEEDS_PERMIT}
        checks.append(Check(RIGHT_TO_WORK, outcome in allowed,
                            {"country": rules.country, "outcome": outcome, "rule": rules.right_to_work}))
    if rules.language and rules.language_level:
        level = candidate.languages.get(rules.language, "")
        checks.append(Check(LANGUAGE, level_at_least(level, rules.language_level),
                            {"language": rules.language, "level": level, "min": rules.language_level}))
    if rules.regions:
        checks.append(Check(REGION, candidate.region in rules.regions,
                            {"region": candidate.region, "allowed": rules.regions}))
    return Verdict(tuple(checks))
