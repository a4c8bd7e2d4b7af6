"""Rebuilding the whole index: built beside the live one with both cores, then swapped in.

The live index keeps answering searches during a rebuild. Its writer lock is held throughout, so
index workers wait (and retry) instead of writing to an index about to be replaced; the outbox rows
they would have applied stay queued and are applied to the new index after the swap.
"""

import os
import shutil
import time

from haystack import connections
from tqdm import tqdm

from archive.models import IndexTask
from archive.search.backend import IndexLocked, create_index, forget_shared_state


def default_procs():
    """One indexing process per core when the cores are free.

    Measured on the shared 2-core machine with a load average of 6-7 from other work: Whoosh's
    multi-process writer built the UNGDC index in 694 s with 2 processes and about 2x faster with 1,
    because the extra processes only compete for the same busy cores (and pay for pickling and
    merging). So the parallel writer is used only when the cores are idle enough to run it.
    """
    cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = 0.0
    return cores if load < cores - 0.5 else 1


def rebuild(*, using="default", batch_size=500, procs=None, progress=True, lock_timeout=600):
    backend = connections[using].get_backend()
    unified = connections[using].get_unified_index()
    # Not backend.setup(): that opens the live index, which may be missing or unreadable when a
    # rebuild is what repairs it (archive.search.worker.ensure_index).
    content_field, schema = backend.build_schema(unified.all_searchfields())
    backend.content_field_name = content_field  # prepare_document() copies it into the word-pairs field
    procs = procs or default_procs()
    live = backend.path.rstrip("/")
    side = live + ".rebuild"

    lock = backend.swap_lock()
    deadline = time.monotonic() + lock_timeout
    while not lock.acquire(blocking=False):
        if time.monotonic() > deadline:
            raise IndexLocked(f"The search index at {live} stayed locked for {lock_timeout} s.")
        time.sleep(0.1)
    counts = {}
    # Outbox rows already committed now describe changes this rebuild reads from the database anyway.
    # Only rows visible now are dropped afterwards: a row whose transaction commits later may
    # describe a change the rebuild read too early, so it stays for the worker.
    covered = list(IndexTask.objects.values_list("id", flat=True))
    try:
        # Only under the lock: another rebuild may be building in this side directory until then.
        shutil.rmtree(side, ignore_errors=True)
        from whoosh.filedb.filestore import FileStorage

        os.makedirs(side)
        index = create_index(FileStorage(side), schema)
        # Sub-processes analyse documents in parallel; their segments are merged into one at commit.
        options = {"limitmb": 256}
        writer = (
            index.writer(procs=procs, batchsize=100, multisegment=True, **options)
            if procs > 1
            else index.writer(**options)
        )
        try:
            for model in unified.get_indexed_models():
                search_index = unified.get_index(model)
                queryset = search_index.index_queryset(using=using).order_by("pk")
                total = queryset.count()
                counts[model._meta.label] = 0
                bar = tqdm(total=total, desc=f"Indexing {model._meta.label}", disable=not progress)
                last = None
                while True:
                    chunk = queryset.filter(pk__gt=last) if last is not None else queryset
                    batch = list(chunk[:batch_size])
                    if not batch:
                        break
                    for obj in batch:
                        doc = backend.prepare_document(search_index, obj)
                        if doc is not None:
                            writer.add_document(**doc)
                            counts[model._meta.label] += 1
                    last = batch[-1].pk
                    bar.update(len(batch))
                bar.close()
            if progress:
                print("Merging segments and committing ...", flush=True)
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        old = live + ".old"
        shutil.rmtree(old, ignore_errors=True)
        if os.path.exists(live):
            os.rename(live, old)
        os.rename(side, live)
    finally:
        lock.release()
        shutil.rmtree(live + ".old", ignore_errors=True)
        shutil.rmtree(side, ignore_errors=True)
    forget_shared_state(live)
    backend.setup()
    for start in range(0, len(covered), 1000):
        IndexTask.objects.filter(id__in=covered[start : start + 1000]).delete()
    return counts
