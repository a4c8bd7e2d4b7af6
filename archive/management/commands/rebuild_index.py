"""Rebuild the search index from the database, on any engine (``archive.search.rebuild``): progress
bars, one commit; on Whoosh both cores and a new index swapped in while the old one answers.

Replaces Haystack's rebuild_index (``archive`` comes before ``haystack`` in INSTALLED_APPS).
"""

import time

from django.core.management.base import BaseCommand


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
            help="Indexing processes on Whoosh (default: one per core when the cores are idle, else 1).",
        )

    def handle(self, *args, using="default", batch_size=500, workers=None, verbosity=1, **options):
        from archive.search.rebuild import rebuild

        started = time.monotonic()
        counts = rebuild(using=using, batch_size=batch_size, procs=workers, progress=verbosity > 0)
        summary = ", ".join(f"{count} {label}" for label, count in counts.items())
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Indexed {summary} in {time.monotonic() - started:.1f} s."))
