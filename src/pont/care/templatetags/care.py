"""Template tags of the care app: its section of the home page."""

import datetime as dt

from django import template
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from pont.care import cooperation, instruments, selectors
from pont.core import access
from pont.core.i18n import duration_text
from pont.core.roles import Role

register = template.Library()


@register.inclusion_tag("care/_home.html", takes_context=True)
def care_home(context):
    """Render the care section of the home page for care roles (links, queue counts) and indicators for
    dispatchers and coordinators (counts and times, never names)."""
    user = context["request"].user
    result = {"show": False, "request": context["request"]}
    if not user.is_authenticated:
        return result
    care = selectors.has_care_role(user)
    result.update(show=care or access.holds(user, Role.COORDINATOR), care=care,
                  dispatcher=access.holds(user, Role.DISPATCHER),
                  case_worker=access.holds(user, Role.SOCIAL_WORKER, Role.THERAPIST))
    if care:
        verified = user.is_verified() if hasattr(user, "is_verified") else False
        result["verified"] = verified
        result["enrolled"] = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        if verified:
            # Only today's visits are read (and audited as shown), not the whole agenda.
            midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
            result["visits_today"] = selectors.agenda(user=user, since=midnight,
                                                      until=midnight + dt.timedelta(days=1))
        if verified and result["dispatcher"]:
            rows = selectors.signal_queue(user=user)
            result["open"] = len(rows)
            result["waiting"] = sum(1 for r in rows if r.state in ("due_soon", "overdue"))
            result["alerts"] = selectors.alerts_for(user=user).count()
    result["agreements"] = cooperation.may_read(user)
    if selectors.indicator_org_ids(user) is not None:
        from pont.reporting.selectors import counted

        result["indicators"], result["counted_at"] = counted(["home:care_indicators", user.pk],
                                                             lambda: selectors.care_indicators(user=user))
    return result


@register.filter
def minutes(value) -> str:
    """Return a duration in minutes for people: "35 min", "3 h 20", "11 d 22 h", in the active language."""
    return duration_text(None if value is None else float(value))


@register.filter
def percent(value) -> str:
    return "—" if value is None else f"{100 * float(value):.0f} %"


@register.filter
def band(screening) -> str:
    """A screening's severity band in the active language."""
    return instruments.band_label(screening.instrument, screening.band)


@register.filter
def flag(instrument_code: str, flag_code: str) -> str:
    """A screening flag in the active language: {{ s.instrument|flag:f.code }}."""
    return instruments.flag_label(instrument_code, flag_code)
