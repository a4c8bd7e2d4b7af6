"""Drift between the database and the search index, and its repair through the outbox."""

from django.db import transaction
from haystack import connections
from haystack.query import SearchQuerySet
from haystack.utils import get_model_ct

from archive.models import IndexTask
from archive.search import outbox


def indexed_ids(model, using="default"):
    backend = connections[using].get_backend()
    if hasattr(backend, "indexed_ids"):
        return backend.indexed_ids().get(get_model_ct(model), set())
    # Any other backend: page through the index (slower, still correct).
    return {str(pk) for pk in SearchQuerySet(using=using).models(model).values_list("django_id", flat=True)}


def find_drift(using="default"):
    """{model label: (ids missing from the index, ids in the index that should not be)}."""
    unified = connections[using].get_unified_index()
    drift = {}
    for model in unified.get_indexed_models():
        index = unified.get_index(model)
        expected = {str(pk) for pk in index.index_queryset(using=using).values_list("pk", flat=True)}
        present = indexed_ids(model, using)
        drift[get_model_ct(model)] = (sorted(expected - present), sorted(present - expected))
    return drift


@transaction.atomic
def queue_repairs(drift):
    for label, (missing, extra) in drift.items():
        outbox.enqueue(label, missing, IndexTask.Action.UPDATE)
        outbox.enqueue(label, extra, IndexTask.Action.DELETE)
