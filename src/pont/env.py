"""Settings from environment variables: a value that does not parse is refused with its name, never guessed.

`DEBUG=maybe` must not quietly mean False, nor `AXES_FAILURE_LIMIT=five` end in a bare ValueError: each
helper raises ImproperlyConfigured naming the variable, the value and what it accepts. An unset or empty
variable means the default.
"""

from __future__ import annotations

import ipaddress
import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = frozenset({"true", "yes", "on", "1"})
_FALSE = frozenset({"false", "no", "off", "0"})


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None or not value.strip() else value.strip()


def env_str(name: str, default: str = "") -> str:
    """Return the variable as text (default when unset or empty)."""
    raw = _raw(name)
    return default if raw is None else raw


def env_bool(name: str, default: bool) -> bool:
    """Return True for true/yes/on/1, False for false/no/off/0 (any case); refuse anything else."""
    raw = _raw(name)
    if raw is None:
        return default
    if raw.lower() in _TRUE:
        return True
    if raw.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean: write True or False.")


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """Return the variable as a whole number within [minimum, maximum]; refuse anything else."""
    raw = _raw(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} is too small: at least {minimum}.")
    if maximum is not None and value > maximum:
        raise ImproperlyConfigured(f"{name}={value} is too large: at most {maximum}.")
    return value


def env_float(name: str, default: float, *, minimum: float | None = None) -> float:
    """Return the variable as a number (at least `minimum`); refuse anything else."""
    raw = _raw(name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number.") from None
    if value != value or (minimum is not None and value < minimum):  # NaN, or below the floor
        raise ImproperlyConfigured(f"{name}={raw!r} must be a number of at least {minimum}.")
    return value


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    """Return a comma-separated variable as a list of its non-empty items."""
    raw = _raw(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """Return the one of `choices` the variable names (whatever its case); refuse anything else."""
    raw = _raw(name)
    if raw is None:
        return default
    found = next((choice for choice in choices if choice.upper() == raw.strip().upper()), None)
    if found is None:
        raise ImproperlyConfigured(f"{name}={raw!r} is not one of {', '.join(choices)}.")
    return found


def env_networks(name: str) -> list[str]:
    """Return a comma-separated list of IP addresses or networks (10.0.0.0/8, ::1), each checked."""
    networks = []
    for item in env_list(name):
        try:
            networks.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise ImproperlyConfigured(f"{name}: {item!r} is not an IP address or network "
                                       "(e.g. 10.0.0.5 or 10.0.0.0/8).") from None
    return networks


def env_header(name: str) -> str:
    """Return an HTTP header name (X-Forwarded-For) as its request.META key (HTTP_X_FORWARDED_FOR), or ""."""
    raw = _raw(name)
    if raw is None:
        return ""
    if not raw.replace("-", "").replace("_", "").isalnum():
        raise ImproperlyConfigured(f"{name}={raw!r} is not an HTTP header name (e.g. X-Forwarded-For).")
    return "HTTP_" + raw.upper().replace("-", "_")
