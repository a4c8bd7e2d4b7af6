"""Send the alert digests that are due: one email per address per frequency (for cron or a timer)."""

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from archive.alerts import digests
from archive.models import Alert


class Command(BaseCommand):
    help = (
        "Email each confirmed address the statements published since its last digest that match its alerts. "
        "Idempotent: a re-run or a run after a crash never sends a statement to an address twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--frequency",
            choices=[*Alert.Frequency.values, "all"],
            default="all",
            help="Which alerts: daily, weekly, or all (default) - each is sent only when due.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Say what would be sent; send and record nothing.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, frequency="all", dry_run=False, no_progress=False, **options):
        frequencies = Alert.Frequency.values if frequency == "all" else [frequency]
        failed = 0
        for name in frequencies:
            with tqdm(desc=f"{name} digests", unit="address", disable=no_progress, file=sys.stderr) as bar:
                stats = digests.send_digests(
                    frequency=name, dry_run=dry_run, progress=bar, out=self.stdout.write if dry_run else None
                )
            verb = "would send" if dry_run else "sent"
            self.stdout.write(
                f"{name}: {stats.due_alerts} alert(s) due for {stats.subscribers} address(es); "
                f"{verb} {stats.emails} email(s) with {stats.statements} statement(s); "
                f"{stats.nothing_new} with nothing new; {stats.failed} failed (retried later with backoff); "
                f"{stats.deferred} waiting for a retry; {stats.searches} search(es) run, "
                f"{stats.skipped_searches} not needed (no new statement passes their filters)."
            )
            if stats.covered_until and stats.held_back:
                self.stdout.write(
                    f"  statements published after {stats.covered_until:%Y-%m-%d %H:%M:%S} wait for the search index "
                    "(index work is queued): the next run sends them."
                )
            for failure in stats.failures:
                self.stderr.write(f"  failed: {failure}")
            failed += stats.failed
        if failed:
            raise CommandError(f"{failed} digest(s) could not be delivered; they will be retried.")
