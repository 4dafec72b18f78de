"""The trail gets its own table name and index names, the caller's X-Request-ID beside Pont's own id,
and database triggers that refuse UPDATE and DELETE (pont.audit.guard)."""

from django.db import migrations, models


def install_guard(apps, schema_editor):
    from pont.audit import guard

    guard.install(schema_editor)


def remove_guard(apps, schema_editor):
    from pont.audit import guard

    guard.remove(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.AlterModelTable(name="auditevent", table=None),
        migrations.RenameIndex(model_name="auditevent", new_name="audit_person_at_idx",
                               old_name="core_audite_person__5ebef7_idx"),
        migrations.RenameIndex(model_name="auditevent", new_name="audit_organisation_at_idx",
                               old_name="core_audite_organis_da973c_idx"),
        migrations.AddField(
            model_name="auditevent",
            name="caller_request_id",
            field=models.CharField(blank=True, max_length=64, verbose_name="caller's request id"),
        ),
        migrations.RunPython(install_guard, remove_guard),
    ]
