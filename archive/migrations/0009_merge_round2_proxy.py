from django.db import migrations


class Migration(migrations.Migration):
    """Joins issue 15's rate-limit counter table to the merged round."""

    dependencies = [
        ("archive", "0008_merge_round2"),
        ("archive", "0007_i15_rate_limit_counter"),
    ]

    operations = []
