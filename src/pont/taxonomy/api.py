"""The taxonomy API: type-ahead over ESCO skills and occupations in the caller's language."""

from __future__ import annotations

from typing import Annotated

from django.http import Http404
from django.utils import translation
from ninja import Field, Query, Router, Schema
from pydantic import BeforeValidator

from pont.core.schemas import NO_NUL, NOT_BLANK, Body, Id, errors, integral
from pont.taxonomy import selectors, suggest
from pont.taxonomy.models import Occupation

router = Router(tags=["taxonomy"])


class SearchQuery(Schema):
    q: str = Field(..., min_length=1, max_length=100, pattern=NO_NUL,
                   description="Part of a label (preferred or alternative)")
    limit: int = Field(10, ge=1, le=50)
    lang: str = Field("", max_length=3, pattern="^[a-z]{0,3}$",
                      description="Label language (default: the caller's language)")


class SkillOut(Schema):
    id: int
    label: str
    matched: str = Field(..., description="The label that matched the query (may be an alternative label)")
    uri: str
    type: str


class OccupationOut(Schema):
    id: int
    label: str
    matched: str
    uri: str
    code: str


class RelatedSkill(Schema):
    id: int
    label: str
    uri: str


class OccupationDetail(Schema):
    id: int
    label: str
    uri: str
    code: str
    essential_skills: list[RelatedSkill]
    optional_skills: list[RelatedSkill]


class SuggestIn(Body):
    text: str = Field(..., min_length=1, max_length=2000, pattern=NOT_BLANK,
                      description="What the person did, in any language (fr, nl, en, ar…)")
    limit: Annotated[int, Field(ge=1, le=30), BeforeValidator(integral)] = 8


class SuggestedOut(Schema):
    id: int
    label: str = Field(..., description="The concept's preferred label in the caller's language")
    matched: str = Field(..., description="The label (any language) closest to the text")
    uri: str
    score: float = Field(..., ge=-1, le=1)


class SuggestionsOut(Schema):
    method: str = Field(..., description="encoder (multilingual sentence encoder) or lexical (the fallback)")
    skills: list[SuggestedOut]
    occupations: list[SuggestedOut]


def _lang(query: SearchQuery) -> str:
    return query.lang or (translation.get_language() or "en").split("-")[0]


@router.get("/skills", response={200: list[SkillOut], **errors(found=False)},
            summary="ESCO skills whose label contains q (type-ahead)")
def skill_search(request, query: Query[SearchQuery]):
    return selectors.skill_search(query.q, language=_lang(query), limit=query.limit)


@router.get("/occupations", response={200: list[OccupationOut], **errors(found=False)},
            summary="ESCO occupations whose label contains q")
def occupation_search(request, query: Query[SearchQuery]):
    return selectors.occupation_search(query.q, language=_lang(query), limit=query.limit)


@router.get("/occupations/{occupation_id}", response={200: OccupationDetail, **errors()},
            summary="One occupation with its essential and optional skills (what pre-fills a vacancy)")
def occupation_detail(request, occupation_id: Id):
    occupation = Occupation.objects.filter(pk=occupation_id).first()
    if occupation is None:
        raise Http404
    relations = list(selectors.occupation_skills(occupation))

    def skills(kind):
        return [RelatedSkill(id=r.skill.pk, label=r.skill.label(), uri=r.skill.uri) for r in relations
                if r.relation == kind]

    return OccupationDetail(id=occupation.pk, label=occupation.label(), uri=occupation.uri, code=occupation.code,
                            essential_skills=skills("essential"), optional_skills=skills("optional"))


@router.post("/skills/suggest", response={200: SuggestionsOut, **errors(found=False, body=True)},
             summary="Suggest ESCO skills and occupations for a free-text description, ranked (to confirm)")
def skill_suggest(request, payload: SuggestIn):
    return suggest.labelled(payload.text, payload.limit)
