"""Benchmark of the matching engine; prints JSON. A script, never a test.

    .venv/bin/python bench/matching.py [--people 100000] [--vacancies 50000] [--orm-samples 30]
    .venv/bin/python bench/matching.py --people 5000 --vacancies 10000 --orm-samples 10     # quick
    .venv/bin/python bench/matching.py --orm-database-url postgres://postgres@127.0.0.1:5432/x  # (b) on PostgreSQL

(a) median time to rank every open vacancy for one person and return the top 20 with explanations;
(b) the same top 20 the way a plain Django app would (ORM: count shared skills per open vacancy in SQL),
    on a separate database holding the same synthetic vacancies (a fresh SQLite file, or with
    --orm-database-url a PostgreSQL database named `pont_bench_matching`, dropped before and after),
    and the ratio (b)/(a);
(c) the top 20 for every person in one batch (--workers threads, or forked processes with --processes);
(d) with --dask, the same batch on a Dask LocalCluster of 1 and 2 worker processes (checked equal to (c)).
Both (a) and (c) are checked against scoring every vacancy for a sample of people (no shortcut).
The machine's load average is printed with the figures: on a shared machine they are noisy.
The world is synthetic but shaped like ESCO v1.2 (13,939 skills, 3,039 occupations, ~42 relations per
occupation) and the region (both sides of the border, three working languages).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import numpy as np
import scipy
import scipy.sparse as sp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from pont.matching import engine  # noqa: E402  (pure: needs no Django)

N_SKILLS, N_OCCUPATIONS, N_PLACES, LANGUAGES = 13_939, 3_039, 400, 3


def synthetic_world(n_people: int, n_vacancies: int, seed: int = 4):
    """Return (People, Vacancies, Locations) with realistic skill counts; vacancies and people cluster by
    occupation, occupations by popularity (a few are much more common than most)."""
    rng = np.random.default_rng(seed)
    essential = [rng.choice(N_SKILLS, size=rng.integers(8, 20), replace=False) for _ in range(N_OCCUPATIONS)]
    optional = [rng.choice(N_SKILLS, size=rng.integers(15, 35), replace=False) for _ in range(N_OCCUPATIONS)]
    popularity = 1 / np.arange(1, N_OCCUPATIONS + 1) ** 0.8
    popularity /= popularity.sum()

    lat = rng.uniform(49.9, 51.3, N_PLACES)
    lon = rng.uniform(2.3, 4.6, N_PLACES)
    place_country = (lat < 50.65 - 0.3 * (lon - 3.2)).astype(np.int64)  # FR south-west of a rough border line

    def rows_to_csr(rows, width):
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        indptr[1:] = np.cumsum([len(r) for r in rows])
        indices = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
        m = sp.csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(rows), width))
        m.sum_duplicates()
        m.data[:] = 1
        return m

    v_occ = rng.choice(N_OCCUPATIONS, size=n_vacancies, p=popularity)
    v_ess, v_opt = [], []
    for occ in v_occ:
        ess = essential[occ]
        v_ess.append(np.sort(rng.choice(ess, size=max(4, int(len(ess) * rng.uniform(0.6, 1))), replace=False)))
        opt = np.setdiff1d(optional[occ], ess)
        v_opt.append(np.sort(rng.choice(opt, size=min(len(opt), int(rng.integers(3, 10))), replace=False)))
    v_loc = rng.integers(0, N_PLACES, n_vacancies)
    v_lang = np.zeros((n_vacancies, LANGUAGES), dtype=np.int8)
    local = np.where(place_country[v_loc] == 1, 0, rng.integers(0, 2, n_vacancies))  # fra in FR, fra/nld in BE
    v_lang[np.arange(n_vacancies), local] = rng.choice([0, 1, 2, 3], size=n_vacancies, p=[0.3, 0.2, 0.3, 0.2])
    vacancies = engine.Vacancies(
        ids=np.arange(n_vacancies, dtype=np.int64) + 1, essential=rows_to_csr(v_ess, N_SKILLS),
        optional=rows_to_csr(v_opt, N_SKILLS), occupation=v_occ, location=v_loc, country=place_country[v_loc],
        languages=v_lang, training=rng.random(n_vacancies) < 0.3, contract=rng.integers(0, 4, n_vacancies))

    p_occ = rng.choice(N_OCCUPATIONS, size=n_people, p=popularity)
    p_skills = []
    for occ in p_occ:
        ess, opt = essential[occ], optional[occ]
        mine = [rng.choice(ess, size=max(1, int(len(ess) * rng.uniform(0.3, 1))), replace=False),
                rng.choice(opt, size=int(rng.integers(0, 8)), replace=False),
                rng.integers(0, N_SKILLS, int(rng.integers(0, 4)))]
        p_skills.append(np.unique(np.concatenate(mine)))
    years = rng.integers(0, 15, n_people).astype(np.float64)
    experience = sp.csr_matrix((years, (np.arange(n_people), p_occ)), shape=(n_people, N_OCCUPATIONS))
    experience.eliminate_zeros()
    desired = sp.csr_matrix((np.ones(n_people), (np.arange(n_people), rng.choice(N_OCCUPATIONS, n_people,
                                                                                   p=popularity))),
                            shape=(n_people, N_OCCUPATIONS))
    p_loc = rng.integers(0, N_PLACES, n_people)
    rtw = rng.choice(3, size=(n_people, 2), p=[0.75, 0.15, 0.10]).astype(np.int8)
    people = engine.People(
        ids=np.arange(n_people, dtype=np.int64) + 1, skills=rows_to_csr(p_skills, N_SKILLS), experience=experience,
        desired=desired, location=p_loc, radius_km=rng.choice([15.0, 25.0, 30.0, 40.0, 60.0], n_people),
        languages=rng.integers(0, 8, (n_people, LANGUAGES)).astype(np.int8), right_to_work=rtw,
        country=place_country[p_loc], cross_border=rng.random(n_people) < 0.6,
        contract_wishes=rng.integers(0, 16, n_people))
    return people, vacancies, engine.Locations(lat=lat, lon=lon)


def bench_engine(matcher: engine.Matcher, sample: np.ndarray) -> dict:
    timings = []
    for row in sample:
        start = time.perf_counter()
        top = matcher.rank_vacancies(int(row), limit=20)
        timings.append((time.perf_counter() - start) * 1000)
        assert len(top) <= 20
    return {"median_ms": round(statistics.median(timings), 2), "p95_ms": round(float(np.percentile(timings, 95)), 2),
            "samples": len(timings)}


ORM_DB = "pont_bench_matching"


def _pg_admin(url: str, *statements: str) -> None:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        for sql in statements:
            conn.execute(sql)


def bench_orm(people: engine.People, vacancies: engine.Vacancies, sample: np.ndarray, budget_s: float,
              database_url: str | None = None) -> dict:
    """Insert the same vacancies into a fresh database with the ORM, then rank the plain way."""
    folder = Path(tempfile.mkdtemp(prefix="pont-bench-"))
    if database_url:
        _pg_admin(database_url, f'DROP DATABASE IF EXISTS "{ORM_DB}" WITH (FORCE)', f'CREATE DATABASE "{ORM_DB}"')
        os.environ["DATABASE_URL"] = urlunsplit(urlsplit(database_url)._replace(path=f"/{ORM_DB}"))
        database = f"PostgreSQL (database {ORM_DB}, same synthetic vacancies)"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
        database = "SQLite (separate file, same synthetic vacancies)"
    os.environ.setdefault("PONT_VAR_DIR", str(folder))
    os.environ["DJANGO_SETTINGS_MODULE"] = "pont.settings"
    os.environ.setdefault("DEBUG", "false")  # as in production: DEBUG would record every query
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from pont.core.models import Municipality, Organisation
    from pont.matching.models import Site, SkillProfile, Vacancy, VacancySkill
    from pont.people.models import Person
    from pont.taxonomy.models import Occupation, Skill

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    Skill.objects.bulk_create((Skill(id=i + 1, uri=f"s:{i}", labels={"en": f"skill {i}"}) for i in range(N_SKILLS)),
                              batch_size=5000)
    Occupation.objects.bulk_create((Occupation(id=i + 1, uri=f"o:{i}", labels={"en": f"occupation {i}"})
                                    for i in range(N_OCCUPATIONS)), batch_size=5000)
    employer = Organisation.objects.create(name="Bench NV", kind="company", country="BE")
    municipality = Municipality.objects.first()
    site = Site.objects.create(employer=employer, name="Bench site", municipality=municipality)
    Vacancy.objects.bulk_create((Vacancy(id=int(vid), employer=employer, site=site, occupation_id=int(occ) + 1,
                                         title=f"Vacancy {vid}") for vid, occ in zip(vacancies.ids,
                                                                                     vacancies.occupation,
                                                                                     strict=True)), batch_size=5000)
    for kind, matrix in (("essential", vacancies.essential), ("optional", vacancies.optional)):
        coo = matrix.tocoo()
        VacancySkill.objects.bulk_create((VacancySkill(vacancy_id=int(vacancies.ids[r]), skill_id=int(c) + 1,
                                                       relation=kind) for r, c in zip(coo.row, coo.col, strict=True)),
                                         batch_size=10000)
    region = municipality.region
    profiles = {}
    for row in sample:
        person = Person.objects.create(reference=f"B-{row}", given_name="B", family_name=str(row), search_name="b",
                                       date_of_birth="1990-01-01", sex="X", region=region)
        profile = SkillProfile.objects.create(person=person)
        skills = people.skills.indices[people.skills.indptr[row]:people.skills.indptr[row + 1]]
        profile.skills.set([int(s) + 1 for s in skills])
        profiles[int(row)] = profile.pk
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    setup_s = time.perf_counter() - started
    from django.conf import settings

    through = SkillProfile.skills.through
    timings = []
    deadline = time.perf_counter() + budget_s
    for row in sample:
        start = time.perf_counter()
        mine = through.objects.filter(skillprofile_id=profiles[int(row)]).values("skill_id")
        ranked = list(VacancySkill.objects.filter(vacancy__status="open", skill_id__in=mine)
                      .values("vacancy_id").annotate(shared=Count("id")).order_by("-shared", "vacancy_id")[:20])
        top = list(Vacancy.objects.filter(pk__in=[r["vacancy_id"] for r in ranked])
                   .select_related("site__municipality", "employer"))
        timings.append((time.perf_counter() - start) * 1000)
        assert len(top) == len(ranked)
        if time.perf_counter() > deadline:
            break
    result = {"median_ms": round(statistics.median(timings), 2), "p95_ms": round(float(np.percentile(timings, 95)), 2),
              "samples": len(timings),
              "rows": {"vacancies": len(vacancies), "vacancy_skills": int(vacancies.essential.nnz
                                                                           + vacancies.optional.nnz)},
              "setup_s": round(setup_s, 1), "database": database, "debug": settings.DEBUG}
    if database_url:
        connection.close()
        _pg_admin(database_url, f'DROP DATABASE IF EXISTS "{ORM_DB}" WITH (FORCE)')
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--vacancies", type=int, default=50_000)
    parser.add_argument("--samples", type=int, default=200, help="people timed one by one for (a)")
    parser.add_argument("--orm-samples", type=int, default=30, help="people timed for (b)")
    parser.add_argument("--orm-budget", type=float, default=120.0, help="seconds at most for the (b) queries")
    parser.add_argument("--no-orm", action="store_true")
    parser.add_argument("--no-batch", action="store_true", help="skip (c)")
    parser.add_argument("--dask", action="store_true", help="(d): the batch (c) again on a Dask LocalCluster "
                                                             "of 1 and 2 worker processes")
    parser.add_argument("--orm-database-url", help="postgres://… server for (b) instead of SQLite")
    parser.add_argument("--workers", type=int, default=1, help="threads (or processes) for the batch (c)")
    parser.add_argument("--processes", action="store_true", help="run the batch in forked processes")
    args = parser.parse_args()
    load_start = os.getloadavg()

    started = time.perf_counter()
    people, vacancies, locations = synthetic_world(args.people, args.vacancies)
    world_s = time.perf_counter() - started
    started = time.perf_counter()
    matcher = engine.Matcher(people, vacancies, locations)
    build_s = time.perf_counter() - started
    rng = np.random.default_rng(1)
    sample = rng.choice(len(people), size=min(args.samples, len(people)), replace=False)
    result = {
        "world": {"people": len(people), "open_vacancies": len(vacancies), "skills": N_SKILLS,
                  "occupations": N_OCCUPATIONS, "places": N_PLACES,
                  "skills_per_person": round(people.skills.nnz / len(people), 1),
                  "essential_per_vacancy": round(vacancies.essential.nnz / len(vacancies), 1),
                  "optional_per_vacancy": round(vacancies.optional.nnz / len(vacancies), 1),
                  "generated_s": round(world_s, 1), "matcher_built_s": round(build_s, 2)},
        "a_rank_one_person_top20_explained": {**bench_engine(matcher, sample), "goal_ms": 50},
    }
    if not args.no_batch:
        started = time.perf_counter()
        top, scores = matcher.batch_top(limit=20, workers=args.workers, processes=args.processes)
        batch_s = time.perf_counter() - started
        for row in sample[:20]:  # the batch agrees with the one-by-one ranking and with scoring every vacancy
            full = matcher.scores_for_person(int(row))
            best = matcher._top(full, 20)
            assert [int(vacancies.ids[i]) for i in top[row] if i >= 0] == \
                [m.vacancy for m in matcher.rank_vacancies(int(row), 20)] == vacancies.ids[best].tolist()
            assert scores[row][:len(best)].tolist() == full[best].tolist()
        result["c_batch_top20_all_people"] = {"seconds": round(batch_s, 1), "workers": args.workers,
                                              "processes": args.processes, "goal_s": 120,
                                              "people_with_20": int((top[:, -1] >= 0).sum()),
                                              "checked_against_brute_force": 20}
        if args.dask:  # the same batch on a Dask LocalCluster, 1 then 2 worker processes: equal to the above
            from pont.matching import cluster

            result["d_batch_on_dask"] = {}
            for workers in (1, 2):
                with cluster.connect(workers=workers) as client:
                    started = time.perf_counter()
                    d_top, d_scores = cluster.run(matcher, client, limit=20)
                    seconds = time.perf_counter() - started
                assert np.array_equal(d_top, top) and np.array_equal(d_scores, scores)
                result["d_batch_on_dask"][f"{workers}_workers"] = {
                    "seconds": round(seconds, 1), "equal_to_single_process": True}
    if not args.no_orm:
        orm = bench_orm(people, vacancies, sample[:args.orm_samples], args.orm_budget, args.orm_database_url)
        engine_ms = result["a_rank_one_person_top20_explained"]["median_ms"]
        result["b_plain_django_orm_top20"] = {**orm, "ratio_orm_over_engine": round(orm["median_ms"] / engine_ms, 1),
                                              "goal_ratio": 20}
    result["load_average"] = {"start": [round(x, 2) for x in load_start],
                              "end": [round(x, 2) for x in os.getloadavg()], "cpus": os.cpu_count()}
    result["versions"] = {"python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
