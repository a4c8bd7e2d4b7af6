"""A whole new Whoosh index, built beside the live one with both cores, then swapped in.

The live index keeps answering searches during a rebuild. Its writer lock is held throughout, so
index workers wait (and retry) instead of writing to an index about to be replaced; the outbox rows
they would have applied stay queued and are applied to the new index after the swap
(``archive.search.rebuild`` drops only the rows it covered).
"""

import os
import shutil
import time

from haystack import connections
from whoosh.filedb.filestore import FileStorage

from archive.search.engine import IndexLocked
from archive.search.whoosh.schema import create_index
from archive.search.whoosh.state import forget_shared_state


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


def rebuild_memory_mb():
    """How much memory (MB) the writer sorts postings in before it spills them to temporary files.

    Every posting spilled is pickled, written, read back and unpickled: on 2,000 UNGDC speeches a
    256 MB pool cost 94 s of CPU, a 1,024 MB pool (one run, nothing spilled) 58 s. The pool holds
    about 180 bytes per posting (Whoosh's estimate); ``SEARCH_REBUILD_MB`` sets it.
    """
    return int(os.environ.get("SEARCH_REBUILD_MB", "1024"))


class WhooshRebuild:
    """``with WhooshRebuild(backend) as build: build.add(search_index, objects)``: on a normal exit the
    new index is committed (its segments merged into one) and swapped in with two renames."""

    def __init__(self, backend, *, procs=None, lock_timeout=600):
        self.backend = backend
        self.procs = procs or default_procs()
        self.lock_timeout = lock_timeout
        self.live = backend.path.rstrip("/")
        self.side = self.live + ".rebuild"

    def __enter__(self):
        backend = self.backend
        unified = connections[backend.connection_alias].get_unified_index()
        # Not backend.setup(): that opens the live index, which may be missing or unreadable when a
        # rebuild is what repairs it (archive.search.worker.ensure_index).
        content_field, schema = backend.build_schema(unified.all_searchfields())
        backend.content_field_name = content_field  # prepare_document() copies it into the exact field
        self.lock = backend.swap_lock()
        deadline = time.monotonic() + self.lock_timeout
        while not self.lock.acquire(blocking=False):
            if time.monotonic() > deadline:
                raise IndexLocked(f"The search index at {self.live} stayed locked for {self.lock_timeout} s.")
            time.sleep(0.1)
        try:
            # Only under the lock: another rebuild may be building in this side directory until then.
            shutil.rmtree(self.side, ignore_errors=True)
            os.makedirs(self.side)
            index = create_index(FileStorage(self.side), schema)
            # Sub-processes analyse documents in parallel; their segments are merged into one at commit.
            options = {"limitmb": rebuild_memory_mb()}
            self.writer = (
                index.writer(procs=self.procs, batchsize=100, multisegment=True, **options)
                if self.procs > 1
                else index.writer(**options)
            )
        except BaseException:
            self._release()
            raise
        return self

    def add(self, search_index, objects):
        """Add the documents of these objects; return how many were added (skipped ones are not)."""
        added = 0
        for obj in objects:
            doc = self.backend.prepare_document(search_index, obj)
            if doc is not None:
                self.writer.add_document(**doc)
                added += 1
        return added

    def __exit__(self, exc_type, exc, traceback):
        try:
            if exc_type is not None:
                self.writer.cancel()
                return False
            self.writer.commit()
            old = self.live + ".old"
            shutil.rmtree(old, ignore_errors=True)
            if os.path.exists(self.live):
                os.rename(self.live, old)
            os.rename(self.side, self.live)
        finally:
            self._release()
        forget_shared_state(self.live)
        self.backend.setup()
        return False

    def _release(self):
        self.lock.release()
        shutil.rmtree(self.live + ".old", ignore_errors=True)
        shutil.rmtree(self.side, ignore_errors=True)
