import csv
from pathlib import Path

from django.db import migrations
from django.utils.text import slugify

from archive.data import reference

COUNTRIES_TSV = Path(__file__).resolve().parent.parent / "data" / "countries.tsv"

EDITOR_GROUP = "Editors"
EDITOR_ACTIONS = ("add", "change", "view")
EDITOR_MODELS = ("speaker", "speech", "quotation", "source", "event", "topic", "instrument", "country", "body")


def load_countries(apps, schema_editor):
    Country = apps.get_model("archive", "Country")
    with open(COUNTRIES_TSV, encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            aliases = [a for a in row["aliases"].split(";") if a]
            Country.objects.update_or_create(
                code=row["code"],
                defaults={
                    "alpha2": row["alpha2"],
                    "name": row["name"],
                    "slug": slugify(row["name"]),
                    "demonym": row["demonym"],
                    "status": row["status"],
                    "aliases": aliases,
                },
            )


def load_vocabularies(apps, schema_editor):
    reference.load_tree(apps.get_model("archive", "Body"), reference.BODIES, "fields")
    reference.load_tree(apps.get_model("archive", "Topic"), reference.TOPICS, "keywords")
    Instrument = apps.get_model("archive", "Instrument")
    for slug, name, kind, extra in reference.INSTRUMENTS:
        Instrument.objects.update_or_create(slug=slug, defaults={"name": name, "kind": kind, **extra})


def create_editors_group(apps, schema_editor):
    # Permissions are normally created after all migrations; the group needs them now.
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITOR_GROUP)
    codenames = [f"{action}_{model}" for model in EDITOR_MODELS for action in EDITOR_ACTIONS]
    permissions = Permission.objects.filter(content_type__app_label="archive", codename__in=codenames)
    group.permissions.set(permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(load_countries, migrations.RunPython.noop),
        migrations.RunPython(load_vocabularies, migrations.RunPython.noop),
        migrations.RunPython(create_editors_group, migrations.RunPython.noop),
    ]
