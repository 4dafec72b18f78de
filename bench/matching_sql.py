"""The strongest plain-SQL baseline for "the best open vacancies for one person", for bench/matching_http.py.

One PostgreSQL query does the engine's work for a person: shared essential and optional skills, the fit
of the two skill lists, language levels against the requirements, road distance against the travel radius,
experience in the vacancy's occupation, right to work (and the wish to cross the border) in the vacancy's
country, with the same weights and formulas as `pont.matching.engine`; then the top 20, and one more query
for their explanations (which skills are met and missing). Left out, so that the SQL does less work than
the engine (the ratio is in its favour): shop-floor training credit, contract wishes, the rarity weights
of skills and the related-skill credit (every skill weighs 1 here).
"""

from __future__ import annotations

from pont.matching import engine

LEVELS = "CASE {col} WHEN 'A1' THEN 1 WHEN 'A2' THEN 2 WHEN 'B1' THEN 3 WHEN 'B2' THEN 4 WHEN 'C1' THEN 5 " \
         "WHEN 'C2' THEN 6 WHEN 'native' THEN 7 ELSE 0 END"

# Only the constant LEVELS is formatted into the query; every value is a bound parameter.
QUERY = f"""
WITH skills AS (
    SELECT vs.vacancy_id,
           COUNT(*) FILTER (WHERE vs.relation = 'essential') AS ess_total,
           COUNT(*) FILTER (WHERE vs.relation = 'essential' AND vs.skill_id = ANY(%(skills)s)) AS ess_met,
           COUNT(*) FILTER (WHERE vs.relation <> 'essential') AS opt_total,
           COUNT(*) FILTER (WHERE vs.relation <> 'essential' AND vs.skill_id = ANY(%(skills)s)) AS opt_met
    FROM matching_vacancyskill vs GROUP BY vs.vacancy_id),
lang AS (
    SELECT vl.vacancy_id,
           AVG(GREATEST(0, 1 - %(step)s * GREATEST({LEVELS.format(col="vl.level")} - COALESCE(p.rank, 0), 0))) AS part
    FROM matching_vacancylanguage vl
    LEFT JOIN unnest(%(codes)s::text[], %(ranks)s::int[]) AS p(code, rank) ON p.code = vl.code
    GROUP BY vl.vacancy_id),
scored AS (
    SELECT v.id, r.country,
           COALESCE(s.ess_total, 0) AS ess_total, COALESCE(s.ess_met, 0) AS ess_met,
           COALESCE(s.opt_total, 0) AS opt_total, COALESCE(s.opt_met, 0) AS opt_met,
           COALESCE(l.part, 1) AS lang_part,
           2 * 6371.0088 * asin(sqrt(power(sin(radians(m.latitude - %(lat)s) / 2), 2)
               + cos(radians(%(lat)s)) * cos(radians(m.latitude))
               * power(sin(radians(m.longitude - %(lon)s) / 2), 2))) * %(road)s AS km,
           COALESCE(e.years, 0) AS years
    FROM matching_vacancy v
    JOIN matching_site st ON st.id = v.site_id
    JOIN core_municipality m ON m.id = st.municipality_id
    JOIN core_region r ON r.id = m.region_id
    LEFT JOIN skills s ON s.vacancy_id = v.id
    LEFT JOIN lang l ON l.vacancy_id = v.id
    LEFT JOIN unnest(%(occupations)s::bigint[], %(years)s::float8[]) AS e(occupation, years)
           ON e.occupation = v.occupation_id
    WHERE v.status = 'open')
SELECT id, score FROM (
    SELECT id,
           (  %(w_ess)s * CASE WHEN ess_total > 0 THEN ess_met::float8 / ess_total ELSE 1 END
            + %(w_opt)s * CASE WHEN opt_total > 0 THEN opt_met::float8 / opt_total ELSE 1 END
            + %(w_lang)s * lang_part
            + %(w_dist)s * CASE WHEN km <= %(radius)s THEN 1 - %(slope)s * km / %(radius)s
                               ELSE (1 - %(slope)s) * exp(-(km - %(radius)s) / %(decay)s) END
            + %(w_exp)s * LEAST(years / %(full_years)s, 1)
            + %(w_fit)s * CASE WHEN ess_total + opt_total > 0
                               THEN (ess_met + opt_met)::float8 / sqrt((ess_total + opt_total)::float8 * %(n_skills)s)
                               ELSE 1 END
           ) / %(w_total)s
           * CASE country WHEN 'BE' THEN %(factor_be)s ELSE %(factor_fr)s END AS score
    FROM scored) ranked
WHERE score > 0
ORDER BY score DESC, id
LIMIT 20
"""  # noqa: S608

EXPLAIN = """
SELECT vs.vacancy_id, vs.relation, vs.skill_id, vs.skill_id = ANY(%(skills)s) AS met, sk.labels
FROM matching_vacancyskill vs JOIN taxonomy_skill sk ON sk.id = vs.skill_id
WHERE vs.vacancy_id = ANY(%(top)s)
"""


def params(person, weights: engine.Weights) -> dict:
    """The query's parameters for one person (read with the app's own models and rules, outside the timing
    of the query itself: the engine's snapshot holds the same facts)."""
    from django.utils import timezone

    from pont.matching.adapters import profile_of
    from pont.people import right_to_work
    from pont.people.selectors import status_facts

    profile = profile_of(person)
    facts = status_facts(person)
    factors = {}
    for country in ("BE", "FR"):
        outcome = right_to_work.assess(facts, country, timezone.localdate()).outcome
        crossing = country != person.region.country and not (profile.cross_border if profile else False)
        factors[country] = -1.0 if outcome == right_to_work.MAY_NOT_WORK or crossing else \
            (weights.needs_permit_factor if outcome == right_to_work.NEEDS_PERMIT else 1.0)
    municipality = person.municipality
    skills = [s.pk for s in profile.skills.all()] if profile else []
    past = list(profile.past_occupations.all()) if profile else []
    return {
        "skills": skills, "n_skills": max(len(skills), 1),
        "codes": [lang.code for lang in person.languages.all()],
        "ranks": [engine.cefr_rank(lang.level) for lang in person.languages.all()],
        "occupations": [p.occupation_id for p in past], "years": [float(p.years) for p in past],
        "lat": float(municipality.latitude) if municipality else 50.6,
        "lon": float(municipality.longitude) if municipality else 3.3,
        "radius": float(max(profile.travel_radius_km if profile else 30, 1)),
        "road": weights.road_factor, "slope": weights.inside_radius_slope, "decay": weights.beyond_radius_decay_km,
        "step": weights.language_step, "full_years": weights.full_experience_years,
        "w_ess": weights.essential, "w_opt": weights.optional, "w_lang": weights.language,
        "w_dist": weights.distance, "w_exp": weights.experience, "w_fit": weights.fit, "w_total": weights.total,
        "factor_be": factors["BE"], "factor_fr": factors["FR"],
    }


def top20(cursor, values: dict) -> list[tuple[int, float, dict]]:
    """Run the ranking and the explanation queries; return (vacancy id, score, skills met/missing)."""
    cursor.execute(QUERY, values)
    ranked = cursor.fetchall()
    cursor.execute(EXPLAIN, {"skills": values["skills"], "top": [r[0] for r in ranked]})
    explained: dict[int, dict] = {r[0]: {"essential_met": [], "essential_missing": [], "optional_met": [],
                                         "optional_missing": []} for r in ranked}
    for vacancy_id, relation, _skill_id, met, labels in cursor.fetchall():
        kind = "essential" if relation == "essential" else "optional"
        explained[vacancy_id][f"{kind}_{'met' if met else 'missing'}"].append(labels)
    return [(vacancy_id, score, explained[vacancy_id]) for vacancy_id, score in ranked]
