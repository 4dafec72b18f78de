"""Right to work in France and Belgium, derived from a rule table kept as data (data/right_to_work.json).

Pure: no Django. The adapter in `selectors.py` turns a person's legal-status history into
`StatusFact`s and asks `assess()` for each country.
"""

from __future__ import annotations

import datetime as dt
import json
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


@dataclass(frozen=True)
class StatusFact:
    status: str
    country: str
    start_date: dt.date
    end_date: dt.date | None = None
    decision_date: dt.date | None = None


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


@cache
def load_rules(path: Path = RULES_PATH) -> dict:
    """Return the rule table (cached; validated for the keys the engine relies on)."""
    table = json.loads(path.read_text(encoding="utf-8"))
    for rule in table["rules"]:
        if rule["outcome"] not in OUTCOMES or not {"statuses", "where", "work_country"} <= rule.keys():
            raise ValueError(f"malformed right-to-work rule: {rule}")
    return table


def current_fact(facts: list[StatusFact], today: dt.date) -> StatusFact | None:
    """Return the status in force today: started, not ended, the latest start first."""
    in_force = [f for f in facts if f.start_date <= today and (f.end_date is None or f.end_date >= today)]
    return max(in_force, key=lambda f: f.start_date, default=None)


def _matches(rule: dict, fact: StatusFact, work_country: str) -> bool:
    if "*" not in rule["statuses"] and fact.status not in rule["statuses"]:
        return False
    if rule["work_country"] not in ("*", work_country):
        return False
    where = rule["where"]
    return where == "*" or (where == "same") == (fact.country == work_country)


def _text(reason: dict, language: str, **values) -> str:
    template = reason.get(language) or reason["en"]
    return template.format(**{
        k: (format_date(v, format="long", locale=language) if isinstance(v, dt.date) else v)
        for k, v in values.items()
    })


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
        values = {"since": fact.start_date, "until": fact.decision_date or "", "months": rule.get("wait_months")}
        if "wait_months" in rule:
            opens = add_months(fact.start_date, rule["wait_months"])
            values["from"] = opens
            if fact.decision_date is not None and fact.decision_date < opens:
                branch = rule["decided"]
                return Assessment(work_country, branch["outcome"], _text(branch["reason"], language, **values),
                                  fact.status, fact.decision_date)
            if today < opens:
                branch = rule["before"]
                return Assessment(work_country, branch["outcome"], _text(branch["reason"], language, **values),
                                  fact.status)
            return Assessment(work_country, rule["outcome"], _text(rule["reason"], language, **values),
                              fact.status, opens)
        return Assessment(work_country, rule["outcome"], _text(rule["reason"], language, **values),
                          fact.status, fact.start_date)
    raise ValueError("the right-to-work table has no catch-all rule")
