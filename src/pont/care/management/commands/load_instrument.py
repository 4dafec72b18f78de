"""Load a screening instrument from a JSON file (schema: docs/instruments.md), e.g. RHS-15 under licence."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from pont.care import scoring
from pont.care.models import Instrument
from pont.core.models import Organisation


class Command(BaseCommand):
    help = "Load (or replace) a screening instrument from a JSON file; --organisation limits it to one partner."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the instrument's JSON file (docs/instruments.md).")
        parser.add_argument("--organisation", default="", help="Name of the organisation that holds the licence.")

    def handle(self, *args, file, organisation, **options):
        path = Path(file)
        try:
            definition = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        try:
            instrument = scoring.parse(definition)
        except scoring.DefinitionError as error:
            raise CommandError(f"{path}: {error}") from None
        org = None
        if organisation:
            org = Organisation.objects.filter(name=organisation).first()
            if org is None:
                raise CommandError(f"No organisation named {organisation!r}.")
        with transaction.atomic():
            row, created = Instrument.objects.update_or_create(code=instrument.code, organisation=org,
                                                               defaults={"definition": definition})
            from pont.audit.services import audit

            audit(actor=None, verb="care.instrument.loaded", obj=row, organisation=org,
                  detail={"code": instrument.code, "version": instrument.version})
        self.stdout.write(f"{'Loaded' if created else 'Replaced'} {instrument.code} ({instrument.name}, "
                          f"{len(instrument.items)} items) for {org or 'every organisation'}.")
