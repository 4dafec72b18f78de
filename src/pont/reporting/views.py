"""The coordinators' indicators page: every indicator they may read for a period, each by a breakdown, with the
definitions; cells below 5 shown as "< 5". (Charts, infographic and exports: issue 13, to come.)"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pont.audit.services import audit
from pont.core import access
from pont.core.forms import StyledForm
from pont.core.views import second_factor_view
from pont.reporting import exports, selectors
from pont.reporting.registry import Period

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PeriodForm(StyledForm, forms.Form):
    since = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    until = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def clean(self):
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("The end must come after the start."))
        return data


def _period(request) -> Period:
    today = timezone.localdate()
    half = dt.date(today.year, 1 if today.month <= 6 else 7, 1)  # the current semester, the funder's rhythm
    form = PeriodForm(request.GET or None)
    if request.GET and form.is_valid():
        return Period(form.cleaned_data["since"], form.cleaned_data["until"])
    return Period(half, today)


@second_factor_view(access.needs_second_factor)
def export(request, code: str, extension: str):
    """One indicator table as CSV or XLSX (with its definitions), for the period and breakdown asked; audited."""
    if extension not in ("csv", "xlsx"):
        raise Http404
    by = request.GET.get("by", "")
    t = selectors.table(user=request.user, code=code, period=_period(request), by=by)
    if extension == "csv":
        response = HttpResponse(exports.as_csv(t), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(exports.as_xlsx(t), content_type=XLSX)
    name = f"pont-{code}-{t.period.since:%Y%m%d}-{t.period.until:%Y%m%d}{'-' + by if by else ''}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    audit(actor=request.user, verb="reporting.export.downloaded", obj=request.user,
          detail={"indicator": code, "format": extension, "by": by})
    return response


@second_factor_view(access.needs_second_factor)
def dashboard(request):
    indicators = selectors.indicators_for(request.user)
    if not indicators:
        raise Http404
    today = timezone.localdate()
    half = dt.date(today.year, 1 if today.month <= 6 else 7, 1)  # the current semester, the funder's rhythm
    form = PeriodForm(request.GET or None, initial={"since": half, "until": today})
    since, until = half, today
    if request.GET and form.is_valid():
        since, until = form.cleaned_data["since"], form.cleaned_data["until"]
    period = Period(since, until)
    tables = []
    for indicator in indicators:
        by = request.GET.get(f"by_{indicator.code}") or (indicator.breakdowns[0].code if indicator.breakdowns else "")
        if by not in {b.code for b in indicator.breakdowns}:
            by = ""
        tables.append(selectors.table(user=request.user, code=indicator.code, period=period, by=by))
    return render(request, "reporting/dashboard.html", {"form": form, "tables": tables, "period": period},
                  status=422 if form.errors else 200)
