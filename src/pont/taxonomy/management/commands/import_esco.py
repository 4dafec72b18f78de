"""`manage.py import_esco DIR [--lang fr,nl,en]`: load the official ESCO CSV download (or the demo set)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pont.taxonomy import suggest
from pont.taxonomy.esco_import import EscoImportError, import_esco


class _Bar:
    """A one-line progress bar on stderr, redrawn at most ten times a second."""

    def __init__(self, stream, enabled: bool):
        self.stream, self.enabled, self.last, self.stage = stream, enabled, 0.0, ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if not self.enabled or (stage == self.stage and now - self.last < 0.1 and done != total):
            return
        self.last = now
        if stage != self.stage and self.stage:
            self.stream.write("\n")
        self.stage = stage
        if total:
            width = 30
            filled = int(width * done / total)
            self.stream.write(f"\r{stage:<36} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        else:
            self.stream.write(f"\r{stage:<36} {done} rows read")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.stage:
            self.stream.write("\n")


class Command(BaseCommand):
    help = ("Import ESCO occupations, skills and their relations from the official CSV download "
            "(occupations_xx.csv, skills_xx.csv, occupationSkillRelations_xx.csv). Idempotent.")

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Folder of the download (one sub-folder per language is fine).")
        parser.add_argument("--lang", default="", help="Languages to import, e.g. fr,nl,en (default: all found).")
        parser.add_argument("--no-progress", action="store_true", help="Do not draw the progress bar.")

    def handle(self, *args, directory, lang, no_progress, verbosity, **options):
        languages = [code.strip().lower() for code in lang.split(",") if code.strip()] or None
        bar = _Bar(sys.stderr, enabled=not no_progress and verbosity > 0)
        started = time.monotonic()
        try:
            result = import_esco(Path(directory), languages, progress=bar)
        except EscoImportError as error:
            bar.close()
            raise CommandError(f"{error}\nNothing was imported.") from None
        bar.close()
        embedded = suggest.rebuild()  # the labels' sentence vectors, once per import (taxonomy/suggest.py)
        self.stdout.write(
            f"ESCO {', '.join(result.languages)}: occupations {result.occupations_created} new, "
            f"{result.occupations_updated} updated; skills {result.skills_created} new, "
            f"{result.skills_updated} updated; {result.labels} labels; relations {result.relations_created} new, "
            f"{result.relations_updated} changed, {result.relations_deleted} removed; "
            f"{result.broader} links to broader concepts "
            f"({time.monotonic() - started:.1f} s); {embedded} labels embedded for free-text suggestions."
        )
