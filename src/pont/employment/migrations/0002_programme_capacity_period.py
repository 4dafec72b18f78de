"""A programme's capacity has a period: per calendar year (what every existing programme had) or over the
project duration. `yearly_capacity` is renamed, so the places already set are kept, counted per year."""

from django.db import migrations, models

PERIOD = models.CharField(
    choices=[("year", "per calendar year"), ("project", "over the project duration")], default="year",
    help_text="Per calendar year, or in total over the project duration.", max_length=8,
    verbose_name="places counted")
CAPACITY = models.PositiveIntegerField(blank=True, help_text="Empty: no limit.", null=True, verbose_name="places")


class Migration(migrations.Migration):

    dependencies = [
        ("employment", "0001_initial"),
    ]

    operations = [
        *(op for model in ("programme", "historicalprogramme") for op in (
            migrations.RenameField(model_name=model, old_name="yearly_capacity", new_name="capacity"),
            migrations.AlterField(model_name=model, name="capacity", field=CAPACITY),
            # Existing rows get "year": the places they had were yearly.
            migrations.AddField(model_name=model, name="capacity_period", field=PERIOD),
        )),
    ]
