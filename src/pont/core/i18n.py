"""Names of languages (ISO 639-3) and countries (ISO 3166) in the user's language.

Babel (CLDR) knows most names; pycountry's own translations (iso639-3, iso3166-1) fill the gaps,
and the English ISO name is the last resort.
"""

from __future__ import annotations

import gettext
from functools import cache

import pycountry
from babel import Locale
from django.utils import translation

# ISO 639-3 codes that CLDR names under a locale variant rather than a code of its own.
_CLDR_ALIASES = {"prs": "fa_AF", "fuf": "ff_GN"}

# Names that neither CLDR nor pycountry have in these languages (checked with Babel 2.19 and pycountry 24).
_SUPPLEMENT = {
    ("kmr", "nl"): "Noord-Koerdisch", ("kmr", "ar"): "الكرمانجية", ("fuf", "ar"): "البولارية",
    ("mnk", "ar"): "الماندينكا", ("man", "ar"): "الماندينغية",
}

# Languages offered first in pickers: the region's working languages and the frequent languages of arrival.
COMMON_LANGUAGES = (
    "fra", "nld", "eng", "deu", "ara", "tir", "prs", "pus", "fas", "kur", "ckb", "kmr", "som", "ukr", "rus",
    "fuf", "ful", "amh", "orm", "sqi", "hye", "kat", "aze", "tur", "urd", "ben", "tam", "lin", "swa", "spa",
    "por", "wol", "bam", "sus", "man", "mnk", "tgk", "uzb", "ron", "bul", "srp", "kin", "run", "nep",
)


def _ui_language() -> str:
    return (translation.get_language() or "en").split("-")[0]


@cache
def _pycountry_gettext(domain: str, language: str):
    try:
        return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language]).gettext
    except OSError:
        return lambda text: text


def is_language_code(code: str) -> bool:
    """Return whether `code` is an ISO 639-3 code (individual or macro-language)."""
    return bool(code) and len(code) == 3 and pycountry.languages.get(alpha_3=code.lower()) is not None


@cache
def country_codes() -> tuple[str, ...]:
    """ISO 3166-1 alpha-2 codes, upper case (what `is_country_code` accepts, for API schemas' enums)."""
    return tuple(sorted(c.alpha_2 for c in pycountry.countries))


@cache
def language_codes() -> tuple[str, ...]:
    """ISO 639-3 codes, lower case (what `is_language_code` accepts, for API schemas' enums)."""
    return tuple(sorted(record.alpha_3 for record in pycountry.languages))


def is_country_code(code: str) -> bool:
    return bool(code) and len(code) == 2 and pycountry.countries.get(alpha_2=code.upper()) is not None


@cache
def _language_name(code: str, language: str) -> str:
    record = pycountry.languages.get(alpha_3=code)
    if record is None:
        return code
    if (code, language) in _SUPPLEMENT:
        return _SUPPLEMENT[code, language]
    locale = Locale.parse(language)
    for key in (_CLDR_ALIASES.get(code), getattr(record, "alpha_2", None), code):
        if key and locale.languages.get(key):
            return locale.languages[key]
    return _pycountry_gettext("iso639-3", language)(record.name)


def language_name(code: str, language: str | None = None) -> str:
    """Return the name of ISO 639-3 language `code` in `language` (default: the active UI language)."""
    name = _language_name(code.lower(), language or _ui_language())
    return name[:1].upper() + name[1:]


@cache
def _country_name(code: str, language: str) -> str:
    locale = Locale.parse(language)
    if locale.territories.get(code):
        return locale.territories[code]
    record = pycountry.countries.get(alpha_2=code)
    return _pycountry_gettext("iso3166-1", language)(record.name) if record else code


def country_name(code: str, language: str | None = None) -> str:
    return _country_name(code.upper(), language or _ui_language()) if code else ""


def language_choices(codes=COMMON_LANGUAGES) -> list[tuple[str, str]]:
    """Return (code, name) pairs sorted by name in the UI language."""
    return sorted(((c, language_name(c)) for c in codes), key=lambda pair: pair[1].casefold())


def country_choices() -> list[tuple[str, str]]:
    return sorted(((c.alpha_2, country_name(c.alpha_2)) for c in pycountry.countries),
                  key=lambda pair: pair[1].casefold())


def duration_text(minutes: float | int | None) -> str:
    """Return a duration for people, in the active language: "35 min", "3 h 20", "11 d 22 h" (fr "11 j 22 h",
    nl "3 u 20"); a negative duration is written as its size (the caller says "late" or "left")."""
    from django.utils.translation import gettext as _

    if minutes is None:
        return "—"
    total = abs(round(minutes))
    days, rest = divmod(total, 1440)
    hours, mins = divmod(rest, 60)
    if days:
        return _("%(days)d d %(hours)d h") % {"days": days, "hours": hours} if hours else \
            _("%(days)d d") % {"days": days}
    if hours:
        return _("%(hours)d h %(minutes)02d") % {"hours": hours, "minutes": mins} if mins else \
            _("%(hours)d h") % {"hours": hours}
    return _("%(minutes)d min") % {"minutes": mins}
