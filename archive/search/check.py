"""Drift between the database and the search index, and its repair through the outbox.

Compares content, not only ids: every index document stores a hash of its indexed fields
(``backend.document_hash``); a statement whose document would hash differently today (a renamed
speaker, a changed topic, an edit whose index work was lost) is reported as stale.
"""

from django.db import transaction
from haystack import connections
from haystack.query import SearchQuerySet
from haystack.utils import get_model_ct

from archive.models import IndexTask
from archive.search import outbox

CHUNK = 500


def indexed_hashes(model, using="default"):
    backend = connections[using].get_backend()
    if hasattr(backend, "indexed_hashes"):
        return backend.indexed_hashes().get(get_model_ct(model), {})
    # Any other backend: page through the index (slower; ids only, so content is not compared).
    return {str(pk): None for pk in SearchQuerySet(using=using).models(model).values_list("django_id", flat=True)}


def find_drift(using="default", content=True):
    """{model label: (missing ids, ids that should not be there, stale ids)}.

    ``content`` prepares every published document as the index would and compares its hash with the
    stored one (the cost of preparing a rebuild's documents, without writing them).
    """
    backend = connections[using].get_backend()
    unified = connections[using].get_unified_index()
    drift = {}
    for model in unified.get_indexed_models():
        index = unified.get_index(model)
        queryset = index.index_queryset(using=using).order_by("pk")
        present = indexed_hashes(model, using)
        expected, stale = set(), []
        if content and hasattr(backend, "prepare_document"):
            last = None
            while True:
                batch = list((queryset.filter(pk__gt=last) if last is not None else queryset)[:CHUNK])
                if not batch:
                    break
                for obj in batch:
                    pk = str(obj.pk)
                    expected.add(pk)
                    if pk in present:
                        document = backend.prepare_document(index, obj)
                        if document is not None and document.get("content_hash") != present[pk]:
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
