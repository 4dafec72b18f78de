"""Write docs/indicators.md from the indicator registry."""

from django.core.management.base import BaseCommand

from pont.reporting import docs


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        docs.PATH.write_text(docs.render(), encoding="utf-8")
        self.stdout.write(f"wrote {docs.PATH}")
