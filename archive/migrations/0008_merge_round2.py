from django.db import migrations


class Migration(migrations.Migration):
    """Joins the migrations of issues 12 (sources and statements) and 14 (topic assignments)."""

    dependencies = [
        ("archive", "0007_i12_sources_and_statements"),
        ("archive", "0007_i14_topic_assignments"),
    ]

    operations = []
