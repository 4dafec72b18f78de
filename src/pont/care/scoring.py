"""Scoring of screening instruments: one interpreter for every instrument's data file (no Django).

An instrument is data (docs/instruments.md): items, answer options, and a scoring rule with bands,
a positive rule, subscales and flags. `parse(definition)` checks a definition and returns an
`Instrument`; `score(instrument, answers, context)` returns a `Result` or raises `AnswerError`
naming every item that is missing, unknown or out of range.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

TRIAGE_CATEGORIES = ("A", "B", "C", "D", "E")


class DefinitionError(ValueError):
    """An instrument file does not follow the schema; the message says where."""


class AnswerError(ValueError):
    """Answers refused. `problems` maps "item N" (or a context name such as "sex") to a reason code:
    "missing", "unknown" (no such item), "out_of_range" (see `allowed[key]`) or "needed" (context)."""

    def __init__(self, problems: dict[str, str], allowed: dict[str, list[int]] | None = None):
        self.problems = problems
        self.allowed = allowed or {}
        super().__init__("; ".join(f"{key}: {code}" for key, code in problems.items()))


@dataclass(frozen=True)
class Option:
    value: int
    label: dict[str, str]


@dataclass(frozen=True)
class Item:
    number: int
    text: dict[str, str]
    options: tuple[Option, ...]
    in_total: bool = True

    @property
    def values(self) -> frozenset[int]:
        return frozenset(o.value for o in self.options)


@dataclass(frozen=True)
class Band:
    code: str
    low: int
    high: int
    label: dict[str, str]


@dataclass(frozen=True)
class Subscale:
    code: str
    items: tuple[int, ...]
    positive_at_least: int | None
    label: dict[str, str]


@dataclass(frozen=True)
class FlagRule:
    code: str
    item: int
    at_least: int
    escalate_to: str | None  # a triage category the signal is raised to (at least)
    clinician: bool
    label: dict[str, str]


@dataclass(frozen=True)
class PatternRule:
    """A flag raised when enough items are endorsed in each subscale (e.g. PCL-5's DSM-5 pattern)."""

    code: str
    endorsed: dict[str, int]
    label: dict[str, str]


@dataclass(frozen=True)
class Instrument:
    code: str
    name: str
    version: str
    licence: str
    languages: dict[str, bool]  # language → is the validated translation
    stem: dict[str, str]
    items: tuple[Item, ...]
    bands: tuple[Band, ...]
    positive: tuple[dict, ...] | None  # any of these conditions; None: the instrument defines no cut-off
    endorsed_at_least: int | None
    subscales: tuple[Subscale, ...]
    flags: tuple[FlagRule, ...]
    patterns: tuple[PatternRule, ...]
    context: tuple[str, ...]  # facts the rule needs besides answers, e.g. ("sex",)
    definition: dict = field(repr=False, compare=False, default_factory=dict)

    @property
    def min_total(self) -> int:
        return sum(min(i.values) for i in self.items if i.in_total)

    @property
    def max_total(self) -> int:
        return sum(max(i.values) for i in self.items if i.in_total)

    def item(self, number: int) -> Item:
        return self.items[number - 1]


@dataclass(frozen=True)
class SubscaleResult:
    score: int
    endorsed: int | None
    positive: bool | None


@dataclass(frozen=True)
class Flag:
    code: str
    item: int | None
    escalate_to: str | None
    clinician: bool


@dataclass(frozen=True)
class Result:
    total: int
    band: str | None
    positive: bool | None
    subscales: dict[str, SubscaleResult]
    flags: tuple[Flag, ...]

    @property
    def escalate_to(self) -> str | None:
        """Return the most urgent triage category a flag asks for, if any."""
        wanted = [f.escalate_to for f in self.flags if f.escalate_to]
        return min(wanted, key=TRIAGE_CATEGORIES.index) if wanted else None

    @property
    def needs_clinician(self) -> bool:
        return any(f.clinician for f in self.flags)

    def as_dict(self) -> dict:
        return {
            "total": self.total, "band": self.band, "positive": self.positive,
            "subscales": {code: {"score": s.score, "endorsed": s.endorsed, "positive": s.positive}
                          for code, s in self.subscales.items()},
            "flags": [{"code": f.code, "item": f.item, "escalate_to": f.escalate_to, "clinician": f.clinician}
                      for f in self.flags],
        }


# --- Reading a definition ---------------------------------------------------------------------------------


def _require(data: Mapping, key: str, kind, where: str):
    if key not in data:
        raise DefinitionError(f"{where}: '{key}' is missing")
    value = data[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise DefinitionError(f"{where}: '{key}' must be {getattr(kind, '__name__', kind)}")
    return value


def _texts(value, where: str) -> dict[str, str]:
    if isinstance(value, str):
        return {"en": value}
    if not isinstance(value, dict) or not value or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise DefinitionError(f"{where}: expected a text or an object of language → text")
    return dict(value)


def _options(raw, where: str) -> tuple[Option, ...]:
    if not isinstance(raw, list) or not raw:
        raise DefinitionError(f"{where}: 'options' must be a non-empty list")
    options = []
    for n, entry in enumerate(raw):
        if not isinstance(entry, dict):
            raise DefinitionError(f"{where}: option {n + 1} must be an object")
        value = _require(entry, "value", int, f"{where} option {n + 1}")
        options.append(Option(value, _texts(entry.get("label", str(value)), f"{where} option {n + 1}")))
    if len({o.value for o in options}) != len(options):
        raise DefinitionError(f"{where}: option values repeat")
    return tuple(options)


def parse(definition: Mapping[str, Any]) -> Instrument:
    """Check an instrument definition (docs/instruments.md) and return it as an Instrument."""
    if not isinstance(definition, Mapping):
        raise DefinitionError("the file must hold one JSON object")
    code = _require(definition, "code", str, "instrument")
    where = f"instrument {code}"
    if not code or len(code) > 20 or not code.replace("-", "").replace("_", "").isalnum():
        raise DefinitionError(f"{where}: 'code' must be 1–20 letters, digits, '-' or '_'")
    default_options = _options(definition["options"], where) if "options" in definition else None
    raw_items = _require(definition, "items", list, where)
    if not raw_items:
        raise DefinitionError(f"{where}: 'items' is empty")
    items = []
    for n, raw in enumerate(raw_items, start=1):
        if not isinstance(raw, dict):
            raise DefinitionError(f"{where}: item {n} must be an object")
        if raw.get("number", n) != n:
            raise DefinitionError(f"{where}: items must be numbered 1, 2, … in order (item {n})")
        options = _options(raw["options"], f"{where} item {n}") if "options" in raw else default_options
        if options is None:
            raise DefinitionError(f"{where}: item {n} has no options and the instrument none by default")
        items.append(Item(n, _texts(_require(raw, "text", (str, dict), f"{where} item {n}"), f"{where} item {n}"),
                          options, bool(raw.get("in_total", True))))
    numbers = set(range(1, len(items) + 1))
    scoring = definition.get("scoring", {})
    if not isinstance(scoring, dict):
        raise DefinitionError(f"{where}: 'scoring' must be an object")

    bands = []
    for b in scoring.get("bands", []):
        bands.append(Band(_require(b, "code", str, f"{where} band"), _require(b, "min", int, f"{where} band"),
                          _require(b, "max", int, f"{where} band"), _texts(b.get("label", b["code"]), where)))
    bands.sort(key=lambda b: b.low)
    if bands:
        low = sum(min(i.values) for i in items if i.in_total)
        high = sum(max(i.values) for i in items if i.in_total)
        edges = [(b.low, b.high) for b in bands]
        contiguous = all(a[1] + 1 == b[0] for a, b in itertools.pairwise(edges))
        if edges[0][0] != low or edges[-1][1] != high or not contiguous:
            raise DefinitionError(f"{where}: bands must cover {low}–{high} without gaps or overlaps")
    subscales = []
    for s in scoring.get("subscales", []):
        s_items = tuple(_require(s, "items", list, f"{where} subscale"))
        if not s_items or not set(s_items) <= numbers:
            raise DefinitionError(f"{where}: subscale {s.get('code')} names items that do not exist")
        subscales.append(Subscale(_require(s, "code", str, f"{where} subscale"), s_items,
                                  s.get("positive_at_least"), _texts(s.get("label", s["code"]), where)))
    subscale_codes = {s.code for s in subscales}
    flags = []
    for f in scoring.get("flags", []):
        item = _require(f, "item", int, f"{where} flag")
        if item not in numbers:
            raise DefinitionError(f"{where}: flag {f.get('code')} names item {item}, which does not exist")
        escalate = f.get("escalate_to")
        if escalate is not None and escalate not in TRIAGE_CATEGORIES:
            raise DefinitionError(f"{where}: flag escalate_to must be one of A–E")
        flags.append(FlagRule(_require(f, "code", str, f"{where} flag"), item, _require(f, "at_least", int, where),
                              escalate, bool(f.get("clinician", False)), _texts(f.get("label", f["code"]), where)))
    patterns = []
    for p in scoring.get("patterns", []):
        endorsed = _require(p, "endorsed", dict, f"{where} pattern")
        if not set(endorsed) <= subscale_codes:
            raise DefinitionError(f"{where}: pattern {p.get('code')} names unknown subscales")
        patterns.append(PatternRule(_require(p, "code", str, f"{where} pattern"), dict(endorsed),
                                    _texts(p.get("label", p["code"]), where)))
    positive = scoring.get("positive")
    if positive is not None:
        if not isinstance(positive, list) or not positive:
            raise DefinitionError(f"{where}: 'positive' must be a non-empty list of conditions or null")
        for condition in positive:
            _check_condition(condition, numbers, subscale_codes, where)
    endorsed_at_least = scoring.get("endorsed_at_least")
    if patterns and endorsed_at_least is None:
        raise DefinitionError(f"{where}: patterns need 'endorsed_at_least'")
    context = tuple(definition.get("context", []))
    if any(c.get("total_at_least_by") for c in positive or []):
        context = tuple(sorted(set(context) | {c["total_at_least_by"]["context"] for c in positive or []
                                               if c.get("total_at_least_by")}))
    languages = definition.get("languages", {"en": True})
    if not isinstance(languages, dict) or "en" not in languages:
        raise DefinitionError(f"{where}: 'languages' must list at least en")
    return Instrument(
        code=code, name=_require(definition, "name", str, where), version=str(definition.get("version", "1")),
        licence=str(definition.get("licence", "")), languages={k: bool(v) for k, v in languages.items()},
        stem=_texts(definition.get("stem", ""), where) if definition.get("stem") else {},
        items=tuple(items), bands=tuple(bands), positive=tuple(positive) if positive else None,
        endorsed_at_least=endorsed_at_least, subscales=tuple(subscales), flags=tuple(flags),
        patterns=tuple(patterns), context=context, definition=dict(definition),
    )


def _check_condition(condition, numbers: set[int], subscales: set[str], where: str) -> None:
    if not isinstance(condition, dict) or len(condition) != 1:
        raise DefinitionError(f"{where}: each positive condition is an object with one key")
    (kind, arg), = condition.items()
    if kind == "total_at_least" and isinstance(arg, int):
        return
    if kind == "total_at_least_by" and isinstance(arg, dict) and isinstance(arg.get("context"), str) \
            and isinstance(arg.get("values"), dict):
        return
    if kind == "any_subscale_positive" and arg is True:
        return
    if kind == "items_sum_at_least" and isinstance(arg, dict) and set(arg.get("items", [])) <= numbers \
            and isinstance(arg.get("value"), int):
        return
    if kind == "item_at_least" and isinstance(arg, dict) and arg.get("item") in numbers \
            and isinstance(arg.get("value"), int):
        return
    raise DefinitionError(f"{where}: unknown or malformed positive condition {kind!r}")


# --- Scoring ----------------------------------------------------------------------------------------------


def check_answers(instrument: Instrument, answers: Mapping[Any, Any]) -> dict[int, int]:
    """Return answers keyed by item number, or raise AnswerError naming every bad or missing item."""
    problems: dict[str, str] = {}
    allowed: dict[str, list[int]] = {}
    clean: dict[int, int] = {}
    for key, value in answers.items():
        try:
            number = int(key)
        except (TypeError, ValueError):
            problems[f"item {key}"] = "unknown"
            continue
        if not 1 <= number <= len(instrument.items):
            problems[f"item {key}"] = "unknown"
            continue
        item = instrument.item(number)
        if not isinstance(value, int) or isinstance(value, bool) or value not in item.values:
            problems[f"item {number}"] = "out_of_range"
            allowed[f"item {number}"] = sorted(item.values)
            continue
        clean[number] = value
    for item in instrument.items:
        if item.number not in clean and f"item {item.number}" not in problems:
            problems[f"item {item.number}"] = "missing"
    if problems:
        raise AnswerError(dict(sorted(problems.items(), key=lambda kv: _sort_key(kv[0]))), allowed)
    return clean


def _sort_key(key: str) -> tuple[int, str]:
    tail = key.rsplit(" ", 1)[-1]
    return (int(tail), key) if tail.isdigit() else (10**6, key)


def score(instrument: Instrument, answers: Mapping[Any, Any], context: Mapping[str, str] | None = None) -> Result:
    """Score a complete set of answers (item number → value); raise AnswerError if any is missing or wrong."""
    context = context or {}
    problems: dict[str, str] = {}
    allowed: dict[str, list[int]] = {}
    values: dict[int, int] = {}
    try:
        values = check_answers(instrument, answers)
    except AnswerError as error:
        problems.update(error.problems)
        allowed = error.allowed
    for name in instrument.context:
        if not context.get(name):
            problems[name] = "needed"
    if problems:
        raise AnswerError(problems, allowed)
    total = sum(v for n, v in values.items() if instrument.item(n).in_total)
    band = next((b.code for b in instrument.bands if b.low <= total <= b.high), None)
    endorsed_at = instrument.endorsed_at_least
    subscales = {}
    for s in instrument.subscales:
        s_score = sum(values[n] for n in s.items)
        endorsed = sum(1 for n in s.items if values[n] >= endorsed_at) if endorsed_at is not None else None
        s_positive = s_score >= s.positive_at_least if s.positive_at_least is not None else None
        subscales[s.code] = SubscaleResult(s_score, endorsed, s_positive)
    flags = [Flag(f.code, f.item, f.escalate_to, f.clinician) for f in instrument.flags if values[f.item] >= f.at_least]
    for p in instrument.patterns:
        if all((subscales[code].endorsed or 0) >= need for code, need in p.endorsed.items()):
            flags.append(Flag(p.code, None, None, False))
    positive = None
    if instrument.positive is not None:
        positive = any(_holds(c, total, values, subscales, context) for c in instrument.positive)
    return Result(total=total, band=band, positive=positive, subscales=subscales, flags=tuple(flags))


def _holds(condition: dict, total: int, values: dict[int, int], subscales: dict[str, SubscaleResult],
           context: Mapping[str, str]) -> bool:
    (kind, arg), = condition.items()
    if kind == "total_at_least":
        return total >= arg
    if kind == "total_at_least_by":
        threshold = arg["values"].get(context.get(arg["context"], ""))
        if threshold is None:  # a value the rule does not list (e.g. sex "X"): the lowest, most cautious cut-off
            threshold = min(arg["values"].values())
        return total >= threshold
    if kind == "any_subscale_positive":
        return any(s.positive for s in subscales.values())
    if kind == "items_sum_at_least":
        return sum(values[n] for n in arg["items"]) >= arg["value"]
    if kind == "item_at_least":
        return values[arg["item"]] >= arg["value"]
    raise DefinitionError(f"unknown condition {kind!r}")  # parse() refuses these: unreachable
