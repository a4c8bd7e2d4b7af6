"""Sources remember a hash of their normalised text, so the same report pasted again is recognised;
speeches are called statements in the admin."""

from django.db import migrations, models


def fill_text_hash(apps, schema_editor):
    from archive.models import source_text_hash

    Source = apps.get_model("archive", "Source")
    for pk, text in (
        Source.objects.filter(text_hash__isnull=True).values_list("pk", "original_text").iterator(chunk_size=500)
    ):
        # .update() writes only text_hash: the original text stays untouched (a trigger guards it).
        Source.objects.filter(pk=pk).update(text_hash=source_text_hash(text))


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0006_merge_browse"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalsource",
            name="text_hash",
            field=models.CharField(
                null=True,
                blank=True,
                db_index=True,
                editable=False,
                help_text="source_text_hash(original_text)",
                max_length=64,
            ),
        ),
        migrations.AddField(
            model_name="source",
            name="text_hash",
            field=models.CharField(
                null=True,
                blank=True,
                db_index=True,
                editable=False,
                help_text="source_text_hash(original_text)",
                max_length=64,
            ),
        ),
        migrations.RunPython(fill_text_hash, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name="historicalspeech",
            options={
                "get_latest_by": ("history_date", "history_id"),
                "ordering": ("-history_date", "-history_id"),
                "verbose_name": "historical statement",
                "verbose_name_plural": "historical statements",
            },
        ),
        migrations.AlterModelOptions(
            name="speech",
            options={
                "ordering": ["-date", "position", "id"],
                "verbose_name": "statement",
                "verbose_name_plural": "statements",
            },
        ),
    ]
