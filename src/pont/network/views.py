"""Pages of the network app: the offer catalogue across the border."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from pont.core import access
from pont.core.forms import StyledForm, set_choices
from pont.core.i18n import language_choices
from pont.core.models import Region, User
from pont.core.roles import Country
from pont.network import selectors
from pont.network.choices import OfferKind


class AuthenticatedRequest(HttpRequest):
    user: User


class OfferSearchForm(StyledForm, forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    country = forms.ChoiceField(label=_("Country"), required=False,
                                choices=[("", _("Both sides of the border")), *Country.choices])
    region = forms.ChoiceField(label=_("Region"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Every kind")), *OfferKind.choices])
    language = forms.ChoiceField(label=_("Given in"), required=False)
    person = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    eligible_only = forms.BooleanField(label=_("Only what this person is eligible for"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        set_choices(self.fields["region"], [("", _("Every region")),
                                            *[(r.code, r.name) for r in Region.objects.order_by("country", "name")]])
        set_choices(self.fields["language"], [("", _("Any language")), *language_choices()])

    def filters(self) -> selectors.Filters:
        data = self.cleaned_data
        return selectors.Filters(q=data.get("q") or "", country=data.get("country") or "",
                                 region=data.get("region") or "", kind=data.get("kind") or "",
                                 language=data.get("language") or "", eligible_only=bool(data.get("eligible_only")))


@login_required
@require_GET
def offer_list(request: AuthenticatedRequest) -> HttpResponse:
    """Every partner's offers and programmes, searched across the border; for a person, eligibility and distance."""
    access.require(request.user, "network.read_catalogue")
    form = OfferSearchForm(request.GET or None)
    person, entries = None, list[selectors.Entry]()
    if not form.is_bound or form.is_valid():
        filters = form.filters() if form.is_bound else selectors.Filters()
        person_pk = form.cleaned_data.get("person") if form.is_bound else None
        person, entries = selectors.catalogue(user=request.user, filters=filters, person_pk=person_pk)
    return render(request, "network/offer_list.html", {"form": form, "person": person, "entries": entries},
                  status=422 if form.errors else 200)
