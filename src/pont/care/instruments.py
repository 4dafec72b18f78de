"""Where screening instruments come from: the files Pont ships, and those an organisation loaded."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from pont.care import scoring

SHIPPED_DIR = Path(__file__).with_name("instruments")
NEVER_SHIPPED = frozenset({"rhs-15"})  # © Pathways to Wellness: an organisation loads it under its own licence


@cache
def shipped() -> dict[str, scoring.Instrument]:
    """Return the instruments shipped with Pont by code (read once per process)."""
    result = {}
    for path in sorted(SHIPPED_DIR.glob("*.json")):
        instrument = scoring.parse(json.loads(path.read_text(encoding="utf-8")))
        result[instrument.code] = instrument
    return result


def available(organisation_ids: list[int] | None = None) -> dict[str, scoring.Instrument]:
    """Return the instruments usable by these organisations: shipped ones, replaced or completed by loaded ones.

    One query. A definition loaded for an organisation wins over a global one, which wins over the shipped file.
    """
    from django.db.models import Q

    from pont.care.models import Instrument

    result = dict(shipped())
    rows = Instrument.objects.filter(Q(organisation__isnull=True) | Q(organisation_id__in=organisation_ids or []))
    for row in sorted(rows, key=lambda r: r.organisation_id is not None):
        try:
            result[row.code] = scoring.parse(row.definition)
        except scoring.DefinitionError:
            continue  # load_instrument refuses bad files; a hand-edited row is skipped rather than crashing
    return result


def _pick(texts: dict[str, str], fallback: str) -> str:
    from django.utils import translation

    language = (translation.get_language() or "en")[:2]
    return texts.get(language) or texts.get("en") or fallback


def band_label(instrument_code: str, band_code: str | None) -> str:
    """Return a severity band in the active language ("moderately_severe" → "Modérément sévère"), from the
    instrument's definition; the code itself only for a definition that no longer has it."""
    if not band_code:
        return "—"
    instrument = shipped().get(instrument_code)
    band = next((b for b in instrument.bands if b.code == band_code), None) if instrument else None
    return _pick(band.label, band_code) if band else band_code.replace("_", " ")


def flag_label(instrument_code: str, flag_code: str) -> str:
    """Return a flag (an item rule or a pattern) in the active language ("self_harm" → "Idées de mort…")."""
    instrument = shipped().get(instrument_code)
    labels = {r.code: r.label for r in instrument.flags} | {r.code: r.label for r in instrument.patterns} \
        if instrument else {}
    return _pick(labels[flag_code], flag_code) if flag_code in labels else flag_code.replace("_", " ")
