"""python manage.py import_ungdc PATH [--speakers XLSX] [--from-year Y --to-year Y] [--dry-run]"""

from django.core.management.base import BaseCommand

from archive.ingest.base import run_for_command
from archive.ingest.ungdc import UNGDCImporter


class Command(BaseCommand):
    help = "Import the UN General Debate Corpus from its .tgz or unpacked TXT folder (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="UNGDC_1946-2024.tgz or the folder holding TXT/Session NN - YYYY/")
        parser.add_argument("--speakers", help="Speakers_by_session.xlsx: speaker names and posts")
        parser.add_argument("--from-year", type=int)
        parser.add_argument("--to-year", type=int)
        parser.add_argument("--dry-run", action="store_true", help="Parse and check everything, save nothing")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        run_for_command(
            self,
            lambda: UNGDCImporter(
                options["path"],
                speakers_path=options["speakers"],
                from_year=options["from_year"],
                to_year=options["to_year"],
                dry_run=options["dry_run"],
                progress=not options["no_progress"],
            ),
        )
