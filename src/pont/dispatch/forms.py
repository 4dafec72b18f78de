from django import forms
from django.utils.translation import gettext_lazy as _

from pont.core.forms import StyledForm


class PlanForm(StyledForm, forms.Form):
    hours = forms.IntegerField(label=_("Plan the next … hours"), min_value=1, max_value=14 * 24, initial=24)
