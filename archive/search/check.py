"""Drift between the database and the search index, and its repair through the outbox.

Compares content, not only ids: every index document stores a hash of its indexed fields
(``archive.search.engine.document_hash``); a statement whose document would hash differently today (a renamed
speaker, a changed topic, an edit whose index work was lost) is reported as stale.
"""

from django.db import transaction
from haystack import connections
from haystack.utils import get_model_ct

from archive.models import IndexTask
from archive.search import outbox
from archive.search.engine import index_engine

CHUNK = 500


def find_drift(using="default", content=True):
    """{model label: (missing ids, ids that should not be there, stale ids)}.

    ``content`` prepares every published document as the index would and compares its hash with the
    stored one (the cost of preparing a rebuild's documents, without writing them).
    """
    engine = index_engine(using)
    unified = connections[using].get_unified_index()
    drift = {}
    for model in unified.get_indexed_models():
        index = unified.get_index(model)
        queryset = index.index_queryset(using=using).order_by("pk")
        present = engine.indexed_hashes(model)
        expected, stale = set(), []
        if content:
            last = None
            while True:
                batch = list((queryset.filter(pk__gt=last) if last is not None else queryset)[:CHUNK])
                if not batch:
                    break
                for obj in batch:
                    pk = str(obj.pk)
                    expected.add(pk)
                    if pk in present:
                        digest = engine.content_hash(index, obj)
                        if digest is not None and digest != present[pk]:
                            stale.append(pk)
                last = batch[-1].pk
        else:
            expected = {str(pk) for pk in queryset.values_list("pk", flat=True)}
        drift[get_model_ct(model)] = (sorted(expected - set(present)), sorted(set(present) - expected), stale)
    return drift


@transaction.atomic
def queue_repairs(drift):
    for label, (missing, extra, stale) in drift.items():
        outbox.enqueue(label, missing + stale, IndexTask.Action.UPDATE)
        outbox.enqueue(label, extra, IndexTask.Action.DELETE)
