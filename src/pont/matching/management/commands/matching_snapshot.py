"""Build the matching snapshot of the data as it is now and write it for the web workers to map."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from pont.matching import adapters


class Command(BaseCommand):
    help = ("Build the matching snapshot (every person × every open vacancy) and write it as files every web "
            "worker maps into memory, so that no request builds one (`make run` calls it before serving).")

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        key = adapters.current_key()
        folder = adapters.shared_folder(key)
        if adapters.load_shared(key) is None:
            snapshot = adapters.build_all()
            folder = adapters.save_shared(snapshot, key)
            self.stdout.write(f"Matching snapshot: {len(snapshot.person_ids)} people × {len(snapshot.vacancy_ids)} "
                              f"open vacancies, written to {folder} ({time.monotonic() - started:.1f} s).")
        else:
            self.stdout.write(f"Matching snapshot: {folder} is current.")
