# Covering indexes for the browse pages' facet counts (issue 4).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0003_integrity_triggers"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="speech",
            index=models.Index(fields=["status", "published_at", "country", "date"], name="speech_browse_country"),
        ),
        migrations.AddIndex(
            model_name="speech",
            index=models.Index(fields=["status", "published_at", "speaker", "date"], name="speech_browse_speaker"),
        ),
        migrations.AddIndex(
            model_name="speech",
            index=models.Index(fields=["status", "published_at", "event", "date"], name="speech_browse_event"),
        ),
        migrations.AddIndex(
            model_name="speech",
            index=models.Index(
                fields=["status", "published_at", "date", "date_precision", "language"], name="speech_browse_date"
            ),
        ),
    ]
