"""python manage.py assign_topics [--all] [--external-prefix UNGDC:] [--no-progress]"""

import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from archive import services, topic_rules
from archive.models import Speech


class Command(BaseCommand):
    help = (
        "Tag published statements with topics by the keyword rules (archive/data/topic_rules.py). "
        "Idempotent; never changes a topic an editor gave, confirmed or removed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Drafts too, not only published statements")
        parser.add_argument("--external-prefix", default="", help="Only imported statements, e.g. UNGDC:")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        speeches = Speech.objects.all() if options["all"] else Speech.objects.published()
        if options["external_prefix"]:
            speeches = speeches.filter(external_id__startswith=options["external_prefix"])
        started = time.monotonic()
        total = speeches.count()
        with tqdm(total=total, unit="speech", desc="assign topics", disable=options["no_progress"]) as bar:
            stats = services.speeches_assign_topics(speeches=speeches, progress=bar.update)
        seconds = time.monotonic() - started
        self.stdout.write(
            f"Topics by {topic_rules.METHOD}: {stats['speeches']} statements read in {seconds:.1f} s; "
            f"{stats['added']} topics added, {stats['updated']} re-scored, {stats['dropped']} dropped, "
            f"{stats['kept_by_editors']} left as editors set them."
        )
