"""Matching measured where users feel it: through gunicorn, as `make run` serves it. Prints JSON; a script,
never a test.

    .venv/bin/python bench/matching_http.py                                   # 100,000 people, 50,000 vacancies
    .venv/bin/python bench/matching_http.py --people 20000 --vacancies 10000 --rounds 20     # quicker
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/matching_http.py

1. A throw-away database named for this run (SQLite file in a temporary directory, or on PostgreSQL
   `pont_bench_matching_<pid>`, dropped at the end); migrations; the demo staff and `--people` synthetic
   people (bench/people_list.py's seeding); a synthetic taxonomy (2,000 skills, 300 occupations with
   8–20 essential and 10–25 optional skills each); `--vacancies` open vacancies of the demo companies with
   their occupation's skills and a language requirement for one in three; a skill profile for 80 % of
   the people (a noisy subset of one occupation's skills, past years in it).
2. As `make run` serves it: `manage.py matching_snapshot` (with `--rebuild shared`, the default: the
   snapshot written as files the workers map), the task worker (`manage.py db_worker`) and gunicorn with
   2 workers × 4 threads; the API called with the VDAB adviser's token.
3. Interleaved in one loop, `--rounds` times: `GET /api/v1/persons/{id}` (the plain detail read, the
   yardstick), `GET /api/v1/persons/{id}/matches` and `GET /api/v1/vacancies/{id}/matches` for random
   people and vacancies. The first matches request of each worker is reported apart, and so are the first
   requests after a vacancy changes, how long the task worker takes to write the next snapshot, and the
   first requests on it.
4. 4 concurrent clients on the matches endpoints for `--concurrent-seconds`, with `/health/` probed
   meanwhile; each web worker's memory before the first request and at the end — RSS (which counts the
   mapped snapshot whole in every worker), PSS (shared pages divided among the processes) and private
   pages — and the task worker's.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import people_list  # noqa: E402  (the throw-away database and the people seeding)

N_SKILLS, N_OCCUPATIONS = 2000, 300


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--vacancies", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=30, help="interleaved rounds of the three requests")
    parser.add_argument("--concurrent-seconds", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rebuild", default="shared", choices=("shared", "background", "inline"),
                        help="PONT_MATCHING_REBUILD of the server (make run: shared)")
    parser.add_argument("--sql-samples", type=int, default=20,
                        help="PostgreSQL only: people ranked both by the app's selector and by plain SQL "
                             "(bench/matching_sql.py), interleaved in this process")
    return parser.parse_args(argv)


def seed_matching(n_vacancies: int, seed_value: int) -> dict:
    """Insert the taxonomy, vacancies with their skills and languages, and the people's skill profiles."""
    from django.db import connection, transaction
    from django.utils import timezone

    from pont.core.models import Municipality, Organisation
    from pont.core.roles import OrganisationKind
    from pont.matching.models import Site, SkillProfile, Vacancy, VacancyLanguage, VacancySkill
    from pont.people.models import Person
    from pont.taxonomy.models import Occupation, Skill

    started = time.perf_counter()
    rng = random.Random(seed_value)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    insert = people_list._insert
    with transaction.atomic():
        insert(Skill, ["id", "uri", "status", "labels", "skill_type", "reuse_level"],
               [(i, f"http://bench.invalid/skill/{i}", "released", json.dumps({"en": f"skill {i}"}), "", "")
                for i in range(1, N_SKILLS + 1)])
        insert(Occupation, ["id", "uri", "status", "labels", "code", "isco_group"],
               [(i, f"http://bench.invalid/occupation/{i}", "released", json.dumps({"en": f"occupation {i}"}),
                 "", "") for i in range(1, N_OCCUPATIONS + 1)])
        skills_of = {}
        for o in range(1, N_OCCUPATIONS + 1):
            drawn, cut = rng.sample(range(1, N_SKILLS + 1), rng.randint(18, 45)), rng.randint(8, 20)
            skills_of[o] = (drawn[:cut], drawn[cut:])  # essential, optional: distinct
        popularity = [1 / (o ** 0.8) for o in range(1, N_OCCUPATIONS + 1)]
        companies = list(Organisation.objects.filter(kind=OrganisationKind.COMPANY).values_list("pk", flat=True))
        towns = list(Municipality.objects.values_list("pk", flat=True))
        sites = []
        for company in companies:
            for town in rng.sample(towns, 20):
                sites.append(Site(employer_id=company, name=f"Site {town}", municipality_id=town))
        Site.objects.bulk_create(sites)
        site_rows = list(Site.objects.values_list("pk", "employer_id"))
        vacancies, links, languages = [], [], []
        for pk in range(1, n_vacancies + 1):
            site, employer = rng.choice(site_rows)
            occupation = rng.choices(range(1, N_OCCUPATIONS + 1), weights=popularity)[0]
            vacancies.append((pk, employer, site, occupation, f"Vacancy {pk}", "", rng.choice(
                ["open_ended", "fixed_term", "temporary_agency"]), None, 38, 1, rng.random() < 0.3, "open", now))
            essential, optional = skills_of[occupation]
            links += [(pk, s, "essential") for s in essential] + [(pk, s, "optional") for s in optional]
            if rng.random() < 0.33:
                languages.append((pk, rng.choice(["fra", "nld"]), rng.choice(["A2", "B1"])))
        insert(Vacancy, ["id", "employer_id", "site_id", "occupation_id", "title", "description", "contract_type",
                         "contract_months", "hours_per_week", "posts", "shop_floor_training", "status",
                         "created_at"], vacancies)
        insert(VacancySkill, ["vacancy_id", "skill_id", "relation"], links)
        insert(VacancyLanguage, ["vacancy_id", "code", "level"], languages)
        profiles, profile_skills, past = [], [], []
        for pk in Person.objects.values_list("pk", flat=True):
            if rng.random() > 0.8:
                continue
            occupation = rng.choices(range(1, N_OCCUPATIONS + 1), weights=popularity)[0]
            essential, optional = skills_of[occupation]
            held = [s for s in essential + optional if rng.random() < 0.6] + rng.sample(range(1, N_SKILLS + 1), 3)
            profiles.append((pk, pk, rng.choice([15, 30, 50]), False, False, rng.random() < 0.5, "[]", None, now))
            profile_skills += [(pk, s) for s in dict.fromkeys(held)]
            past.append((pk, occupation, rng.randint(1, 12)))
        insert(SkillProfile, ["id", "person_id", "travel_radius_km", "driving_licence", "has_car", "cross_border",
                              "contract_wishes", "available_from", "updated_at"], profiles)
        insert(SkillProfile.skills.through, ["skillprofile_id", "skill_id"], profile_skills)
        from pont.matching.models import PastOccupation
        insert(PastOccupation, ["profile_id", "occupation_id", "years"], past)
        from django.core.management.color import no_style
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Skill, Occupation, Vacancy, SkillProfile]):
                cursor.execute(sql)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {"vacancies": len(vacancies), "vacancy_skills": len(links), "profiles": len(profiles),
            "profile_skills": len(profile_skills), "seconds": round(time.perf_counter() - started, 1)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def memory_mb(pid: int) -> dict[str, float]:
    """RSS (shared pages counted whole), PSS (shared pages divided among the processes mapping them) and the
    process's private pages, in MB (/proc/PID/smaps_rollup)."""
    values = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("Rss", "Pss", "Private_Clean", "Private_Dirty"):
            values[name] = int(rest.split()[0]) / 1024
    return {"rss": round(values.get("Rss", 0), 1), "pss": round(values.get("Pss", 0), 1),
            "private": round(values.get("Private_Clean", 0) + values.get("Private_Dirty", 0), 1)}


def workers_of(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(p) for p in children.read_text().split()] if children.exists() else []


class Api:
    def __init__(self, base: str, token: str):
        self.base, self.token = base, token

    def get(self, path: str, auth: bool = True) -> tuple[float, int]:
        headers = {"Authorization": f"Bearer {self.token}"} if auth else {}
        request = urllib.request.Request(self.base + path, headers=headers)  # noqa: S310 (our loopback server)
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=600) as answer:  # noqa: S310 (our own loopback server)
                answer.read()
                status = answer.status
        except urllib.error.HTTPError as error:
            status = error.code
        return (time.perf_counter() - started) * 1000, status


def summary(ms: list[float]) -> dict:
    ordered = sorted(ms)
    return {"n": len(ms), "median_ms": round(statistics.median(ms), 1),
            "p90_ms": round(ordered[int(0.9 * (len(ordered) - 1))], 1), "max_ms": round(max(ms), 1)}


def sql_baseline(scope: list[int], samples: int, rng: random.Random) -> dict:
    """The same top 20 with explanations for the same people: the app's selector (its snapshot warm) and the
    plain-SQL baseline, interleaved person by person in this process."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import translation

    import matching_sql
    from pont.matching import adapters, selectors
    from pont.matching.adapters import person_queryset
    from pont.people.models import Person

    translation.activate("en")
    adviser = get_user_model().objects.get(username="lvermeulen")
    adapters.current()  # warm, as a worker is after its first request
    engine_ms, sql_ms, overlap = [], [], []
    weights = adapters.weights()
    for pk in rng.sample(scope, min(samples, len(scope))):
        person = person_queryset(Person.objects.filter(pk=pk)).get()
        values = matching_sql.params(person, weights)
        started = time.perf_counter()
        _person, found = selectors.person_matches_view(user=adviser, person_pk=pk)
        engine_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            rows = matching_sql.top20(cursor, values)
        sql_ms.append((time.perf_counter() - started) * 1000)
        mine = {m["vacancy"].pk for m in found}
        overlap.append(len(mine & {r[0] for r in rows}) / max(len(mine), 1))
    return {"people": len(engine_ms), "app_selector": summary(engine_ms), "plain_sql": summary(sql_ms),
            "ratio_sql_over_app": round(statistics.median(sql_ms) / statistics.median(engine_ms), 1),
            "goal_ratio": 50, "top20_overlap": round(statistics.mean(overlap), 2)}


def main(argv=None) -> int:
    args = parse_args(argv)
    people_list.BENCH_DB = f"pont_bench_matching_{os.getpid()}"
    with tempfile.TemporaryDirectory(prefix="pont-bench-matching-") as tmp_name:
        tmp = Path(tmp_name)
        database = people_list.Database(tmp)
        people_list.configure_django(tmp)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
        seeded = {"people": people_list.seed(args.people, args.seed), "matching": seed_matching(args.vacancies,
                                                                                              args.seed)}
        from django.contrib.auth import get_user_model

        from pont.core.auth import token_issue
        from pont.matching.models import Vacancy
        from pont.people.selectors import persons_visible_to

        adviser = get_user_model().objects.get(username="lvermeulen")
        _, token = token_issue(user=adviser)
        rng = random.Random(args.seed)
        scope = list(persons_visible_to(adviser).filter(skill_profile__isnull=False).values_list("pk", flat=True))
        vacancy_ids = list(Vacancy.objects.values_list("pk", flat=True))
        from django.db import connections

        connections.close_all()
        port = free_port()
        env = {**os.environ, "DATABASE_URL": database.url, "PONT_VAR_DIR": str(tmp / "var"),
               "PONT_MATCHING_REBUILD": args.rebuild}
        manage = [str(ROOT / ".venv/bin/python"), str(ROOT / "manage.py")]
        snapshots = tmp / "var" / "matching-snapshots"
        started = time.perf_counter()
        if args.rebuild == "shared":  # as `make run` does before serving
            subprocess.run([*manage, "matching_snapshot"], env=env, check=True,  # noqa: S603 (our own command)
                           stdout=subprocess.DEVNULL)
        snapshot_command_s = round(time.perf_counter() - started, 1)
        worker = subprocess.Popen([*manage, "db_worker"], env=env,  # noqa: S603 (our own task worker)
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        server = subprocess.Popen(  # noqa: S603 (our own gunicorn, fixed arguments)
            [str(ROOT / ".venv/bin/gunicorn"), "pont.wsgi:application", "--pythonpath", str(ROOT / "src"),
             "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "4", "--timeout", "600"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        api = Api(f"http://127.0.0.1:{port}", token)
        try:
            for _ in range(100):
                try:
                    if api.get("/health/", auth=False)[1] == 200:
                        break
                except OSError:
                    pass
                time.sleep(0.2)
            workers = workers_of(server.pid)
            memory_before = [memory_mb(pid) for pid in workers]
            # The first matches request of each worker builds its snapshot: 2 workers, so ask until both have.
            first = [api.get(f"/api/v1/persons/{rng.choice(scope)}/matches")[0] for _ in range(2)]
            detail, person_matches, vacancy_matches = [], [], []
            for _ in range(args.rounds):  # interleaved: the yardstick and the two matches reads, same round
                detail.append(api.get(f"/api/v1/persons/{rng.choice(scope)}")[0])
                person_matches.append(api.get(f"/api/v1/persons/{rng.choice(scope)}/matches")[0])
                vacancy_matches.append(api.get(f"/api/v1/vacancies/{rng.choice(vacancy_ids)}/matches")[0])
            # A vacancy changes (the employer edits it): the next request of each worker rebuilds.
            from pont.matching import adapters

            Vacancy.objects.filter(pk=vacancy_ids[0]).update(title="Changed")
            folders_before = len(list(snapshots.iterdir())) if snapshots.exists() else 0
            changed_at = time.perf_counter()
            adapters.changed()
            after_change = [api.get(f"/api/v1/persons/{rng.choice(scope)}/matches")[0] for _ in range(2)]
            # With shared snapshots: how long until the task worker has written the new one.
            visible_after = None
            while args.rebuild == "shared" and time.perf_counter() - changed_at < 120:
                if snapshots.exists() and len([p for p in snapshots.iterdir() if not p.name.startswith(".")]) \
                        > min(folders_before, 2):
                    visible_after = round(time.perf_counter() - changed_at, 1)
                    break
                time.sleep(0.2)
            after_new = [api.get(f"/api/v1/persons/{rng.choice(scope)}/matches")[0] for _ in range(4)]
            # 4 concurrent clients for a while, /health/ probed meanwhile.
            stop = time.perf_counter() + args.concurrent_seconds

            def client(n: int) -> list[float]:
                times = []
                while time.perf_counter() < stop:
                    path = f"/api/v1/persons/{rng.choice(scope)}/matches" if n % 2 else \
                        f"/api/v1/vacancies/{rng.choice(vacancy_ids)}/matches"
                    times.append(api.get(path)[0])
                return times

            health: list[float] = []
            with concurrent.futures.ThreadPoolExecutor(5) as pool:
                futures = [pool.submit(client, n) for n in range(4)]
                while time.perf_counter() < stop:
                    health.append(api.get("/health/", auth=False)[0])
                    time.sleep(0.5)
                concurrent_ms = [t for f in futures for t in f.result()]
            memory_after = [memory_mb(pid) for pid in workers_of(server.pid)]
            memory_task_worker = memory_mb(worker.pid)
        finally:
            server.terminate()
            worker.terminate()
            server.wait(timeout=30)
            worker.wait(timeout=30)
        sql_report = sql_baseline(scope, args.sql_samples, rng) if database.postgres and args.sql_samples else None
        median_detail = statistics.median(detail)
        print(json.dumps({
            "database": database.vendor, "load_average": os.getloadavg(), "cpus": os.cpu_count(),
            "seeded": seeded, "people_in_scope_with_profile": len(scope), "rounds": args.rounds,
            "first_matches_request_per_worker_ms": [round(t, 1) for t in first],
            "steady": {"person_detail (yardstick)": summary(detail), "person_matches": summary(person_matches),
                       "vacancy_matches": summary(vacancy_matches),
                       "person_matches / detail": round(statistics.median(person_matches) / median_detail, 2),
                       "vacancy_matches / detail": round(statistics.median(vacancy_matches) / median_detail, 2)},
            "rebuild": args.rebuild, "snapshot_command_s": snapshot_command_s,
            "first_request_after_a_vacancy_change_ms": [round(t, 1) for t in after_change],
            "change_written_by_the_task_worker_after_s": visible_after,
            "first_requests_on_the_new_snapshot_ms": [round(t, 1) for t in after_new],
            "concurrent_4_clients": summary(concurrent_ms) if concurrent_ms else {},
            "health_during_load": summary(health) if health else {},
            "web_worker_memory_mb": {"before": memory_before, "after": memory_after},
            "task_worker_memory_mb": memory_task_worker,
            "sql_baseline": sql_report,
        }, indent=2))
        database.drop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
