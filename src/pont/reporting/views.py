"""The coordinators' reporting pages: the dashboard (every indicator they may read for a period, country,
region and organisation, each as a chart beside its table), the exports, the infographic and the extract.
Cells below 5 are shown as "< 5"."""

from __future__ import annotations

from typing import cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from pont.audit.services import audit
from pont.core import access
from pont.core.forms import StyledForm
from pont.core.models import Region
from pont.core.roles import Country
from pont.core.views import second_factor_view
from pont.reporting import charts, exports, selectors
from pont.reporting.periods import presets, semester_of
from pont.reporting.registry import Period


class ReportForm(StyledForm, forms.Form):
    """The period and the filters of every reporting page (the API takes the same names)."""

    since = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    until = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    country = forms.ChoiceField(label=_("Country"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    organisation = forms.TypedChoiceField(label=_("Organisation"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        everywhere = [("", _("All"))]
        choices: dict[str, list] = {
            "country": list(Country.choices),
            "region": [(r.code, r.name) for r in Region.objects.order_by("code")],
            "organisation": [(o.pk, o.name) for o in selectors.organisations_for(user)]}
        for name, options in choices.items():
            cast(forms.ChoiceField, self.fields[name]).choices = everywhere + options

    def clean(self):
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("The end must come after the start."))
        return data


def report_request(request) -> tuple[ReportForm, Period, selectors.Filters]:
    """Read the period and filters of a reporting page: what is not given is the current semester and no
    filter; what is refused shows its error and the default is used meanwhile."""
    default = semester_of(timezone.localdate())
    data = request.GET.copy()
    data.setdefault("since", default.since.isoformat())
    data.setdefault("until", default.until.isoformat())
    form = ReportForm(data, user=request.user)
    if form.is_valid():
        clean = form.cleaned_data
        return form, Period(clean["since"], clean["until"]), selectors.Filters(
            country=clean["country"], region=clean["region"], organisation=clean["organisation"])
    return form, default, selectors.Filters()


def _query(period: Period, filters: selectors.Filters, **extra) -> str:
    from urllib.parse import urlencode

    params = {"since": period.since.isoformat(), "until": period.until.isoformat(), "country": filters.country,
              "region": filters.region, "organisation": filters.organisation or ""} | extra
    return urlencode(params)


@second_factor_view(access.needs_second_factor)
def export(request, code: str, extension: str):
    """One indicator table as CSV or XLSX (with its definitions), for the period and breakdown asked."""
    _form, period, filters = report_request(request)
    return exports.response(user=request.user, code=code, period=period, by=request.GET.get("by", ""),
                            filters=filters, extension=extension)


# The breakdown drawn on the dashboard for each track: where people live, how urgent the calls were.
FEATURED = {"people_supported": "country", "signals": "category"}
TRACK_NAMES = {"employment": _("Employment pathway"), "care": _("Psychosocial support")}


def _period_text(period: Period) -> str:
    return _g("%(since)s to %(until)s") % {"since": formats.date_format(period.since, "SHORT_DATE_FORMAT"),
                                           "until": formats.date_format(period.until, "SHORT_DATE_FORMAT")}


def _page(request, template: str, context: dict, form, period, filters):
    choices = [{"label": label, "query": _query(p, filters), "current": p == period}
               for label, p in presets(timezone.localdate())]
    return render(request, template, context | {
        "form": form, "period": period, "filters": filters, "presets": choices, "query": _query(period, filters),
        "period_text": _period_text(period)}, status=422 if form.errors else 200)


@second_factor_view(access.needs_second_factor)
def dashboard(request):
    """Every indicator the reader may read, as key figures by track, with one chart per track; one audit event."""
    from pont.employment.selectors import target_get

    indicators = selectors.indicators_for(request.user)
    if not indicators:
        raise Http404
    form, period, filters = report_request(request)
    tracks: dict[str, dict] = {}
    for indicator in indicators:
        by = FEATURED.get(indicator.code, "")
        t = selectors.table(user=request.user, code=indicator.code, period=period, by=by, filters=filters,
                            audited=False)
        track = tracks.setdefault(indicator.track, {"name": TRACK_NAMES[indicator.track], "cards": [],
                                                    "featured": []})
        track["cards"].append({"table": t, "query": _query(period, filters)})
        if by:
            track["featured"].append({"table": t, "chart": charts.bars(t, f"chart-{indicator.code}"),
                                      "query": _query(period, filters, by=by)})
    progress = None
    if "employment" in tracks:
        target = target_get()
        since = min(target.period_start, period.since)
        so_far = selectors.table(user=request.user, code="stable_jobs", filters=filters, audited=False,
                                 period=Period(since, period.until))
        done = 0 if so_far.total.hidden else int(so_far.total.value or 0)
        progress = {"done": so_far, "target": target.target, "since": since,
                    "percent": min(100, round(100 * done / target.target)) if target.target else 0}
    audit(actor=request.user, verb="reporting.dashboard.viewed", obj=request.user,
          detail={"from": period.since.isoformat(), "to": period.until.isoformat(),
                  "indicators": [i.code for i in indicators]} | filters.detail())
    counted = [c["table"].counted_at for t in tracks.values() for c in t["cards"] if c["table"].counted_at]
    return _page(request, "reporting/dashboard.html", {
        "tracks": list(tracks.values()), "progress": progress, "counted_at": min(counted) if counted else None,
        "cache_minutes": round(settings.PONT.get("REPORTING_CACHE_SECONDS", 0) / 60)}, form, period, filters)


@second_factor_view(access.needs_second_factor)
def indicator_page(request, code: str):
    """One indicator: its definition, a breakdown as a chart beside its table, and its downloads."""
    from pont.reporting import registry

    indicator = registry.get(code)
    if indicator is None or not selectors.readable(request.user, indicator):
        raise Http404
    form, period, filters = report_request(request)
    codes = [b.code for b in indicator.breakdowns]
    by = request.GET.get("by") if request.GET.get("by") in codes else (codes[0] if codes else "")
    t = selectors.table(user=request.user, code=code, period=period, by=by, filters=filters)
    return _page(request, "reporting/indicator.html", {
        "table": t, "indicator": indicator, "chart": charts.bars(t, f"chart-{code}") if t.rows else "",
        "download_query": _query(period, filters, by=by)}, form, period, filters)


class LanguageForm(forms.Form):
    lang = forms.ChoiceField(label=_("Language of the infographic"), required=False,
                             choices=[("fr", "Français"), ("nl", "Nederlands"), ("en", "English")])


def _language(request) -> str:
    """The infographic's language: the one asked (?lang=), else the reader's."""
    from pont.reporting import infographic

    chosen = LanguageForm(request.GET)
    if chosen.is_valid() and chosen.cleaned_data["lang"]:
        return chosen.cleaned_data["lang"]
    return request.LANGUAGE_CODE if request.LANGUAGE_CODE in infographic.LANGUAGES else "fr"


@second_factor_view(access.needs_second_factor)
def infographic_page(request):
    """The period's headline figures as one page in a chosen language, to download as PDF or PNG."""
    from pont.reporting import infographic

    if not selectors.indicators_for(request.user):
        raise Http404
    form, period, filters = report_request(request)
    content = infographic.content(user=request.user, period=period, filters=filters, language=_language(request))
    audit(actor=request.user, verb="reporting.infographic.viewed", obj=request.user,
          detail={"language": content.language, "from": period.since.isoformat(),
                  "to": period.until.isoformat()} | filters.detail())
    return _page(request, "reporting/infographic.html", {
        "content": content, "svg": infographic.render(content, "svg"), "lang_form": LanguageForm(),
        "download_query": _query(period, filters, lang=content.language)}, form, period, filters)


@second_factor_view(access.needs_second_factor)
def infographic_download(request, extension: str):
    """The infographic as PDF (vector) or PNG, in the language asked."""
    from pont.reporting import infographic

    _form, period, filters = report_request(request)
    return infographic.response(user=request.user, period=period, filters=filters, language=_language(request),
                                extension=extension)


class ExtractForm(ReportForm):
    key = forms.CharField(
        label=_("Export key"), min_length=16, max_length=200, strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("At least 16 characters, chosen by you and kept by you: the pseudonyms are computed from it. "
                    "The same key gives the same pseudonyms next time. Pont erases it once the extract is ready."))


def _extract_page(request, form, status=200):
    return render(request, "reporting/extracts.html", {
        "form": form, "extracts": list(selectors.extracts_for(request.user)[:20]),
        "care": selectors.reads_care(request.user)}, status=status)


@second_factor_view(access.needs_second_factor)
def extracts(request):
    """The evaluation extracts: ask for one (a background task prepares it), follow it, download it."""
    from pont.core.forms import apply_errors
    from pont.reporting import services

    if not selectors.may_extract(request.user):
        raise Http404
    default = semester_of(timezone.localdate())
    if request.method != "POST":
        return _extract_page(request, ExtractForm(user=request.user, initial={"since": default.since,
                                                                               "until": default.until}))
    form = ExtractForm(request.POST, user=request.user)
    if not form.is_valid():
        return _extract_page(request, form, status=422)
    data = form.cleaned_data
    try:
        services.extract_request(user=request.user, period=Period(data["since"], data["until"]), key=data["key"],
                                 filters=selectors.Filters(country=data["country"], region=data["region"],
                                                           organisation=data["organisation"]))
    except ValidationError as error:
        apply_errors(form, error)
        return _extract_page(request, form, status=422)
    messages.success(request, _("The extract is being prepared. This page follows it."))
    return redirect("reporting:extracts")


@second_factor_view(access.needs_second_factor)
def extract_row(request, pk: int):
    """One extract's row (htmx polls it while the task runs)."""
    extract = selectors.extract_get(user=request.user, pk=pk)
    return render(request, "reporting/_extract_row.html", {"e": extract})


@second_factor_view(access.needs_second_factor)
def extract_download(request, pk: int):
    from pont.reporting import extract as engine

    return engine.response(user=request.user, pk=pk)


@second_factor_view(access.needs_second_factor)
def extract_delete(request, pk: int):
    from pont.reporting import services

    if request.method != "POST":
        raise Http404
    services.extract_delete(user=request.user, extract=selectors.extract_get(user=request.user, pk=pk))
    messages.success(request, _("The extract is deleted."))
    return redirect("reporting:extracts")
