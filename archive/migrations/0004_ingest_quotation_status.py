"""Quotation.status: proposals from automatic extraction wait for review; rejected ones stay, out of view.

Editors have no delete permission and rejected proposals are part of the record of what the
extractor did, so rejection is a status, not a deletion. Existing quotations (entered by editors,
imported from corpora) are accepted.

On SQLite, adding a column with a default and a constraint rebuilds the table, which drops its
triggers; the span triggers of 0003 are created again afterwards.
"""

import importlib

from django.db import migrations, models

STATUS_CHOICES = [("proposed", "Proposed"), ("accepted", "Accepted"), ("rejected", "Rejected")]
STATUS_HELP = "Proposals from automatic extraction wait for review; only accepted quotations are public"


def restore_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    triggers = importlib.import_module("archive.migrations.0003_integrity_triggers")
    for statement in triggers.SQLITE_BACKWARD:
        schema_editor.execute(statement, params=None)
    for statement in triggers.SQLITE_FORWARD:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("archive", "0003_integrity_triggers")]

    operations = [
        migrations.AddField(
            model_name="historicalquotation",
            name="status",
            field=models.CharField(
                choices=STATUS_CHOICES, db_index=True, default="accepted", help_text=STATUS_HELP, max_length=10
            ),
        ),
        migrations.AddField(
            model_name="quotation",
            name="status",
            field=models.CharField(
                choices=STATUS_CHOICES, db_index=True, default="accepted", help_text=STATUS_HELP, max_length=10
            ),
        ),
        migrations.AddConstraint(
            model_name="quotation",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["proposed", "accepted", "rejected"])), name="quotation_status_valid"
            ),
        ),
        migrations.RunPython(restore_sqlite_triggers, migrations.RunPython.noop),
    ]
