"""Create the database cache's table, so that a fresh `migrate` is all the public signal page needs.

The public page's flood protection counts in Django's cache, by default the database cache (CACHE_URL
dbcache://pont_cache). Its table is not a model: Django makes it with `createcachetable`, which a fresh install
forgets, and every public signal then failed with a 500. `createcachetable` skips tables that exist and caches
that are not database caches, so this is safe to run on any installation; run it again by hand after pointing
CACHE_URL at another table.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("care", "0001_initial")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop, elidable=False)]
