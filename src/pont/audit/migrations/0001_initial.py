"""The audit trail, taken over from core with its table (core_auditevent) as it is: state only."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("core", "0004_auditevent_moves_to_audit"),
        ("people", "0002_person_person_list_order"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="AuditEvent",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("at", models.DateTimeField(db_index=True, default=django.utils.timezone.now,
                                                    verbose_name="time")),
                        ("verb", models.CharField(db_index=True, max_length=64, verbose_name="action")),
                        ("object_type", models.CharField(max_length=64, verbose_name="record type")),
                        ("object_id", models.CharField(blank=True, max_length=64, verbose_name="record")),
                        ("request_id", models.CharField(blank=True, max_length=36, verbose_name="request")),
                        ("channel", models.CharField(default="ui", max_length=8, verbose_name="channel")),
                        ("detail", models.JSONField(blank=True, default=dict, verbose_name="detail")),
                        ("actor", models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT,
                                                    related_name="+", to=settings.AUTH_USER_MODEL,
                                                    verbose_name="actor")),
                        ("organisation", models.ForeignKey(blank=True, null=True,
                                                           on_delete=django.db.models.deletion.PROTECT,
                                                           related_name="+", to="core.organisation",
                                                           verbose_name="organisation")),
                        ("person", models.ForeignKey(blank=True, null=True,
                                                     on_delete=django.db.models.deletion.PROTECT,
                                                     related_name="+", to="people.person", verbose_name="person")),
                    ],
                    options={
                        "verbose_name": "audit event",
                        "verbose_name_plural": "audit events",
                        "ordering": ["-at", "-id"],
                        "db_table": "core_auditevent",
                        "indexes": [
                            models.Index(fields=["person", "-at"], name="core_audite_person__5ebef7_idx"),
                            models.Index(fields=["organisation", "-at"], name="core_audite_organis_da973c_idx"),
                        ],
                    },
                ),
            ],
        ),
    ]
