"""Deadlines keep the nominal last day and the legal one (民法典 第二百零三条).

Existing rows stored the nominal day in ``due``: it moves to ``nominal_due`` and ``due`` becomes
the legal day. An overdue flag raised before the legal day is withdrawn (the clock raises it
again, correctly, once the legal day has passed).
"""

import datetime as dt

from django.db import migrations, models


def split_due(apps, schema_editor):
    from cleanprod.core.calendar import CalendarError
    from cleanprod.core.legal_calendar import calendar_version, legal_due

    Deadline = apps.get_model("audits", "Deadline")
    version = calendar_version()
    today = dt.date.today()
    for d in Deadline.objects.all().only("pk", "due", "met_on", "overdue"):
        try:
            legal = legal_due(d.due)
        except CalendarError:  # a date outside the holiday data: keep it as it was
            legal = d.due
        overdue = d.overdue and not (d.met_on is None and legal >= today)
        Deadline.objects.filter(pk=d.pk).update(
            nominal_due=d.due, due=legal, calendar_version=version, overdue=overdue
        )


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0002_versions_protect_deactivate"),
    ]

    operations = [
        migrations.AddField(
            model_name="deadline",
            name="nominal_due",
            field=models.DateField(null=True, verbose_name="nominal due date"),
        ),
        migrations.AddField(
            model_name="deadline",
            name="calendar_version",
            field=models.CharField(
                blank=True, max_length=128, verbose_name="holiday calendar version"
            ),
        ),
        migrations.RunPython(split_due, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="deadline",
            name="nominal_due",
            field=models.DateField(verbose_name="nominal due date"),
        ),
    ]
