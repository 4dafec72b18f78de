from django import template

from pont.reporting import present

register = template.Library()


@register.filter
def indicator_value(value, unit: str) -> str:
    """An indicator's value in the active language: {{ cell.value|indicator_value:indicator.unit }}."""
    return present.value_text(unit, value)
