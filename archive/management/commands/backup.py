from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from archive.backup import BackupError, write_backup


class Command(BaseCommand):
    help = "Write a consistent, portable snapshot of the archive into a new directory."

    def add_arguments(self, parser):
        parser.add_argument("path", help="directory to create")

    def handle(self, path, **options):
        try:
            with tqdm(desc="backing up rows", unit=" rows", disable=options["verbosity"] < 1) as progress:
                manifest = write_backup(path, progress=progress)
        except BackupError as error:
            raise CommandError(str(error)) from error
        counts = manifest["counts"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {path}: {counts['archive.speech']} statements, "
                f"{counts['archive.quotation']} quotations, {counts['archive.source']} sources; "
                f"fingerprint {manifest['sha256'][:16]}"
            )
        )
