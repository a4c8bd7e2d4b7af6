"""Apply the search-index outbox: `index_worker` loops (beside runserver), `--once` drains and exits."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from archive.search import worker


class Command(BaseCommand):
    help = "Apply queued search-index work (the outbox) to the search index."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Apply everything queued, then exit.")
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--interval", type=float, default=0.5, help="Seconds between polls when idle.")

    def handle(self, *args, once=False, batch_size=500, interval=0.5, verbosity=1, **options):
        if once:
            try:
                done = worker.drain(batch_size=batch_size)
            except Exception as error:
                raise CommandError(f"Index work failed and stays queued: {error}") from error
            if verbosity:
                self.stdout.write(f"Applied {done} index task(s); {worker.pending_count()} pending.")
            return
        self.stdout.write("Index worker running (Ctrl-C stops it).")
        try:
            while True:
                close_old_connections()
                try:
                    done = worker.process_batch(batch_size=batch_size)
                except Exception as error:  # stays queued; say so and retry
                    self.stderr.write(f"Index work failed, will retry: {error}")
                    time.sleep(max(interval, 2))
                    continue
                if done and verbosity > 1:
                    self.stdout.write(f"Applied {done} index task(s).")
                if not done:
                    time.sleep(interval)
        except KeyboardInterrupt:
            self.stdout.write("Index worker stopped.")
