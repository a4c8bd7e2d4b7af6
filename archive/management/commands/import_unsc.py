"""python manage.py import_unsc PATH [--presidencies CSV] [--meetings CSV] [--dry-run]"""

from django.core.management.base import BaseCommand

from archive.ingest.base import run_for_command
from archive.ingest.unsc import UNSCImporter


class Command(BaseCommand):
    help = "Import UN Security Council Debates speech files (UNSC_YYYY_SPV.NNNN_spchNNN.txt) (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Folder of speech files, with speaker.tsv / meta.tsv where present")
        parser.add_argument(
            "--presidencies",
            metavar="CSV",
            help="Who presided each month (columns year, month, country); used first for dated meetings",
        )
        parser.add_argument(
            "--meetings",
            metavar="CSV",
            help="Meeting dates (columns symbol, date and optionally agenda), e.g. S/PV.8700,2020-01-09",
        )
        parser.add_argument("--dry-run", action="store_true", help="Parse and check everything, save nothing")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        run_for_command(
            self,
            lambda: UNSCImporter(
                options["path"],
                presidencies=options["presidencies"],
                meeting_dates=options["meetings"],
                dry_run=options["dry_run"],
                progress=not options["no_progress"],
            ),
        )
