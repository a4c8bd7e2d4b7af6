import json

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from archive.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup into an empty archive (migrates first), verify it, and rebuild the search index."

    def add_arguments(self, parser):
        parser.add_argument("path", help="a directory written by `manage.py backup`")
        parser.add_argument("--no-index", action="store_true", help="skip rebuilding the search index")
        parser.add_argument("--json", action="store_true", help="print the verified fingerprint as JSON")

    def handle(self, path, **options):
        call_command("migrate", interactive=False, verbosity=0)
        try:
            with tqdm(desc="restoring", unit=" chunks", disable=options["verbosity"] < 1) as progress:
                restored = restore_backup(path, progress=progress)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if not options["no_index"]:
            call_command("rebuild_index", interactive=False, verbosity=0)
        if options["json"]:
            self.stdout.write(json.dumps(restored, sort_keys=True))
        else:
            counts = restored["counts"]
            self.stdout.write(
                self.style.SUCCESS(
                    f"Restored and verified: {counts['archive.speech']} statements, "
                    f"{counts['archive.quotation']} quotations; fingerprint {restored['sha256'][:16]}"
                )
            )
