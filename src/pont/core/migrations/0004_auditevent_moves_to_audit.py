"""The audit trail moves to its own app (pont.audit): core forgets the model, the table stays as it is.

`audit.0001_initial` takes the model over with the same table; `audit.0002` renames the table.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("core", "0003_places")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AuditEvent")],
            database_operations=[],
        ),
    ]
