"""Re-encrypt every encrypted care field with the newest key (the first of FIELD_ENCRYPTION_KEYS)."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from encrypted_fields.fields import EncryptedFieldMixin


class Command(BaseCommand):
    help = ("Re-encrypt encrypted fields with the first key of FIELD_ENCRYPTION_KEYS. Put the new key first, keep "
            "the old ones after it, run this, then remove the old keys.")

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500, help="Rows per transaction (default 500).")

    def handle(self, *args, batch, **options):
        total = 0
        for model in apps.get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedFieldMixin)]
            if not fields:
                continue
            names = [f.name for f in fields]
            pks = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
            for start in range(0, len(pks), batch):
                with transaction.atomic():
                    # Reading decrypts with any key; writing encrypts with the first. update() skips save() hooks.
                    for row in model._default_manager.filter(pk__in=pks[start:start + batch]).only("pk", *names):
                        model._default_manager.filter(pk=row.pk).update(**{n: getattr(row, n) for n in names})
                        total += 1
            self.stdout.write(f"{model._meta.label}: {len(pks)} rows ({', '.join(names)})")
        self.stdout.write(f"Re-encrypted {total} rows with the newest key.")
