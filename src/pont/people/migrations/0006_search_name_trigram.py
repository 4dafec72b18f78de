"""Name search with an index on PostgreSQL: pg_trgm's GIN index answers `search_name LIKE '%term%'` (the
person list's search) without reading every person. SQLite has no such index; its search stays a scan."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS person_search_name_trgm ON people_person USING gin (search_name gin_trgm_ops)",
]
BACKWARD = ["DROP INDEX IF EXISTS person_search_name_trgm"]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [("people", "0005_labour_status")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
