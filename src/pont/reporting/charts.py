"""Charts of the indicator tables, drawn server-side with matplotlib and written as inline SVG that a strict
Content-Security-Policy accepts.

matplotlib's SVG carries its styling in `style` attributes and a `<style>` element, which the policy
(style-src without 'unsafe-inline') blocks; `clean_svg` turns every declaration into the SVG presentation
attribute of the same name, drops the element and the metadata, and prefixes the ids so that several charts
share a page. Texts stay text (svg.fonttype "none"): they are the catalogues' words, in the user's language.
The palette is Okabe & Ito's, safe for colour-blind readers.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import matplotlib

matplotlib.use("Agg")

from django.utils.safestring import SafeString, mark_safe
from matplotlib.figure import Figure

from pont.reporting import present

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

# Okabe & Ito (2008): distinguishable with every common colour-vision deficiency; the blue and vermilion reach
# 3:1 against white, as WCAG asks of graphics.
BLUE, ORANGE, GREEN, VERMILION, PURPLE, SKY, YELLOW = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7",
                                                        "#56B4E9", "#F0E442")
INK, MUTED, GRID = "#1f2328", "#59636e", "#d0d7de"
FONT = ["DejaVu Sans", "sans-serif"]


def figure(width: float, height: float) -> Figure:
    """A figure without pyplot (no global state: safe in a multi-threaded server)."""
    fig = Figure(figsize=(width, height))
    fig.patch.set_alpha(0)
    return fig


def _declarations(style: str) -> list[tuple[str, str]]:
    out = []
    for part in style.split(";"):
        if ":" in part:
            key, value = part.split(":", 1)
            out.append((key.strip(), value.strip()))
    return out


def clean_svg(svg: str, prefix: str, title: str) -> str:
    """Return matplotlib's SVG as an inline <svg> without style attributes or elements, with unique ids and an
    accessible title."""
    root = ET.fromstring(svg)  # noqa: S314  (matplotlib's own output, never user input)
    for parent in root.iter():
        for child in list(parent):
            if child.tag in (f"{{{SVG_NS}}}style", f"{{{SVG_NS}}}metadata"):
                parent.remove(child)
    referenced = set(re.findall(r"url\(#([^)]+)\)|href=\"#([^\"]+)\"", svg))
    refs = {a or b for a, b in referenced}
    href = f"{{{XLINK_NS}}}href"
    for el in root.iter():
        style = el.attrib.pop("style", None)
        if style:
            for key, value in _declarations(style):
                el.set(key, value)
        ident = el.attrib.pop("id", None)
        if ident in refs:
            el.set("id", f"{prefix}-{ident}")
        for attr in ("clip-path", "mask", "fill"):
            link = el.get(attr) or ""
            if link.startswith("url(#"):
                el.set(attr, f"url(#{prefix}-{link[5:]}")
        target = el.get(href) or ""
        if target.startswith("#"):
            el.set(href, f"#{prefix}-{target[1:]}")
    root.attrib.pop("width", None)
    root.attrib.pop("height", None)
    root.set("stroke-linejoin", "round")
    root.set("stroke-linecap", "butt")
    root.set("role", "img")
    root.set("class", "chart")
    root.set("aria-labelledby", f"{prefix}-title")
    heading = ET.Element(f"{{{SVG_NS}}}title", {"id": f"{prefix}-title"})
    heading.text = title
    root.insert(0, heading)
    return ET.tostring(root, encoding="unicode")


def svg_of(fig: Figure, prefix: str, title: str) -> SafeString:
    """The figure as inline SVG; safe to write into a page: ElementTree escapes every text it holds."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    return mark_safe(clean_svg(buffer.getvalue(), prefix, title))  # noqa: S308


def axis_style(ax) -> None:
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    ax.spines["left"].set_color(GRID)
    ax.tick_params(axis="y", length=0, labelsize=10, labelcolor=INK)
    ax.set_xticks([])


def bars(table, prefix: str) -> SafeString:
    """A horizontal bar per group of a table, its value written at the end (hidden cells: "< 5", no bar).
    The drawing is a pure function of what it shows: kept in the cache as long as the tables are."""
    import hashlib
    import json

    from django.conf import settings
    from django.core.cache import cache
    from django.utils import translation

    seconds = settings.PONT.get("REPORTING_CACHE_SECONDS", 0)
    key = "reporting-chart:" + hashlib.sha256(json.dumps(
        [prefix, str(table.indicator.name), table.breakdown_name, table.indicator.unit, translation.get_language(),
         [(c.label, c.value, c.hidden) for c in table.rows]], default=str).encode()).hexdigest()
    svg = cache.get(key) if seconds else None
    if svg is None:
        svg = _draw_bars(table, prefix)
        if seconds:
            cache.set(key, str(svg), seconds)
    return mark_safe(svg)  # noqa: S308  (our own drawing: ElementTree escaped every text)


def _draw_bars(table, prefix: str) -> SafeString:
    import matplotlib as mpl

    rows = list(reversed(table.rows))  # matplotlib draws from the bottom
    with mpl.rc_context({"svg.fonttype": "none", "svg.hashsalt": prefix, "font.family": FONT}):
        labels = [_short(c.label) for c in rows]
        width = 6.4
        left = min(0.5, (0.25 + 0.075 * max([len(t) for t in labels] + [4])) / width)  # room for the labels
        fig = figure(width, 0.42 * len(rows) + 0.5)
        ax = fig.add_axes((left, 0.04, 0.9 - left, 0.92))
        values = [0 if c.hidden or c.value is None else float(c.value) for c in rows]
        high, low = max([*values, 0]), min([*values, 0])
        scale = max(high - low, 1e-9)
        ax.barh(range(len(rows)), values, height=0.62, color=[BLUE if v >= 0 else VERMILION for v in values])
        ax.set_yticks(range(len(rows)), labels)
        ax.set_xlim(low - (scale * 0.3 if low < 0 else 0), high + scale * 0.25)
        ax.set_ylim(-0.6, len(rows) - 0.4)
        if low < 0:
            ax.axvline(0, color=GRID, linewidth=0.8)
        for y, (cell, value) in enumerate(zip(rows, values, strict=True)):
            text = "< 5" if cell.hidden else present.value_text(table.indicator.unit, cell.value)
            ax.text(value + scale * 0.02 * (1 if value >= 0 else -1), y, text, va="center",
                    ha="left" if value >= 0 else "right", fontsize=10, color=MUTED if cell.hidden else INK)
        axis_style(ax)
        return svg_of(fig, prefix, f"{table.indicator.name} — {table.breakdown_name}")


def _short(label: str, width: int = 40) -> str:
    return label if len(label) <= width else label[: width - 1].rstrip() + "…"
