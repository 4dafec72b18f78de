"""Load the region's NUTS regions and municipalities (reference data, not demo data)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from pont.core.places import load_places

    load_places(apps.get_model("core", "Region"), apps.get_model("core", "Municipality"))


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
