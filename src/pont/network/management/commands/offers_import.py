"""Import a partner's offers from an Open Referral HSDS 3.0 JSON file: all of them, or none."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pont.network.hsds import HsdsError, import_services


class Command(BaseCommand):
    help = ("Import offers from an HSDS 3.0 JSON file (a list of services, or an HSDS API page). Every record "
            "is checked first; one bad record and nothing is imported, each error naming its record's id.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--lang", default="fr", choices=("fr", "nl", "en"),
                            help="the language the file's names and descriptions are written in")

    def handle(self, *args, **options) -> None:
        path: Path = options["file"]
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{path}: {error}") from None
        try:
            result = import_services(data, options["lang"])
        except HsdsError as error:
            lines = "\n".join(f"  {record}: {message}" for record, message in error.errors)
            raise CommandError(f"{path}: {len(error.errors)} record(s) refused, nothing was imported:\n{lines}") \
                from None
        skipped = f"; {len(result.skipped)} programme(s) skipped" if result.skipped else ""
        self.stdout.write(f"{path}: {result.created} offer(s) created, {result.updated} updated{skipped}.")
