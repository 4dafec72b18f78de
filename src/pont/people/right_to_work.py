"""Right to work in France and Belgium, derived from a rule table kept as data (data/right_to_work.json).

Pure: no Django. The adapter in `selectors.py` turns a person's legal-status history into
`StatusFact`s and asks `assess()` for each country. The table's vocabulary is documented in
docs/right-to-work.md; `load_rules()` refuses a table that uses words this engine does not know.
"""

from __future__ import annotations

import datetime as dt
import json
import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.dates import format_date

RULES_PATH = Path(__file__).with_name("data") / "right_to_work.json"

MAY_WORK = "may_work"
NEEDS_PERMIT = "needs_permit"
MAY_NOT_WORK = "may_not_work"
OUTCOMES = (MAY_WORK, NEEDS_PERMIT, MAY_NOT_WORK)
WORK_COUNTRIES = ("BE", "FR")

# The table's vocabulary (docs/right-to-work.md): keys of a rule, its branches, and the values a reason may name.
RULE_KEYS = {"statuses", "where", "work_country", "outcome", "reason", "wait_months", "before", "decided",
             "undetermined", "authorised", "note"}
BRANCHES = ("before", "decided", "undetermined", "authorised")
PLACEHOLDERS = {"since", "claim", "decision", "from", "authorised", "months"}
MISSING = "—"  # how a value the history does not hold reads inside a reason


@dataclass(frozen=True)
class StatusFact:
    status: str
    country: str
    start_date: dt.date
    end_date: dt.date | None = None
    decision_date: dt.date | None = None            # the first-instance decision (on an appeal: the one appealed)
    claim_date: dt.date | None = None               # on an appeal: when the claim it belongs to was lodged
    work_authorisation_date: dt.date | None = None  # a work authorisation granted during the procedure

    @classmethod
    def of(cls, row) -> StatusFact:
        """Return the fact of anything with a status row's attributes (a LegalStatus, a StatusInput)."""
        return cls(row.status, row.country, row.start_date, row.end_date, row.decision_date, row.claim_date,
                   row.work_authorisation_date)


@dataclass(frozen=True)
class Procedure:
    """The asylum procedure a status belongs to: when the claim was lodged, the first-instance decision,
    and a work authorisation granted during it (None where the history does not say)."""

    claim: dt.date | None
    decision: dt.date | None
    authorised: dt.date | None


@dataclass(frozen=True)
class Assessment:
    country: str
    outcome: str
    reason: str
    status: str | None
    since: dt.date | None = None  # when the outcome took effect, where known


def add_months(day: dt.date, months: int) -> dt.date:
    """Return the same day `months` later (clamped to the month's last day)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _check_reason(reason: object, where: str) -> None:
    if not isinstance(reason, dict) or "en" not in reason:
        raise ValueError(f"{where}: 'reason' needs at least an English text")
    for language, text in reason.items():
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        if names - PLACEHOLDERS:
            raise ValueError(f"{where}: reason ({language}) names unknown values {sorted(names - PLACEHOLDERS)}; "
                             f"known: {sorted(PLACEHOLDERS)}")


def check_rules(table: dict) -> dict:
    """Return `table` if every rule uses the documented vocabulary; raise ValueError naming the rule otherwise."""
    procedure = table.get("procedure", {})
    if not {"claim", "appeal"} <= procedure.keys():
        raise ValueError("the right-to-work table needs 'procedure': {'claim': [...], 'appeal': [...]}")
    for number, rule in enumerate(table["rules"], start=1):
        where = f"right-to-work rule {number} ({', '.join(rule.get('statuses', []))})"
        if not {"statuses", "where", "work_country", "outcome", "reason"} <= rule.keys():
            raise ValueError(f"{where}: needs statuses, where, work_country, outcome and reason")
        if rule.keys() - RULE_KEYS:
            raise ValueError(f"{where}: unknown keys {sorted(rule.keys() - RULE_KEYS)}")
        if rule["where"] not in ("same", "other", "*"):
            raise ValueError(f"{where}: 'where' is same, other or *")
        branches = {"main": rule, **{name: rule[name] for name in BRANCHES if name in rule}}
        for name, branch in branches.items():
            if branch.get("outcome") not in OUTCOMES:
                raise ValueError(f"{where}: outcome of {name} must be one of {OUTCOMES}")
            _check_reason(branch.get("reason"), f"{where}, {name}")
        if "wait_months" in rule:
            needed = {"before", "decided"}
            if set(rule["statuses"]) - set(procedure["claim"]):
                needed.add("undetermined")  # an appeal may lack the claim or decision date
            if needed - rule.keys():
                raise ValueError(f"{where}: a rule with wait_months needs {sorted(needed)}")
    last = table["rules"][-1] if table["rules"] else {}
    if (last.get("statuses"), last.get("where"), last.get("work_country")) != (["*"], "*", "*"):
        raise ValueError("the last right-to-work rule must match everything "
                         "(statuses ['*'], where and work_country '*')")
    _check_reason(table["no_status"].get("reason"), "no_status")
    return table


@cache
def load_rules(path: Path = RULES_PATH) -> dict:
    """Return the rule table (cached; checked against the vocabulary the engine knows)."""
    return check_rules(json.loads(path.read_text(encoding="utf-8")))


def is_claim(status: str, table: dict | None = None) -> bool:
    """Return whether `status` starts on the day an asylum claim was lodged (the table's procedure.claim)."""
    return status in (table or load_rules())["procedure"]["claim"]


def is_appeal(status: str, table: dict | None = None) -> bool:
    """Return whether `status` is an appeal against a first-instance decision (the table's procedure.appeal)."""
    return status in (table or load_rules())["procedure"]["appeal"]


def current_fact(facts: list[StatusFact], today: dt.date) -> StatusFact | None:
    """Return the status in force today: started, not ended, the latest start first."""
    in_force = [f for f in facts if f.start_date <= today and (f.end_date is None or f.end_date >= today)]
    return max(in_force, key=lambda f: f.start_date, default=None)


def procedure_of(fact: StatusFact, facts: list[StatusFact], table: dict | None = None) -> Procedure:
    """Return the procedure of `fact`.

    A claim row is its own procedure (its start is the claim). Any other row takes what it records
    itself (an appeal carries the claim date and the decision it appeals) and fills the gaps from the
    claim row of the same country that began last on or before it.
    """
    table = table or load_rules()
    if is_claim(fact.status, table):
        return Procedure(fact.start_date, fact.decision_date, fact.work_authorisation_date)
    claims = [f for f in facts if is_claim(f.status, table) and f.country == fact.country
              and f.start_date <= fact.start_date and f is not fact]
    row = max(claims, key=lambda f: f.start_date, default=None)
    return Procedure(
        claim=fact.claim_date or (row.start_date if row else None),
        decision=fact.decision_date or (row.decision_date if row else None),
        authorised=fact.work_authorisation_date or (row.work_authorisation_date if row else None),
    )


def _matches(rule: dict, fact: StatusFact, work_country: str) -> bool:
    if "*" not in rule["statuses"] and fact.status not in rule["statuses"]:
        return False
    if rule["work_country"] not in ("*", work_country):
        return False
    where = rule["where"]
    return where == "*" or (where == "same") == (fact.country == work_country)


def _text(reason: dict, language: str, **values) -> str:
    template = reason.get(language) or reason["en"]

    def shown(value):
        if isinstance(value, dt.date):
            return format_date(value, format="long", locale=language)
        return MISSING if value is None else value

    return template.format(**{**dict.fromkeys(PLACEHOLDERS, MISSING), **{k: shown(v) for k, v in values.items()}})


def _decide(rule: dict, fact: StatusFact, proc: Procedure, today: dt.date, table: dict) -> tuple[dict, dt.date | None]:
    """Return the branch of `rule` that applies (the rule itself or one of its BRANCHES) and its date."""
    if "authorised" in rule and proc.authorised is not None and proc.authorised <= today:
        return rule["authorised"], proc.authorised
    if "wait_months" not in rule:
        return rule, fact.start_date
    # A claim row without a decision has none yet; any other row (an appeal) must say when it came.
    if proc.claim is None or (proc.decision is None and not is_claim(fact.status, table)):
        return rule["undetermined"], None
    opens = add_months(proc.claim, rule["wait_months"])
    if proc.decision is not None and proc.decision < opens:
        return rule["decided"], proc.decision
    if today < opens:
        return rule["before"], None
    return rule, opens


def assess(facts: list[StatusFact], work_country: str, today: dt.date, language: str = "en",
           table: dict | None = None) -> Assessment:
    """Return may work / needs a permit / may not work in `work_country`, with the reason."""
    table = table or load_rules()
    fact = current_fact(facts, today)
    if fact is None:
        no = table["no_status"]
        return Assessment(work_country, no["outcome"], _text(no["reason"], language), None)
    for rule in table["rules"]:
        if not _matches(rule, fact, work_country):
            continue
        proc = procedure_of(fact, facts, table)
        branch, since = _decide(rule, fact, proc, today, table)
        opens = add_months(proc.claim, rule["wait_months"]) if "wait_months" in rule and proc.claim else None
        values = {"since": fact.start_date, "claim": proc.claim, "decision": proc.decision, "from": opens,
                  "authorised": proc.authorised, "months": rule.get("wait_months")}
        return Assessment(work_country, branch["outcome"], _text(branch["reason"], language, **values),
                          fact.status, since)
    raise ValueError("the right-to-work table has no catch-all rule")
