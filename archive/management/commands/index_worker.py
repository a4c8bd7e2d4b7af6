"""Apply the search-index outbox: `index_worker` loops (beside runserver), `--once` drains and exits.

Both first make sure the index on disk is usable and rebuild it from the database if it is missing
or unreadable (deleted or corrupted while the site runs); the loop checks again at least every
``--check-interval`` seconds, and thoroughly (every document id) at once after a batch fails.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from archive import services
from archive.search import worker


class Command(BaseCommand):
    help = "Apply queued search-index work (the outbox) to the search index."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Apply everything queued, then exit.")
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--interval", type=float, default=0.5, help="Seconds between polls when idle.")
        parser.add_argument(
            "--check-interval", type=float, default=1.0, help="Seconds between checks that the index is readable."
        )

    def handle(self, *args, once=False, batch_size=500, interval=0.5, check_interval=1.0, verbosity=1, **options):
        if once:
            try:
                if worker.ensure_index():
                    self.stdout.write("The search index was missing or unreadable and has been rebuilt.")
                services.quotation_checks_drain(batch_size=10_000)  # issue 13: queued quote checks first
                done = worker.drain(batch_size=batch_size)
            except Exception as error:
                raise CommandError(f"Index work failed and stays queued: {error}") from error
            if verbosity:
                self.stdout.write(f"Applied {done} index task(s); {worker.pending_count()} pending.")
            return
        self.stdout.write("Index worker running (Ctrl-C stops it).")
        next_check, thorough, failed = 0.0, True, False  # the first check reads the whole index
        try:
            while True:
                close_old_connections()
                try:
                    if thorough or time.monotonic() >= next_check:
                        if worker.ensure_index(thorough=thorough):
                            self.stderr.write("The search index was missing or unreadable and has been rebuilt.")
                        next_check, thorough = time.monotonic() + check_interval, False
                    services.quotation_checks_drain(batch_size=50)  # issue 13: queued quote checks
                    done = worker.process_batch(batch_size=batch_size)
                    failed = False
                except Exception as error:  # stays queued; say so, check the index at once, then back off
                    self.stderr.write(f"Index work failed, will retry: {type(error).__name__}: {error}")
                    if failed:
                        time.sleep(max(interval, 2))
                    else:
                        thorough = True
                    failed = True
                    continue
                if done and verbosity > 1:
                    self.stdout.write(f"Applied {done} index task(s).")
                if not done:
                    time.sleep(interval)
        except KeyboardInterrupt:
            self.stdout.write("Index worker stopped.")
