# Covering indexes for the browse pages' facet counts (issue 4).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0003_integrity_triggers"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="speech",
            index=models.Index(
                fields=["country", "status", "published_at", "date", "speaker", "event", "language"],
                name="speech_browse_country",
            ),
        ),
        migrations.AddIndex(
            model_name="speech",
            index=models.Index(
                fields=["speaker", "status", "published_at", "date", "country", "event", "language"],
                name="speech_browse_speaker",
            ),
        ),
        migrations.AddIndex(
            model_name="speech",
            index=models.Index(
                fields=["event", "status", "published_at", "date", "speaker", "country", "language"],
                name="speech_browse_event",
            ),
        ),
        migrations.AddIndex(
            model_name="speech",
            index=models.Index(
                fields=["status", "published_at", "date", "date_precision", "speaker", "country", "event", "language"],
                name="speech_browse_date",
            ),
        ),
        migrations.AddIndex(
            model_name="speech",
            index=models.Index(
                fields=["id", "status", "published_at", "date", "speaker", "country", "event", "language"],
                name="speech_browse_id",
            ),
        ),
    ]
