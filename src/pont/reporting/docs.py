"""docs/indicators.md, written from the registry (`manage.py indicators_doc`; a test fails when it is stale)."""

from __future__ import annotations

from pathlib import Path

from django.utils import translation

from pont.reporting import registry, suppression

READERS = {"employment": "employment and portfolio coordinators",
           "care": "care dispatchers and coordinators, the portfolio"}
PATH = Path(__file__).resolve().parents[3] / "docs" / "indicators.md"


def render() -> str:
    with translation.override("en"):
        lines = [
            "# Indicators",
            "",
            "Generated from `src/pont/reporting/indicators.py` by `manage.py indicators_doc`: edit the registry,",
            "not this file. The dashboard, the API (`/api/v1/indicators`), the exports and the infographic read",
            "the same definitions.",
            "",
            f"Every breakdown hides the cells below {suppression.THRESHOLD} (shown as \"< {suppression.THRESHOLD}\"), "
            "and more cells, smallest first, until at least two are hidden and their sum reaches the threshold, so "
            "that no hidden cell can be worked out from the total (one-way tables). A total below the threshold is "
            "hidden too. Shares and medians are hidden when the people or signals behind them are.",
            "",
        ]
        for i in registry.all_indicators():
            lines += [
                f"## {i.name} (`{i.code}`)",
                "",
                str(i.definition),
                "",
                f"- Unit: {i.unit}",
                f"- Numerator: {i.numerator}",
                f"- Denominator: {i.denominator or '—'}",
                f"- Period: {i.period_rule}",
                f"- Breakdowns: {', '.join(f'{b.name} (`{b.code}`)' for b in i.breakdowns) or '—'}",
                f"- Read by: {READERS[i.track]}",
                "",
            ]
    return "\n".join(lines)
