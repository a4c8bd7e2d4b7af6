"""Rebuilding the whole index from the database, on any engine (``IndexEngine.rebuilding``).

On Whoosh the new index is built beside the live one and swapped in (``archive/search/whoosh/
rebuild.py``); the live index keeps answering searches meanwhile. Outbox rows already committed
when the rebuild starts describe changes it reads from the database anyway: they are dropped after.
"""

from haystack import connections
from tqdm import tqdm

from archive.models import IndexTask
from archive.search.engine import index_engine


def rebuild(*, using="default", batch_size=500, procs=None, progress=True, lock_timeout=600):
    """Index every published statement and quotation into a new index; return {model label: count}."""
    unified = connections[using].get_unified_index()
    counts = {}
    with index_engine(using).rebuilding(procs=procs, lock_timeout=lock_timeout) as build:
        # Read under the engine's lock (taken by rebuilding()). Only rows visible now are dropped
        # afterwards: a row whose transaction commits later may describe a change the rebuild read
        # too early, so it stays for the worker.
        covered = list(IndexTask.objects.values_list("id", flat=True))
        for model in unified.get_indexed_models():
            search_index = unified.get_index(model)
            queryset = search_index.index_queryset(using=using).order_by("pk")
            counts[model._meta.label] = 0
            bar = tqdm(total=queryset.count(), desc=f"Indexing {model._meta.label}", disable=not progress)
            last = None
            while True:
                batch = list((queryset.filter(pk__gt=last) if last is not None else queryset)[:batch_size])
                if not batch:
                    break
                counts[model._meta.label] += build.add(search_index, batch)
                last = batch[-1].pk
                bar.update(len(batch))
            bar.close()
        if progress:
            print("Merging segments and committing ...", flush=True)
    for start in range(0, len(covered), 1000):
        IndexTask.objects.filter(id__in=covered[start : start + 1000]).delete()
    return counts
