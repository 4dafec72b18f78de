"""Reads of the taxonomy: type-ahead over labels in the user's language. ESCO is public, not personal data."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import translation

from pont.taxonomy.esco_import import search_form
from pont.taxonomy.models import FALLBACK_LANGUAGES, Occupation, OccupationLabel, Skill, SkillLabel

MAX_RESULTS = 50


def _language(language: str | None) -> str:
    return (language or translation.get_language() or "en").split("-")[0]


def _search(label_model, concept_field: str, q: str, language: str, limit: int) -> list[tuple[int, str]]:
    """Return (concept id, matching label) pairs: whole-label starts first, preferred labels first, shortest first."""
    term = search_form(q)[:100]
    if len(term) < 2:
        return []
    limit = max(1, min(limit, MAX_RESULTS))
    for code in dict.fromkeys((language, *FALLBACK_LANGUAGES)):
        rows = list(label_model.objects.filter(language=code, search__contains=term)
                    .values_list(f"{concept_field}_id", "text", "search", "preferred")[:2000])
        if rows:
            break
    rows.sort(key=lambda r: (not r[2].startswith(term), f" {term}" not in f" {r[2]}", not r[3], len(r[1]), r[1]))
    seen: dict[int, str] = {}
    for concept_id, text, _search_text, _preferred in rows:
        if concept_id not in seen:
            seen[concept_id] = text
            if len(seen) == limit:
                break
    return list(seen.items())


def skill_search(q: str, language: str | None = None, limit: int = 10, exclude: set[int] | None = None) -> list[dict]:
    """Return skills whose label (preferred or alternative, in `language`) contains `q`, best first.

    Each item: id, label (preferred, in the language), matched (the label that matched), uri, type.
    Two queries.
    """
    language = _language(language)
    found = [(pk, text) for pk, text in _search(SkillLabel, "skill", q, language, limit + len(exclude or ()))
             if pk not in (exclude or set())][:limit]
    skills = Skill.objects.in_bulk([pk for pk, _ in found])
    return [{"id": pk, "label": skills[pk].label(language), "matched": text, "uri": skills[pk].uri,
             "type": skills[pk].skill_type} for pk, text in found if pk in skills]


def occupation_search(q: str, language: str | None = None, limit: int = 10) -> list[dict]:
    """Return occupations whose label (preferred or alternative, in `language`) contains `q`, best first."""
    language = _language(language)
    found = _search(OccupationLabel, "occupation", q, language, limit)
    occupations = Occupation.objects.in_bulk([pk for pk, _ in found])
    return [{"id": pk, "label": occupations[pk].label(language), "matched": text, "uri": occupations[pk].uri,
             "code": occupations[pk].code} for pk, text in found if pk in occupations]


def occupation_skills(occupation: Occupation) -> QuerySet:
    """Return the occupation's ESCO relations with their skills (one query)."""
    return occupation.relations.select_related("skill").order_by("relation", "skill_id")
