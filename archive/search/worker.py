"""Applying the index outbox: the only code that writes index changes for edits.

A batch takes the index writer lock first and only then reads the outbox and the database, so two
workers (or a worker and a rebuild) cannot apply an older state over a newer one. Each object named
in the batch is re-read: indexed if it is public now, removed if it is not (or no longer exists).
Outbox rows are deleted only after the index commit; a crash in between repeats work, never loses it.
Everything goes through ``archive.search.engine.index_engine()``, so any engine serves. A worker
killed mid-batch (even with SIGKILL) leaves no stale lock: Whoosh's lock is an flock on
``MAIN_WRITELOCK``, which the kernel releases with the process; the file itself means nothing.

The index repairs itself: before applying work, the worker checks that the index on disk opens and
reads (``ensure_index``). A deleted, never-built or corrupted index is rebuilt from the database
(``archive.search.rebuild``); the outbox rows stay queued meanwhile and are applied after the swap.
"""

import logging
import time
from collections import defaultdict

from django.apps import apps
from django.db.models import F
from haystack import connections

from archive.models import IndexTask
from archive.search.engine import index_engine

log = logging.getLogger(__name__)


# The index directory's stamp when it was last found sound, and when, per connection: an idle worker
# compares stamps (a few stats a second) instead of opening the index (measured at 0.37 of a core),
# and opens it anyway once a minute: garbage written over a file in place may keep its size and time.
_sound_stamps = {}
REVERIFY_SECONDS = 60


def ensure_index(*, using="default", thorough=False, procs=1):
    """Rebuild the index from the database if it is missing or unreadable; return the problem found.

    Returns None when the index was fine. Raises if the rebuild fails (the caller retries later).
    Unless ``thorough``, an index whose files have not changed since it was last found sound is not
    opened again.
    """
    from archive.search.rebuild import rebuild

    engine = index_engine(using)
    stamp = engine.stamp()
    known = _sound_stamps.get(using)
    if not thorough and stamp is not None and known and known[0] == stamp and time.monotonic() < known[1]:
        return None
    _sound_stamps.pop(using, None)
    problem = engine.problem(thorough=thorough)
    if problem is not None:
        # A rebuild elsewhere swaps directories with two renames; never mistake that instant for damage.
        time.sleep(0.2)
        problem = engine.problem(thorough=thorough)
    if problem is None:
        _sound_stamps[using] = (stamp, time.monotonic() + REVERIFY_SECONDS)
        return None
    log.error("SEARCH INDEX BROKEN: %s. Rebuilding it from the database; queued index work is kept.", problem)
    started = time.monotonic()
    counts = rebuild(using=using, procs=procs, progress=False)
    summary = ", ".join(f"{count} {label}" for label, count in counts.items())
    log.error(
        "SEARCH INDEX REBUILT in %.1f s (%s); %d queued task(s) follow.",
        time.monotonic() - started,
        summary,
        pending_count(),
    )
    return problem


def pending_count():
    return IndexTask.objects.count()


def process_batch(*, batch_size=500, using="default"):
    """Apply up to ``batch_size`` outbox rows; return how many were applied. Raises on failure."""
    engine = index_engine(using)
    unified = connections[using].get_unified_index()
    if not IndexTask.objects.exists():
        return 0
    task_ids = []
    try:
        # The engine's write lock is taken before the outbox and the database are read (see above);
        # the batch is committed when the block ends, and discarded if anything in it raises.
        with engine.changes() as changes:
            tasks = list(IndexTask.objects.order_by("id")[:batch_size])
            task_ids = [task.id for task in tasks]
            wanted = defaultdict(set)
            for task in tasks:
                wanted[task.model].add(task.object_id)
            for label, ids in wanted.items():
                index = unified.get_index(apps.get_model(label))
                found = changes.update(index, index.index_queryset(using=using).filter(pk__in=ids))
                changes.remove([f"{label}.{pk}" for pk in ids - found])
    except BaseException as error:
        if task_ids:
            IndexTask.objects.filter(id__in=task_ids).update(
                attempts=F("attempts") + 1, last_error=f"{type(error).__name__}: {error}"[:2000]
            )
        raise
    IndexTask.objects.filter(id__in=task_ids).delete()
    return len(task_ids)


def drain(*, batch_size=500, using="default"):
    """Apply the whole outbox; return how many rows were applied."""
    total = 0
    while True:
        done = process_batch(batch_size=batch_size, using=using)
        if not done:
            return total
        total += done
