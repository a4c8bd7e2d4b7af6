"""Check reported quotations against the official records (issue 13): the queued ones, or ``--all``."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from archive import services
from archive.models import Quotation, QuotationCheckTask
from archive.quotecheck.results import VERDICTS


class Command(BaseCommand):
    help = "Check direct quotations from news reports against the official records (queued ones, or --all)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Re-check every quotation a check applies to.")

    def handle(self, *args, all=False, verbosity=1, **options):
        if all:
            ids = list(Quotation.objects.checkable().order_by("pk").values_list("pk", flat=True))
        else:
            ids = sorted(set(QuotationCheckTask.objects.values_list("quotation_id", flat=True)))
        bar = tqdm(total=len(ids), unit="quotation", desc="Checking", disable=not verbosity, file=self.stderr)
        try:
            summary = services.quotations_check(quotation_ids=ids, progress=bar.update)
        except Exception as error:
            raise CommandError(f"Checking failed: {type(error).__name__}: {error}") from error
        finally:
            bar.close()
        QuotationCheckTask.objects.filter(quotation_id__in=ids).delete()
        total = sum(summary.values())
        parts = [f"{summary[v]} {label.lower()}" for v, label in VERDICTS if summary.get(v)]
        self.stdout.write(f"Checked {total} quotation(s)" + (": " + ", ".join(parts) if parts else "") + ".")
