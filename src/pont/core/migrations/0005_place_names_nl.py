"""Dutch names of the French departments as Dutch speakers write them ("Pas-de-Calais", not "Nauw van Calais")."""

from django.db import migrations


def forwards(apps, schema_editor):
    from pont.core.places import load_places

    load_places(apps.get_model("core", "Region"), apps.get_model("core", "Municipality"))


class Migration(migrations.Migration):
    dependencies = [("core", "0004_auditevent_moves_to_audit")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
