"""Score sheets belong to the panel (entered by each expert before the decision) and are
attached to the review when the officer records it."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def panel_from_review(apps, schema_editor):
    ScoreSheet = apps.get_model("audits", "ScoreSheet")
    for sheet in ScoreSheet.objects.select_related("review").filter(panel__isnull=True):
        sheet.panel_id = sheet.review.panel_id
        sheet.save(update_fields=["panel"])


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0003_deadline_nominal_and_legal_due"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="scoresheet", name="uniq_sheet_expert"),
        migrations.AddField(
            model_name="scoresheet",
            name="panel",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="sheets",
                to="audits.panel",
            ),
        ),
        migrations.AlterField(
            model_name="scoresheet",
            name="review",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="sheets",
                to="audits.review",
            ),
        ),
        migrations.AddField(
            model_name="scoresheet",
            name="entered_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="scoresheet",
            name="entered_at",
            field=models.DateTimeField(
                auto_now=True, default=django.utils.timezone.now, verbose_name="entered at"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(panel_from_review, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="scoresheet",
            name="panel",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="sheets",
                to="audits.panel",
            ),
        ),
        migrations.AddConstraint(
            model_name="scoresheet",
            constraint=models.UniqueConstraint(
                fields=("panel", "expert"), name="uniq_sheet_panel_expert"
            ),
        ),
    ]
