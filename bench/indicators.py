"""Reporting at regional size, measured where Sophie feels it: the indicators page through gunicorn, as
`make run` serves it, interleaved with a trivial view; and the evaluation extract. Prints JSON; a script,
never a test. PostgreSQL only (the production database; the volumes are made in SQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/indicators.py
    ... bench/indicators.py --people 200000 --rounds 10        # quicker

1. A throw-away database (`pont_bench_indicators`, dropped at the end); migrations; the demo staff and
   programmes; 5,000 people seeded as bench/people_list.py does, then copied in SQL up to `--people`
   (registration spread over two years, one file each, 1 in 13 closed), 1 in 5 with an enrolment
   (200,000 at 1M), 1 in 17 with a placement and its six-month follow-up (~60,000), `--signals` signals
   (100,000) with a first contact for 9 in 10 and a visit each, and `--audit` audit events (2,000,000).
2. gunicorn with 2 workers × 4 threads, twice: one server counting on every request
   (PONT_REPORTING_CACHE_SECONDS=0), one with the default 5-minute cache of the tables;
   Sophie (portfolio coordinator: every partner's records) signed in with a confirmed second factor.
3. `--rounds` interleaved rounds: `GET /health/` (the trivial view), the indicators page for one year (all
   regions) on each server, one indicator's page, the API's `people_supported` by region. The first request of each is
   reported apart (cold caches).
4. The extract of every person for the year, timed as the task runs it (reporting.services.extract_work).
"""

# ruff: noqa: S608  (the SQL below is built from our own numbers and ids, never from input)
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import people_list  # noqa: E402  (the throw-away database, Django's configuration, the people seeding)
import served  # noqa: E402  (gunicorn, a signed-in session, timed requests)

people_list.BENCH_DB = "pont_bench_indicators"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--signals", type=int, default=100_000)
    parser.add_argument("--audit", type=int, default=2_000_000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--keep", action="store_true", help="keep the database (to explain queries by hand)")
    return parser.parse_args(argv)


def _sql(*statements: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _ids(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql)
        return ",".join(str(r[0]) for r in cursor.fetchall())


def populate(args) -> dict:
    """The volumes of the issue, made in SQL from a realistic seed (no model objects by the hundred thousand)."""
    from django.contrib.auth import get_user_model

    from pont.demo.employment import _programmes

    started = time.perf_counter()
    base = people_list.seed(5000, args.seed)
    _programmes(get_user_model())
    copies = max(0, -(-(args.people - base["people"]) // base["people"]))
    employment = _ids("SELECT id FROM core_organisation WHERE kind = 'employment_service' ORDER BY id")
    care = _ids("SELECT id FROM core_organisation WHERE kind = 'care_team' ORDER BY id")
    programmes = _ids("SELECT id FROM employment_programme ORDER BY id")
    municipalities = _ids("SELECT id FROM core_municipality ORDER BY id")
    columns = ["given_name", "family_name", "search_name", "sex", "nationality", "region_id", "municipality_id",
               "address", "phone", "email", "unaccompanied_minor", "guardian_name", "guardian_contact",
               "current_status"]
    _sql(
        f"""INSERT INTO people_person (reference, date_of_birth, created_at, {", ".join(columns)})
            SELECT 'X-' || g || '-' || p.id, p.date_of_birth - (g % 900)::int, now() - (g % 730) * interval '1 day',
                   {", ".join("p." + c for c in columns)}
            FROM people_person p CROSS JOIN generate_series(1, {copies}) g
            ORDER BY g, p.id LIMIT {args.people - base["people"]}""",
        f"""INSERT INTO people_personfile (person_id, organisation_id, opened_at, closed_at)
            SELECT id, (ARRAY[{employment}])[1 + id % {len(employment.split(","))}], created_at,
                   CASE WHEN id % 13 = 0 THEN created_at + interval '300 days' END
            FROM people_person WHERE reference LIKE 'X-%'""",
        f"""INSERT INTO employment_enrolment (person_id, programme_id, status, proposed_on, enrolled_on,
                completed_on, dropped_out_on, dropout_reason, coach_name, coach_contact, notes, created_at)
            SELECT id, (ARRAY[{programmes}])[1 + (id / 5) % {len(programmes.split(","))}],
                   (ARRAY['completed', 'dropped_out', 'active', 'active', 'completed'])[1 + (id / 5) % 5],
                   created_at::date, created_at::date + 10,
                   CASE WHEN (id / 5) % 5 IN (0, 4) THEN created_at::date + 200 END,
                   CASE WHEN (id / 5) % 5 = 1 THEN created_at::date + 90 END, '', '', '', '', now()
            FROM people_person WHERE id % 5 = 0""",
        """INSERT INTO employment_placement (person_id, organisation_id, employer_name, job_title, occupation_uri,
                contract_type, contract_months, start_date, created_at)
            SELECT p.id, f.organisation_id, 'Bench NV', 'Welder', '',
                   (ARRAY['open_ended', 'fixed_term', 'agency'])[1 + p.id % 3],
                   CASE WHEN p.id % 3 > 0 THEN 6 + 6 * (p.id % 2) END, p.created_at::date + (p.id % 300)::int, now()
            FROM people_person p JOIN people_personfile f ON f.person_id = p.id WHERE p.id % 17 = 0""",
        """INSERT INTO employment_followup (placement_id, month, due_on, done_on, still_employed, reason_left, notes)
            SELECT id, 6, start_date + 182, CASE WHEN start_date + 182 < current_date THEN start_date + 182 END,
                   CASE WHEN start_date + 182 < current_date THEN id % 4 <> 0 END, '', ''
            FROM employment_placement""",
        f"""INSERT INTO care_signal (reference, organisation_id, legal_basis, legal_basis_note, received_at,
                channel, relation, languages, municipality_id, age_group, target_group, concerns, danger_now,
                category, category_reasons, target_at, needs_clinician, handover_note, outcome, outcome_scores,
                first_contact_at)
            SELECT 'S-' || g, (ARRAY[{care}])[1 + g % {len(care.split(","))}], 'consent', '',
                   now() - (g % 700) * interval '1 day', (ARRAY['phone', 'web', 'partner'])[1 + g % 3], 'self',
                   '["ara"]', (ARRAY[{municipalities}])[1 + g % {len(municipalities.split(","))}],
                   (ARRAY['12-17', '18-25', '26-64', ''])[1 + g % 4],
                   (ARRAY['refugee', 'asylum_seeker', 'unaccompanied_minor', 'professional'])[1 + g % 4], '[]',
                   false, (ARRAY['A', 'B', 'C', 'D', 'E'])[1 + g % 5], '',
                   now() - (g % 700) * interval '1 day' + (ARRAY[60, 1440, 4320, 10080, 20160])[1 + g % 5]
                       * interval '1 minute', false, '', '', '{{}}',
                   CASE WHEN g % 10 <> 0 THEN now() - (g % 700) * interval '1 day' + (g % 3000) * interval '1 minute'
                   END
            FROM generate_series(1, {args.signals}) g""",
        """INSERT INTO care_visit (signal_id, starts_at, ends_at, place, municipality_id, language, status,
                attended, language_spoken, next_step, created_at)
            SELECT id, received_at + interval '1 day', received_at + interval '1 day 90 minutes', 'Home visit',
                   municipality_id, 'ara', 'done', true, id % 7 <> 0, '', now()
            FROM care_signal""",
        f"""INSERT INTO audit_auditevent (at, verb, object_type, object_id, request_id, caller_request_id, channel,
                detail, person_id)
            SELECT now() - (g % 700) * interval '1 day', 'person.viewed', 'people.person', '', '', '', 'web', '{{}}',
                   (SELECT min(id) FROM people_person) + g % {args.people}
            FROM generate_series(1, {args.audit}) g""",
        "ANALYZE",
    )
    counts = {}
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("people_person", "people_personfile", "employment_enrolment", "employment_placement",
                      "care_signal", "care_visit", "audit_auditevent"):
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts[table] = cursor.fetchone()[0]
    return counts | {"seconds": round(time.perf_counter() - started, 1)}


def main(argv=None) -> int:
    args = parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        raise SystemExit("bench/indicators.py runs on PostgreSQL: set DATABASE_URL=postgres://…")
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        database = people_list.Database(tmp)
        people_list.configure_django(tmp)
        from django.core.management import call_command
        from django.db import connections

        try:
            call_command("migrate", verbosity=0)
            call_command("createcachetable", verbosity=0)
            served.collectstatic(tmp / "var")
            volumes = populate(args)
            cookie = served.signed_in_session("smartens")
            connections.close_all()
            log = tmp / "gunicorn.log"
            year = time.strftime("%Y")
            period = f"since={year}-01-01&until={year}-12-31"
            try:
                with served.gunicorn(database.url, tmp / "var", log, PONT_REPORTING_CACHE_SECONDS="0") as base, \
                        served.gunicorn(database.url, tmp / "var", log, PONT_REPORTING_CACHE_SECONDS="300") as cached:
                    urls = {"trivial_view": f"{base}/health/",
                            "indicators_page": f"{base}/reporting/?{period}",
                            "indicators_page_cached": f"{cached}/reporting/?{period}",
                            "indicator_page": f"{base}/reporting/people_supported/?{period}&by=region",
                            "api_people_by_region": f"{base}/api/v1/indicators/people_supported?from={year}-01-01"
                                                    f"&to={year}-12-31&by=region"}
                    timings = served.interleaved({name: (url, cookie) for name, url in urls.items()}, args.rounds)
            finally:
                errors = [line for line in log.read_text().splitlines() if "Error" in line] if log.exists() else []
                if errors:
                    print("\n".join(errors[-5:]), file=sys.stderr)
            extract = time_extract(year)
            print(json.dumps({
                "database": "postgresql", "volumes": volumes, "rounds": args.rounds,
                "server": "gunicorn, 2 workers x 4 threads; two servers: cache off, 5-minute cache",
                 "period": f"{year}-01-01..{year}-12-31",
                **timings,
                "extract": extract,
            }, indent=2))
        finally:
            if not args.keep:
                database.drop()
    return 0


def time_extract(year: str) -> dict:
    """The evaluation extract of every person supported in the year, as the task runs it."""
    import datetime as dt

    from django.contrib.auth import get_user_model

    from pont.reporting import selectors, services
    from pont.reporting.registry import Period

    user = get_user_model().objects.get(username="smartens")
    period = Period(dt.date(int(year), 1, 1), dt.date(int(year), 12, 31))
    from django.db import transaction

    with transaction.atomic():
        extract = services.extract_request(user=user, period=period, filters=selectors.Filters(),
                                           key="bench key of at least 16 characters")
    started = time.perf_counter()
    done = services.extract_work(extract_id=extract.pk)
    seconds = time.perf_counter() - started
    assert done is not None
    return {"rows": done.rows, "seconds": round(seconds, 1), "gzip_mb": round(len(bytes(done.data)) / 1e6, 1)}


if __name__ == "__main__":
    sys.exit(main())
