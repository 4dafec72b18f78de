"""`manage.py match_batch`: the nightly "who fits what" for every person with a profile × every open
vacancy, on a Dask cluster (an existing one with --scheduler, else a LocalCluster on this machine)."""

from __future__ import annotations

import json
import time

from django.core.management.base import BaseCommand

from pont.matching import adapters, cluster, services
from pont.matching.choices import VacancyStatus
from pont.matching.models import Vacancy
from pont.people.models import Person


class Command(BaseCommand):
    help = "Rank the best open vacancies for every person with a skill profile, on Dask; store them in bulk."

    def add_arguments(self, parser):
        parser.add_argument("--scheduler", default="", help="Address of a Dask scheduler (tcp://host:8786); "
                                                            "without it a LocalCluster runs here.")
        parser.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes (default 2).")
        parser.add_argument("--limit", type=int, default=20, help="Vacancies kept per person (default 20).")
        parser.add_argument("--block", type=int, default=2048, help="People per task (default 2048).")

    def handle(self, *args, scheduler, workers, limit, block, **options):
        started = time.perf_counter()
        snapshot = adapters.build(Person.objects.filter(skill_profile__isnull=False),
                                  Vacancy.objects.filter(status=VacancyStatus.OPEN))
        built = time.perf_counter()
        with cluster.connect(scheduler or None, workers) as client:
            top_idx, top_score = cluster.run(snapshot.matcher, client, limit=limit, size=block)
            n_workers = len(client.scheduler_info()["workers"])
        ranked = time.perf_counter()
        lines = services.batch_store(person_ids=snapshot.person_ids, vacancy_ids=snapshot.vacancy_ids,
                                     top_idx=top_idx, top_score=top_score)
        self.stdout.write(json.dumps({
            "people": len(snapshot.person_ids), "vacancies": len(snapshot.vacancy_ids), "lines": lines,
            "workers": n_workers, "build_seconds": round(built - started, 2),
            "rank_seconds": round(ranked - built, 2), "store_seconds": round(time.perf_counter() - ranked, 2)}))
