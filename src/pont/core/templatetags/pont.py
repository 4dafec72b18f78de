"""Template filters: names of ISO languages and countries in the user's language."""

from django import template

from pont.core.i18n import country_name, language_name

register = template.Library()


@register.filter(name="language")
def language_filter(code: str) -> str:
    return language_name(code) if code else ""


@register.filter(name="country")
def country_filter(code: str) -> str:
    return country_name(code) if code else ""


@register.filter(name="role")
def role_filter(code: str) -> str:
    """Return a role's label in the active language ("interpreter" → "Interprète")."""
    from pont.core.roles import Role

    try:
        return str(Role(code).label)
    except ValueError:
        return code
