"""Durable quote-check work: rows written in the same transaction as the change that calls for a
check (a quotation published, edited or added; an official record added or imported). The worker
(``manage.py index_worker``, or ``check_quotations``) runs the checks and deletes the rows; a web
request never checks more than a few quotations itself."""

import datetime

from django.db.models import Q

from archive.models import Quotation, QuotationCheckTask

# Records of the same speaker this many days either side of a quotation's date may hold it.
DAYS_AROUND = 3
PAIRS_PER_QUERY = 200


def enqueue(quotation_ids):
    ids = sorted(set(quotation_ids))
    QuotationCheckTask.objects.bulk_create([QuotationCheckTask(quotation_id=pk) for pk in ids], batch_size=1000)
    return len(ids)


def enqueue_quotations(quotations):
    """Queue a check of these quotations (a queryset), as far as a check applies to them."""
    return enqueue(Quotation.objects.checkable().filter(pk__in=quotations.values("pk")).values_list("pk", flat=True))


def enqueue_around(pairs):
    """An official record was added or imported for (speaker_id, date) pairs: re-check the quotations
    of those speakers from those days (and a few days around)."""
    pairs = sorted(set(pairs))
    queued = 0
    # One OR clause per pair, a bounded number per query: an import batch holds hundreds of records,
    # and SQLite refuses expressions nested deeper than 1,000.
    for start in range(0, len(pairs), PAIRS_PER_QUERY):
        clauses = Q()
        for speaker_id, date in pairs[start : start + PAIRS_PER_QUERY]:
            clauses |= Q(
                speaker_id=speaker_id,
                speech__date__gte=date - datetime.timedelta(days=DAYS_AROUND),
                speech__date__lte=date + datetime.timedelta(days=DAYS_AROUND),
            )
        queued += enqueue(Quotation.objects.checkable().filter(clauses).values_list("pk", flat=True))
    return queued


def pending_count():
    return QuotationCheckTask.objects.count()
