"""The matching engine on small worlds whose answer is plain (no database)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from pont.matching import engine
from pont.matching.engine import MAY_NOT_WORK, MAY_WORK, NEEDS_PERMIT, Matcher, Weights

N_SKILLS, N_OCCUPATIONS = 20, 5  # skill and occupation columns
# Places: Kortrijk, Menen (~12 km), Lille, and a point ~200 km south (Reims)
PLACES = [(50.828, 3.265), (50.796, 3.121), (50.629, 3.057), (49.258, 4.032)]
BE, FR = 0, 1


def _rows(items, width, value=1.0):
    rows, cols, data = [], [], []
    for i, entry in enumerate(items):
        pairs = entry.items() if isinstance(entry, dict) else ((c, value) for c in entry)
        for col, val in pairs:
            rows.append(i)
            cols.append(col)
            data.append(val)
    return sp.csr_matrix((data, (rows, cols)), shape=(len(items), width), dtype=np.float32)


def person(skills=(), experience=None, desired=(), place=0, radius=30, languages=(0, 0), rtw=(MAY_WORK, MAY_WORK),
           country=BE, cross_border=True, wishes=0):
    return dict(skills=skills, experience=experience or {}, desired=desired, place=place, radius=radius,
                languages=languages, rtw=rtw, country=country, cross_border=cross_border, wishes=wishes)


def vacancy(essential=(), optional=(), occupation=0, place=0, country=BE, languages=(0, 0), training=False,
            contract=0):
    return dict(essential=essential, optional=optional, occupation=occupation, place=place, country=country,
                languages=languages, training=training, contract=contract)


def build(people: list[dict], vacancies: list[dict], weights: Weights | None = None,
          related: list[tuple[int, int]] = ()) -> Matcher:
    p = engine.People(
        ids=np.arange(100, 100 + len(people)),
        skills=_rows([x["skills"] for x in people], N_SKILLS),
        experience=_rows([x["experience"] for x in people], N_OCCUPATIONS),
        desired=_rows([x["desired"] for x in people], N_OCCUPATIONS),
        location=np.array([x["place"] for x in people]),
        radius_km=np.array([x["radius"] for x in people], dtype=np.float32),
        languages=np.array([x["languages"] for x in people], dtype=np.int8).reshape(len(people), 2),
        right_to_work=np.array([x["rtw"] for x in people], dtype=np.int8).reshape(len(people), 2),
        country=np.array([x["country"] for x in people]),
        cross_border=np.array([x["cross_border"] for x in people], dtype=bool),
        contract_wishes=np.array([x["wishes"] for x in people], dtype=np.int64),
    )
    v = engine.Vacancies(
        ids=np.arange(500, 500 + len(vacancies)),
        essential=_rows([x["essential"] for x in vacancies], N_SKILLS),
        optional=_rows([x["optional"] for x in vacancies], N_SKILLS),
        occupation=np.array([x["occupation"] for x in vacancies]),
        location=np.array([x["place"] for x in vacancies]),
        country=np.array([x["country"] for x in vacancies]),
        languages=np.array([x["languages"] for x in vacancies], dtype=np.int8).reshape(len(vacancies), 2),
        training=np.array([x["training"] for x in vacancies], dtype=bool),
        contract=np.array([x["contract"] for x in vacancies]),
    )
    loc = engine.Locations(lat=np.array([a for a, _ in PLACES]), lon=np.array([b for _, b in PLACES]))
    pairs = sp.csr_matrix((np.ones(len(related)), ([a for a, _ in related], [b for _, b in related])),
                          shape=(N_SKILLS, N_SKILLS))
    return Matcher(p, v, loc, weights, related=pairs)


WELDING = vacancy(essential=(1, 2, 3, 4), optional=(5, 6))


def test_someone_with_all_essential_skills_ranks_above_someone_with_half():
    m = build([person(skills=(1, 2)), person(skills=(1, 2, 3, 4))], [WELDING])
    ranked = m.rank_people(0)
    assert [r.person for r in ranked] == [101, 100]
    assert ranked[0].score > ranked[1].score


def test_a_vacancy_200_km_away_ranks_below_the_same_vacancy_10_km_away():
    far, near = dict(WELDING, place=3), dict(WELDING, place=1)
    m = build([person(skills=(1, 2, 3, 4))], [far, near])
    ranked = m.rank_vacancies(0)
    assert [r.vacancy for r in ranked] == [501, 500]
    assert ranked[0].explanation.within_radius and not ranked[1].explanation.within_radius
    assert 10 < ranked[0].explanation.distance_km < 20
    assert ranked[1].explanation.distance_km > 200


def test_a_person_who_may_not_work_in_that_country_is_never_proposed():
    m = build([person(skills=(1, 2, 3, 4), rtw=(MAY_NOT_WORK, MAY_WORK)), person(skills=(1,))],
              [WELDING, dict(WELDING, country=FR, place=2)])
    assert [r.person for r in m.rank_people(0)] == [101]
    assert [r.vacancy for r in m.rank_vacancies(0)] == [501]
    top, _ = m.batch_top(limit=5, chunk=1, workers=1)
    assert 0 not in top[0]
    assert m.score_pair(0, 0).score == 0
    assert m.score_pair(0, 0).explanation.right_to_work == "may_not_work"


def test_needs_a_permit_is_shown_and_ranked_lower():
    m = build([person(skills=(1, 2, 3, 4), rtw=(NEEDS_PERMIT, MAY_WORK)), person(skills=(1, 2, 3, 4))], [WELDING])
    ranked = m.rank_people(0)
    assert [r.person for r in ranked] == [101, 100]
    assert ranked[1].explanation.right_to_work == "needs_permit"
    assert ranked[1].score == pytest.approx(ranked[0].score * Weights().needs_permit_factor, abs=1e-3)


def test_the_explanation_lists_exactly_the_skills_that_differ():
    m = build([person(skills=(1, 3, 5, 9))], [WELDING])
    e = m.score_pair(0, 0).explanation
    assert e.essential_met == (1, 3)
    assert e.essential_missing == (2, 4)
    assert e.optional_met == (5,)
    assert e.optional_missing == (6,)


def test_a_gap_the_shop_floor_training_can_close_is_shown_and_counts_partly():
    trained = dict(WELDING, training=True)
    m = build([person(skills=(1, 2, 3))], [WELDING, trained])
    plain, with_training = m.score_pair(0, 0), m.score_pair(0, 1)
    assert with_training.explanation.trainable and not plain.explanation.trainable
    assert with_training.score > plain.score
    # A gap too wide for a few months on the shop floor is not called trainable.
    assert not build([person(skills=(1,))], [trained]).score_pair(0, 0).explanation.trainable


def test_language_gap_is_reported_with_levels():
    m = build([person(skills=(1, 2, 3, 4), languages=(2, 0)), person(skills=(1, 2, 3, 4), languages=(3, 0))],
              [dict(WELDING, languages=(3, 0))])
    ranked = m.rank_people(0)
    assert [r.person for r in ranked] == [101, 100]
    assert ranked[1].explanation.language_gaps == ((0, 3, 2),)
    assert ranked[0].explanation.language_gaps == ()


def test_someone_unwilling_to_cross_the_border_is_not_proposed_abroad():
    m = build([person(skills=(1, 2, 3, 4), cross_border=False)], [dict(WELDING, country=FR, place=2), WELDING])
    assert [r.vacancy for r in m.rank_vacancies(0)] == [501]


def test_experience_in_the_occupation_counts():
    m = build([person(skills=(1, 2)), person(skills=(1, 2), experience={0: 12})], [WELDING])
    ranked = m.rank_people(0)
    assert ranked[0].person == 101
    assert ranked[0].explanation.experience_years == 12


def test_weights_are_validated():
    with pytest.raises(ValueError):
        Weights(essential=-1)
    with pytest.raises(ValueError):
        Weights(needs_permit_factor=2)


def _random_world(seed: int, n: int, m: int) -> Matcher:
    rng = np.random.default_rng(seed)
    people = [person(skills=tuple(rng.choice(N_SKILLS, size=rng.integers(0, 8), replace=False)),
                     experience={int(rng.integers(N_OCCUPATIONS)): float(rng.integers(1, 10))}
                     if rng.random() < 0.5 else {},
                     place=int(rng.integers(len(PLACES))), radius=float(rng.integers(5, 80)),
                     languages=tuple(int(x) for x in rng.integers(0, 8, 2)),
                     rtw=tuple(int(x) for x in rng.choice(3, 2, p=[0.6, 0.25, 0.15])),
                     country=int(rng.integers(2)), cross_border=bool(rng.random() < 0.7),
                     wishes=int(rng.integers(0, 4))) for _ in range(n)]
    vacancies = [vacancy(essential=tuple(rng.choice(N_SKILLS, size=rng.integers(1, 6), replace=False)),
                         optional=tuple(rng.choice(N_SKILLS, size=rng.integers(0, 4), replace=False)),
                         occupation=int(rng.integers(N_OCCUPATIONS)), place=int(rng.integers(len(PLACES))),
                         country=int(rng.integers(2)), languages=tuple(int(x) for x in rng.integers(0, 5, 2)),
                         training=bool(rng.random() < 0.3), contract=int(rng.integers(2))) for _ in range(m)]
    related = [tuple(int(x) for x in rng.choice(N_SKILLS, size=2, replace=False)) for _ in range(12)]
    return build(people, vacancies, related=related)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_batch_equals_one_by_one_and_scores_stay_between_0_and_1(seed):
    m = _random_world(seed, n=30, m=40)
    top, scores = m.batch_top(limit=5, chunk=7, workers=2)
    for row in range(len(m.p)):
        single = m.rank_vacancies(row, limit=5)
        full = m.scores_for_person(row)  # every vacancy scored, no shortcut
        assert [int(m.v.ids[i]) for i in m._top(full, 5)] == [x.vacancy for x in single]
        assert [m.v.ids[i] for i in top[row] if i >= 0] == [x.vacancy for x in single]
        assert all(0 < x.score <= 1 for x in single)
        np.testing.assert_allclose(scores[row][: len(single)], [x.score for x in single], atol=1e-4)
        for x in single:
            assert x.explanation.right_to_work != "may_not_work"


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_ranking_people_agrees_with_pair_scores(seed):
    m = _random_world(seed, n=25, m=6)
    for v in range(len(m.v)):
        for match in m.rank_people(v, limit=25):
            row = int(match.person - 100)
            assert match.score == pytest.approx(m.score_pair(row, v).score, abs=2e-4)


class _NoTableMatcher(Matcher):
    _MAX_LOCATIONS_FOR_TABLE = 0  # distances computed per vacancy column instead of a place × place table


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 10_000), limit=st.sampled_from([1, 3, 20]))
def test_every_path_agrees_with_brute_force(seed, limit):
    """Thin markets included: with limit 20 most people need vacancies sharing nothing with them."""
    base = _random_world(seed, n=20, m=30)
    no_table = _NoTableMatcher(base.p, base.v, base.loc, related=base.related)
    for m in (base, no_table):
        top, scores = m.batch_top(limit=limit, chunk=6, workers=1)
        for row in range(len(m.p)):
            full = m.scores_for_person(row)
            expected = m._top(full, limit)
            assert [i for i in top[row] if i >= 0] == expected.tolist()
            assert scores[row][: len(expected)].tolist() == full[expected].tolist()
            assert [x.vacancy for x in m.rank_vacancies(row, limit)] == m.v.ids[expected].tolist()
        among = np.flatnonzero(np.random.default_rng(seed).random(len(m.p)) < 0.5)
        for row in range(len(m.v)):  # the vacancy → people direction: sharing people first, the rest if needed
            full = m.scores_for_vacancy(row)
            assert [x.person for x in m.rank_people(row, limit)] == m.p.ids[m._top(full, limit)].tolist()
            some = np.full(len(m.p), -1.0)
            some[among] = full[among]
            assert [x.person for x in m.rank_people(row, limit, among=among)] == \
                m.p.ids[m._top(some, limit)].tolist()


FORKED_EQUALS_THREADS = """
import numpy as np
from tests.matching.test_engine import _random_world
m = _random_world(3, n=40, m=30)
forked = m.batch_top(limit=5, chunk=8, workers=2, processes=True)
threads = m.batch_top(limit=5, chunk=8, workers=2)
np.testing.assert_array_equal(threads[0], forked[0])
np.testing.assert_array_equal(threads[1], forked[1])
"""


def test_batch_in_forked_processes_equals_threads():
    """In a fresh interpreter that forks before any thread ran: forking the test process, whose earlier tests
    left threads (BLAS, servers), once copied a lock held at that moment and the workers waited forever."""
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", FORKED_EQUALS_THREADS], check=True, timeout=120, cwd=root,
                   env={**os.environ, "PYTHONPATH": f"{root}{os.pathsep}{root / 'src'}"})


def test_someone_sharing_no_skill_still_gets_the_nearest_vacancies():
    far, near = dict(WELDING, place=3), dict(WELDING, place=1)
    m = build([person(skills=(19,))], [far, near, dict(near, contract=1)])
    assert [r.vacancy for r in m.rank_vacancies(0, limit=2)] == [501, 502]
    top, _ = m.batch_top(limit=2, workers=1)
    assert top[0].tolist() == [1, 2]
    assert m.rank_vacancies(0)[0].explanation.essential_missing == (1, 2, 3, 4)


def test_no_language_columns_no_vacancies_no_people():
    p = engine.People(ids=np.array([1]), skills=_rows([(1, 2)], N_SKILLS), experience=_rows([{}], N_OCCUPATIONS),
                      desired=_rows([()], N_OCCUPATIONS), location=np.array([0]), radius_km=np.array([30.0]),
                      languages=np.zeros((1, 0), dtype=np.int8), right_to_work=np.zeros((1, 2), dtype=np.int8),
                      country=np.array([BE]), cross_border=np.array([True]), contract_wishes=np.array([0]))

    def jobs(rows):
        zeros = np.zeros(len(rows), dtype=np.int64)
        return engine.Vacancies(ids=zeros + np.arange(len(rows)) + 500,
                                essential=_rows([x["essential"] for x in rows], N_SKILLS),
                                optional=_rows([x["optional"] for x in rows], N_SKILLS),
                                occupation=zeros, location=zeros, country=zeros,
                                languages=np.zeros((len(rows), 0), dtype=np.int8),
                                training=zeros.astype(bool), contract=zeros)

    loc = engine.Locations(lat=np.array([a for a, _ in PLACES]), lon=np.array([b for _, b in PLACES]))
    m = Matcher(p, jobs([WELDING, vacancy(essential=(7,))]), loc)
    assert [r.vacancy for r in m.rank_vacancies(0)] == [500, 501]
    assert m.rank_vacancies(0)[0].explanation.parts["language"] == 1
    empty = Matcher(p, jobs([]), loc)
    assert empty.rank_vacancies(0) == []
    assert empty.batch_top(limit=3)[0].tolist() == [[-1, -1, -1]]
    nobody = Matcher(engine.People(**{k: (v[:0] if hasattr(v, "__getitem__") else v) for k, v in p.__dict__.items()}),
                     jobs([WELDING]), loc)
    assert nobody.rank_people(0) == []
    assert nobody.batch_top(limit=3)[0].shape == (0, 3)


MIG, TIG, MMA, DRAWINGS = 1, 2, 3, 4


def test_a_related_skill_earns_partial_credit_and_is_named():
    """Has MIG/MAG welding, the vacancy asks TIG welding: related (same ESCO group)."""
    tig_job = vacancy(essential=(TIG, DRAWINGS))
    related = [(MIG, TIG), (MIG, MMA), (TIG, MMA)]
    m = build([person(skills=(MIG, DRAWINGS)), person(skills=(DRAWINGS,)), person(skills=(TIG, DRAWINGS))],
              [tig_job], related=related)
    ranked = m.rank_people(0)
    assert [r.person for r in ranked] == [102, 100, 101]  # exact > related > missing
    e = ranked[1].explanation
    assert e.essential_related == ((TIG, MIG),) and e.essential_missing == () and e.essential_met == (DRAWINGS,)
    w = e.skill_weights
    assert e.parts["essential"] == pytest.approx((w[DRAWINGS] + Weights().related_credit * w[TIG])
                                                 / (w[DRAWINGS] + w[TIG]), abs=1e-3)
    assert build([person(skills=(MIG, DRAWINGS))], [tig_job]).rank_people(0)[0].score < ranked[1].score


def test_the_parts_of_an_explanation_add_up_to_the_score():
    m = _random_world(5, n=15, m=12)
    w = m.w
    for row in range(len(m.p)):
        for match in m.rank_vacancies(row, limit=5):
            parts = match.explanation.parts
            total = sum(getattr(w, name) * parts[name] for name in parts) / w.total
            factor = (w.needs_permit_factor if match.explanation.right_to_work == "needs_permit" else 1) \
                * (1 if match.explanation.contract_wished else w.contract_mismatch_factor)
            assert match.score == pytest.approx(min(total * factor, 1), abs=3e-3)


def test_a_rare_skill_weighs_more_than_one_every_vacancy_asks():
    common, rare = 10, 11
    jobs = [vacancy(essential=(common, rare))] + [vacancy(essential=(common, 12 + i)) for i in range(6)]
    m = build([person(skills=(common,)), person(skills=(rare,))], jobs)
    assert m.skill_weight[rare] > m.skill_weight[common]
    assert [r.person for r in m.rank_people(0)] == [101, 100]
    flat = build([person(skills=(common,)), person(skills=(rare,))], jobs, Weights(rare_skills=False))
    scores = [r.score for r in flat.rank_people(0)]
    assert scores[0] == scores[1]  # without rarity weights the two tie


def test_stated_needs_score_like_a_vacancy_in_the_snapshot():
    """An employer's needs (no vacancy saved) are scored against the snapshot's people with its weights."""
    base = _random_world(8, n=20, m=15)
    needs = engine.Vacancies(
        ids=np.array([-1]), essential=base.v.essential[3], optional=base.v.optional[3],
        occupation=base.v.occupation[3:4], location=base.v.location[3:4], country=base.v.country[3:4],
        languages=base.v.languages[3:4], training=base.v.training[3:4], contract=base.v.contract[3:4])
    other = base.for_vacancies(needs)
    assert other.p is base.p and len(other.v) == 1
    np.testing.assert_array_equal(other.scores_for_vacancy(0), base.scores_for_vacancy(3))
    assert [r.person for r in other.rank_people(0, 5)] == [r.person for r in base.rank_people(3, 5)]
