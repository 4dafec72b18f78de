"""The infographic: a period's headline figures laid out as one A4 page, in a chosen language, drawn with
matplotlib and written as inline SVG (the page), PDF (vector, fonts embedded) or PNG.

The figures are the registry's (reporting.selectors.table: the reader's scope, suppressed); the words are
the catalogues', rendered under the chosen language.
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from dataclasses import dataclass

import matplotlib as mpl
from django.http import Http404, HttpResponse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from matplotlib.patches import FancyBboxPatch, Rectangle

from pont.audit.services import audit
from pont.reporting import charts, periods, present, selectors
from pont.reporting.registry import Period

NAVY = "#1d3f6e"
TILE = "#eef3f9"
ACCENTS = (charts.BLUE, charts.GREEN, charts.VERMILION, charts.BLUE, charts.PURPLE, charts.GREEN)
LANGUAGES = ("fr", "nl", "en")


@dataclass(frozen=True)
class Headline:
    code: str
    label: str
    value: str
    note: str = ""
    progress: float | None = None  # 0..1: drawn as a bar (the stable-job target)


@dataclass(frozen=True)
class Content:
    language: str
    title: str
    subtitle: str
    period: str
    headlines: list[Headline]
    chart_title: str
    chart: selectors.Table | None
    footer: str


def _value(t: selectors.Table) -> str:
    return "< 5" if t.total.hidden else present.value_text(t.indicator.unit, t.total.value)


def content(*, user, period: Period, filters: selectors.Filters, language: str) -> Content:
    """Gather the headline figures the user may read, worded in `language`."""
    from pont.employment.selectors import target_get

    readable = {i.code for i in selectors.indicators_for(user)}
    with translation.override(language):
        heads: list[Headline] = []
        chart = None

        def table(code: str, by: str = "", since: dt.date | None = None) -> selectors.Table:
            return selectors.table(user=user, code=code, by=by, filters=filters, audited=False,
                                   period=Period(since or period.since, period.until))

        if "people_supported" in readable:
            heads.append(Headline("people_supported", _("people supported towards work"),
                                  _value(table("people_supported"))))
        if "stable_jobs" in readable:
            target = target_get()
            so_far = table("stable_jobs", since=min(target.period_start, period.since))
            done = 0 if so_far.total.hidden or so_far.total.value is None else int(so_far.total.value)
            heads.append(Headline(
                "stable_jobs", _("refugees in a stable job in the period"), _value(table("stable_jobs")),
                note=_("%(done)s of the project's target of %(target)s since %(start)s") % {
                    "done": _value(so_far), "target": formats.number_format(target.target, use_l10n=True),
                    "start": formats.date_format(target.period_start, "YEAR_MONTH_FORMAT")},
                progress=min(done / target.target, 1.0) if target.target else None))
        if "signals" in readable:
            heads.append(Headline("signals", _("calls for psychosocial help answered"), _value(table("signals"))))
            chart = table("signals", by="category")
        if "first_contact_within_target" in readable:
            heads.append(Headline("first_contact_within_target", _("first contacts within the response target"),
                                  _value(table("first_contact_within_target"))))
        if "median_first_contact" in readable:
            heads.append(Headline("median_first_contact", _("median time from the call to a first contact"),
                                  _value(table("median_first_contact"))))
        if "visits_in_language" in readable:
            heads.append(Headline("visits_in_language", _("visits where someone spoke the person's language"),
                                  _value(table("visits_in_language"))))
        return Content(
            language=language,
            title=_("Pont: across the border, towards work and wellbeing"),
            subtitle=_("Refugees in the France–Wallonia–Flanders border region, helped into stable jobs and "
                       "given fast psychosocial support by Franco-Belgian teams."),
            period=periods.name(period),
            headlines=heads[:6],
            chart_title=_("Calls for help by urgency"),
            chart=chart,
            footer=_("Source: Pont, the partners' records, counted on %(today)s. Counts only: no person can be "
                     "recognised, and groups of fewer than 5 are shown as “< 5”. Definitions: "
                     "docs/indicators.md.") % {"today": formats.date_format(timezone.localdate(), "DATE_FORMAT")},
        )


def _tile(fig, x: float, y: float, w: float, h: float, head: Headline, colour: str) -> None:
    fig.add_artist(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0,rounding_size=0.012",
                                  transform=fig.transFigure, facecolor=TILE, edgecolor="none"))
    fig.add_artist(Rectangle((x, y + h - 0.006), w, 0.006, transform=fig.transFigure, facecolor=colour,
                             edgecolor="none"))
    fig.text(x + 0.03, y + h - 0.06, head.value, fontsize=32, fontweight="bold", color=NAVY, va="baseline")
    fig.text(x + 0.03, y + h - 0.074, "\n".join(textwrap.wrap(head.label, 40)), fontsize=11, color="#1f2328",
             va="top", linespacing=1.3)
    if head.progress is not None:
        fig.add_artist(Rectangle((x + 0.03, y + 0.033), w - 0.06, 0.008, transform=fig.transFigure,
                                 facecolor="#d0d7de", edgecolor="none"))
        fig.add_artist(Rectangle((x + 0.03, y + 0.033), (w - 0.06) * head.progress, 0.008,
                                 transform=fig.transFigure, facecolor=charts.GREEN, edgecolor="none"))
    if head.note:
        fig.text(x + 0.03, y + 0.027, "\n".join(textwrap.wrap(head.note, 52)), fontsize=8.5, color=charts.MUTED,
                 va="top", linespacing=1.25)


def draw(c: Content):
    """Lay the content out on an A4 page; return the matplotlib figure."""
    fig = charts.figure(8.27, 11.69)
    fig.patch.set_alpha(1)
    fig.patch.set_facecolor("white")
    fig.add_artist(Rectangle((0, 0.84), 1, 0.16, transform=fig.transFigure, facecolor=NAVY, edgecolor="none"))
    fig.text(0.07, 0.955, "\n".join(textwrap.wrap(c.title, 46)), fontsize=21, fontweight="bold", color="white",
             va="top", linespacing=1.15)
    fig.text(0.07, 0.862, c.period, fontsize=13, color="white", va="baseline")
    fig.text(0.07, 0.815, "\n".join(textwrap.wrap(c.subtitle, 88)), fontsize=11, color="#1f2328", va="top",
             linespacing=1.35)
    w, h, gap = 0.415, 0.15, 0.03
    for n, head in enumerate(c.headlines):
        row, col = divmod(n, 2)
        _tile(fig, 0.07 + col * (w + gap), 0.6 - row * (h + 0.018), w, h, head, ACCENTS[n % len(ACCENTS)])
    if c.chart is not None and c.chart.rows:
        fig.text(0.07, 0.22, c.chart_title, fontsize=13, fontweight="bold", color=NAVY, va="baseline")
        ax = fig.add_axes((0.34, 0.075, 0.56, 0.13))
        rows = list(reversed(c.chart.rows))
        values = [0 if r.hidden or r.value is None else float(r.value) for r in rows]
        scale = max([*values, 1e-9])
        ax.barh(range(len(rows)), values, height=0.6, color=charts.BLUE)
        ax.set_yticks(range(len(rows)), [r.label for r in rows])
        ax.set_xlim(0, scale * 1.2)
        for y, (r, v) in enumerate(zip(rows, values, strict=True)):
            ax.text(v + scale * 0.02, y, "< 5" if r.hidden else present.value_text("signals", r.value),
                    va="center", fontsize=10, color=charts.INK)
        charts.axis_style(ax)
    fig.text(0.07, 0.04, "\n".join(textwrap.wrap(c.footer, 110)), fontsize=8, color=charts.MUTED, va="top",
             linespacing=1.35)
    return fig


def render(c: Content, fmt: str) -> bytes | str:
    """The infographic as "svg" (inline, for the page), "pdf" (vector, fonts embedded) or "png" (150 dpi)."""
    with mpl.rc_context({"svg.fonttype": "none", "pdf.fonttype": 42, "svg.hashsalt": "infographic",
                         "font.family": charts.FONT}):
        fig = draw(c)
        if fmt == "svg":
            return charts.svg_of(fig, "infographic", f"{c.title} — {c.period}")
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, dpi=150, metadata={"Title": f"{c.title} — {c.period}", "Creator": "Pont"})
        return buffer.getvalue()


def response(*, user, period: Period, filters: selectors.Filters, language: str, extension: str) -> HttpResponse:
    """The infographic as a PDF or PNG download (page and API alike); audited."""
    if extension not in ("pdf", "png") or not selectors.indicators_for(user):
        raise Http404
    c = content(user=user, period=period, filters=filters, language=language)
    answer = HttpResponse(render(c, extension), content_type="application/pdf" if extension == "pdf" else "image/png")
    name = f"pont-infographic-{period.since:%Y%m%d}-{period.until:%Y%m%d}-{language}.{extension}"
    answer["Content-Disposition"] = f'attachment; filename="{name}"'
    audit(actor=user, verb="reporting.infographic.downloaded", obj=user,
          detail={"format": extension, "language": language, "from": period.since.isoformat(),
                  "to": period.until.isoformat()} | filters.detail())
    return answer
