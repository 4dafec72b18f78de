"""One word for the employer side: Site.company and Vacancy.company become `employer` (a rename, the rows
stay); field rules move onto the model (contract wishes, availability, required language levels)."""

import django.db.models.deletion
from django.db import migrations, models

import pont.core.i18n
import pont.matching.models


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0004_auditevent_moves_to_audit"),
        ("matching", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="site", name="site_unique_name"),
        migrations.RenameField(model_name="site", old_name="company", new_name="employer"),
        migrations.RenameField(model_name="vacancy", old_name="company", new_name="employer"),
        migrations.AlterField(
            model_name="site",
            name="employer",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="sites",
                                    to="core.organisation", verbose_name="employer"),
        ),
        migrations.AlterField(
            model_name="vacancy",
            name="employer",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="vacancies",
                                    to="core.organisation", verbose_name="employer"),
        ),
        migrations.AddConstraint(
            model_name="site",
            constraint=models.UniqueConstraint(fields=("employer", "name"), name="site_unique_name",
                                               violation_error_message="Your company already has a site with "
                                                                       "this name."),
        ),
        migrations.AlterField(
            model_name="skillprofile",
            name="available_from",
            field=models.DateField(blank=True, null=True, validators=[pont.matching.models.validate_available_from],
                                   verbose_name="available from"),
        ),
        migrations.AlterField(
            model_name="skillprofile",
            name="contract_wishes",
            field=models.JSONField(blank=True, default=list,
                                   help_text="Contract types the person looks for; none means any.",
                                   validators=[pont.matching.models.validate_contract_wishes],
                                   verbose_name="contract wishes"),
        ),
        migrations.AlterField(
            model_name="vacancylanguage",
            name="code",
            field=models.CharField(choices=pont.core.i18n.language_choices, max_length=3, verbose_name="language"),
        ),
        migrations.AlterField(
            model_name="vacancylanguage",
            name="level",
            field=models.CharField(choices=[("A1", "A1"), ("A2", "A2"), ("B1", "B1"), ("B2", "B2"), ("C1", "C1"),
                                            ("C2", "C2"), ("native", "Native")], max_length=6,
                                   verbose_name="minimum level"),
        ),
    ]
