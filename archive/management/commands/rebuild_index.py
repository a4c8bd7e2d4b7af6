"""Rebuild the search index from the database: both cores, one commit, progress bars.

Replaces Haystack's rebuild_index (``archive`` comes before ``haystack`` in INSTALLED_APPS) when
the backend is the archive's Whoosh backend; any other backend gets Haystack's own command.
"""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from haystack import connections


class Command(BaseCommand):
    help = "Rebuild the search index from the published statements and quotations."

    def add_arguments(self, parser):
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive", default=True)
        parser.add_argument("--using", default="default")
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--workers",
            "-k",
            type=int,
            default=None,
            help="Indexing processes (default: one per core when the cores are idle, else 1).",
        )

    def handle(self, *args, using="default", batch_size=500, workers=None, verbosity=1, **options):
        from archive.search.backend import ArchiveWhooshBackend

        backend = connections[using].get_backend()
        if not isinstance(backend, ArchiveWhooshBackend):
            call_command("clear_index", interactive=False, using=[using], verbosity=verbosity)
            call_command("update_index", using=[using], batchsize=batch_size, workers=workers or 0, verbosity=verbosity)
            return
        from archive.search.rebuild import rebuild

        started = time.monotonic()
        counts = rebuild(using=using, batch_size=batch_size, procs=workers, progress=verbosity > 0)
        summary = ", ".join(f"{count} {label}" for label, count in counts.items())
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Indexed {summary} in {time.monotonic() - started:.1f} s."))
