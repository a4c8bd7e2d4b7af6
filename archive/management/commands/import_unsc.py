"""python manage.py import_unsc PATH [--dry-run]"""

from django.core.management.base import BaseCommand

from archive.ingest.base import run_for_command
from archive.ingest.unsc import UNSCImporter


class Command(BaseCommand):
    help = "Import UN Security Council Debates speech files (UNSC_YYYY_SPV.NNNN_spchNNN.txt) (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Folder of speech files, with speaker.tsv / meta.tsv where present")
        parser.add_argument("--dry-run", action="store_true", help="Parse and check everything, save nothing")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        run_for_command(
            self,
            lambda: UNSCImporter(options["path"], dry_run=options["dry_run"], progress=not options["no_progress"]),
        )
