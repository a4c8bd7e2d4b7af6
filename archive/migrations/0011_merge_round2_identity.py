from django.db import migrations


class Migration(migrations.Migration):
    """Joins issue 11's speaker identity fields and redirects to the merged round."""

    dependencies = [
        ("archive", "0010_merge_round2_alerts"),
        ("archive", "0007_i11_speaker_identity"),
    ]

    operations = []
