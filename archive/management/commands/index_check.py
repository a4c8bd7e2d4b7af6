"""Compare the database with the search index; `--fix` queues and applies the repairs."""

from django.core.management.base import BaseCommand, CommandError

from archive.search import check, worker


class Command(BaseCommand):
    help = (
        "Report published speeches and quotations missing from the search index, and indexed ones that should not be."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Repair the drift through the index outbox.")

    def handle(self, *args, fix=False, **options):
        drift = check.find_drift()
        for label, (missing, extra) in drift.items():
            self.stdout.write(f"{label}: {len(missing)} missing from the index, {len(extra)} that should not be there")
        total = sum(len(m) + len(e) for m, e in drift.values())
        if not total:
            self.stdout.write(self.style.SUCCESS("The search index matches the database."))
            return
        if not fix:
            raise CommandError(f"{total} difference(s) between the database and the search index; run with --fix.")
        check.queue_repairs(drift)
        worker.drain()
        remaining = check.find_drift()
        left = sum(len(m) + len(e) for m, e in remaining.values())
        if left:
            raise CommandError(f"{left} difference(s) remain after repair.")
        self.stdout.write(self.style.SUCCESS(f"Repaired {total} difference(s)."))
