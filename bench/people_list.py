#!/usr/bin/env python
"""Bench: the person list (UI and API) over 100,000 people, beside a trivial Django view.

A script, not a test. It creates a throw-away database (an SQLite file in a temporary directory, or
with DATABASE_URL=postgres://… a dedicated database `pont_bench` that is dropped at the end), migrates,
seeds the demo staff and N synthetic people with bulk inserts, then times each URL with Django's test
Client in this process (no network, no server: what is measured is Django + the database) and prints
JSON: median and p90 in milliseconds, and the ratio of each median to the trivial view's (`/health/`).

    .venv/bin/python bench/people_list.py                 # SQLite, 100,000 people
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pont .venv/bin/python bench/people_list.py
    .venv/bin/python bench/people_list.py --people 20000 --requests 30 --explain

See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

BENCH_DB = "pont_bench"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=100_000, help="people to seed (default 100000)")
    parser.add_argument("--requests", type=int, default=60, help="timed requests per URL (default 60)")
    parser.add_argument("--budget", type=float, default=10.0,
                        help="seconds at most spent timing one URL (default 10; fewer requests if slower)")
    parser.add_argument("--max-seconds", type=float, default=270.0,
                        help="stop timing early enough to finish within this many seconds (default 270)")
    parser.add_argument("--adviser", default="lvermeulen",
                        help="demo adviser whose scope is listed (default lvermeulen, VDAB: ~40%% of people)")
    parser.add_argument("--explain", action="store_true", help="print the database's plan of each list query "
                        "to stderr")
    parser.add_argument("--coordinator", default="smartens",
                        help="demo coordinator whose home is timed (default smartens: the whole portfolio)")
    parser.add_argument("--rounds", type=int, default=20,
                        help="interleaved rounds through gunicorn (default 20)")
    parser.add_argument("--seed", type=int, default=2026)
    return parser.parse_args(argv)


# ---------------------------------------------------------------------------------------------------------
# The throw-away database (configured before Django reads its settings)


class Database:
    """Point DATABASE_URL at a throw-away database; `drop()` removes it."""

    def __init__(self, tmp: Path):
        given = os.environ.get("DATABASE_URL", "")
        self.postgres = given.startswith(("postgres://", "postgresql://", "pgsql://"))
        if self.postgres:
            parts = urlsplit(given)
            self.admin_url = urlunsplit(parts._replace(path="/postgres"))
            self.url = urlunsplit(parts._replace(path=f"/{BENCH_DB}"))
            self._admin(f'DROP DATABASE IF EXISTS "{BENCH_DB}"', f'CREATE DATABASE "{BENCH_DB}"')
        elif given and not given.startswith("sqlite"):
            raise SystemExit(f"bench: unsupported DATABASE_URL scheme: {given.split(':')[0]}")
        else:
            self.url = f"sqlite:///{tmp / 'bench.sqlite3'}"
        os.environ["DATABASE_URL"] = self.url

    @property
    def vendor(self) -> str:
        return "postgresql" if self.postgres else "sqlite"

    def _admin(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            for sql in statements:
                conn.execute(sql)

    def drop(self) -> None:
        if self.postgres:
            from django.db import connections

            connections.close_all()
            self._admin(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


def configure_django(tmp: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "pont.settings"
    os.environ["PONT_VAR_DIR"] = str(tmp)           # secret key and static root under the temp dir
    os.environ["DEBUG"] = "false"                   # DEBUG would record every query and slow everything
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    from django.conf import settings

    # The manifest storage needs collectstatic; the plain one resolves {% static %} the same way.
    (tmp / "static").mkdir(exist_ok=True)
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    # Nobody logs in with a password here: skip PBKDF2's deliberate slowness while seeding the staff.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    import django

    django.setup()


# ---------------------------------------------------------------------------------------------------------
# Seeding: demo staff, then people with bulk inserts (no services: they audit and validate one by one)


def _name_pools(rng: random.Random) -> dict:
    """Return origin → (male given names, female given names, family names), drawn once per locale."""
    from faker import Faker
    from unidecode import unidecode

    from pont.demo.people import _NAMES, ORIGINS

    pools = {}
    for *_, source in ORIGINS:
        if source in pools:
            continue
        if source in _NAMES:
            pools[source] = _NAMES[source]
            continue
        fake = Faker(source)
        fake.seed_instance(rng.random())
        pools[source] = (
            sorted({unidecode(fake.first_name_male()) for _ in range(150)}),
            sorted({unidecode(fake.first_name_female()) for _ in range(150)}),
            sorted({unidecode(fake.last_name()) for _ in range(300)}),
        )
    return pools


def _insert(model, columns: list[str], rows: list[tuple]) -> None:
    """INSERT rows with executemany: ~10x faster than bulk_create, which builds a model per row."""
    from django.db import connection

    quote = connection.ops.quote_name
    # Table and column names come from the model, values are bound parameters.
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    with connection.cursor() as cursor:
        for first in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[first:first + 5000])


def seed(count: int, seed_value: int) -> dict:
    """Create the demo staff and `count` people with files, languages and legal-status histories."""
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone

    from pont.core.models import Municipality, Organisation
    from pont.demo.people import ORIGINS, SHARES
    from pont.demo.staff import seed_staff
    from pont.people.duplicates import normalise
    from pont.people.models import LegalStatus, Person, PersonFile, PersonLanguage

    started = time.perf_counter()
    seed_staff()
    rng = random.Random(seed_value)
    today = timezone.localdate()
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    day = ops.adapt_datefield_value
    orgs = {o.name: o.pk for o in Organisation.objects.filter(name__in=[s[0] for s in SHARES])}
    places = {name: list(Municipality.objects.filter(region__organisations=pk).select_related("region"))
              for name, pk in orgs.items()}
    pools = _name_pools(rng)
    weights = [o[0] for o in ORIGINS]
    org_names, org_weights = [s[0] for s in SHARES], [s[1] for s in SHARES]
    statuses = ["recognised_refugee"] * 45 + ["subsidiary_protection"] * 10 + ["temporary_protection"] * 13 \
        + ["asylum_seeker"] * 20 + ["asylum_appeal"] * 4 + ["rejected"] * 3 + ["other"] * 5
    levels = ["none", "A1", "A1", "A2", "A2", "B1", "B2", "C1"]
    first_id = (Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1

    people, files, languages, legal = [], [], [], []
    for pk in range(first_id, first_id + count):
        _, nationality, mother, others, source = rng.choices(ORIGINS, weights=weights)[0]
        org_name = rng.choices(org_names, weights=org_weights)[0]
        municipality = rng.choice(places[org_name])
        country_of_residence = municipality.region.country
        age = rng.choice([rng.randint(15, 17), *[rng.randint(18, 64)] * 10])
        born = today - dt.timedelta(days=age * 365 + rng.randint(0, 364))
        sex = "F" if rng.random() < 0.4 else "M"
        males, females, families = pools[source]
        given, family = rng.choice(males if sex == "M" else females), rng.choice(families)
        status = rng.choice(statuses)
        minor = age < 18 and rng.random() < 0.7
        people.append((
            pk, f"B-{pk:07d}", given, family, normalise(f"{given} {family}"), day(born), sex, nationality,
            municipality.region_id, municipality.pk, "", f"+32 4{rng.randint(10, 99)} {rng.randint(100000, 999999)}",
            "", minor, "Service des Tutelles" if minor else "", "", status, now,
        ))
        files.append((pk, orgs[org_name], now, now if rng.random() < 0.08 else None))
        if rng.random() < 0.05:  # referred across the border: a second organisation holds a file
            files.append((pk, orgs[rng.choice([n for n in org_names if n != org_name])], now, None))
        local = "nld" if municipality.region.code in ("BE25", "BE23") else "fra"
        langs = {mother: "native", local: rng.choice(levels)}
        for extra in rng.sample(others, k=rng.randint(0, len(others))):
            langs.setdefault(extra, rng.choice(["", "A2", "B1"]))
        languages += [(pk, code, level) for code, level in langs.items()]
        country = country_of_residence if rng.random() < 0.9 else ("FR" if country_of_residence == "BE" else "BE")
        start = today - dt.timedelta(days=rng.randint(20, 2500))
        if status != "asylum_seeker" and rng.random() < 0.4:  # asylum seeker first, then the decision
            earlier = start - dt.timedelta(days=rng.randint(120, 700))
            legal.append((pk, "asylum_seeker", country, day(earlier), day(start - dt.timedelta(days=1)), now))
        legal.append((pk, status, country, day(start), None, now))

    with transaction.atomic():
        _insert(Person, ["id", "reference", "given_name", "family_name", "search_name", "date_of_birth", "sex",
                         "nationality", "region_id", "municipality_id", "address", "phone", "email",
                         "unaccompanied_minor", "guardian_name", "guardian_contact", "current_status",
                         "created_at"], people)
        _insert(PersonFile, ["person_id", "organisation_id", "opened_at", "closed_at"], files)
        _insert(PersonLanguage, ["person_id", "code", "level"], languages)
        _insert(LegalStatus, ["person_id", "status", "country", "start_date", "end_date", "recorded_at"], legal)
        with connection.cursor() as cursor:  # PostgreSQL: move the id sequence past the ids given above
            for sql in ops.sequence_reset_sql(no_style(), [Person]):
                cursor.execute(sql)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # what autovacuum does shortly after a bulk load
            cursor.execute("ANALYZE")
    return {"people": len(people), "files": len(files), "languages": len(languages), "legal_statuses": len(legal),
            "seconds": round(time.perf_counter() - started, 1)}


# ---------------------------------------------------------------------------------------------------------
# Timing


def time_url(client, url: str, *, requests: int, budget: float, headers: dict | None = None) -> dict:
    headers = headers or {}
    for _ in range(3):  # warm-up: URL resolution, template loading, the database's caches
        response = client.get(url, headers=headers)
        if response.status_code != 200:
            raise SystemExit(f"bench: GET {url} answered {response.status_code}")
    samples = []
    deadline = time.perf_counter() + budget
    while len(samples) < requests and time.perf_counter() < deadline:
        start = time.perf_counter()
        response = client.get(url, headers=headers)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    samples.sort()
    return {
        "url": url,
        "requests": len(samples),
        "median_ms": round(statistics.median(samples), 2),
        "p90_ms": round(samples[min(len(samples) - 1, int(len(samples) * 0.9))], 2),
        "bytes": len(response.content),
    }


def rows_in_scope(user) -> int:
    from pont.people.selectors import PersonFilters, person_list

    return person_list(user=user, filters=PersonFilters()).count()


def explain(user, cases: dict) -> None:
    """Print the database's plan of each SQL query the list runs (page and COUNT) to stderr."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pont.people.selectors import PersonFilters, person_list

    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
    for name, filters in cases.items():
        qs = person_list(user=user, filters=PersonFilters(**filters))
        with CaptureQueriesContext(connection) as captured:
            list(qs[:25])
            qs.count()
        for query in captured.captured_queries:
            sql = query["sql"]
            if "people_person" not in sql:
                continue  # the user's memberships
            with connection.cursor() as cursor:
                cursor.execute(prefix + sql)
                plan = "\n".join("  " + " | ".join(str(c) for c in row) for row in cursor.fetchall())
            print(f"--- {name}: {sql[:160]}…\n{plan}", file=sys.stderr)


def main(argv=None) -> int:
    args = parse_args(argv)
    wall = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="pont-bench-") as tmpdir:
        tmp = Path(tmpdir)
        db = Database(tmp)
        try:
            configure_django(tmp)
            from django.core.management import call_command
            from django.test import Client

            from pont.core.auth import token_issue
            from pont.core.models import User

            started = time.perf_counter()
            call_command("migrate", verbosity=0, interactive=False)
            migrate_seconds = round(time.perf_counter() - started, 1)
            seeded = seed(args.people, args.seed)
            user = User.objects.get(username=args.adviser)
            _, raw_token = token_issue(user=user, name="bench")
            ui = Client()
            ui.force_login(user)
            api = Client(headers={"Authorization": f"Bearer {raw_token}"})
            anonymous = Client()

            common = "haddad"
            filters = {
                "first_page": {},
                "search": {"q": common},
                "region": {"region": "BE25"},
                "status": {"status": "asylum_seeker"},
                "language": {"language": "tir"},
                "age_band": {"age_band": "18-25"},
                "combined": {"status": "recognised_refugee", "language": "ara", "age_band": "26-35"},
            }
            if args.explain:
                explain(user, filters)

            def qs(params: dict) -> str:
                from urllib.parse import urlencode

                return f"?{urlencode(params)}" if params else ""

            plan = [("health", anonymous, "/health/")]
            plan += [(f"ui_{name}", ui, f"/people/{qs(params)}") for name, params in filters.items()]
            plan += [("ui_last_page", ui, "/people/?last=1")]
            plan += [(f"api_{name}", api, f"/api/v1/persons{qs(params)}") for name, params in filters.items()]
            plan += [("api_200_per_page", api, "/api/v1/persons?limit=200"), ("health_again", anonymous, "/health/")]
            results = {}
            for index, (name, client, url) in enumerate(plan):
                # Share what is left of --max-seconds between the URLs still to time.
                left = (wall + args.max_seconds - time.perf_counter()) / (len(plan) - index)
                results[name] = time_url(client, url, requests=args.requests, budget=max(1.0, min(args.budget, left)))

            http = time_served(db, tmp, args)
            trivial = statistics.median([results["health"]["median_ms"], results["health_again"]["median_ms"]])
            for row in results.values():
                row["ratio_to_trivial"] = round(row["median_ms"] / trivial, 1) if trivial else None
            from django import get_version

            report = {
                "database": db.vendor,
                "people": seeded["people"],
                "rows": seeded,
                "adviser": args.adviser,
                "people_in_scope": rows_in_scope(user),
                "migrate_seconds": migrate_seconds,
                "trivial_view": "/health/",
                "trivial_median_ms": trivial,
                "results": results,
                "served": http,
                "python": platform.python_version(),
                "django": get_version(),
                "cpus": os.cpu_count(),
                "load_average": [round(x, 1) for x in os.getloadavg()],
                "total_seconds": round(time.perf_counter() - wall, 1),
            }
        finally:
            db.drop()
    print(json.dumps(report, indent=2))
    return 0


def middle_person(username: str) -> int:
    """The id of the person half-way down the adviser's list (the list pages by its neighbours' ids)."""
    from pont.core.models import User
    from pont.people.selectors import PersonFilters, person_list

    people = person_list(user=User.objects.get(username=username), filters=PersonFilters())
    return people.values_list("pk", flat=True)[people.count() // 2]


def time_served(db, tmp: Path, args) -> dict:
    """The homes, the list and a name search through gunicorn as `make run` serves them, interleaved with the
    trivial view in the same rounds; the queries each home runs, counted in this process."""
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    import served

    cookies = {name: served.signed_in_session(name) for name in (args.adviser, args.coordinator)}
    queries = {}
    for label, username in (("home_adviser", args.adviser), ("home_coordinator", args.coordinator)):
        client = Client()
        client.cookies["sessionid"] = cookies[username]
        client.get("/")
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        queries[label] = len(captured)
    served.collectstatic(tmp)
    connections.close_all()
    log = tmp / "gunicorn.log"
    # Two servers: the default (counts on the homes kept 5 minutes, with their time shown) and one that
    # counts on every request (PONT_REPORTING_CACHE_SECONDS=0), so the cost of a count is seen too.
    with served.gunicorn(db.url, tmp, log) as base, \
            served.gunicorn(db.url, tmp, log, PONT_REPORTING_CACHE_SECONDS="0") as uncached:
        adviser, coordinator = cookies[args.adviser], cookies[args.coordinator]
        urls = {"trivial_view": (f"{base}/health/", ""),
                "home_adviser": (f"{base}/", adviser),
                "home_coordinator": (f"{base}/", coordinator),
                "home_coordinator_counting": (f"{uncached}/", coordinator),
                "list_first_page": (f"{base}/people/", adviser),
                "list_middle_page": (f"{base}/people/?after={middle_person(args.adviser)}", adviser),
                "list_last_page": (f"{base}/people/?last=1", adviser),
                "name_search": (f"{base}/people/?q=haddad", adviser),
                "api_name_search": (f"{base}/api/v1/persons?q=haddad", adviser)}
        timings = served.interleaved(urls, args.rounds)
    trivial = timings["interleaved"]["trivial_view"]["median_ms"]
    for row in timings["interleaved"].values():
        row["ratio_to_trivial"] = round(row["median_ms"] / trivial, 1) if trivial else None
    return {"server": "gunicorn, 2 workers x 4 threads", "rounds": args.rounds, "home_queries": queries, **timings}


if __name__ == "__main__":
    sys.exit(main())
