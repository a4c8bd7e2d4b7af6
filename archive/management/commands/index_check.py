"""Compare the database with the search index, content included; `--fix` queues and applies the repairs."""

from django.core.management.base import BaseCommand, CommandError

from archive.search import check, worker


class Command(BaseCommand):
    help = (
        "Report published speeches and quotations missing from the search index, indexed ones that should "
        "not be, and indexed ones whose content is stale (a hash of their indexed fields differs)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Repair the drift through the index outbox.")
        parser.add_argument(
            "--ids-only", action="store_true", help="Compare document ids only (fast; does not find stale content)."
        )

    def handle(self, *args, fix=False, ids_only=False, **options):
        drift = check.find_drift(content=not ids_only)
        for label, (missing, extra, stale) in drift.items():
            self.stdout.write(
                f"{label}: {len(missing)} missing from the index, {len(extra)} that should not be there, "
                f"{len(stale)} stale" + (f" (e.g. {', '.join(stale[:5])})" if stale else "")
            )
        total = sum(len(m) + len(e) + len(s) for m, e, s in drift.values())
        if not total:
            self.stdout.write(self.style.SUCCESS("The search index matches the database."))
            return
        if not fix:
            raise CommandError(f"{total} difference(s) between the database and the search index; run with --fix.")
        check.queue_repairs(drift)
        worker.drain()
        remaining = check.find_drift(content=not ids_only)
        left = sum(len(m) + len(e) + len(s) for m, e, s in remaining.values())
        if left:
            raise CommandError(f"{left} difference(s) remain after repair.")
        self.stdout.write(self.style.SUCCESS(f"Repaired {total} difference(s)."))
