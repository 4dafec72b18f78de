"""Random but plausible instances of the border region, for the benchmark and the property tests."""

from __future__ import annotations

import random

from .model import AMBASSADOR, INTERPRETER, SOCIAL_WORKER, THERAPIST, Busy, Instance, Member, Signal

# DOMAIN.md demo coordinates; the country decides the members' local languages.
TOWNS = {
    "Douai": (50.371, 3.080, "FR"), "Lille": (50.629, 3.057, "FR"), "Valenciennes": (50.357, 3.523, "FR"),
    "Mons": (50.454, 3.957, "BE"), "Tournai": (50.606, 3.388, "BE"), "Mouscron": (50.744, 3.214, "BE"),
    "Kortrijk": (50.828, 3.265, "BE"), "Ieper": (50.851, 2.886, "BE"), "Roeselare": (50.947, 3.123, "BE"),
    "Brugge": (51.209, 3.225, "BE"),
}
# 15 languages the people speak (ISO 639-3), with how often; the last ones are rare.
PERSON_LANGUAGES = {
    "ara": 20, "ukr": 12, "prs": 9, "rus": 7, "fra": 7, "tir": 6, "pus": 6, "kur": 5, "som": 4, "fas": 4,
    "eng": 4, "nld": 3, "ful": 3, "amh": 2, "lin": 2,
}
TARGET_MINUTES = {"A": 120, "B": 240, "C": 24 * 60, "D": 72 * 60, "E": 14 * 24 * 60}
CATEGORY_SHARE = {"A": 3, "B": 12, "C": 25, "D": 30, "E": 30}
DAY = 24 * 60


def _jitter(rng: random.Random, town: str, spread: float = 0.06) -> tuple[float, float, str]:
    lat, lon, country = TOWNS[town]
    return round(lat + rng.uniform(-spread, spread), 4), round(lon + rng.uniform(-spread, spread), 4), country


def _pick(rng: random.Random, weights: dict) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def instance(n_signals: int, n_members: int, seed: int = 0, days: int = 3, busy_share: float = 0.3) -> Instance:
    """Return an instance: the plan starts at 08:00 on day 0 and covers ``days`` working days (08:00–17:00)."""
    rng = random.Random(seed)
    horizon = days * DAY - 8 * 60
    windows = tuple((d * DAY, d * DAY + 9 * 60) for d in range(days))
    towns = list(TOWNS)
    signals = []
    for i in range(n_signals):
        cat = _pick(rng, CATEGORY_SHARE)
        target = TARGET_MINUTES[cat]
        arrival = -rng.randint(0, int(target * 0.6))
        lat, lon, country = _jitter(rng, rng.choice(towns))
        langs = {_pick(rng, PERSON_LANGUAGES)}
        if rng.random() < 0.35:
            langs.add(rng.choice(["fra", "eng", "rus", "ara", "nld"]))
        clinical = cat in "AB" or rng.random() < {"C": 0.5, "D": 0.2, "E": 0.1}[cat]
        signals.append(Signal(
            id=i + 1, category=cat, arrival=arrival, deadline=arrival + target, lat=lat, lon=lon,
            languages=frozenset(langs), needs=THERAPIST if clinical else SOCIAL_WORKER,
            duration=90 if clinical else 60, country=country,
        ))
    roles = [SOCIAL_WORKER] * 35 + [THERAPIST] * 25 + [INTERPRETER] * 20 + [AMBASSADOR] * 20
    bases = ["Lille", "Douai", "Valenciennes", "Mons", "Tournai", "Kortrijk", "Roeselare", "Ieper"]
    common = ["ara", "ukr", "rus", "prs", "tir", "pus", "fas", "kur"]
    rare = ["som", "ful", "amh", "lin", "tir", "pus", "kur", "prs"]
    members = []
    for j in range(n_members):
        role = roles[(j * 37) % len(roles)] if j >= 4 else [SOCIAL_WORKER, THERAPIST, INTERPRETER, AMBASSADOR][j]
        lat, lon, country = _jitter(rng, bases[j % len(bases)], 0.03)
        langs = {"fra"} if country == "FR" else {rng.choice(["fra", "nld"]), "nld" if rng.random() < 0.6 else "fra"}
        if rng.random() < 0.5:
            langs.add("eng")
        if role in (SOCIAL_WORKER, THERAPIST) and rng.random() < 0.25:
            langs.add(rng.choice(["ara", "rus", "ukr"]))
        if role == INTERPRETER:
            langs |= set(rng.sample(common, 2))
        if role == AMBASSADOR:
            langs |= set(rng.sample(rare, 2))
        busy = []
        if rng.random() < busy_share:
            d = rng.randrange(days)
            st = d * DAY + rng.choice([60, 120, 240, 300])
            blat, blon, _ = _jitter(rng, bases[j % len(bases)], 0.05)
            busy.append(Busy(st, st + 60, blat, blon))
        members.append(Member(id=f"m{j + 1}", role=role, languages=frozenset(langs), lat=lat, lon=lon,
                              windows=windows, country=country, busy=tuple(busy)))
    return Instance(tuple(signals), tuple(members), horizon)
