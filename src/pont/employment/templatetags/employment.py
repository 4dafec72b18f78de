"""Home-page panels of the employment pathway (the core home view stays unaware of this app)."""

from django import template
from django.utils import timezone

from pont.employment import selectors

register = template.Library()


@register.inclusion_tag("employment/_home_adviser.html", takes_context=True)
def employment_adviser_panel(context):
    """Follow-ups due and coaching sessions planned this week for the adviser's people (two queries)."""
    user = context["request"].user
    return {"followups": selectors.followups_due_view(user=user, limit=20),
            "sessions": selectors.coaching_due_view(user=user, limit=20), "today": timezone.localdate()}


@register.inclusion_tag("employment/_home_coordinator.html", takes_context=True)
def employment_coordinator_panel(context):
    """People in a stable job against the target, by region and programme: counts only."""
    user = context["request"].user
    if not selectors.can_read_indicators(user):
        return {"indicators": None}
    from pont.reporting.selectors import counted

    indicators, counted_at = counted(["home:employment_indicators", user.pk],
                                     lambda: selectors.employment_indicators(user=user))
    return {"indicators": indicators, "counted_at": counted_at}
