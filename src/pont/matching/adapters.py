"""Build the engine's arrays from the database, and turn its explanations into labelled, JSON-ready dicts.

Columns: a skill's column is its primary key, an occupation's likewise; languages are the ones the
vacancies at hand require; countries follow `right_to_work.WORK_COUNTRIES`. Right to work per person
and country comes from `pont.people.right_to_work.assess`, the same rules the person's page shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np
import scipy.sparse as sp
from django.conf import settings
from django.db.models import Avg, Prefetch
from django.utils import timezone, translation

from pont.core.i18n import language_name
from pont.core.models import Municipality
from pont.matching import engine
from pont.matching.choices import CONTRACT_BIT, VacancyStatus
from pont.matching.models import PastOccupation, SkillProfile, Vacancy, VacancyLanguage, VacancySkill
from pont.people import right_to_work
from pont.people.models import LegalStatus, Person, PersonLanguage
from pont.people.selectors import status_facts
from pont.taxonomy.models import Skill

COUNTRIES = right_to_work.WORK_COUNTRIES  # ("BE", "FR")
_OUTCOME = {right_to_work.MAY_WORK: engine.MAY_WORK, right_to_work.NEEDS_PERMIT: engine.NEEDS_PERMIT,
            right_to_work.MAY_NOT_WORK: engine.MAY_NOT_WORK}


def weights() -> engine.Weights:
    """Return the weights configured in settings.PONT["MATCHING_WEIGHTS"] (defaults otherwise)."""
    configured = cast(dict[str, float], settings.PONT.get("MATCHING_WEIGHTS", {}))
    return engine.Weights(**configured)


def person_queryset(qs):
    """Return `qs` with everything the adapter reads about people prefetched (five queries in all)."""
    return qs.select_related("municipality", "region", "skill_profile").prefetch_related(
        Prefetch("legal_statuses", queryset=LegalStatus.objects.all()),
        Prefetch("languages", queryset=PersonLanguage.objects.all()),
        "skill_profile__skills", "skill_profile__desired_occupations",
        Prefetch("skill_profile__past_occupations", queryset=PastOccupation.objects.all()),
    )


def vacancy_queryset(qs):
    """Return `qs` with everything the adapter reads about vacancies prefetched."""
    return qs.select_related("site__municipality__region", "occupation", "employer").prefetch_related(
        Prefetch("skill_links", queryset=VacancySkill.objects.all()),
        Prefetch("languages", queryset=VacancyLanguage.objects.all()),
    )


def open_vacancies():
    return vacancy_queryset(Vacancy.objects.filter(status=VacancyStatus.OPEN))


@dataclass
class Snapshot:
    """The engine's matcher with the rows it was built from."""

    matcher: engine.Matcher
    persons: list[Person]
    vacancies: list[Vacancy]
    languages: list[str]  # language column → ISO 639-3 code


def _profile(person: Person) -> SkillProfile | None:
    try:
        return person.skill_profile
    except SkillProfile.DoesNotExist:
        return None


def _region_centres() -> dict[int, tuple[float, float]]:
    rows = Municipality.objects.values("region_id").annotate(lat=Avg("latitude"), lon=Avg("longitude"))
    return {r["region_id"]: (float(r["lat"]), float(r["lon"])) for r in rows}


def build(persons: Sequence[Person], vacancies: Sequence[Vacancy], today: dt.date | None = None) -> Snapshot:
    """Return a matcher over `persons` × `vacancies` (both fetched with the querysets above)."""
    today = today or timezone.localdate()
    persons, vacancies = list(persons), list(vacancies)
    languages = sorted({lang.code for v in vacancies for lang in v.languages.all()})
    lang_col = {code: i for i, code in enumerate(languages)}
    places: dict[tuple[float, float], int] = {}
    centres: dict[int, tuple[float, float]] | None = None

    def place(municipality, region_id) -> int:
        nonlocal centres
        if municipality is not None:
            key = (float(municipality.latitude), float(municipality.longitude))
        else:
            centres = centres if centres is not None else _region_centres()
            key = centres.get(region_id, (50.6, 3.3))
        return places.setdefault(key, len(places))

    max_skill, max_occupation = 1, 1
    p_rows, p_cols, p_exp, p_des = [], [], [], []
    radius, location, langs, rtw, country, cross, wishes = [], [], [], [], [], [], []
    for i, person in enumerate(persons):
        profile = _profile(person)
        if profile is not None:
            for skill in profile.skills.all():
                p_rows.append(i)
                p_cols.append(skill.pk)
            for past in profile.past_occupations.all():
                p_exp.append((i, past.occupation_id, float(past.years)))
            for occupation in profile.desired_occupations.all():
                p_des.append((i, occupation.pk))
        radius.append(profile.travel_radius_km if profile else 30)
        cross.append(profile.cross_border if profile else False)
        wishes.append(sum(1 << CONTRACT_BIT[c] for c in (profile.contract_wishes if profile else [])
                          if c in CONTRACT_BIT))
        location.append(place(person.municipality, person.region_id))
        row = [0] * len(languages)
        for lang in person.languages.all():
            if lang.code in lang_col:
                row[lang_col[lang.code]] = engine.cefr_rank(lang.level)
        langs.append(row)
        facts = status_facts(person)
        rtw.append([_OUTCOME[right_to_work.assess(facts, c, today).outcome] for c in COUNTRIES])
        country.append(COUNTRIES.index(person.region.country))
    v_ess: list[tuple[int, int]] = []
    v_opt: list[tuple[int, int]] = []
    v_occ, v_loc, v_country, v_langs, v_training, v_contract = [], [], [], [], [], []
    for j, vacancy in enumerate(vacancies):
        for link in vacancy.skill_links.all():
            (v_ess if link.relation == "essential" else v_opt).append((j, link.skill_id))
        v_occ.append(vacancy.occupation_id)
        municipality = vacancy.site.municipality
        v_loc.append(place(municipality, municipality.region_id))
        v_country.append(COUNTRIES.index(municipality.region.country))
        row = [0] * len(languages)
        for required in vacancy.languages.all():
            row[lang_col[required.code]] = engine.cefr_rank(required.level)
        v_langs.append(row)
        v_training.append(vacancy.shop_floor_training)
        v_contract.append(CONTRACT_BIT.get(vacancy.contract_type, 0))
    max_skill = max([max_skill, *p_cols, *(s for _, s in v_ess), *(s for _, s in v_opt)]) + 1
    max_occupation = max([max_occupation, *v_occ, *(o for _, o, _ in p_exp), *(o for _, o in p_des)]) + 1
    n, m = len(persons), len(vacancies)

    def matrix(entries, shape, values=None):
        rows = [e[0] for e in entries]
        cols = [e[1] for e in entries]
        data = values if values is not None else [1.0] * len(entries)
        return sp.csr_matrix((np.asarray(data, dtype=np.float64), (rows, cols)), shape=shape)

    people = engine.People(
        ids=np.array([p.pk for p in persons], dtype=np.int64),
        skills=matrix(list(zip(p_rows, p_cols, strict=True)), (n, max_skill)),
        experience=matrix(p_exp, (n, max_occupation), [e[2] for e in p_exp]),
        desired=matrix(p_des, (n, max_occupation)),
        location=np.array(location, dtype=np.int64),
        radius_km=np.array(radius, dtype=np.float64),
        languages=np.array(langs, dtype=np.int8).reshape(n, len(languages)),
        right_to_work=np.array(rtw, dtype=np.int8).reshape(n, len(COUNTRIES)),
        country=np.array(country, dtype=np.int64),
        cross_border=np.array(cross, dtype=bool),
        contract_wishes=np.array(wishes, dtype=np.int64),
    )
    jobs = engine.Vacancies(
        ids=np.array([v.pk for v in vacancies], dtype=np.int64),
        essential=matrix(v_ess, (m, max_skill)),
        optional=matrix(v_opt, (m, max_skill)),
        occupation=np.array(v_occ, dtype=np.int64),
        location=np.array(v_loc, dtype=np.int64),
        country=np.array(v_country, dtype=np.int64),
        languages=np.array(v_langs, dtype=np.int8).reshape(m, len(languages)),
        training=np.array(v_training, dtype=bool),
        contract=np.array(v_contract, dtype=np.int64),
    )
    coords = sorted(places, key=lambda place: places[place]) or [(50.6, 3.3)]
    locations = engine.Locations(lat=np.array([c[0] for c in coords]), lon=np.array([c[1] for c in coords]))
    return Snapshot(engine.Matcher(people, jobs, locations, weights()), persons, vacancies, languages)


def describe(explanation: engine.Explanation, languages: list[str], language: str | None = None) -> dict:
    """Return the explanation as JSON-ready data with skill labels and language names in `language`."""
    language = (language or translation.get_language() or "en").split("-")[0]
    ids = {*explanation.essential_met, *explanation.essential_missing, *explanation.optional_met,
           *explanation.optional_missing}
    skills = Skill.objects.in_bulk(list(ids))

    def labelled(columns):
        return [{"id": s, "label": skills[s].label(language) if s in skills else str(s)} for s in columns]

    return {
        "essential_met": labelled(explanation.essential_met),
        "essential_missing": labelled(explanation.essential_missing),
        "trainable": explanation.trainable,
        "optional_met": labelled(explanation.optional_met),
        "optional_missing": labelled(explanation.optional_missing),
        "language_gaps": [
            {"language": languages[col], "name": language_name(languages[col], language),
             "required": engine.CEFR_NAMES[required], "level": engine.CEFR_NAMES[has]}
            for col, required, has in explanation.language_gaps
        ],
        "distance_km": explanation.distance_km,
        "radius_km": explanation.radius_km,
        "within_radius": explanation.within_radius,
        "right_to_work": explanation.right_to_work,
        "cross_border": explanation.cross_border,
        "experience_years": explanation.experience_years,
        "desired_occupation": explanation.desired_occupation,
        "contract_wished": explanation.contract_wished,
        "parts": explanation.parts,
    }


def rank_vacancies_for(person: Person, vacancies=None, limit: int = 20) -> tuple[Snapshot, list[engine.Match]]:
    """Return the open vacancies best for `person` (fetched with person_queryset), best first."""
    snapshot = build([person], vacancies if vacancies is not None else open_vacancies())
    return snapshot, snapshot.matcher.rank_vacancies(0, limit) if snapshot.vacancies else []


def rank_people_for(vacancy: Vacancy, persons, limit: int = 20) -> tuple[Snapshot, list[engine.Match]]:
    """Return the people of `persons` (fetched with person_queryset) best for `vacancy`, best first."""
    snapshot = build(persons, [vacancy])
    return snapshot, snapshot.matcher.rank_people(0, limit) if snapshot.persons else []


def score_pair(person: Person, vacancy: Vacancy) -> tuple[Snapshot, engine.Match]:
    snapshot = build([person], [vacancy])
    return snapshot, snapshot.matcher.score_pair(0, 0)
