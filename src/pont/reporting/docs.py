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
            "Generated from the registry (`src/pont/reporting/indicators.py`, `employment_indicators.py`,",
            "`care_indicators.py`) by `manage.py indicators_doc`: edit the registry, not this file. The dashboard,",
            "the API (`/api/v1/indicators`), the exports, the infographic and `/api/v1/indicators/employment` and",
            "`/care` read the same definitions. Every figure is an SQL aggregate; medians and percentiles are",
            "read by an ordered offset query (linear between the two nearest ranks, as `percentile_cont`).",
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
                f"- Small cells: {'hidden below the threshold' if i.suppress else 'shown (organisations, not people)'}",
                "",
            ]
        lines += FUNDER
    return "\n".join(lines)


FUNDER = [
    "## The funder's common indicators (ESF+) and the project's output",
    "",
    "- Participants by sex: `people_supported` by `sex` (the person's record).",
    "- Participants by age — under 18, 18–29, 55 and over: `people_supported` by `age_band` (age at the end of "
    "the period; 30–54 is shown too, so that the bands add up).",
    "- Third-country nationals: `third_country_nationals` (a recorded nationality outside the 27 EU member "
    "states).",
    "- Labour-market status at entry: `people_supported` by `labour_status` (unemployed, long-term unemployed, "
    "inactive, employed, in education or training, as the adviser records it at registration; \"not recorded\" "
    "otherwise), and a column of the extract.",
    "- In employment six months after leaving: `employed_after_leaving` (file closed; a placement begun and not "
    "ended 182 days later).",
    "- The project's output \"refugees supported towards a stable job\" (target 230): `stable_jobs`, by the "
    "configured stable-job rule, counted from the target's start date on the indicators page and the "
    "infographic.",
    "",
    "## The evaluation extract",
    "",
    "One row per person with a file open in the period, for the funder's evaluator (`/reporting/extracts/`, "
    "`POST /api/v1/extracts`). Columns: pseudonym (HMAC-SHA256 of the person's id under the coordinator's key, "
    "16 hex digits), sex, age band, country, region, municipality (empty where fewer than 5 people of the "
    "extract live), legal status, labour-market status at entry, unaccompanied minor, third-country "
    "national, month of registration, enrolments, completions, days to the first job and to the first stable "
    "job, employed at the six-month follow-up; for readers of care indicators also signals, visits done and "
    "screenings (counts only). No names, contacts, free text or dates of birth. The key is kept encrypted "
    "while the task runs, then erased; its fingerprint stays to tell extracts made with the same key.",
    "",
]
