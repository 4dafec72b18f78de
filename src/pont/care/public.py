"""The public signal page's words, help lines and flood protection.

The page speaks French, Dutch, English (from the .po catalogues) and Arabic. Arabic is offered on this page
only, not to staff, so its text lives in care/data/public_ar.json rather than in the catalogues.

Flood protection fits a shelter's shared connection, where many people send from one address:
- each device (a random, signed cookie the page gives out) may send PUBLIC_SIGNALS_PER_HOUR signals an hour
  (a caller without the cookie — the API, a browser that refuses cookies — counts as one device per address);
- each address, over all its devices, at most PUBLIC_SIGNALS_PER_ADDRESS_PER_HOUR (higher);
- the form carries a signed time stamp (no captcha, no JavaScript): a submission made sooner than a person
  could fill the form, or with a missing, forged or expired stamp, is refused and the form shown again.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import time
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.core.cache import cache as django_cache
from django.utils.translation import gettext_lazy as _

from pont.care.choices import AgeGroup, Concern, Relation, TargetGroup
from pont.core.client_ip import client_ip

PUBLIC_LANGUAGES = (("fr", "Français"), ("nl", "Nederlands"), ("en", "English"), ("ar", "العربية"))
DATA_DIR = Path(__file__).with_name("data")

# DOMAIN.md's help lines (checked against public sources, 2026): number, name, country ("" = both).
HELP_LINES = (
    ("112", _("Emergency services (all of Europe): immediate danger"), ""),
    ("15", _("SAMU, medical emergencies (France)"), "FR"),
    ("3114", _("National suicide prevention line (France), free, 24/7"), "FR"),
    ("1813", _("Zelfmoordlijn, suicide line in Dutch (Belgium), free, 24/7"), "BE"),
    ("0800 32 123", _("Centre de Prévention du Suicide, in French (Belgium), free, 24/7"), "BE"),
    ("02 648 40 14", _("Centre de Prévention du Suicide, line in English (Belgium)"), "BE"),
)

TEXTS = {
    "page_title": _("Ask for psychosocial help"),
    "intro": _("If you, or someone you support, is suffering (stress, sleep, anxiety, pain, grief, addiction…), "
               "tell the mobile team here. It is free and confidential. You will receive a reference."),
    "privacy": _("Only the psychosocial mobile team reads what you write. It is never shown to employment "
                 "services or employers."),
    "emergency_title": _("Is someone in danger now? Call at once:"),
    "emergency_text": _("If a life is in danger, call the emergency services now, then send this form: the "
                        "team will be told too."),
    "danger_legend": _("Is someone in danger now?"),
    "danger_yes": _("Yes, someone is in danger now"),
    "danger_no": _("No"),
    "relation_legend": _("Who is concerned?"),
    "target_group_label": _("The person's situation"),
    "municipality_label": _("Municipality where the person lives"),
    "languages_label": _("Languages the person speaks"),
    "languages_help": _("Tick every language the person speaks."),
    "concerns_legend": _("What is going on?"),
    "first_name_label": _("First name of the person (optional)"),
    "age_group_label": _("Age"),
    "description_label": _("Tell us more (optional)"),
    "signaller_name_label": _("Your name (optional)"),
    "signaller_contact_label": _("How can the team reach you? Phone or e-mail"),
    "contact_help": _("The team calls back on this number or writes to this address. Without it, they cannot "
                      "contact you."),
    "website_label": _("Leave this field empty"),
    "submit": _("Send"),
    "errors_title": _("Please correct the fields marked below."),
    "thanks_title": _("Thank you. Your signal has been received."),
    "reference_label": _("Your reference"),
    "keep_reference": _("Keep this reference and quote it if you call the team."),
    "contact_yes": _("A member of the mobile team will contact you as soon as possible, by phone or e-mail as you "
                     "asked."),
    "contact_no": _("You gave no contact, so the team cannot call you back. Call the team and quote your "
                    "reference if you want an answer."),
    "rate_limited": _("Too many signals were sent from this connection. Try again later. In danger now? Call 112."),
    "form_too_fast": _("This form was sent very soon after it was opened. Check your answers and press Send "
                       "again."),
    "form_stale": _("This form was open for too long or could not be checked. Check your answers and press "
                    "Send again."),
    "language_nav": _("Language of this page"),
    "send_another": _("Send another signal"),
    "help_lines_title": _("Help lines"),
    # The page's frame (base.html's blocks), in the page's language too.
    "skip_link": _("Skip to content"),
    "menu_label": _("Main menu"),
    "show_menu_label": _("Show the menu"),
    "footer": _("Pont — employment and psychosocial support for refugees across the France–Wallonia–Flanders "
                "border."),
    "more_legend": _("More about the person (optional)"),
}

CHOICES = {"relation": Relation, "target_group": TargetGroup, "concerns": Concern, "age_group": AgeGroup}


@cache
def _arabic() -> dict:
    return json.loads((DATA_DIR / "public_ar.json").read_text(encoding="utf-8"))


def texts(language: str) -> dict[str, str]:
    """Return the page's words in `language` (Arabic from the data file, the others from the catalogues)."""
    if language == "ar":
        return dict(_arabic()["texts"])
    return {key: str(value) for key, value in TEXTS.items()}


def choices(field: str, language: str) -> list[tuple[str, str]]:
    """Return the (value, label) options of one of the page's choice fields in `language`."""
    if language == "ar":
        labels = _arabic()["choices"][field]
        return [(value, labels[value]) for value in CHOICES[field].values]
    return [(value, str(label)) for value, label in CHOICES[field].choices]


def help_lines(language: str) -> list[tuple[str, str]]:
    if language == "ar":
        names = _arabic()["help_lines"]
        return [(number, names[number]) for number, _name, _country in HELP_LINES]
    return [(number, str(name)) for number, name, _country in HELP_LINES]


def contact_message(data) -> str:
    return str(TEXTS["contact_yes"] if (data.signaller_contact or "").strip() else TEXTS["contact_no"])


# --- Flood protection -------------------------------------------------------------------------------------

DEVICE_COOKIE = "pont_device"
_DEVICE_SALT = "pont.care.public.device"
_DEVICE_ID = re.compile(r"^[0-9a-f]{32}$")
_FORM_SALT = "pont.care.public.form"


def device_id(request) -> str | None:
    """Return the device id of the caller's cookie, or None (no cookie, or one we did not sign)."""
    value = request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=_DEVICE_SALT)
    return value if value and _DEVICE_ID.match(value) else None


def remember_device(request, response) -> None:
    """Give a browser without a device cookie a random one for a day (it names no one; it only counts)."""
    if device_id(request) is None:
        response.set_signed_cookie(DEVICE_COOKIE, secrets.token_hex(16), salt=_DEVICE_SALT, max_age=24 * 3600,
                                   httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)


def _count(kind: str, value: str) -> int:
    """Count one more signal for `kind`:`value` this hour and return the count (the value is kept hashed)."""
    key = f"care:public-signal:{kind}:" + hashlib.sha256(value.encode()).hexdigest()[:32]
    django_cache.add(key, 0, timeout=3600)
    try:
        return django_cache.incr(key)
    except ValueError:  # expired between add and incr
        django_cache.set(key, 1, timeout=3600)
        return 1


def public_signal_allowed(request) -> bool:
    """Count one public signal for the caller's device and address; return False past either hourly limit.

    Counts in Django's cache (the database cache by default, so every web worker shares it). A device past its
    own limit is refused without counting against its address, so that one device cannot use up a shelter's
    whole allowance.
    """
    address = client_ip(request) or "unknown"
    device = device_id(request)
    per_device = settings.PONT_CARE.get("PUBLIC_SIGNALS_PER_HOUR", 5)
    device_count = _count("device", device) if device else _count("address-without-cookie", address)
    if device_count > per_device:
        return False
    return _count("address", address) <= settings.PONT_CARE.get("PUBLIC_SIGNALS_PER_ADDRESS_PER_HOUR", 30)


def form_token(issued_at: float | None = None) -> str:
    """Return the signed time stamp the public form carries (issued now, or at `issued_at`, Unix time)."""
    return signing.dumps(int(time.time() if issued_at is None else issued_at), salt=_FORM_SALT)


def form_token_problem(token: str) -> str | None:
    """Return the key of the text to show for a missing, forged, too recent or expired token; None if fine."""
    try:
        issued_at = signing.loads(token or "", salt=_FORM_SALT)
    except signing.BadSignature:
        return "form_stale"
    if not isinstance(issued_at, int):
        return "form_stale"
    age = time.time() - issued_at
    if age < settings.PONT_CARE.get("PUBLIC_FORM_MIN_SECONDS", 3):
        return "form_too_fast"
    if age > settings.PONT_CARE.get("PUBLIC_FORM_MAX_AGE_SECONDS", 6 * 3600):
        return "form_stale"
    return None
