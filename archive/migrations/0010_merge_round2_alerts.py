from django.db import migrations


class Migration(migrations.Migration):
    """Joins issue 16's alert tables to the merged round."""

    dependencies = [
        ("archive", "0009_merge_round2_proxy"),
        ("archive", "0007_i16_alerts"),
    ]

    operations = []
